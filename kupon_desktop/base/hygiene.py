"""List hygiene: contacts whose last messages all failed, suggested for the stop list or
for removal from the base. (The HLR check of a list is
``kupon_desktop.campaign.from_base.hlr_check``: it creates a campaign.)

The statuses that say an address is dead or refused are 20 (not delivered), 22 (wrong
recipient), 23 (blocked by a spam or operator filter) and 25 (recipient offline).
Nothing is changed until the user applies a suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kupon_desktop.base.ports import BaseLog, Selection

DEAD_STATUSES = (20, 22, 23, 25)


@dataclass(frozen=True)
class Suggestion:
    contact: int
    address: str
    statuses: list[int]


def suggest(
    log: Any,
    *,
    last: int = 3,
    statuses: Sequence[int] = DEAD_STATUSES,
    selection: Selection | None = None,
) -> list[Suggestion]:
    """Contacts (of a list or segment, or the whole base) whose last ``last`` messages
    with a final status all ended in ``statuses``."""
    if last < 1:
        raise ValueError("last must be at least 1")
    return [Suggestion(*row) for row in log.base_failing(last, statuses, selection)]


def apply(log: BaseLog, suggestions: Sequence[Suggestion], action: str) -> int:
    """``"stoplist"``: add the addresses to the stop list (source "hygiene");
    ``"remove"``: take the contacts out of the base. Returns how many changed."""
    if action == "stoplist":
        from kupon_desktop.store.models import StopEntry

        return log.stop_list_add(
            StopEntry(
                s.address,
                "email" if "@" in s.address else "phone",
                "hygiene",
                "last statuses " + ", ".join(map(str, s.statuses)),
            )
            for s in suggestions
        )
    if action == "remove":
        return log.base_remove_contacts(s.contact for s in suggestions)
    raise ValueError(f"action must be stoplist or remove, not {action!r}")

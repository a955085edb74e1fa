"""Where a campaign stands while the engine runs, and what its caller tells the user at
the end.

:class:`Progress` is kept by :class:`~kupon_desktop.campaign.engine.CampaignEngine` (each
``on_progress`` call, and ``run``'s return value). At the end of a run it also holds the
reasons of the recipients left rejected or unconfirmed, so that the window and the
command line can say "N unconfirmed, and why" (:meth:`Progress.unconfirmed_report`)
instead of a bare count, and exit non-zero when nothing was confirmed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: how many distinct reasons a report lists (the rest are summed as "other")
REASONS_SHOWN = 5


@dataclass
class Progress:
    """Where a campaign stands, for a progress line or the window's summary bar."""

    total: int = 0
    queued: int = 0
    in_flight: int = 0
    accepted: int = 0
    rejected: int = 0
    unconfirmed: int = 0
    skipped: int = 0
    excluded: int = 0
    sent_this_run: int = 0
    started: float = field(default_factory=time.monotonic)
    state: str = "running"
    #: why it paused, as the log keeps it (``campaign.errors.pause_reason`` reads it)
    reason: str = ""
    #: at the end of a run: the recipients rejected / unconfirmed, counted by the text
    #: recorded with them (the platform's answer, or what happened on the wire), the
    #: most frequent first; empty while running
    rejected_why: list[tuple[str, int]] = field(default_factory=list)
    unconfirmed_why: list[tuple[str, int]] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.queued + self.in_flight

    @property
    def done(self) -> int:
        return self.total - self.remaining

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.sent_this_run / elapsed if elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        rate = self.rate
        return self.remaining / rate if rate > 0 else None

    @property
    def nothing_confirmed(self) -> bool:
        """Recipients were sent and not one is known to have reached the platform: none
        accepted, some unconfirmed (every answer unreadable, a wrong address that
        answers something else, every request cut off). A caller treats such a run as
        failed, whatever the campaign's state."""
        return self.accepted == 0 and self.unconfirmed > 0

    def unconfirmed_report(self) -> UnconfirmedReport | None:
        """What to tell the user about the unconfirmed recipients; None when there are
        none."""
        if not self.unconfirmed:
            return None
        return UnconfirmedReport(
            self.unconfirmed, self.total, tuple(self.unconfirmed_why), self.nothing_confirmed
        )


@dataclass(frozen=True)
class UnconfirmedReport:
    """ "N unconfirmed, and why", in both interface languages.

    ``everyone``: nothing was confirmed (:attr:`Progress.nothing_confirmed`): the caller
    should report the run as failed (the command line exits non-zero)."""

    count: int
    total: int
    reasons: tuple[tuple[str, int], ...]
    everyone: bool

    def _reasons(self, other: str) -> str:
        named = [(text, n) for text, n in self.reasons if text]
        lines = [f"  {n} × {text}" for text, n in named[:REASONS_SHOWN]]
        rest = sum(n for text, n in self.reasons if not text) + sum(
            n for _, n in named[REASONS_SHOWN:]
        )
        if rest:
            lines.append(f"  {rest} × {other}")
        return "\n".join(lines)

    @property
    def message_en(self) -> str:
        head = (
            f"not one recipient is confirmed: all {self.count} sent are unconfirmed"
            if self.everyone
            else f"{self.count} of {self.total} recipients are unconfirmed"
        )
        text = (
            f"{head} (the platform may or may not have their messages; they are not "
            "sent again automatically)"
        )
        reasons = self._reasons("other reasons")
        return f"{text}:\n{reasons}" if reasons else text

    @property
    def message_ru(self) -> str:
        head = (
            f"ни один получатель не подтверждён: все {self.count} отправленных — без подтверждения"
            if self.everyone
            else f"без подтверждения {self.count} из {self.total} получателей"
        )
        text = (
            f"{head} (платформа могла получить их сообщения, а могла и нет; "
            "автоматически они повторно не отправляются)"
        )
        reasons = self._reasons("другие причины")
        return f"{text}:\n{reasons}" if reasons else text

    def message(self, lang: str) -> str:
        return self.message_ru if lang.lower().startswith("ru") else self.message_en


#: what differs between two texts of one reason: a quoted piece of an answer, a number
_DETAILS = re.compile(r"'[^']*'?|\"[^\"]*\"?|\d+")


def tally(texts: Iterable[str | None], limit: int = 20) -> list[tuple[str, int]]:
    """Reasons counted, the most frequent first (ties in first-seen order). Texts that
    differ only in a quoted piece of an answer or a number (``not the documented JSON:
    '{"id":100001…'``) are one reason, shown by the first of them. At most ``limit``
    reasons; the rest are summed under ``""`` (other reasons), last."""
    counts: dict[str, list[Any]] = {}
    for text in texts:
        text = text or "?"
        key = _DETAILS.sub("…", text)
        found = counts.get(key)
        if found is None:
            counts[key] = [text, 1]
        else:
            found[1] += 1
    ordered = sorted(((text, n) for text, n in counts.values()), key=lambda item: -item[1])
    if len(ordered) <= limit:
        return ordered
    return [*ordered[:limit], ("", sum(n for _, n in ordered[limit:]))]


__all__ = ["Progress", "UnconfirmedReport", "tally"]

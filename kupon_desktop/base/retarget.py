"""Retargeting: a campaign's group ("who clicked", "who read", "undelivered on Viber")
saved as a list or as a segment in one call.

A campaign may have been sent from a file: its recipients in the group who are not in
the base yet become contacts first (their address, name and personalisation fields), so
that the list or segment holds every one of them. A list is frozen (who was in the
group now); a segment is the condition itself and follows the statuses that still
arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kupon_desktop.base.errors import BaseError
from kupon_desktop.store.base_sql import OUTCOME_SQL, OUTCOMES

if TYPE_CHECKING:
    from kupon_desktop.base.ports import BaseLog


@dataclass(frozen=True)
class Retargeted:
    campaign_id: str
    group: str
    name: str
    kind: str  # "list" or "segment"
    contacts: int  # in the list or segment now
    added_to_base: int


def save_group(
    log: BaseLog,
    campaign: str,
    group: str,
    *,
    as_list: str | None = None,
    as_segment: str | None = None,
) -> Retargeted:
    """Save the recipients of ``campaign`` (an id, a name or "last") in ``group`` (sent,
    delivered, read, clicked, undelivered) as the list ``as_list`` (contacts added to it)
    or the segment ``as_segment`` (replaced if it exists)."""
    from kupon_desktop.store.base import SourceRef

    if group not in OUTCOMES:
        raise BaseError(
            f"group {group!r}: use one of {', '.join(OUTCOMES)}",
            f"группа «{group}»: одна из {', '.join(OUTCOMES)}",
        )
    if (as_list is None) == (as_segment is None):
        raise BaseError("save as a list or as a segment", "сохраните как список или сегмент")
    campaign_id, *_ = log.base_campaign_range(campaign)
    added, _source = log.base_add_recipients(
        campaign_id, OUTCOME_SQL[group], (), SourceRef("campaign", campaign_id, group)
    )
    condition = {"outcome": group, "campaign": campaign_id}
    if as_list is not None:
        log.base_add_to_list(as_list, {"segment_definition": condition})
        size = log.base_count({"list": as_list})
        return Retargeted(campaign_id, group, as_list, "list", size, added)
    assert as_segment is not None
    log.base_save_segment(as_segment, condition)
    size = log.base_count({"segment": as_segment})
    return Retargeted(campaign_id, group, as_segment, "segment", size, added)

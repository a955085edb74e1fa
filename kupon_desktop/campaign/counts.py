"""One set of counts for a campaign, shown the same way everywhere: the progress bar, the
grid's filter buttons, the chart, History and ``status --json``.

Every recipient is in exactly one :class:`Group`, decided by :func:`group_of` from its
state and last status, in this order: never sent on purpose (excluded by the audience
rules, skipped by the user, left when the campaign was cancelled) is ``NOT_SENT``;
an answer lost is ``UNCONFIRMED``; refused by the platform is ``FAILED``; otherwise the
last status decides (none yet: ``PENDING``). The grid groups its rows with the same
function (vectorised over the same table), and :meth:`CampaignCounts.from_counts` counts
from the log's counters, which change in the same transactions as the rows: the two
agree at every moment.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kupon_desktop.vocabulary import STATUSES, StatusGroup

if TYPE_CHECKING:
    from kupon_desktop.store.models import Counts


class Group(enum.Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    ENGAGED = "engaged"  # read or clicked
    FAILED = "failed"  # refused by the platform, or a final status that is not delivery
    UNCONFIRMED = "unconfirmed"  # the answer was lost: the user decides
    NOT_SENT = "not_sent"  # excluded, skipped or cancelled: never sent, on purpose


#: the user-facing order (filter buttons, chart, legend)
GROUPS = tuple(Group)

_BY_STATUS_GROUP = {
    StatusGroup.PENDING: Group.PENDING,
    StatusGroup.DELIVERED: Group.DELIVERED,
    StatusGroup.ENGAGED: Group.ENGAGED,
    StatusGroup.FAILED: Group.FAILED,
    # an incoming message or the like says nothing about delivery yet
    StatusGroup.OTHER: Group.PENDING,
}


def status_group(code: int | None) -> Group:
    """The group a last status puts an accepted recipient in. A code the vendor does not
    document is final and not a delivery: counted as failed, shown with its number."""
    if code is None:
        return Group.PENDING
    info = STATUSES.get(code)
    return Group.FAILED if info is None else _BY_STATUS_GROUP[info.group]


_STATE_GROUP = {
    "excluded": Group.NOT_SENT,
    "skipped": Group.NOT_SENT,
    "unconfirmed": Group.UNCONFIRMED,
    "rejected": Group.FAILED,
}


def group_of(state: str, status: int | None) -> Group:
    """The group of one recipient (``state`` as ``RecipientState`` values spell it)."""
    fixed = _STATE_GROUP.get(state)
    return fixed if fixed is not None else status_group(status)


@dataclass(frozen=True, slots=True)
class CampaignCounts:
    """Where a campaign's recipients stand, by state and by group."""

    total: int
    queued: int
    in_flight: int
    accepted: int
    rejected: int
    unconfirmed: int
    skipped: int
    excluded: int
    groups: dict[Group, int]

    @classmethod
    def from_counts(cls, counts: Counts) -> CampaignCounts:
        states = {s.value: n for s, n in counts.states.items()}
        groups = dict.fromkeys(Group, 0)
        # a status makes a recipient accepted whatever it was (store/apply.py); an
        # excluded recipient was never sent, so no status can name it
        with_status = 0
        for code, n in counts.statuses.items():
            groups[status_group(code)] += n
            with_status += n
        excluded = states.get("excluded", 0)
        skipped = states.get("skipped", 0)
        groups[Group.NOT_SENT] = excluded + skipped
        groups[Group.UNCONFIRMED] = states.get("unconfirmed", 0)
        groups[Group.FAILED] += states.get("rejected", 0)
        accepted = states.get("accepted", 0)
        # accepted without a status yet, queued and in flight: on their way
        groups[Group.PENDING] += (
            max(0, accepted - with_status) + states.get("queued", 0) + states.get("in_flight", 0)
        )
        return cls(
            total=counts.total,
            queued=states.get("queued", 0),
            in_flight=states.get("in_flight", 0),
            accepted=accepted,
            rejected=states.get("rejected", 0),
            unconfirmed=states.get("unconfirmed", 0),
            skipped=skipped,
            excluded=excluded,
            groups=groups,
        )

    @property
    def planned(self) -> int:
        """Recipients the campaign means to send to (the audience rules' exclusions out)."""
        return self.total - self.excluded

    @property
    def sent(self) -> int:
        """Requests that went out: accepted, refused, or with the answer lost."""
        return self.accepted + self.rejected + self.unconfirmed

    @property
    def waiting(self) -> int:
        return self.queued + self.in_flight

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "queued": self.queued,
            "in_flight": self.in_flight,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unconfirmed": self.unconfirmed,
            "skipped": self.skipped,
            "excluded": self.excluded,
            "sent": self.sent,
            "groups": {g.value: n for g, n in self.groups.items()},
        }

"""A campaign's counts over time, read back from the log: what the status chart shows for
a campaign reopened from History (the live chart samples the grid as statuses arrive;
this rebuilds the whole span afterwards).

Read through the log's public ``read_columns`` only: each recipient's state, last
status, when its request went out (``sent_at``) and when its last status came
(``status_at``). A recipient counts as pending until its last status arrived, then in
that status's group from that moment on; one that never reached the platform (excluded
by the audience rules, skipped, cancelled) is "not sent" from the start. Statuses a
recipient passed through on the way (delivered, then read) are not in these columns, so
the curve shows each recipient's last group from the moment it was reached; reading
every status event of one campaign needs a query the log does not offer yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from kupon_desktop.campaign.counts import Group, group_of

#: the chart's groups (the session's count groups), bottom to top
GROUPS = tuple(
    g.value
    for g in (
        Group.DELIVERED,
        Group.ENGAGED,
        Group.FAILED,
        Group.UNCONFIRMED,
        Group.NOT_SENT,
        Group.PENDING,
    )
)
#: samples in a rebuilt timeline
POINTS = 240


class TimelineLog(Protocol):
    def read_columns(self, campaign_id: str, columns: Any, *, keys: Any = None) -> Any: ...


@dataclass(frozen=True)
class Sample:
    at: datetime
    counts: dict[str, int]


def campaign_timeline(log: TimelineLog, campaign_id: str, points: int = POINTS) -> list[Sample]:
    """The counts per group at ``points`` moments from the first request to the last
    status (empty when nothing was sent)."""
    cols = log.read_columns(campaign_id, ["state", "status", "sent_at", "status_at"])
    states: list[str] = [str(s) for s in cols["state"]]
    total = len(states)
    if not total:
        return []
    groups = [
        group_of(state, None if status is None else int(status)).value
        for state, status in zip(states, cols["status"], strict=True)
    ]
    sent = [t for t in cols["sent_at"] if t is not None]
    if not sent:
        return []
    # the moment each recipient reached its group: its last status, or its request
    reached = np.array(
        [
            (s_at if s_at is not None else (sent_at if sent_at is not None else -1))
            for s_at, sent_at in zip(cols["status_at"], cols["sent_at"], strict=True)
        ],
        dtype=np.int64,
    )
    start = int(min(sent))
    end = int(max(int(reached.max()), start + 1))
    moments = np.linspace(start, end, max(2, points)).astype(np.int64)
    group_array = np.array(groups)
    out_counts: dict[str, np.ndarray] = {}
    for group in GROUPS:
        if group in ("pending", "not_sent"):
            continue
        times = np.sort(reached[(group_array == group) & (reached >= 0)])
        out_counts[group] = np.searchsorted(times, moments, side="right")
    not_sent = int(np.count_nonzero(group_array == "not_sent"))
    samples = []
    for i, moment in enumerate(moments.tolist()):
        counts = {g: int(v[i]) for g, v in out_counts.items()}
        counts["not_sent"] = not_sent
        counts["pending"] = total - sum(counts.values())
        samples.append(Sample(datetime.fromtimestamp(moment / 1000, UTC), counts))
    return samples

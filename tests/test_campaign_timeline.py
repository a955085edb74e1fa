"""A campaign's counts over time, rebuilt from a real log: what the chart shows for a
campaign reopened from History."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kupon_desktop.campaign.timeline import campaign_timeline
from kupon_desktop.store.log import open_log
from kupon_desktop.store.models import NewRecipient, NewStatusEvent
from kupon_desktop.vocabulary import STATUSES, StatusGroup

FAILED = next(s.code for s in STATUSES.values() if s.group is StatusGroup.FAILED and s.final)


@pytest.fixture
def log(tmp_path: Path):
    with open_log(tmp_path / "log.sqlite3") as log:
        yield log


def test_counts_over_time_follow_the_status_events(log):
    rows = [NewRecipient(f"7900{k:07d}", f"text {k}") for k in range(6)]
    cid = log.create_campaign({}, "sms", rows)
    assert campaign_timeline(log, cid) == []  # nothing sent yet
    log.mark_in_flight(cid, [0, 1, 2, 3])
    log.mark_accepted(cid, [(0, 100), (1, 101), (2, 102)])
    log.mark_unconfirmed(cid, [(3, "answer lost")])
    log.mark_skipped(cid, [4], "skipped by the user")
    start = datetime.now(UTC)
    log.append_status_events(
        [
            NewStatusEvent(100, 1, cid, 0, "", start + timedelta(minutes=1)),
            NewStatusEvent(101, FAILED, cid, 1, "", start + timedelta(minutes=2)),
            NewStatusEvent(102, 1, cid, 2, "", start + timedelta(minutes=3)),
        ]
    )
    log.apply_status_events()

    samples = campaign_timeline(log, cid, points=61)
    assert len(samples) == 61
    for s in samples:
        assert sum(s.counts.values()) == 6
        assert s.counts["not_sent"] == 1  # skipped: never "failed"
    first, last = samples[0].counts, samples[-1].counts
    assert first["delivered"] == first["failed"] == 0
    assert last == {
        "delivered": 2,
        "engaged": 0,
        "failed": 1,
        "unconfirmed": 1,
        "not_sent": 1,
        "pending": 1,
    }
    # halfway between the first and the second status: one delivered, none failed yet
    middle = min(
        samples, key=lambda s: abs((s.at - (start + timedelta(minutes=1.5))).total_seconds())
    )
    assert (middle.counts["delivered"], middle.counts["failed"]) == (1, 0)
    delivered = [s.counts["delivered"] for s in samples]
    assert delivered == sorted(delivered)
    assert samples[-1].at >= start + timedelta(minutes=3) - timedelta(seconds=1)

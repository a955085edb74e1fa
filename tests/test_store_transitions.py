"""Campaigns and the sending transitions: each batch committed (a second connection sees
it), moves only from the states that allow them, counters exact, attempts recorded, the
grid's change cursor, and crash recovery against a process killed with SIGKILL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest

from kupon_desktop.store import (
    CampaignBusy,
    CampaignState,
    Log,
    NewRecipient,
    RecipientState,
    open_log,
)

S = RecipientState


def _campaign(log: Log, n: int = 10, **kwargs: object) -> str:
    rows = [
        NewRecipient(f"7900{k:07d}", f"Hello {k}", k + 2, f"Name {k}", {"name": f"Name {k}"})
        for k in range(n)
    ]
    return log.create_campaign({"type": "sms", "text": "Hello {name}"}, "sms", rows, **kwargs)


@pytest.fixture
def log(log_target):
    with open_log(log_target) as log:
        yield log


def _states(log: Log, cid: str) -> dict[int, str]:
    return {r.key: r.state.value for r in log.iter_recipients(cid)}


def test_create_campaign_stores_everything(log: Log) -> None:
    when = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    rows = [
        NewRecipient(
            "79001234567", "Привет, Анна", 2, "Анна", {"name": "Анна", "city": "Москва"}, when
        ),
        NewRecipient("79007654321", "Привет, Олег", 3, "Олег", '{"name": "Олег"}'),
        NewRecipient("79005550000", "Привет", 4, excluded="stop list"),
    ]
    cid = log.create_campaign(
        {"type": "viber", "sender": "Shop"}, "viber", rows, name="Весна", kannel=True
    )
    c = log.campaign(cid)
    assert (c.name, c.type, c.state, c.kannel) == ("Весна", "viber", CampaignState.DRAFT, True)
    assert c.counts.total == 3
    assert c.counts.states[S.QUEUED] == 2 and c.counts.states[S.EXCLUDED] == 1
    assert log.campaign_draft(cid) == {"type": "viber", "sender": "Shop"}
    first, second, third = log.iter_recipients(cid)
    assert (first.key, first.row, first.address, first.name) == (0, 2, "79001234567", "Анна")
    assert first.fields == {"name": "Анна", "city": "Москва"}
    assert first.text == "Привет, Анна" and first.scheduled_at == when
    assert second.fields == {"name": "Олег"} and second.scheduled_at is None
    assert third.state is S.EXCLUDED and third.error == "stop list"
    assert [r.key for r in log.recipients_to_send(cid, 10)] == [0, 1]


def test_each_transition_is_committed_and_seen_by_another_connection(log: Log, log_target) -> None:
    cid = _campaign(log, 4)
    with open_log(log_target) as other:
        assert log.mark_in_flight(cid, [0, 1, 2, 3]) == [0, 1, 2, 3]
        assert set(_states(other, cid).values()) == {"in_flight"}
        log.mark_accepted(cid, [(0, 5001)])
        log.mark_rejected(cid, [(1, "Неверный номер")])
        log.mark_unconfirmed(cid, [(2, "timeout")])
        log.mark_not_sent(cid, [(3, "connection refused")])
        seen = {r.key: r for r in other.iter_recipients(cid)}
        assert (seen[0].state, seen[0].platform_id, seen[0].error) == (S.ACCEPTED, 5001, None)
        assert (seen[1].state, seen[1].error) == (S.REJECTED, "Неверный номер")
        assert (seen[2].state, seen[2].error) == (S.UNCONFIRMED, "timeout")
        assert (seen[3].state, seen[3].error) == (S.QUEUED, "connection refused")
        assert other.counts(cid).states == {
            S.QUEUED: 1,
            S.IN_FLIGHT: 0,
            S.ACCEPTED: 1,
            S.REJECTED: 1,
            S.UNCONFIRMED: 1,
            S.SKIPPED: 0,
            S.EXCLUDED: 0,
        }


def test_moves_only_from_the_states_that_allow_them(log: Log) -> None:
    cid = _campaign(log, 6)
    assert log.mark_unconfirmed(cid, [(0, "x")]) == []  # queued: nothing was out
    assert log.mark_accepted(cid, [(0, 1)]) == []
    assert log.mark_in_flight(cid, [0, 1, 2]) == [0, 1, 2]
    assert log.mark_in_flight(cid, [0, 1, 2, 3]) == [3]  # never out twice
    assert log.mark_accepted(cid, [(0, 100)]) == [0]
    assert log.mark_accepted(cid, [(0, 100)]) == []  # again: nothing to change
    assert log.mark_queued(cid, [0]) == []  # accepted is not resent in place
    assert log.mark_unconfirmed(cid, [(1, "timeout")]) == [1]
    assert log.mark_accepted(cid, [(1, 101)]) == [1]  # a late answer
    assert log.mark_unconfirmed(cid, [(2, "timeout")]) == [2]
    assert log.mark_skipped(cid, [2, 4]) == [2, 4]
    assert log.mark_queued(cid, [2]) == [2]  # the user's resend
    assert log.mark_excluded(cid, [(5, "stop list"), (2, "stop list")]) == [5, 2]
    assert log.mark_excluded(cid, [(0, "stop list")]) == []
    assert _states(log, cid) == {
        0: "accepted",
        1: "accepted",
        2: "excluded",
        3: "in_flight",
        4: "skipped",
        5: "excluded",
    }
    assert log.recipient(cid, 4).error == "skipped by the user"
    with pytest.raises(KeyError):
        log.mark_in_flight("00000000-0000-0000-0000-000000000000", [0])
    with pytest.raises(ValueError):
        log.mark_in_flight(cid, [-1])


def test_attempts_and_send_times_are_recorded(log: Log) -> None:
    cid = _campaign(log, 2)
    log.mark_in_flight(cid, [0, 1])
    log.mark_not_sent(cid, [(0, "503")])
    log.mark_in_flight(cid, [0])
    log.mark_accepted(cid, [(0, 777), (1, 778)])
    r0 = log.recipient(cid, 0)
    assert r0.attempts == 2 and r0.sent_at is not None and r0.changed_at == r0.sent_at
    history = log.send_attempts(cid, 0)
    assert [(a["outcome"], a["message"]) for a in history] == [
        ("not_sent", "503"),
        ("accepted", None),
    ]
    assert history[1]["platform_id"] == 777
    assert [a["outcome"] for a in log.send_attempts(cid, 1)] == ["accepted"]


def test_counters_stay_exact_through_random_work(log: Log) -> None:
    cid = _campaign(log, 300)
    rnd = random.Random(7)
    pid = 10_000
    for _ in range(120):
        keys = rnd.sample(range(300), rnd.randint(1, 40))
        op = rnd.choice(
            [
                "in_flight",
                "accepted",
                "rejected",
                "unconfirmed",
                "not_sent",
                "queued",
                "skipped",
                "excluded",
            ]
        )
        if op == "in_flight":
            log.mark_in_flight(cid, keys)
        elif op == "accepted":
            pid += len(keys)
            log.mark_accepted(cid, [(k, pid + i) for i, k in enumerate(keys)])
        elif op in ("queued", "skipped"):
            getattr(log, f"mark_{op}")(cid, keys)
        else:
            getattr(log, f"mark_{op}")(cid, [(k, op) for k in keys])
    kept = log.counts(cid)
    assert log.recount(cid) == kept
    assert kept.total == 300 == sum(kept.states.values())


def test_recipients_to_send_walks_forward_and_sweeps_again(log: Log) -> None:
    cid = _campaign(log, 10)
    seen: list[int] = []
    cursor = -1
    while batch := log.recipients_to_send(cid, 3, cursor):
        seen += [r.key for r in batch]
        log.mark_in_flight(cid, [r.key for r in batch])
        cursor = batch[-1].key
    assert seen == list(range(10))
    log.mark_not_sent(cid, [(4, "retry")])
    assert log.recipients_to_send(cid, 3, cursor) == []
    assert [r.key for r in log.recipients_to_send(cid, 3)] == [4]


def test_campaign_state_machine(log: Log) -> None:
    cid = _campaign(log, 1)
    log.set_campaign_state(cid, "running")
    started = log.campaign(cid).started_at
    assert started is not None
    log.set_campaign_state(cid, CampaignState.PAUSED, "insufficient funds")
    c = log.campaign(cid)
    assert (c.state, c.state_reason) == (CampaignState.PAUSED, "insufficient funds")
    log.set_campaign_state(cid, "running")
    assert log.campaign(cid).started_at == started
    log.set_campaign_state(cid, "finished")
    assert log.campaign(cid).finished_at is not None
    log.set_campaign_state(cid, "running")  # a resend after the end
    log.set_campaign_state(cid, "cancelled")
    with pytest.raises(ValueError, match="cancelled"):
        log.set_campaign_state(cid, "running")
    with pytest.raises(ValueError):
        log.set_campaign_state(cid, "bogus")


def test_history_lists_newest_first_with_counts(log: Log) -> None:
    first = _campaign(log, 3)
    second = _campaign(log, 5)
    log.mark_in_flight(second, [0])
    listed = log.list_campaigns()
    assert [c.id for c in listed] == [second, first]
    assert listed[0].counts.states[S.IN_FLIGHT] == 1 and listed[1].counts.total == 3


def test_change_cursor_reports_only_what_changed_since(log: Log) -> None:
    cid = _campaign(log, 10)
    other = _campaign(log, 10)
    cursor = log.change_cursor()
    assert log.changed_recipients_since(cid, cursor).keys == []
    log.mark_in_flight(cid, [3, 1])
    log.mark_in_flight(other, [5])
    ch = log.changed_recipients_since(cid, cursor)
    assert (ch.keys, ch.reset) == ([1, 3], False)
    assert log.changed_recipients_since(other, cursor).keys == [5]
    log.mark_accepted(cid, [(1, 42)])
    assert log.changed_recipients_since(cid, ch.cursor).keys == [1]
    assert log.changed_recipients_since(cid, log.change_cursor()).keys == []
    assert log.changed_recipients_since(cid, 10**9).reset  # a cursor from another log


def test_read_columns_for_the_grid(log: Log) -> None:
    cid = _campaign(log, 5)
    log.mark_in_flight(cid, [1])
    log.mark_accepted(cid, [(1, 9)])
    cols = log.read_columns(cid, ["key", "address", "state", "platform_id", "sent_at"])
    assert cols["key"] == [0, 1, 2, 3, 4]
    assert cols["state"] == ["queued", "accepted", "queued", "queued", "queued"]
    assert cols["platform_id"] == [None, 9, None, None, None]
    assert isinstance(cols["sent_at"][1], int)
    assert log.read_columns(cid, ["key", "state"], keys=[4, 1]) == {
        "key": [1, 4],
        "state": ["accepted", "queued"],
    }
    with pytest.raises(ValueError, match="unknown recipient columns"):
        log.read_columns(cid, ["password"])


def test_a_live_claim_blocks_recovery_and_a_second_sender(log: Log) -> None:
    cid = _campaign(log, 3)
    with log.claim_campaign(cid):
        log.set_campaign_state(cid, "running")
        log.mark_in_flight(cid, [0])
        with pytest.raises(CampaignBusy):
            log.claim_campaign(cid)
        assert log.recover_interrupted() == []
        assert log.campaign(cid).state is CampaignState.RUNNING
    # the sender let go without finishing (it stopped): now it is recovered
    [recovered] = log.recover_interrupted()
    assert recovered.state is CampaignState.INTERRUPTED
    assert _states(log, cid)[0] == "unconfirmed"


_CHILD = textwrap.dedent("""
    import sys
    from kupon_desktop.store import open_log
    log = open_log(sys.argv[1])
    cid = sys.argv[2]
    claim = log.claim_campaign(cid)
    log.set_campaign_state(cid, "running")
    log.mark_in_flight(cid, [0, 1, 2])
    log.mark_accepted(cid, [(0, 500)])
    print("sending", flush=True)
    sys.stdin.read()  # holds the claim until killed
""")


def test_recovery_after_the_sender_is_killed(log_target) -> None:
    path = log_target
    with open_log(path) as log:
        cid = _campaign(log, 5)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), cid],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "sending"
        with open_log(path) as log:
            assert log.recover_interrupted() == []  # alive: left alone
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
    with open_log(path) as log:
        [recovered] = log.recover_interrupted()
        assert recovered.id == cid and recovered.state is CampaignState.INTERRUPTED
        assert recovered.state_reason
        assert _states(log, cid) == {
            0: "accepted",
            1: "unconfirmed",
            2: "unconfirmed",
            3: "queued",
            4: "queued",
        }
        assert [a["outcome"] for a in log.send_attempts(cid, 1)] == ["interrupted"]
        assert log.counts(cid) == log.recount(cid)
        assert log.recover_interrupted() == []  # once only
        # resuming sends only the queued ones, never the unconfirmed
        log.set_campaign_state(cid, "running")
        assert [r.key for r in log.recipients_to_send(cid, 10)] == [3, 4]


def test_times_are_aware_utc(log: Log) -> None:
    cid = _campaign(log, 1)
    c = log.campaign(cid)
    assert c.created_at.tzinfo is not None
    assert abs(c.created_at - datetime.now(UTC)) < timedelta(minutes=1)

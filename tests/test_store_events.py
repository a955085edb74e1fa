"""Status events: stored as received, matched to recipients by campaign and key or by
platform id, applied by the rules (never backwards, duplicates harmless, unknown codes
kept, Kannel translated, events before their id is known kept until it is)."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kupon_desktop.receiver.codes import store_code_tables
from kupon_desktop.store import (
    Log,
    NewRecipient,
    NewStatusEvent,
    RecipientState,
    open_log,
)
from kupon_desktop.store.connection import pack_keys
from kupon_desktop.vocabulary import advances
from tests.threadhelpers import run_at_once

S = RecipientState
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def log(log_target):
    with open_log(log_target) as log:
        yield log


def _campaign(log: Log, n: int = 5, *, kannel: bool = False) -> str:
    rows = [NewRecipient(f"7900{k:07d}", f"text {k}") for k in range(n)]
    return log.create_campaign({}, "sms", rows, kannel=kannel)


def _sent(log: Log, cid: str, pids: dict[int, int]) -> None:
    log.mark_in_flight(cid, list(pids))
    log.mark_accepted(cid, list(pids.items()))


def ev(
    pid: int, code: int, cid: str | None = None, key: int | None = None, minute: int = 0
) -> NewStatusEvent:
    return NewStatusEvent(
        pid,
        code,
        cid,
        key,
        f"GET /callback/***?id={pid}&status={code}",
        T0 + timedelta(minutes=minute),
    )


def _status(log: Log, cid: str, key: int) -> tuple[str, int | None, int | None]:
    r = log.recipient(cid, key)
    return r.state.value, r.platform_id, r.status


def test_events_are_stored_as_received_and_read_by_cursor(log: Log) -> None:
    cid = _campaign(log)
    assert log.event_cursor() == 0
    last = log.append_status_events([ev(1, 0, cid, 0), ev(2, 1, minute=1)])
    assert last == 2 == log.event_cursor()
    first, second = log.events_after(0)
    assert (
        first.seq,
        first.campaign,
        first.recipient,
        first.platform_id,
        first.code,
        first.status,
    ) == (1, cid, 0, 1, 0, 0)
    assert first.received_at == T0 and first.raw == "GET /callback/***?id=1&status=0"
    assert (second.campaign, second.status) == (None, None)  # mode unknown until matched
    assert log.events_after(1) == [second]
    assert log.events_after(2) == []
    assert log.append_status_events([]) == 2
    assert second.as_json()["received_at"].startswith("2026-05-01T12:01:00")
    # in the order given, whichever way each is matched: tied to a recipient, by id
    # only, a key the campaign does not have, a campaign of another log
    other = "7d1f0e2a-0000-4000-8000-000000000000"
    mixed = [
        ev(3, 1, cid, 1),
        ev(4, 1),
        ev(5, 1, cid, 99),
        ev(6, 1, other, 0),
        ev(7, 2, cid, 2),
        ev(8, 2, cid, 3),
    ]
    assert log.append_status_events(mixed) == 8
    assert [
        (e.seq, e.platform_id, e.campaign, e.recipient, e.status) for e in log.events_after(2)
    ] == [
        (3, 3, cid, 1, 1),
        (4, 4, None, None, None),
        (5, 5, cid, 99, 1),
        (6, 6, other, 0, None),
        (7, 7, cid, 2, 2),
        (8, 8, cid, 3, 2),
    ]


def test_a_status_moves_forward_never_back(log: Log) -> None:
    cid = _campaign(log)
    _sent(log, cid, {0: 100, 1: 101})
    log.append_status_events([ev(100, 0, cid, 0), ev(100, 1, cid, 0, 1)])
    log.apply_status_events()
    assert _status(log, cid, 0) == ("accepted", 100, 1)
    log.append_status_events([ev(100, 0, cid, 0, 2)])  # late and lower: ignored
    assert log.apply_status_events().changed == 0
    assert _status(log, cid, 0)[2] == 1
    log.append_status_events([ev(100, 2, cid, 0, 3), ev(100, 4, cid, 0, 4)])
    log.apply_status_events()
    assert _status(log, cid, 0)[2] == 4
    assert log.recipient(cid, 0).status_at == T0 + timedelta(minutes=4)


def test_out_of_order_in_one_batch_keeps_the_highest(log: Log) -> None:
    cid = _campaign(log)
    _sent(log, cid, {0: 100})
    log.append_status_events([ev(100, 2, cid, 0, 5), ev(100, 0, cid, 0, 6), ev(100, 1, cid, 0, 7)])
    applied = log.apply_status_events()
    assert (applied.events, applied.changed) == (3, 1)
    r = log.recipient(cid, 0)
    assert (r.status, r.status_at) == (2, T0 + timedelta(minutes=5))
    assert log.counts(cid).statuses == {2: 1}


def test_duplicates_are_harmless(log: Log) -> None:
    cid = _campaign(log)
    _sent(log, cid, {0: 100})
    for _ in range(3):  # the platform's retries
        log.append_status_events([ev(100, 1, cid, 0), ev(100, 1, cid, 0)])
        log.apply_status_events()
    r = log.recipient(cid, 0)
    assert (r.status, r.status_at) == (1, T0)
    assert log.counts(cid).statuses == {1: 1}
    assert log.counts(cid) == log.recount(cid)


def test_an_undocumented_code_is_kept(log: Log) -> None:
    cid = _campaign(log)
    _sent(log, cid, {0: 100, 1: 101})
    log.append_status_events([ev(100, 77, cid, 0), ev(101, 0, cid, 1), ev(101, 77, cid, 1)])
    log.apply_status_events()
    r = log.recipient(cid, 0)
    assert r.status == 77 and r.status_info is not None
    assert r.status_info.label_en == "Unknown status 77"
    assert _status(log, cid, 1)[2] == 77  # ranked above "sent to the operator"
    log.append_status_events([ev(100, 1, cid, 0)])  # delivered ranks higher still
    log.apply_status_events()
    assert _status(log, cid, 0)[2] == 1


def test_kannel_codes_are_translated_for_kannel_campaigns_only(log: Log) -> None:
    store_code_tables(log)  # as the receiver does when it starts
    kannel = _campaign(log, kannel=True)
    plain = _campaign(log)
    _sent(log, kannel, {0: 200, 1: 201, 2: 202})
    _sent(log, plain, {0: 300})
    log.append_status_events(
        [
            ev(200, 1, kannel, 0),  # delivered to phone -> 1
            ev(201, 16, kannel, 1),  # non-delivered to SMSC -> 20
            ev(202, 3, kannel, 2),  # not a Kannel code: kept
            ev(300, 2, plain, 0),  # a platform code: read
        ]
    )
    stored = [e.status for e in log.events_after(0)]
    assert stored == [1, 20, 3, 2]
    log.apply_status_events()
    assert [_status(log, kannel, k)[2] for k in range(3)] == [1, 20, 3]
    assert _status(log, plain, 0)[2] == 2


def test_kannel_code_matched_by_id_only_is_translated_when_applied(log: Log) -> None:
    store_code_tables(log)
    cid = _campaign(log, kannel=True)
    _sent(log, cid, {0: 200})
    log.append_status_events([ev(200, 8)])  # no campaign in the URL: mode unknown
    assert log.events_after(0)[0].status is None
    log.apply_status_events()
    assert _status(log, cid, 0)[2] == 0  # Kannel 8 (delivered to SMSC) -> 0


def test_an_event_before_its_id_is_known_waits_then_applies(log: Log) -> None:
    cid = _campaign(log)
    log.mark_in_flight(cid, [0, 1])
    # the callback overtakes the answer to the send
    log.append_status_events([ev(900, 1, minute=1), ev(901, 2, minute=1)])
    applied = log.apply_status_events()
    assert (applied.changed, applied.pending) == (0, 2)
    assert _status(log, cid, 0) == ("in_flight", None, None)
    log.mark_accepted(cid, [(0, 900)])  # the id becomes known: applied at once
    assert _status(log, cid, 0) == ("accepted", 900, 1)
    assert log.pending_count() == 1
    assert log.changed_recipients_since(cid, 0).keys == [0, 1]
    assert log.counts(cid) == log.recount(cid)


def test_an_id_learned_from_a_keyed_event_frees_waiting_events(log: Log) -> None:
    cid = _campaign(log)
    log.mark_in_flight(cid, [0])
    log.mark_unconfirmed(cid, [(0, "no answer")])
    log.append_status_events([ev(950, 2, minute=3)])  # by id only: nobody has it yet
    assert log.apply_status_events().pending == 1
    log.append_status_events([ev(950, 0, cid, 0, minute=1)])  # names the recipient
    applied = log.apply_status_events()
    assert applied.pending == 0
    r = log.recipient(cid, 0)
    assert (r.state, r.platform_id, r.status, r.error) == (S.ACCEPTED, 950, 2, None)


def test_an_unconfirmed_recipient_becomes_accepted_by_its_callback(log: Log) -> None:
    cid = _campaign(log)
    log.mark_in_flight(cid, [0, 1])
    log.mark_unconfirmed(cid, [(0, "timeout"), (1, "timeout")])
    log.append_status_events([ev(4242, 1, cid, 0)])
    applied = log.apply_status_events()
    assert applied.changed == 1 and applied.new_statuses == {cid: {1: 1}}
    assert _status(log, cid, 0) == ("accepted", 4242, 1)
    assert log.recipient(cid, 0).error is None
    counts = log.counts(cid)
    assert counts.states[S.ACCEPTED] == 1 and counts.states[S.UNCONFIRMED] == 1
    assert counts == log.recount(cid)


def test_a_queued_recipient_with_a_callback_is_never_sent_again(log: Log) -> None:
    cid = _campaign(log)
    log.mark_in_flight(cid, [0])
    log.mark_unconfirmed(cid, [(0, "timeout")])
    log.mark_queued(cid, [0])  # the user asked to resend…
    log.append_status_events([ev(31, 1, cid, 0)])  # …but the first one was delivered
    log.apply_status_events()
    assert _status(log, cid, 0) == ("accepted", 31, 1)
    assert log.mark_in_flight(cid, [0]) == []


def test_an_excluded_recipient_keeps_its_state(log: Log) -> None:
    cid = log.create_campaign({}, "sms", [NewRecipient("79001234567", "x", excluded="stop list")])
    log.append_status_events([ev(5, 1, cid, 0)])
    log.apply_status_events()
    assert _status(log, cid, 0) == ("excluded", 5, 1)


def test_events_for_other_campaigns_or_keys_wait_without_harm(log: Log) -> None:
    cid = _campaign(log, 2)
    stranger = "11111111-2222-3333-4444-555555555555"
    log.append_status_events([ev(1, 1, stranger, 0), ev(2, 1, cid, 99)])
    applied = log.apply_status_events()
    assert (applied.events, applied.changed, applied.pending) == (2, 0, 2)
    assert log.apply_status_events().events == 0  # applied once
    assert log.applied_cursor() == log.event_cursor() == 2


def test_insufficient_funds_is_reported_per_campaign(log: Log) -> None:
    cid = _campaign(log)
    _sent(log, cid, {0: 1, 1: 2})
    log.append_status_events([ev(1, 24, cid, 0), ev(2, 1, cid, 1)])
    assert log.apply_status_events().new_statuses == {cid: {1: 1, 24: 1}}


def test_random_streams_match_the_sequential_rules(make_log_target) -> None:
    """Events in random order and random batches end where applying them one by one with
    ``advances`` ends. (One code per rank: between two codes of equal rank the first
    applied stays, and an event waiting for its id is applied late by design.)"""
    rnd = random.Random(2024)
    codes = [-4, -1, 0, 77, 20, 1, 2, 4]
    for round_ in range(12):
        with open_log(make_log_target(f"r{round_}")) as log:
            n = 40
            cid = _campaign(log, n)
            _sent(log, cid, {k: 1000 + k for k in range(0, n, 2)})  # the odd ones: no id
            events = [
                ev(
                    1000 + k,
                    rnd.choice(codes),
                    cid if rnd.random() < 0.7 else None,
                    k if rnd.random() < 0.9 else None,
                    minute=i,
                )
                for i, k in enumerate(rnd.choices(range(n), k=300))
            ]
            # which recipient an event reaches in the end: by key, else by an id that
            # sending or a keyed event made known
            known = {1000 + k for k in range(0, n, 2)}
            known |= {e.platform_id for e in events if e.campaign and e.recipient is not None}
            expected: dict[int, int | None] = dict.fromkeys(range(n))
            for e in events:
                if (e.campaign and e.recipient is not None) or e.platform_id in known:
                    key = e.platform_id - 1000
                    if advances(expected[key], e.code):
                        expected[key] = e.code
            i = 0
            while i < len(events):
                step = rnd.randint(1, 60)
                log.append_status_events(events[i : i + step])
                if rnd.random() < 0.6:
                    log.apply_status_events(batch_size=rnd.randint(1, 80))
                i += step
            log.apply_status_events()
            got = {r.key: r.status for r in log.iter_recipients(cid)}
            assert got == expected, round_
            assert log.counts(cid) == log.recount(cid)
            waiting = sum(
                1
                for e in events
                if not (e.campaign and e.recipient is not None) and e.platform_id not in known
            )
            assert log.pending_count() == waiting


def test_applying_from_two_threads_at_once_counts_each_event_once(log_target) -> None:
    path = log_target
    with open_log(path) as log:
        cid = _campaign(log, 500)
        _sent(log, cid, {k: 10_000 + k for k in range(500)})
        log.append_status_events([ev(10_000 + k, c, cid, k) for c in (0, 1, 2) for k in range(500)])

    def apply() -> None:
        with open_log(path) as own:
            own.apply_status_events(batch_size=100)

    errors = run_at_once(apply, 2)
    assert not errors
    with open_log(path) as log:
        assert log.counts(cid).statuses == {2: 500}
        assert log.counts(cid) == log.recount(cid)


def _mirror_apply(mirror: dict[str, list[Any]], update: dict[str, Any]) -> None:
    """What the grid does with one of ``poll_changes``' dicts: set the given columns of
    the given keys (NaN meaning "none"), leave the others."""
    for i, key in enumerate(update["key"]):
        for name, values in update.items():
            if name != "key":
                value = values[i]
                if isinstance(value, float) and math.isnan(value):
                    value = None
                mirror[name][int(key)] = (
                    None if value is None else (value if isinstance(value, str) else int(value))
                )


def test_the_polls_changes_keep_a_mirror_equal_to_the_log(log_target) -> None:
    """The grid's view of a campaign, built from one load and then only from what
    ``poll_changes`` returns, equals the log after every poll: events by key and by id,
    duplicates and late lower ranks, unconfirmed rows learning their id, a second
    campaign's events in the same batches, and the engine changing rows in between."""
    rnd = random.Random(7)
    columns = ("state", "status", "platform_id", "error", "status_at", "sent_at")
    with open_log(log_target) as log:
        n = 300
        cid, other = _campaign(log, n), _campaign(log, 50)
        _sent(log, other, {k: 90_000 + k for k in range(50)})
        log.mark_in_flight(cid, list(range(n)))
        log.mark_accepted(cid, [(k, 1000 + k) for k in range(0, n, 3)])
        cursor = log.change_cursor()
        mirror = log.read_columns(cid, columns)
        log.mark_unconfirmed(cid, [(k, "no answer") for k in range(1, n, 3)])
        log.mark_rejected(cid, [(k, "ошибка") for k in range(2, n, 3)])
        # rows the platform has (an id) in another state and with an error: a status
        # makes them accepted and clears the error without teaching them an id
        with log._write() as conn:
            conn.execute(
                "UPDATE deliveries SET state = 'rejected', error = 'отклонено' "
                "WHERE rid >> 32 = (SELECT num FROM campaigns WHERE id = ?) "
                "AND (rid & 4294967295) % 9 = 0",
                (cid,),
            )
            conn.execute(
                "INSERT INTO changes (at, campaign, keys) SELECT 0, num, ? "
                "FROM campaigns WHERE id = ?",
                (pack_keys(range(0, n, 9)), cid),
            )
        log.recount(cid)  # the counters, after changing rows behind the log's back
        codes = [-1, 0, 1, 2, 4, 20, 77]
        for round_ in range(25):
            batch = []
            for _ in range(rnd.randint(1, 80)):
                k = rnd.randrange(n)
                keyed = rnd.random() < 0.8
                batch.append(
                    ev(
                        1000 + k,
                        rnd.choice(codes),
                        cid if keyed else None,
                        k if keyed else None,
                        minute=round_,
                    )
                )
            batch += [ev(90_000 + k, rnd.choice(codes), other, k) for k in range(0, 50, 7)]
            rnd.shuffle(batch)
            log.append_status_events(batch)
            if round_ % 5 == 2:  # the user moves rows too: read by the change cursor
                log.mark_skipped(cid, range(1, n, 12))
                log.mark_queued(cid, range(round_ % 3, n, 7))
            polled = log.poll_changes(cid, cursor, columns)
            assert not polled.reset
            cursor = polled.cursor
            for update in polled.updates:
                assert set(update) <= {"key", *columns}
                _mirror_apply(mirror, update)
            assert mirror == log.read_columns(cid, columns), round_
        assert log.counts(cid) == log.recount(cid)
        assert log.counts(other) == log.recount(other)


def test_the_apply_searches_rows_by_key_and_never_reads_the_whole_table(tmp_path: Path) -> None:
    """SQLite only (its query plan). The UPDATE walks the batch's winners and looks each
    row up; the other plan SQLite may pick reads every row of every campaign once per
    batch (10 s instead of 0.7 s for a million events, measured for issue 9)."""
    from kupon_desktop.store import apply

    with open_log(tmp_path / "log.sqlite3") as log:
        conn = log._conn
        conn.execute(apply._SETUP)
        plan = " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + apply._UPDATE))
        keyed = " / ".join(
            row[3]
            for row in conn.execute(
                "EXPLAIN QUERY PLAN " + apply._KEYED.format(source="e.seq > ? AND e.seq <= ?"),
                (0, 10),
            )
        )
    assert "SCAN b" in plan and "SEARCH deliveries USING INTEGER PRIMARY KEY" in plan, plan
    assert "SCAN deliveries" not in plan, plan
    assert "SEARCH e USING INTEGER PRIMARY KEY" in keyed and "SCAN d" not in keyed, keyed


def test_a_state_the_program_does_not_know_still_counts_right(log: Log) -> None:
    """A row in a state outside ``RecipientState`` (only a file edited by hand, or one
    from a future version, can hold one) becomes accepted by its status like any other,
    and the counters move it out of its state's counter."""
    cid = _campaign(log, 4)
    _sent(log, cid, {k: 500 + k for k in range(4)})
    with log._write() as conn:
        conn.execute("UPDATE deliveries SET state = 'on_hold' WHERE rid & 4294967295 IN (1, 3)")
        conn.execute(
            "INSERT INTO counts VALUES ((SELECT num FROM campaigns WHERE id = ?), "
            "'state:on_hold', 2), ((SELECT num FROM campaigns WHERE id = ?), "
            "'state:accepted', -2) ON CONFLICT (campaign, name) "
            "DO UPDATE SET n = counts.n + excluded.n",
            (cid, cid),
        )
    log.append_status_events([ev(500 + k, 1, cid, k) for k in range(4)])
    applied = log.apply_status_events()
    assert applied.changed == 4 and applied.new_statuses == {cid: {1: 4}}
    assert [_status(log, cid, k)[0] for k in range(4)] == ["accepted"] * 4
    counts = {name: n for _, name, n in log._conn.execute("SELECT * FROM counts")}
    assert counts["state:on_hold"] == 0 and counts["state:accepted"] == 4
    assert counts["status:1"] == 4


def test_the_log_applies_the_kannel_table_it_holds_and_knows_none_itself(log: Log) -> None:
    """The table is the wire's (api/), stored by the receiver; the log only applies it."""
    import kupon_desktop.store.apply as apply_module
    import kupon_desktop.store.events as events_module

    assert not hasattr(apply_module, "KANNEL_TO_STATUS")
    assert not hasattr(events_module, "KANNEL_TO_STATUS")
    cid = _campaign(log, kannel=True)
    _sent(log, cid, {0: 300, 1: 301})
    log.append_status_events([ev(300, 16, cid, 0)])  # no table yet: kept as received
    log.set_kannel_codes({16: 20, 77: 1})
    log.append_status_events([ev(301, 77, cid, 1)])
    log.apply_status_events()
    assert [_status(log, cid, k)[2] for k in range(2)] == [16, 1]
    assert log.kannel_codes() == {16: 20, 77: 1}

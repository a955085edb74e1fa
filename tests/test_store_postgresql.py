"""The log on PostgreSQL, where it differs from a file: the same versioned migrations in
a database, the write lock and its timeout, a server that does not answer, claims held by
a session's advisory lock between two processes, and the SQL translation itself. The
store's behaviour is proved on both backends by the other ``test_store_*`` files (their
``log_target`` fixture); these need a real PostgreSQL (a throwaway cluster,
``tests/pgcluster.py``) and skip with the reason without one."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import textwrap

import pytest

from kupon_desktop.store import (
    CampaignBusy,
    LogError,
    LogLocked,
    LogReadOnly,
    LogTooNew,
    NewRecipient,
    open_log,
)
from kupon_desktop.store.connection import now_ms
from kupon_desktop.store.pg import WRITE_LOCK, translate
from kupon_desktop.store.schema import LATEST_VERSION, MIGRATIONS
from tests.threadhelpers import run_at_once

TABLES = {
    "meta",
    "campaigns",
    "recipients",
    "deliveries",
    "send_attempts",
    "status_events",
    "pending_events",
    "changes",
    "counts",
    "stop_list",
    "claims",
    "migrations",
    "base_contacts",
    "base_consent",
}


def _raw(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _tables(url: str) -> set[str]:
    with _raw(url) as raw:
        return {
            name
            for (name,) in raw.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }


def test_a_new_database_is_migrated_by_the_same_steps_once(pg_url: str) -> None:
    with open_log(pg_url) as log:
        cid = log.create_campaign({"type": "sms"}, "sms", [NewRecipient("79001234567", "hi")])
    assert _tables(pg_url) >= TABLES
    with open_log(pg_url) as log:
        assert log.campaign(cid).counts.total == 1
    with _raw(pg_url) as raw:
        versions = [v for (v,) in raw.execute("SELECT version FROM migrations ORDER BY 1")]
        # 64-bit keys: campaign number << 32 | key
        rid_type = raw.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'deliveries' AND column_name = 'rid'"
        ).fetchone()[0]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    assert rid_type == "bigint"


def test_many_first_opens_at_once_migrate_once(pg_url: str) -> None:
    def open_it() -> None:
        with open_log(pg_url) as log:
            log.receiver_secret()

    assert run_at_once(open_it, 4) == []
    with _raw(pg_url) as raw:
        assert raw.execute("SELECT count(*) FROM migrations").fetchone()[0] == LATEST_VERSION
        assert (
            raw.execute("SELECT count(*) FROM meta WHERE key = 'receiver_secret'").fetchone()[0]
            == 1
        )


def test_a_database_from_a_newer_program_is_refused(pg_url: str) -> None:
    with open_log(pg_url):
        pass
    with _raw(pg_url) as raw:
        raw.execute("INSERT INTO migrations VALUES (%s, 0, '99')", (LATEST_VERSION + 1,))
    with pytest.raises(LogTooNew, match="newer version"):
        open_log(pg_url)


def test_another_programs_database_is_not_taken_over(pg_url: str) -> None:
    with _raw(pg_url) as raw:
        raw.execute("CREATE TABLE invoices (id integer)")
    with pytest.raises(LogError, match="another program"):
        open_log(pg_url)
    assert _tables(pg_url) == {"invoices"}


def test_a_held_write_lock_is_log_locked_and_nothing_is_half_written(pg_url: str) -> None:
    with open_log(pg_url):
        pass
    other = _raw(pg_url)
    other.execute(f"SELECT pg_advisory_lock({WRITE_LOCK})")  # another writer, mid-way
    try:
        with open_log(pg_url, busy_timeout=0.2) as log:
            assert log.list_campaigns() == []  # readers still read
            with pytest.raises(LogLocked) as caught:
                log.create_campaign({}, "sms", [NewRecipient("79001234567", "hi")])
            assert "busy" in str(caught.value) and "занят" in caught.value.message_ru
            other.execute(f"SELECT pg_advisory_unlock({WRITE_LOCK})")
            assert log.list_campaigns() == []  # nothing half-written
            log.create_campaign({}, "sms", [NewRecipient("79001234567", "hi")])
    finally:
        other.close()


def test_a_read_only_open_refuses_writes(pg_url: str) -> None:
    with open_log(pg_url) as log:
        cid = log.create_campaign({}, "sms", [NewRecipient("79001234567", "hi")])
    with open_log(pg_url, readonly=True) as log:
        assert log.campaign(cid).counts.total == 1
        with pytest.raises(LogReadOnly):
            log.mark_in_flight(cid, [0])


def test_a_server_that_does_not_answer_is_a_clear_error_without_the_password() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nobody listens there
    url = f"postgresql://kupon:s3cret-pw@127.0.0.1:{port}/team"
    with pytest.raises(LogError) as caught:
        open_log(url)
    text = f"{caught.value} {caught.value.message_ru}"
    assert "s3cret-pw" not in text
    assert f"postgresql://kupon:***@127.0.0.1:{port}/team" in text
    assert "database server" in text


_HOLDER = textwrap.dedent("""
    import sys
    from kupon_desktop.store import open_log
    log = open_log(sys.argv[1])
    cid = sys.argv[2]
    claim = log.claim_campaign(cid)
    log.set_campaign_state(cid, "running")
    log.mark_in_flight(cid, [0, 1])
    print("claimed", flush=True)
    sys.stdin.read()  # holds the claim until killed
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_claim_of_another_process_is_refused_and_free_the_moment_it_dies(pg_url: str) -> None:
    """Two desks on one server: the second is refused while the first's session holds
    the campaign; killed, its session ends and the campaign is free at once, though its
    row's heartbeat is fresh."""
    with open_log(pg_url) as log:
        cid = log.create_campaign(
            {}, "sms", [NewRecipient(f"7900{k:07d}", f"t{k}") for k in range(5)]
        )
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, pg_url, cid],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "claimed"
        with open_log(pg_url) as log:
            with pytest.raises(CampaignBusy, match=f"pid {child.pid}"):
                log.claim_campaign(cid)
            assert log.recover_interrupted() == []
            with pytest.raises(CampaignBusy):
                log.mark_in_flight(cid, [2])
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=30)
    with open_log(pg_url) as log:
        # the server notices the closed socket: wait for it, not for a heartbeat
        heartbeat = log._query("SELECT heartbeat FROM claims")[0][0]
        assert now_ms() - heartbeat < 60_000
        [recovered] = log.recover_interrupted()
        assert recovered.id == cid
        with log.claim_campaign(cid):
            assert log.mark_in_flight(cid, [2]) == [2]
        assert log.counts(cid).as_dict()["unconfirmed"] == 2


def test_the_translation_keeps_literals_and_comments_apart() -> None:
    sql = (
        "SELECT '?', 'it''s 100%', x FROM t -- the user's note?\n"
        "WHERE a = ? AND b = :at AND c IN (SELECT value FROM json_each(?))"
    )
    assert translate(sql) == (
        "SELECT '?', 'it''s 100%%', x FROM t \n"
        "WHERE a = %s AND b = %(at)s AND c IN (SELECT value::bigint AS value FROM "
        "jsonb_array_elements_text(%s::jsonb) AS value)"
    )
    assert translate("INSERT OR IGNORE INTO t VALUES (?) RETURNING id") == (
        "INSERT INTO t VALUES (%s) ON CONFLICT DO NOTHING RETURNING id"
    )
    assert translate("CREATE TABLE t (n INTEGER PRIMARY KEY, b BLOB) WITHOUT ROWID") == (
        "CREATE TABLE t (n BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b BYTEA)"
    )
    assert translate("SELECT group_concat(f(a, b) * 2) FROM temp.x") == (
        "SELECT string_agg((f(a, b) * 2)::text, ',') FROM pg_temp.x"
    )


def test_a_server_restart_fails_one_call_and_the_log_goes_on_holding_its_claim(
    pg_cluster, pg_url: str
) -> None:
    """The server restarts mid-campaign: the call that meets the dropped connection is a
    LogError (nothing half-written: the transaction died with the session); the next
    call runs on a new connection, and the campaign's claim is held again."""
    with open_log(pg_url) as log, open_log(pg_url) as other:
        cid = log.create_campaign(
            {}, "sms", [NewRecipient(f"7900{k:07d}", f"t{k}") for k in range(4)]
        )
        with log.claim_campaign(cid):
            assert log.mark_in_flight(cid, [0]) == [0]
            if not pg_cluster.restart():
                pytest.skip("KUPON_TEST_DATABASE's server is not ours to restart")
            with pytest.raises(LogError, match="database server"):
                log.mark_in_flight(cid, [1])
            assert log.mark_in_flight(cid, [1]) == [1]
            with pytest.raises(LogError):
                other.campaign(cid)  # its connection was dropped too
            with pytest.raises(CampaignBusy):
                other.claim_campaign(cid)
            assert log.counts(cid).as_dict()["in_flight"] == 2

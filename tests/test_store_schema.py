"""The log file itself: creation and migrations, WAL, durability settings, and the named
failures (locked, full, read-only, damaged, too new), all on real SQLite files (SQLite
only by nature; the same for PostgreSQL is in test_store_postgresql.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kupon_desktop.store import (
    DiskFull,
    LogCorrupt,
    LogError,
    LogLocked,
    LogReadOnly,
    LogTooNew,
    NewRecipient,
    open_log,
)
from kupon_desktop.store.errors import translate_error
from kupon_desktop.store.schema import HISTORY_TABLE, LATEST_VERSION, MIGRATIONS
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
    "migrations",
}


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_a_new_file_is_created_and_migrated_from_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "log.sqlite3"
    with open_log(path):
        pass
    raw = _raw(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_schema WHERE type='table'")}
        assert tables >= TABLES
        history = raw.execute("SELECT version FROM migrations ORDER BY version").fetchall()
        assert [v for (v,) in history] == list(range(1, len(MIGRATIONS) + 1))
    finally:
        raw.close()


def test_an_empty_existing_file_becomes_a_log(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    path.write_bytes(b"")
    with open_log(path) as log:
        assert log.list_campaigns() == []


def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with open_log(path) as log:
        cid = log.create_campaign({"type": "sms"}, "sms", [NewRecipient("79001234567", "hi")])
    with open_log(path) as log:
        assert log.campaign(cid).counts.total == 1
    raw = _raw(path)
    try:
        assert raw.execute("SELECT count(*) FROM migrations").fetchone()[0] == LATEST_VERSION
    finally:
        raw.close()


def test_durability_settings(tmp_path: Path) -> None:
    with open_log(tmp_path / "log.sqlite3", busy_timeout=3.0) as log:
        conn = log._conn
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 3000
        cid = log.create_campaign({}, "sms", [NewRecipient("79001234567", "hi")])
        # a durable commit (FULL) goes back to NORMAL afterwards
        assert log.mark_in_flight(cid, [0]) == [0]
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1


def test_the_wal_is_copied_back_by_the_logs_thread_not_by_its_commits(tmp_path: Path) -> None:
    """Commits leave the WAL alone up to the fallback threshold (the receiver's 200 and
    the window's poll do not wait for a checkpoint); the log's own thread copies it into
    the database file once writes stop, and stops with the log."""
    from kupon_desktop.store.checkpoint import FALLBACK_PAGES

    with open_log(tmp_path / "log.sqlite3") as log:
        assert log._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == FALLBACK_PAGES
        log.create_campaign(
            {}, "sms", [NewRecipient(f"7900{k:07d}", "x" * 200) for k in range(20_000)]
        )  # ~1,500 pages
        assert log._checkpointer is not None
        assert log._checkpointer.wait_idle(30)
        # the rows are in the database file itself, not only in the WAL
        assert (tmp_path / "log.sqlite3").stat().st_size > 4_000_000
        # this log's own thread (other tests' logs may still be closing theirs)
        thread = log._checkpointer._thread
        assert thread is not None and thread.name == "log-checkpoint" and thread.is_alive()
    thread.join(5)
    assert not thread.is_alive()


def test_a_log_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with open_log(path):
        pass
    raw = _raw(path)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    raw.close()
    with pytest.raises(LogTooNew, match="newer version"):
        open_log(path)


def test_another_programs_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    raw = _raw(path)
    raw.execute("CREATE TABLE invoices (id INTEGER)")
    raw.close()
    with pytest.raises(LogError, match="another program"):
        open_log(path)


def test_a_damaged_file_is_log_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(LogCorrupt) as caught:
        open_log(path)
    assert str(path) in str(caught.value)
    assert "повреждён" in caught.value.message_ru


def test_a_locked_file_is_log_locked(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with open_log(path):
        pass
    other = _raw(path)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        with open_log(path, busy_timeout=0.1) as log:
            assert log.list_campaigns() == []  # readers still read (WAL)
            with pytest.raises(LogLocked) as caught:
                log.create_campaign({}, "sms", [NewRecipient("79001234567", "hi")])
            assert "busy" in str(caught.value)
            assert log.list_campaigns() == []  # nothing half-written
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_full_disk_is_disk_full_and_nothing_is_half_written(tmp_path: Path) -> None:
    with open_log(tmp_path / "log.sqlite3") as log:
        pages = log._conn.execute("PRAGMA page_count").fetchone()[0]
        # the file may not grow: SQLite answers as it does when the disk is full
        log._conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        rows = [NewRecipient(f"7900{k:07d}", "x" * 200) for k in range(5000)]
        with pytest.raises(DiskFull) as caught:
            log.create_campaign({}, "sms", rows)
        assert "full" in str(caught.value)
        assert log.list_campaigns() == []


def test_read_only_log_refuses_writes_with_log_read_only(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with open_log(path) as log:
        cid = log.create_campaign({}, "sms", [NewRecipient("79001234567", "hi")])
    with open_log(path, readonly=True) as log:
        assert log.campaign(cid).counts.total == 1
        with pytest.raises(LogReadOnly):
            log.mark_in_flight(cid, [0])


def test_sqlites_own_read_only_error_is_translated(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with open_log(path):
        pass
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute("INSERT INTO meta VALUES ('a', 'b')")
    finally:
        conn.close()
    assert isinstance(translate_error(caught.value, path), LogReadOnly)


def test_a_read_only_open_of_a_missing_file_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="does not exist"):
        open_log(tmp_path / "missing.sqlite3", readonly=True)
    assert not (tmp_path / "missing.sqlite3").exists()


def test_default_path_is_in_the_private_home(tmp_path: Path) -> None:
    from kupon_desktop.paths import default_db_path

    with open_log() as log:
        assert log.path == default_db_path()
    assert default_db_path().is_file()


def test_secrets_are_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with open_log(path) as log:
        secret, key = log.receiver_secret(), log.feed_key()
        assert len(secret) >= 24 and len(key) >= 32 and secret != key
    with open_log(path) as log:
        assert (log.receiver_secret(), log.feed_key()) == (secret, key)
        assert secret not in repr(log)


def test_many_first_opens_at_once_migrate_once(tmp_path: Path) -> None:
    """The window and the receiver it starts may open a new file at the same moment."""
    path = tmp_path / "log.sqlite3"

    def open_it() -> None:
        with open_log(path) as log:
            log.receiver_secret()

    errors = run_at_once(open_it, 4)
    assert errors == []
    raw = _raw(path)
    try:
        assert raw.execute("SELECT count(*) FROM migrations").fetchone()[0] == LATEST_VERSION
        assert (
            raw.execute("SELECT count(*) FROM meta WHERE key = 'receiver_secret'").fetchone()[0]
            == 1
        )
    finally:
        raw.close()


def test_a_base_from_the_version_before_keeps_its_contacts_and_their_keys(
    tmp_path: Path,
) -> None:
    """The contacts' unique phone and e-mail became named indexes: a log of the version
    before is copied over with every contact, and still refuses a second contact with
    a known phone."""
    path = tmp_path / "log.sqlite3"
    raw = _raw(path)
    raw.execute("BEGIN")
    raw.execute(HISTORY_TABLE)
    for version, step in enumerate(MIGRATIONS[:4], start=1):
        step(raw)
        raw.execute("INSERT INTO migrations VALUES (?, 0, 'old')", (version,))
    raw.execute("PRAGMA user_version = 4")
    raw.execute(
        "INSERT INTO base_contacts (id, phone, email, fields, created_at, updated_at) "
        "VALUES (7, '79160000001', 'a@x.ru', '{\"Имя\":\"Анна\"}', 1, 1)"
    )
    raw.execute("COMMIT")
    raw.close()
    with open_log(path) as log:
        assert log.base_find("a@x.ru") == 7
        assert log.base_find("79160000001") == 7
    raw = _raw(path)
    try:
        indexes = {r[1] for r in raw.execute("PRAGMA index_list(base_contacts)")}
        assert {"base_contacts_phone", "base_contacts_email"} <= indexes
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute(
                "INSERT INTO base_contacts (phone, fields, created_at, updated_at) "
                "VALUES ('79160000001', '{}', 2, 2)"
            )
    finally:
        raw.close()

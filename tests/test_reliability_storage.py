"""The log failing under a running campaign: the file locked by another process, the disk
full, the log's folder read-only. Each time the engine stops with the store's named error
(a ``LogError`` with a message for the user), leaves the campaign resumable, corrupts
nothing (``PRAGMA integrity_check``, counters equal to the rows), and a resume once the
cause is gone finishes with nobody sent twice (the simulator's inspection proves it).

The disk-full and read-only cases use a real size-limited tmpfs when the tests run as
root (they skip otherwise); the disk-full case also runs everywhere on SQLite's own limit
(``PRAGMA max_page_count``, which fails a write exactly like a full disk: SQLITE_FULL).
A log that is open cannot be made read-only by remounting its file system (the kernel
refuses while a file is open for writing), so the read-only folder is met when the log is
opened, as after a restart; mid-run, SQLite's ``PRAGMA query_only`` gives the same
SQLITE_READONLY a read-only file gives.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kupon_desktop.campaign.engine import LEFTOVER_ERROR
from kupon_desktop.store.errors import DiskFull, LogError, LogLocked, LogReadOnly
from kupon_desktop.store.log import Log, open_log
from kupon_desktop.store.models import NewRecipient
from tests.simhelpers import inspect, quick_config, running_simulator
from tests.test_reliability_helpers import (
    assert_consistent,
    assert_sent_once,
    assert_settled,
    fill,
    integrity,
    make_campaign,
    remount,
    run_engine,
    small_disk,
)

N = 1500
#: the failure strikes once this many recipients are accepted
STRIKE_AT = 300

LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


class Locker:
    """Another process holding the log's write lock (``BEGIN EXCLUSIVE``) until
    ``release()``."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._watchdog = threading.Timer(120, self.proc.kill)  # never hang the suite
        self._watchdog.start()
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()  # blocks until it holds the lock
        assert line == "locked", f"the locking process failed: {line!r}"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
        self.proc.communicate(timeout=30)
        self._watchdog.cancel()


def _on_connection(log: Log, sql: str) -> object:
    """A pragma on the engine's own connection (the way SQLite limits one connection)."""
    with log._lock:
        row = log._conn.execute(sql).fetchone()
    return row[0] if row else None


def _check_stopped(log: Log, cid: str, exc: object, kind: type[LogError]) -> dict[str, int]:
    """What must hold right after the engine stopped on the log's failure."""
    assert isinstance(exc, kind), f"expected {kind.__name__}, the run gave {exc!r}"
    assert str(log.path) in str(exc) and exc.message_ru
    campaign = log.campaign(cid)
    # paused when the log let the engine say so, else left running without a claim
    # (recover_interrupted makes it interrupted); either way Resume continues it
    assert campaign.state.value in ("paused", "running"), campaign
    if campaign.state.value == "paused":
        assert str(exc) in (campaign.state_reason or "")
    states = log.counts(cid).as_dict()
    assert states["total"] == N
    assert states["accepted"] >= STRIKE_AT and states["queued"] > 0, states
    assert integrity(log.path) == "ok"
    return states


def _resume_and_check(log: Log, sim, cid: str) -> dict[str, int]:
    _engine, progress = run_engine(log, sim.base_url, cid)
    assert not isinstance(progress, Exception), progress
    assert progress.state == "finished"
    seen = inspect(sim)
    sent = assert_sent_once(seen)
    states = assert_settled(log, cid, N)
    # every recipient the platform got is in the log as accepted or unconfirmed
    got = set(seen["sends_per_recipient"])
    accepted = {r.address for r in log.iter_recipients(cid, states=["accepted"])}
    unconfirmed = {r.address for r in log.iter_recipients(cid, states=["unconfirmed"])}
    assert accepted <= got <= accepted | unconfirmed
    assert sent == len(got)
    return states


def test_log_locked_by_another_process_mid_campaign(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    log = open_log(db, busy_timeout=0.3)
    lockers: list[Locker] = []
    try:
        cid = make_campaign(log, N)

        def strike(engine, progress) -> None:
            if not lockers and progress.accepted >= STRIKE_AT:
                lockers.append(Locker(db))

        with running_simulator(quick_config(seed=3)) as sim:
            _engine, outcome = run_engine(log, sim.base_url, cid, on_progress=strike)
            # readers are never blocked by a writer (WAL): the window still shows it
            states = _check_stopped(log, cid, outcome, LogLocked)
            left_in_flight = states["in_flight"]
            lockers[0].release()
            final = _resume_and_check(log, sim, cid)
        # the answers the engine could not record became unconfirmed, with the reason
        leftovers = [
            r for r in log.iter_recipients(cid, states=["unconfirmed"]) if r.error == LEFTOVER_ERROR
        ]
        assert len(leftovers) == left_in_flight
        assert final["unconfirmed"] >= left_in_flight
    finally:
        for locker in lockers:
            locker.release()
        log.close()


@pytest.mark.parametrize("how", ["tmpfs", "max_page_count"])
def test_disk_full_mid_campaign(tmp_path: Path, how: str) -> None:
    def scenario(folder: Path) -> None:
        db = folder / "log.sqlite3"
        log = open_log(db, busy_timeout=2)
        fillers: list[Path] = []
        try:
            cid = make_campaign(log, N)

            def strike(engine, progress) -> None:
                if fillers or progress.accepted < STRIKE_AT:
                    return
                if how == "tmpfs":
                    # the WAL reuses its space after a checkpoint: empty it first, so
                    # that the next commit needs new space on the disk
                    raw = sqlite3.connect(db, timeout=10)
                    try:
                        busy = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    finally:
                        raw.close()
                    assert busy == 0
                    fillers.append(fill(folder))
                else:
                    pages = _on_connection(log, "PRAGMA page_count")
                    _on_connection(log, f"PRAGMA max_page_count = {pages}")
                    fillers.append(db)

            with running_simulator(quick_config(seed=5)) as sim:
                _engine, outcome = run_engine(log, sim.base_url, cid, on_progress=strike)
                assert fillers, "the disk never filled"
                _check_stopped(log, cid, outcome, DiskFull)
                # the cause goes away; the program starts again and resumes
                if how == "tmpfs":
                    fillers[0].unlink()
                log.close()
                log = open_log(db, busy_timeout=2)
                # left running (its state could not be written either): interrupted now,
                # its in-flight rows unconfirmed; paused: the resume settles them
                recovered = log.recover_interrupted()
                if log.campaign(cid).state.value == "paused":
                    assert recovered == []
                else:
                    assert [c.id for c in recovered] == [cid]
                    assert log.counts(cid).as_dict()["in_flight"] == 0
                _resume_and_check(log, sim, cid)
        finally:
            log.close()

    if how == "tmpfs":
        with small_disk(tmp_path / "disk", "24m") as folder:
            scenario(folder)
    else:
        scenario(tmp_path)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_log_folder_read_only_then_writable_again(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "24m") as folder:
        db = folder / "log.sqlite3"
        with running_simulator(quick_config(seed=9)) as sim:
            with open_log(db) as log:
                cid = make_campaign(log, N)

                def stop_early(engine, progress) -> None:
                    if progress.accepted >= STRIKE_AT:
                        engine.pause()

                _engine, first = run_engine(log, sim.base_url, cid, on_progress=stop_early)
                assert not isinstance(first, Exception) and first.state == "paused"
                before = log.counts(cid).as_dict()
            remount(folder, "ro")  # possible now that nothing has the log open to write
            files = _digest(folder)
            with pytest.raises(LogReadOnly) as refused:
                open_log(db)
            assert str(db) in str(refused.value) and refused.value.message_ru
            assert _digest(folder) == files, "a read-only folder was written to"
            remount(folder, "rw")
            with open_log(db) as log:
                assert log.counts(cid).as_dict() == before
                _resume_and_check(log, sim, cid)


def test_log_turning_read_only_mid_campaign(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    log = open_log(db, busy_timeout=0.3)
    try:
        cid = make_campaign(log, N)
        struck: list[bool] = []

        def strike(engine, progress) -> None:
            if not struck and progress.accepted >= STRIKE_AT:
                _on_connection(log, "PRAGMA query_only = 1")
                struck.append(True)

        with running_simulator(quick_config(seed=13)) as sim:
            _engine, outcome = run_engine(log, sim.base_url, cid, on_progress=strike)
            _check_stopped(log, cid, outcome, LogReadOnly)
            _on_connection(log, "PRAGMA query_only = 0")
            assert_consistent(log, cid)
            _resume_and_check(log, sim, cid)
    finally:
        log.close()


_SHM_VICTIM = """
import sys
from kupon_desktop.store import LogError, open_log
log = open_log(sys.argv[1])
cid = sys.argv[2]
log.mark_in_flight(cid, [0])
print("sending", flush=True)
sys.stdin.readline()  # meanwhile another program cuts the -shm short
try:
    log.mark_in_flight(cid, [1])
    log.counts(cid)
except LogError as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(3)
print("went on", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="a mapped file cannot be cut short there")
@pytest.mark.parametrize("how", ["cut short", "replaced"])
def test_a_shm_cut_short_or_replaced_while_sending_is_said_not_a_crash(
    tmp_path: Path, how: str
) -> None:
    """A -shm cut short under a running sender killed it with SIGBUS and nothing printed;
    now the next call of the log stops with a message that says what to do."""
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        cid = log.create_campaign({}, "sms", [NewRecipient("79001234567", "t")] * 3)
    child = subprocess.Popen(
        [sys.executable, "-c", _SHM_VICTIM, str(db), cid],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "sending"
    shm = db.with_name(db.name + "-shm")
    if how == "cut short":
        os.truncate(shm, 0)
    else:
        data = shm.read_bytes()
        shm.unlink()
        shm.write_bytes(data)
    out, err = child.communicate("go\n", timeout=60)
    assert child.returncode == 3, (child.returncode, out, err)  # SIGBUS is -7
    assert "-shm" in err and "Close every Kupon Desktop window" in err, err
    with open_log(db) as log:  # a new start is fine
        assert log.counts(cid).as_dict()["in_flight"] == 1

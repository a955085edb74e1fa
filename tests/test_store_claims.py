"""The claim that keeps a second sender off a running campaign is reached through any
name of the log file: a hard link, a symlink (two real processes), and a row in the file
for a sender on another computer, with its heartbeat, checked by the write that lets
requests go out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from kupon_desktop.store import CampaignBusy, CampaignState, LogLinked, NewRecipient, open_log
from kupon_desktop.store.claims import STALE_MS, lock_path
from kupon_desktop.store.connection import now_ms

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


def _campaign(path: Path | str, n: int = 5) -> str:
    with open_log(path) as log:
        return log.create_campaign(
            {}, "sms", [NewRecipient(f"7900{k:07d}", f"t{k}") for k in range(n)]
        )


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    path = tmp_path / "log.sqlite3"
    cid = _campaign(path)
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), cid],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "claimed"
        yield path, cid, child
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=30)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL, symlinks need privileges")
@pytest.mark.parametrize("how", ["hard link", "symlink"])
def test_a_second_sender_through_another_name_is_refused(
    tmp_path: Path, holder: tuple[Path, str, subprocess.Popen[str]], how: str
) -> None:
    path, cid, child = holder
    other = tmp_path / "elsewhere" / "same-log.sqlite3"
    other.parent.mkdir()
    if how == "hard link":
        os.link(path, other)
    else:
        other.symlink_to(path)
    if how == "hard link":
        # SQLite names the -wal after the name opened: two programs using two names
        # would not see each other's last writes (a claim row included) and damage
        # the file; the second name is refused before anything is read or sent
        with pytest.raises(LogLinked, match="2 names"):
            open_log(other)
        assert lock_path(other, cid) == lock_path(path, cid)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        other.unlink()
        with open_log(path) as log:
            [recovered] = log.recover_interrupted()
            assert recovered.id == cid
        return
    with open_log(other) as log:
        with pytest.raises(CampaignBusy, match=f"pid {child.pid}"):
            log.claim_campaign(cid)
        assert log.recover_interrupted() == []
        assert log.campaign(cid).state is CampaignState.RUNNING
        with pytest.raises(CampaignBusy):
            log.mark_in_flight(cid, [2])
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    # the holder is gone: the campaign is free at once, through the other name too
    with open_log(other) as log:
        with log.claim_campaign(cid):
            assert log.mark_in_flight(cid, [2]) == [2]
        [recovered] = log.recover_interrupted()
        assert recovered.id == cid


def _fake_owner(path: Path | str, cid: str, *, host: str, heartbeat: int, pid: int = 1) -> None:
    """A claim row as a sender on another computer writes it."""
    with open_log(path) as log:
        num = log._num(log._conn, cid)
        log._conn.execute(
            "INSERT INTO claims VALUES (?, 'elsewhere', ?, ?, ?, ?) ON CONFLICT (campaign) "
            "DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, "
            "taken_at = excluded.taken_at, heartbeat = excluded.heartbeat",
            (num, host, pid, heartbeat, heartbeat),
        )


def test_a_sender_on_another_computer_holds_the_campaign_while_its_heartbeat_is_fresh(
    tmp_path: Path,
) -> None:
    """SQLite only: on PostgreSQL the holder's session lock decides, and a row whose
    session is gone is taken over at once (``test_store_postgresql.py``)."""
    path = tmp_path / "log.sqlite3"
    cid = _campaign(path)
    _fake_owner(path, cid, host="other-desk", heartbeat=now_ms())
    with open_log(path) as log:
        with pytest.raises(CampaignBusy, match="other-desk"):
            log.claim_campaign(cid)
        with pytest.raises(CampaignBusy, match="other-desk"):
            log.mark_in_flight(cid, [0])  # nothing goes out without the claim
        assert log.counts(cid).as_dict()["in_flight"] == 0
    _fake_owner(path, cid, host="other-desk", heartbeat=now_ms() - STALE_MS - 1000)
    with open_log(path) as log, log.claim_campaign(cid):  # abandoned: taken over
        assert log.mark_in_flight(cid, [0]) == [0]


def test_a_sender_that_lost_its_claim_sends_nothing_more(log_target: Path | str) -> None:
    path = log_target
    cid = _campaign(path)
    with open_log(path) as log:
        claim = log.claim_campaign(cid)
        assert log.mark_in_flight(cid, [0]) == [0]
        # it hung past the limit and a sender elsewhere took the campaign over
        _fake_owner(path, cid, host="other-desk", heartbeat=now_ms())
        with pytest.raises(CampaignBusy):
            log.mark_in_flight(cid, [1])
        assert not claim._log._beat_claim(cid, claim.token)
        claim.release()
        assert log.counts(cid).as_dict()["in_flight"] == 1


def test_a_dead_process_on_this_computer_frees_its_row_at_once(log_target: Path | str) -> None:
    path = log_target
    cid = _campaign(path)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    import socket

    _fake_owner(path, cid, host=socket.gethostname(), heartbeat=now_ms(), pid=int(dead.stdout))
    with open_log(path) as log, log.claim_campaign(cid):
        assert log.mark_in_flight(cid, [0]) == [0]

"""The sent-mark file beside the log: a log that lost committed ``mark_in_flight`` writes
(its -wal removed) makes every recipient they may have sent unconfirmed; a mark that
never committed (killed before, -wal intact) changes nothing. The whole path with
SIGKILL and a deleted -wal is in test_kill_and_resume.py. SQLite only: PostgreSQL has no
-wal file to lose, a commit there is durable on the server."""

from __future__ import annotations

import json
from pathlib import Path

from kupon_desktop.store import NewRecipient, RecipientState, open_log
from kupon_desktop.store.connection import LOST_ERROR
from kupon_desktop.store.sentmark import mark_path

S = RecipientState


def _log_with_marks(path: Path) -> str:
    with open_log(path) as log:
        cid = log.create_campaign(
            {}, "sms", [NewRecipient(f"7900{k:07d}", f"t{k}") for k in range(20)]
        )
        log.mark_in_flight(cid, [0, 1, 2])
        log.mark_accepted(cid, [(0, 100), (1, 101), (2, 102)])
        log.mark_in_flight(cid, [3, 4])
        log.mark_accepted(cid, [(3, 103), (4, 104)])
    return cid


def _states(path: Path, cid: str) -> list[str]:
    with open_log(path, readonly=True) as log:
        return log.read_columns(cid, ["state"])["state"]


def test_the_mark_follows_the_log(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    _log_with_marks(path)
    mark = json.loads(mark_path(path).read_text())
    assert (mark["committed"], mark["pending"], mark["keys"]) == (1, 2, [3, 4])
    with open_log(path) as log:
        assert log.get_meta("sent_seq") == "2"
        assert log.lost_recovered == 0


def test_lost_commits_make_the_recipients_they_may_have_sent_unconfirmed(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    cid = _log_with_marks(path)
    # as if marks 3..6 (keys up to 12) had committed into a -wal that was then removed
    mark = json.loads(mark_path(path).read_text())
    mark.update(committed=6, pending=7, keys=[11, 12], top={"1": 12})
    mark_path(path).write_text(json.dumps(mark))
    with open_log(path) as log:
        assert log.lost_recovered == 8  # keys 5..12 were queued
        states = log.read_columns(cid, ["state", "error"])
        assert states["state"][:5] == ["accepted"] * 5
        assert states["state"][5:13] == ["unconfirmed"] * 8
        assert states["state"][13:] == ["queued"] * 7  # above every mark: surely unsent
        assert set(states["error"][5:13]) == {LOST_ERROR}
        assert log.counts(cid) == log.recount(cid)
        assert log.recipients_to_send(cid, 100)[0].key == 13
    with open_log(path) as log:  # repaired once, not again
        assert log.lost_recovered == 0


def test_a_mark_that_never_committed_changes_nothing_while_its_wal_is_there(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.sqlite3"
    cid = _log_with_marks(path)
    with open_log(path) as log:
        log.mark_in_flight(cid, [7])  # a write: the -wal holds something
        # the program wrote the mark for keys 5, 6 and was killed before its commit
        log._sent_mark.before_commit(3, 1, [5, 6])  # type: ignore[union-attr]
        log._conn.execute("SELECT 1")  # the -wal stays while this connection is open
        with open_log(path) as again:
            assert again.lost_recovered == 0
        assert _states(path, cid)[5:7] == ["queued", "queued"]


def test_a_last_mark_whose_wal_is_gone_is_unconfirmed(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    cid = _log_with_marks(path)
    mark = json.loads(mark_path(path).read_text())
    # the mark of keys 5, 6 was written beside a -wal that is no longer there
    mark.update(committed=2, pending=3, keys=[5, 6], wal=[1, 1])
    mark_path(path).write_text(json.dumps(mark))
    with open_log(path) as log:
        assert log.lost_recovered == 2
        assert log.read_columns(cid, ["state"])["state"][4:8] == [
            "accepted",
            "unconfirmed",
            "unconfirmed",
            "queued",
        ]


def test_a_mark_of_another_log_or_damaged_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    cid = _log_with_marks(path)
    mark = json.loads(mark_path(path).read_text())
    mark.update(log="another", committed=50, pending=51)
    mark_path(path).write_text(json.dumps(mark))
    with open_log(path) as log:
        assert log.lost_recovered == 0
    mark_path(path).write_bytes(b"\x00garbage{")
    with open_log(path) as log:
        assert log.lost_recovered == 0
        assert log.mark_in_flight(cid, [5]) == [5]  # and sending goes on, the mark rewritten
    assert json.loads(mark_path(path).read_text())["keys"] == [5]


def test_a_clean_close_leaves_nothing_in_doubt(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    cid = _log_with_marks(path)
    with open_log(path) as log:
        log.mark_in_flight(cid, [5, 6])
        log.mark_not_sent(cid, [(5, "refused"), (6, "refused")])  # queued again: retry
    # the last user closed: SQLite removed the -wal, the mark says no -wal is to be missed
    assert not (tmp_path / "log.sqlite3-wal").exists()
    assert json.loads(mark_path(path).read_text())["wal"] is None
    with open_log(path) as log:
        assert log.lost_recovered == 0
        assert log.read_columns(cid, ["state"])["state"][5:7] == ["queued", "queued"]


def test_a_crash_that_cut_a_checkpoint_short_is_a_loss(tmp_path: Path) -> None:
    """The count says every mark is in the file, but the -wal the last one was written
    beside is gone without a clean close: a checkpoint cut short by the crash may have
    copied the count and not the recipients (found by the 20-kill soak)."""
    path = tmp_path / "log.sqlite3"
    cid = _log_with_marks(path)
    mark = json.loads(mark_path(path).read_text())
    mark.update(committed=1, pending=2, keys=[3, 4], top={"1": 9}, wal=[1, 1])
    mark_path(path).write_text(json.dumps(mark))
    with open_log(path) as log:
        assert log.lost_recovered == 5  # keys 5..9: queued, below the highest ever marked
        states = log.read_columns(cid, ["state"])["state"]
        assert states[:10] == ["accepted"] * 5 + ["unconfirmed"] * 5
        assert states[10:] == ["queued"] * 10

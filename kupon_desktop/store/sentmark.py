"""Noticing a log that lost committed writes, so that nobody is sent twice because of it.

The last commits of a log live only in its ``-wal`` file until they are copied into the
database file (a fraction of a second later). A backup or sync tool that copies or
restores the database without its ``-wal``, or deletes a ``-wal`` left by a crash, takes
them away: recipients marked ``in_flight`` (their requests went out) read as ``queued``
again, and a resumed campaign would send them a second time.

So every ``mark_in_flight`` also writes a small file beside the database, *before* its
transaction commits (file ``<database>.sent-mark``, a JSON line): the number of
``mark_in_flight`` commits the log holds before this one (``committed``, also kept in the
log's ``meta`` as ``sent_seq``), this one's number (``pending``), its recipients, and per
campaign the highest key ever marked. When a log opens for writing and its ``sent_seq``
is behind the file:

* behind ``committed``: commits were lost for certain. Every ``queued`` recipient of a
  campaign in the file, up to the highest key ever marked, may have been sent: it
  becomes ``unconfirmed`` (never resent automatically; a status callback still settles
  it; the user decides).
* at ``committed``, only the last mark is in doubt: it may never have committed (the
  program was killed before) or been lost with the ``-wal``. When the ``-wal`` the mark
  was written beside is still there (same file), nothing was lost; otherwise that
  mark's recipients, if ``queued``, become ``unconfirmed``.

A file that belongs to another log (its ``log`` id differs) or is behind the log is
ignored and rewritten. If the file cannot be written, sending goes on without it (a
warning is logged): it protects against a rare mishap and must not stop a campaign.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SUFFIX = ".sent-mark"
SEQ_KEY = "sent_seq"


def mark_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-wal")


def file_id(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino]


@dataclass
class Mark:
    log: str = ""
    committed: int = 0
    pending: int = 0
    campaign: int = 0
    keys: list[int] = field(default_factory=list)
    #: campaign number (as text: JSON) -> highest key ever marked in flight
    top: dict[str, int] = field(default_factory=dict)
    #: the ``-wal`` file (device, inode) when the pending mark was written
    wal: list[int] | None = None

    @classmethod
    def parse(cls, text: str) -> Mark | None:
        try:
            data: dict[str, Any] = json.loads(text)
            return cls(
                log=str(data["log"]),
                committed=int(data["committed"]),
                pending=int(data["pending"]),
                campaign=int(data["campaign"]),
                keys=[int(k) for k in data["keys"]],
                top={str(k): int(v) for k, v in data["top"].items()},
                wal=[int(x) for x in data["wal"]] if data.get("wal") else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def dump(self) -> bytes:
        return (json.dumps(self.__dict__, separators=(",", ":")) + "\n").encode()


class SentMark:
    """The mark file of one log; its writes run inside the log's write transaction."""

    def __init__(self, db_path: Path, log_id: str) -> None:
        self.db_path = db_path
        self.path = mark_path(db_path)
        self.log_id = log_id
        self._fd: int | None = None
        self._broken = False

    def read(self) -> Mark | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        mark = Mark.parse(text)
        return mark if mark is not None and mark.log == self.log_id else None

    def before_commit(self, committed: int, num: int, keys: list[int]) -> None:
        """Record mark number ``committed + 1`` of campaign ``num`` before it commits."""
        if self._broken or not keys:
            return
        old = self.read()
        top = dict(old.top) if old is not None else {}
        name = str(num)
        top[name] = max(top.get(name, -1), max(keys))
        mark = Mark(self.log_id, committed, committed + 1, num, sorted(keys), top)
        mark.wal = file_id(wal_path(self.db_path))
        self._write(mark.dump())

    def settle(self, seq: int) -> None:
        """Write that the log holds ``seq`` marks and none is pending (after a repair)."""
        if self._broken:
            return
        old = self.read()
        self._write(Mark(self.log_id, seq, seq, 0, [], old.top if old else {}).dump())

    def _write(self, data: bytes) -> None:
        """One ``pwrite`` over the old content, padded with spaces to its length (JSON
        ignores them): a process killed here leaves the old mark or the new one, never
        an empty file (a truncate first could)."""
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            size = os.fstat(self._fd).st_size
            os.pwrite(self._fd, data.rstrip(b"\n").ljust(size - 1) + b"\n", 0)
            if size > 4 * len(data) + 4096:  # a large old mark: shorten it (rarely)
                os.ftruncate(self._fd, len(data))
        except OSError as exc:
            self._broken = True
            log.warning("no sent-mark file beside %s (%s): sending goes on", self.db_path, exc)

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


@dataclass(frozen=True)
class Lost:
    """What the log may have lost: ``keys`` per campaign number (exact keys), and
    ``up_to`` per campaign number (every key up to it)."""

    certain: bool
    keys: dict[int, list[int]]
    up_to: dict[int, int]


def find_lost(mark: Mark | None, seq: int, wal_now: list[int] | None) -> Lost | None:
    """What to treat as possibly sent, given the log's ``sent_seq`` and the ``-wal``
    file's identity now; None when nothing was lost."""
    if mark is None or seq >= mark.pending:
        return None
    if seq >= mark.committed:  # only the last mark in doubt
        if mark.wal is not None and mark.wal == wal_now:
            return None  # its -wal is intact: the transaction simply never committed
        return Lost(False, {mark.campaign: mark.keys}, {})
    return Lost(True, {mark.campaign: mark.keys}, {int(k): v for k, v in mark.top.items()})

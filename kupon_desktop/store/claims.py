"""Who is sending a campaign right now: an operating-system file lock per campaign.

A campaign left ``running`` in the log is either being sent by a live process (the window,
or ``kupon-desktop send`` in a terminal) or was abandoned by one that died. The log alone
cannot tell the two apart; a lock can, because the operating system releases it when its
process ends, however it ends (even ``SIGKILL`` or a power cut). The engine holds the
claim for as long as it sends; ``Log.recover_interrupted`` recovers only campaigns whose
claim it can take.

The lock files live beside the database, in ``<database>.claims/``; they hold the owner's
process id and host for the error message, nothing else.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from kupon_desktop.store.errors import CampaignBusy

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def claims_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".claims")


class CampaignClaim:
    """The right to send one campaign; release it (or leave the ``with``) when done."""

    def __init__(self, db_path: Path, campaign_id: str) -> None:
        self.campaign_id = campaign_id
        self.path = claims_dir(db_path) / f"{campaign_id}.lock"
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the claim if no live process holds it; never waits."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            return False
        # The owner's identity, for the message another process shows. Written past
        # byte 0 on Windows would not matter either: the lock is on byte 0 only.
        os.ftruncate(fd, 0)
        os.write(fd, f"{socket.gethostname()} pid {os.getpid()}".encode())
        self._fd = fd
        return True

    def acquire(self) -> CampaignClaim:
        if not self.try_acquire():
            raise CampaignBusy(self.path, self.owner() or "another process")
        return self

    def owner(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> CampaignClaim:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()

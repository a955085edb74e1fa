"""Who is sending a campaign right now: a claim row in the log itself.

A campaign left ``running`` in the log is either being sent by a live process (the window,
or ``kupon-desktop send`` in a terminal) or was abandoned by one that died. The claim
tells the two apart. It used to be an operating-system lock on a file named after the
database's path, so a second sender reaching the same database through a hard link or a
symlink took a lock of its own and sent every remaining recipient a second time. Now a
claim is two things, both reached by any name of the file:

* an operating-system lock on a file named after the database file's identity (device
  and inode, the same for every hard link and symlink), in the computer's temporary
  folder. The system releases it when its process ends, however it ends. It is needed
  for hard links: SQLite names its ``-wal`` file after the name a program opened, so two
  programs using two hard links do not see each other's recent writes, a row included.
  (Such a pair also damages the file sooner or later: use one name.)
* a row in the database (table ``claims``: owner, host, process id, heartbeat), for
  programs on other computers reaching the file through a network share:

* taking it is one write transaction: a row held by a live owner refuses
  (:class:`CampaignBusy`), a dead owner's row is taken over;
* ``mark_in_flight``, the write that lets requests go out, checks the row in the same
  transaction: a process that lost its claim (it hung past the heartbeat's limit and
  another took over) is refused before it sends anything, rather than sending twice;
* an owner is alive while its process runs (checked directly on the same computer, so a
  killed sender's campaign is free at once) and, for another computer, while its
  heartbeat (written every ``HEARTBEAT`` seconds by a thread) is younger than ``STALE``.
  On the same computer a living process whose heartbeat is older than ``STALE`` (hung,
  or a reused process id) also loses the claim.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from kupon_desktop.store.errors import CampaignBusy, LogError

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


log = logging.getLogger(__name__)

#: seconds between two heartbeats of a held claim
HEARTBEAT = 5.0
#: a claim whose heartbeat is older than this (milliseconds) is abandoned
STALE_MS = 60_000

#: the tokens of the claims this process holds (a process id alone cannot tell a claim
#: this process still holds from one it dropped without deleting its row)
_HELD: set[str] = set()
_HELD_LOCK = threading.Lock()


def this_host() -> str:
    return socket.gethostname()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import ctypes

    def process_alive(pid: int) -> bool:
        # os.kill(pid, 0) would terminate the process on Windows
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)

else:

    def process_alive(pid: int) -> bool:
        if pid <= 0:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # another user's process
        try:  # a killed child its parent has not waited for yet is dead too
            with open(f"/proc/{pid}/stat", "rb") as stat:
                return stat.read().rpartition(b")")[2].split()[0] != b"Z"
        except (OSError, IndexError):
            return True


def owner_alive(host: str, pid: int, token: str, heartbeat: int, now: int) -> bool:
    """Whether the claim ``token`` held by ``pid`` on ``host`` is still held."""
    if host == this_host():
        if pid == os.getpid():
            with _HELD_LOCK:
                return token in _HELD
        if not process_alive(pid):
            return False
    return now - heartbeat < STALE_MS


def held_here(token: str) -> bool:
    """Whether a claim of this process holds ``token`` now."""
    with _HELD_LOCK:
        return token in _HELD


def describe(host: str, pid: int) -> str:
    return f"{host} pid {pid}"


def blocking_owner(conn: sqlite3.Connection, num: int, mine: str | None, now: int) -> str | None:
    """Inside a transaction: who else holds campaign ``num`` (a description), or None
    when nobody live does (or ``mine`` does)."""
    row = conn.execute(
        "SELECT owner, host, pid, heartbeat FROM claims WHERE campaign = ?", (num,)
    ).fetchone()
    if row is None or row[0] == mine:
        return None
    owner, host, pid, heartbeat = row
    if owner_alive(host, int(pid), owner, int(heartbeat), now):
        return describe(host, int(pid))
    return None


def lock_path(db_path: Path, campaign_id: str) -> Path:
    """The lock file of ``campaign_id`` in the database file at ``db_path``: named by the
    file's device and inode, so every name of the file gives the same lock."""
    st = os.stat(db_path)
    # per user (the temporary folder is shared on Linux); another user's sender is still
    # kept off by the row, its process being alive
    user = getattr(os, "getuid", lambda: "")()
    folder = Path(tempfile.gettempdir()) / f"kupon-desktop-claims{'-' if user != '' else ''}{user}"
    return folder / f"{st.st_dev:x}-{st.st_ino:x}-{campaign_id}.lock"


class _FileLock:
    """The operating-system half of a claim."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if hasattr(os, "getuid") and os.stat(self.path.parent).st_uid != os.getuid():
            raise PermissionError(f"{self.path.parent} belongs to another user")
        # O_NOFOLLOW: a link planted in its place is not followed (and truncated)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            return False
        # the owner, for the message another process shows; past byte 0 on Windows
        # would not matter either: the lock is on byte 0 only
        os.ftruncate(fd, 0)
        os.write(fd, describe(this_host(), os.getpid()).encode())
        self._fd = fd
        return True

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


class ClaimLock(Protocol):
    """The half of a claim the system releases when its holder ends: a file lock
    (SQLite), an advisory lock held by the log's connection (PostgreSQL)."""

    def try_acquire(self) -> bool: ...

    def owner(self) -> str: ...

    def release(self) -> None: ...


class ClaimLog(Protocol):
    """What a claim needs from the log (``CampaignsMixin`` implements it)."""

    path: Path | str

    def _claim_lock(self, campaign_id: str) -> ClaimLock: ...

    def _take_claim(self, campaign_id: str, token: str) -> str | None: ...

    def _beat_claim(self, campaign_id: str, token: str) -> bool: ...

    def _drop_claim(self, campaign_id: str, token: str) -> None: ...


class CampaignClaim:
    """The right to send one campaign; release it (or leave the ``with``) when done.
    Made by ``Log.claim_campaign``."""

    def __init__(self, log_: ClaimLog, campaign_id: str) -> None:
        self.campaign_id = campaign_id
        self.token = uuid.uuid4().hex
        self._log = log_
        self._held = False
        self._lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._blocker = ""
        self._file: ClaimLock | None = None

    @property
    def held(self) -> bool:
        return self._held and not self._lost

    @property
    def lost(self) -> bool:
        """The heartbeat found another owner in the row: this process must not send."""
        return self._lost

    def try_acquire(self) -> bool:
        """Take the claim if no live process holds it; never waits."""
        if self._held:
            return True
        try:
            file = self._log._claim_lock(self.campaign_id)
            if not file.try_acquire():
                self._blocker = file.owner() or "another process"
                return False
        except OSError as exc:
            raise LogError(self._log.path, f"the campaign's lock: {exc}") from exc
        with _HELD_LOCK:
            _HELD.add(self.token)
        try:
            blocker = self._log._take_claim(self.campaign_id, self.token)
        except BaseException:
            self._forget()
            file.release()
            raise
        if blocker is not None:
            self._forget()
            file.release()
            self._blocker = blocker
            return False
        self._file = file
        self._held = True
        self._thread = threading.Thread(
            target=self._beat, name=f"claim-{self.campaign_id[:8]}", daemon=True
        )
        self._thread.start()
        return True

    def acquire(self) -> CampaignClaim:
        if not self.try_acquire():
            raise CampaignBusy(str(self._log.path), self._blocker or "another process")
        return self

    def owner(self) -> str:
        """Who held it when ``try_acquire`` last failed."""
        return self._blocker

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(2 * HEARTBEAT)
        try:
            self._log._drop_claim(self.campaign_id, self.token)
        except LogError as exc:
            # the row stays; it is taken over once this process is gone or STALE passes
            log.warning("the claim on campaign %s was not released: %s", self.campaign_id, exc)
        finally:
            self._forget()
            if self._file is not None:
                self._file.release()
                self._file = None

    def _forget(self) -> None:
        with _HELD_LOCK:
            _HELD.discard(self.token)

    def _beat(self) -> None:
        beat: Callable[[str, str], bool] = self._log._beat_claim
        while not self._stop.wait(HEARTBEAT):
            try:
                if not beat(self.campaign_id, self.token):
                    self._lost = True
                    log.warning("campaign %s was claimed by another process", self.campaign_id)
                    return
            except LogError as exc:  # busy or full: the next beat tries again
                log.debug("claim heartbeat of %s: %s", self.campaign_id, exc)
            except Exception:  # the log was closed under the claim
                return

    def __enter__(self) -> CampaignClaim:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

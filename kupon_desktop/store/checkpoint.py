"""Copying the write-ahead log into the database file, off the writers' path.

SQLite's automatic checkpoint runs inside the commit that takes the WAL past its
threshold (1,000 pages), so every few commits one of them also copies 4 MB into the
database file and syncs it. Those commits are the ones someone waits for: the receiver
answers the platform after its commit, the window's poll after its apply. Measured for
issue 9: of the 2.0 s a million status events take to store (10,000 per commit), 0.3 s
was checkpointing. Here a thread with its own connection does it instead, in PASSIVE
mode (it never blocks a reader or a writer), at most every ``INTERVAL`` seconds while
the log is being written; the commits only set an event. SQLite's own checkpoint stays as
a safety net at a higher threshold (``FALLBACK_PAGES``), for when this thread falls
behind a writer.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

#: seconds between two checkpoints while writes keep coming (each one syncs the file)
INTERVAL = 0.25
#: the automatic checkpoint's threshold on the writers' connections, in pages
FALLBACK_PAGES = 16_384


class Checkpointer:
    """One per writable ``Log``: ``kick()`` after a commit, ``close()`` with the log.
    The thread starts with the first kick."""

    def __init__(self, uri: str, shm: Path | None = None) -> None:
        self._uri = uri
        self._shm = shm
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def kick(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._stop.is_set():
                    self._thread = threading.Thread(
                        target=self._run, name="log-checkpoint", daemon=True
                    )
                    self._thread.start()
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every kick so far has been followed by a checkpoint."""
        return self._idle.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _shm_cut_short(self) -> bool:
        """Touching the -shm mapping after another program cut the file short would
        kill the process (SIGBUS); the log's calls say so (``LogFilesChanged``)."""
        if self._shm is None:
            return False
        try:
            return os.stat(self._shm).st_size < 32 * 1024
        except OSError:
            return False

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._uri, uri=True, isolation_level=None)
        except sqlite3.Error as exc:  # the writers' own checkpoints go on regardless
            log.warning("no background checkpoints for %s: %s", self._uri, exc)
            return
        try:
            while not self._stop.is_set():
                self._wake.wait()
                self._wake.clear()
                if self._stop.is_set():
                    break
                if self._shm_cut_short():
                    log.warning("no more checkpoints of %s: its -shm was cut short", self._uri)
                    break
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # busy, full disk: the next kick tries again
                    log.debug("checkpoint of %s: %s", self._uri, exc)
                if not self._wake.is_set():
                    self._idle.set()
                self._stop.wait(INTERVAL)
        finally:
            conn.close()
            self._idle.set()

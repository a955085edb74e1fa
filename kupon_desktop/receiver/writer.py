"""Storing callbacks in small batches: concurrent callbacks share one commit.

Each handler hands its event over and waits. One task takes whatever has gathered (up to
``max_batch``), stores it in one transaction on the log's own thread, then releases every
waiting handler at once; while that commit runs the next batch gathers. A burst of a
thousand callbacks costs a few fsyncs, not a thousand, and no handler answers 200 before
its event is committed.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from kupon_desktop.receiver.requests import MAX_WAITING
from kupon_desktop.store.log import Log, open_log
from kupon_desktop.store.models import NewStatusEvent

T = TypeVar("T")


class Busy(Exception):
    """Too many callbacks are waiting for their commit."""


class LogThread:
    """A ``Log`` used from one dedicated thread, called from asyncio without blocking it."""

    def __init__(
        self,
        path: str | Path,
        name: str,
        *,
        readonly: bool = False,
        busy_timeout: float = 10.0,
    ) -> None:
        self._path = path
        self._readonly = readonly
        self._busy_timeout = busy_timeout
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=name)
        self._log: Log | None = None

    async def open(self) -> Log:
        self._log = await self.run(
            lambda: open_log(self._path, readonly=self._readonly, busy_timeout=self._busy_timeout)
        )
        return self._log

    async def run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    @property
    def log(self) -> Log:
        assert self._log is not None, "open() first"
        return self._log

    async def close(self) -> None:
        if self._log is not None:
            log, self._log = self._log, None
            await self.run(log.close)
        self._executor.shutdown(wait=True)


class EventWriter:
    def __init__(self, log: LogThread, *, max_batch: int = 500) -> None:
        self._log = log
        self._max_batch = max_batch
        # None is the sign to stop, queued after the server stopped taking requests
        self._queue: asyncio.Queue[tuple[NewStatusEvent, asyncio.Future[None]] | None] = (
            asyncio.Queue()
        )
        self._task: asyncio.Task[None] | None = None
        self.batches = 0  # commits made (for tests and the status line)
        self.stored = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="receiver-writer")

    async def store(self, event: NewStatusEvent) -> None:
        """Return once ``event`` is committed; raise the log's error if it could not be,
        or Busy if too many are already waiting."""
        await self.submit(event)

    def submit(self, event: NewStatusEvent) -> asyncio.Future[None]:
        """``store`` without a coroutine: the future is done once ``event`` is committed
        (its exception: the log's error). Raises Busy if too many are already waiting."""
        if self._queue.qsize() >= MAX_WAITING:
            raise Busy
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((event, done))
        return done

    async def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = []
            item = await self._queue.get()
            while True:
                if item is None:
                    stopping = True
                else:
                    batch.append(item)
                if stopping or len(batch) >= self._max_batch or self._queue.empty():
                    break
                item = self._queue.get_nowait()
            if batch:
                await self._commit(batch)

    async def _commit(self, batch: list[tuple[NewStatusEvent, asyncio.Future[None]]]) -> None:
        try:
            await self._log.run(self._log.log.append_status_events, [e for e, _ in batch])
        except Exception as exc:  # every waiting handler answers with it (LogError: 503)
            for _, done in batch:
                if not done.done():
                    done.set_exception(exc)
            return
        self.batches += 1
        self.stored += len(batch)
        for _, done in batch:
            if not done.done():
                done.set_result(None)

    async def close(self) -> None:
        """Commit what is still waiting, then stop."""
        if self._task is not None:
            self._queue.put_nowait(None)
            await self._task
            self._task = None

"""``ReceiverThread``: the receiver on its own asyncio loop in a daemon thread, for the
window (statuses arrive while the GUI loop is busy) and for tests. ``start()`` returns
once it listens; ``stop()`` returns once everything accepted is committed and closed."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from pathlib import Path
from typing import Any

from kupon_desktop.receiver.gate import HEADER_TIMEOUT
from kupon_desktop.receiver.server import Receiver


class ReceiverThread:
    def __init__(
        self,
        db_path: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        secret: str | None = None,
        feed_key: str | None = None,
        busy_timeout: float = 10.0,
        max_connections: int | None = None,
        header_timeout: float = HEADER_TIMEOUT,
        fast: bool = True,
    ) -> None:
        self.receiver = Receiver(
            db_path,
            host=host,
            port=port,
            secret=secret,
            feed_key=feed_key,
            busy_timeout=busy_timeout,
            max_connections=max_connections,
            header_timeout=header_timeout,
            fast=fast,
        )
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    # what the receiver is, once started
    @property
    def callback_base(self) -> str:
        return self.receiver.callback_base

    @property
    def base_url(self) -> str:
        return self.receiver.base_url

    @property
    def feed_url(self) -> str:
        return self.receiver.feed_url

    @property
    def port(self) -> int:
        return self.receiver.port

    @property
    def secret(self) -> str | None:
        return self.receiver.secret

    @property
    def feed_key(self) -> str | None:
        return self.receiver.feed_key

    def start(self, timeout: float = 30.0) -> str:
        """Start listening; returns the callback base URL. Raises what kept it from
        starting (``PortInUse``, a ``LogError``, …)."""
        if self._thread is not None:
            raise RuntimeError("the receiver is already started")
        self._thread = threading.Thread(target=self._run, name="kupon-receiver", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the status receiver did not start in time")
        if self._error is not None:
            self._thread.join(timeout)
            self._thread = None
            raise self._error
        return self.callback_base

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            await self.receiver.start()
        except BaseException as exc:  # handed to start() in the caller's thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self.receiver.stop()

    def stop(self, timeout: float = 30.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        if self._loop is not None and self._stop is not None and thread.is_alive():
            with contextlib.suppress(RuntimeError):  # it ended meanwhile: loop closed
                self._loop.call_soon_threadsafe(self._stop.set)
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("the status receiver did not stop in time")

    def __enter__(self) -> ReceiverThread:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

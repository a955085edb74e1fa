"""Running the simulator: in the current event loop, forever (the CLI), or in a thread.

``await start(config, host, port) -> RunningSimulator`` listens and returns at once;
``await serve(config, host, port, ready=...)`` runs until cancelled (Ctrl+C);
``SimulatorThread(config).start() -> base_url`` runs it on its own loop in a daemon
thread, for the window's demo mode and for tests, and ``.stop()`` ends it.

The simulator listens on loopback only. Port 0 takes a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from aiohttp import web

from kupon_desktop.simulator.config import SimulatorConfig
from kupon_desktop.simulator.server import (
    API_PREFIX,
    INSPECTION_PATH,
    PLATFORM,
    create_app,
)

LOOPBACK = "127.0.0.1"

log = logging.getLogger(__name__)


def _check_loopback(host: str) -> None:
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"the simulator listens on loopback only, not on {host!r}")


@dataclass
class RunningSimulator:
    runner: web.AppRunner
    host: str
    port: int

    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API base to give ``KuponClient``: ``http://127.0.0.1:P/api/v1/bulk/``."""
        return self.root_url + API_PREFIX

    @property
    def inspection_url(self) -> str:
        return self.root_url + INSPECTION_PATH

    def message_count(self) -> int:
        return len(self.runner.app[PLATFORM].messages)

    async def close(self) -> None:
        await self.runner.cleanup()


async def start(
    config: SimulatorConfig | None = None, host: str = LOOPBACK, port: int = 0
) -> RunningSimulator:
    _check_loopback(host)
    runner = web.AppRunner(
        create_app(config), access_log=None, handle_signals=False, shutdown_timeout=1.0
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_port = int(runner.addresses[0][1])
    return RunningSimulator(runner, host, bound_port)


async def serve(
    config: SimulatorConfig | None = None,
    host: str = LOOPBACK,
    port: int = 0,
    *,
    ready: Callable[[RunningSimulator], None] | None = None,
) -> None:
    """Run until cancelled."""
    running = await start(config, host, port)
    try:
        if ready is not None:
            ready(running)
        await asyncio.Event().wait()
    finally:
        await running.close()


class SimulatorThread:
    """The simulator on its own event loop in a daemon thread.

    ``start()`` returns the API base URL once the socket listens (or raises what
    stopped it); ``stop()`` shuts it down and joins the thread. Usable as a context
    manager. Its state is only read through the HTTP inspection endpoint.
    """

    def __init__(
        self, config: SimulatorConfig | None = None, *, host: str = LOOPBACK, port: int = 0
    ) -> None:
        _check_loopback(host)
        self.config = config or SimulatorConfig()
        self._host = host
        self._port = port
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._running: RunningSimulator | None = None
        self._error: BaseException | None = None

    @property
    def base_url(self) -> str:
        if self._running is None:
            raise RuntimeError("the simulator is not running")
        return self._running.base_url

    @property
    def root_url(self) -> str:
        if self._running is None:
            raise RuntimeError("the simulator is not running")
        return self._running.root_url

    @property
    def inspection_url(self) -> str:
        if self._running is None:
            raise RuntimeError("the simulator is not running")
        return self._running.inspection_url

    def start(self, timeout: float = 10.0) -> str:
        if self._thread is not None:
            raise RuntimeError("the simulator thread was already started")
        self._thread = threading.Thread(target=self._main, name="kupon-simulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the simulator did not start listening in time")
        if self._error is not None:
            self._thread.join()
            raise self._error
        return self.base_url

    def stop(self, timeout: float = 10.0) -> None:
        thread = self._thread
        if thread is None:
            return
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between
                loop.call_soon_threadsafe(stop.set)
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("the simulator thread did not stop in time")
        self._running = None

    def __enter__(self) -> SimulatorThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _main(self) -> None:
        try:
            asyncio.run(self._run())
        except BaseException as exc:
            if self._ready.is_set():
                log.exception("the simulator stopped on an error")
            else:  # reported to start(), which re-raises it
                self._error = exc
                self._ready.set()

    async def _run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        running = await start(self.config, self._host, self._port)
        self._running = running
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await running.close()

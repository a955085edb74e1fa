"""Helpers for tests that talk to the simulator over real loopback sockets.

* ``running_simulator(config)``: a SimulatorThread for the duration of a ``with``.
* ``inspect(sim)``: the simulator's ``/__simulator__/messages`` answer.
* ``CallbackListener``: a real HTTP server (own thread and loop) that records each
  callback with its arrival time and answers what the test says; ``wait_for(n)`` blocks
  on a condition until n calls arrived, never by sleeping and hoping.
* ``closed_port()``: a loopback port nothing listens on.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import httpx
from aiohttp import web

from kupon_desktop.simulator.config import DEMO_TOKEN, SimulatorConfig
from kupon_desktop.simulator.runner import SimulatorThread

TOKEN = DEMO_TOKEN


def quick_config(**overrides: Any) -> SimulatorConfig:
    """A deterministic config whose messages live in about a tenth of a second."""
    values: dict[str, Any] = {
        "seed": 1,
        "jitter": 0.0,
        "queue_seconds": 0.02,
        "delivery_seconds": 0.05,
        "read_seconds": 0.05,
        "click_seconds": 0.05,
    }
    values.update(overrides)
    return SimulatorConfig(**values)


@contextlib.contextmanager
def running_simulator(config: SimulatorConfig | None = None) -> Iterator[SimulatorThread]:
    sim = SimulatorThread(config or quick_config())
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


def inspect(sim: SimulatorThread, after_id: int | None = None) -> dict[str, Any]:
    params = {"after_id": str(after_id)} if after_id is not None else None
    with httpx.Client(trust_env=False) as http:
        response = http.get(sim.inspection_url, params=params, timeout=10)
    response.raise_for_status()
    return response.json()


def post(
    sim: SimulatorThread, endpoint: str, *, method: str = "POST", **fields: str | bytes
) -> dict[str, Any]:
    """A raw request to the simulator (no KuponClient): ``fields`` are form values,
    str as UTF-8 or bytes as they are. Returns the decoded JSON answer."""
    body = "&".join(
        f"{name}={quote_from_bytes(v if isinstance(v, bytes) else v.encode(), safe='')}"
        for name, v in fields.items()
    )
    url = sim.base_url + endpoint
    with httpx.Client(trust_env=False) as http:
        if method == "GET":
            response = http.get(f"{url}?{body}", timeout=10)
        else:
            response = http.post(
                url,
                content=body.encode("ascii"),
                timeout=10,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
    response.raise_for_status()
    return response.json()


def message(sim: SimulatorThread, ident: int) -> dict[str, Any]:
    for item in inspect(sim, after_id=ident - 1)["messages"]:
        if item["id"] == ident:
            return item
    raise KeyError(ident)


def wait_for_final(sim: SimulatorThread, ident: int, timeout: float = 10.0) -> dict[str, Any]:
    """The message once its last status is final (and it will not be read or clicked)."""
    holder: dict[str, Any] = {}

    def done() -> bool:
        holder["m"] = message(sim, ident)
        statuses = holder["m"]["statuses"]
        return bool(statuses) and statuses[-1] not in (-1, 0)

    assert wait_until(done, timeout), f"message {ident} did not end: {holder.get('m')}"
    return holder["m"]


def wait_until(
    predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.02
) -> bool:
    """Poll ``predicate`` (an inspection of another process's state) until it holds.

    Used only where the state lives behind HTTP and no event can be awaited."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Hit:
    at: float  # time.monotonic() on arrival
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


class CallbackListener:
    """A callback receiver for tests. ``respond(hit_number, hit) -> HTTP status``."""

    def __init__(self, respond: Callable[[int, Hit], int] | None = None) -> None:
        self.respond = respond or (lambda n, hit: 200)
        self.hits: list[Hit] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self.port = 0

    def url(self, template: str = "/cb?id={id}&status={status}") -> str:
        return f"http://127.0.0.1:{self.port}{template}"

    def wait_for(self, count: int, timeout: float) -> bool:
        """True once ``count`` calls have arrived; False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.hits) >= count, timeout)

    def snapshot(self) -> list[Hit]:
        with self._cond:
            return list(self.hits)

    def __enter__(self) -> CallbackListener:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise TimeoutError("callback listener did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._stop is not None and self._thread is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        hit = Hit(
            time.monotonic(),
            request.path,
            dict(request.query),
            {k.lower(): v for k, v in request.headers.items()},
            body,
        )
        with self._cond:
            self.hits.append(hit)
            number = len(self.hits)
            self._cond.notify_all()
        return web.Response(status=self.respond(number, hit), text="ok")

    async def _run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(runner.addresses[0][1])
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

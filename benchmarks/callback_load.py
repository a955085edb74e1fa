"""The platform's side of a callback storm: GET requests to a receiver's callback URLs, as
the platform (and the simulator) sends them, over keep-alive connections, each
connection sending its next request as soon as the last one is answered.

A request is the callback URL the engine gave the platform, its ``{id}`` and
``{status}`` filled in: ``GET /callback/<secret>/<campaign>/<key>?id=<id>&status=<code>``.
An answer of 200 is an acknowledgement, and its time (``time.time()``, comparable with
other processes on this machine) is recorded per callback; any other answer, or a
connection lost, is counted and the callback is sent again later, as the platform
retries.

Written on asyncio's protocols with the requests encoded beforehand: a client built on
an HTTP library spends more CPU per request than the receiver does, and on two cores it
would measure itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Storm:
    """What to send: per campaign its path after the callback base (``/<campaign>``),
    its keys and platform ids; ``codes[k]`` is round k's status code. Callback ``i`` of
    a round is campaign ``i % campaigns``'s next key, so every campaign's callbacks
    arrive side by side, round after round."""

    host: str
    port: int
    path: str  # "/callback/<secret>"
    campaigns: Sequence[str]
    keys: Sequence[np.ndarray]
    platform_ids: Sequence[np.ndarray]
    codes: Sequence[int]
    #: the ack time of each callback: acked[c][round, i] (NaN: not acked)
    acked: list[np.ndarray] = field(default_factory=list)
    refused: int = 0  # answers other than 200
    lost_connections: int = 0

    def order(self) -> list[tuple[int, int, int]]:
        """(campaign, round, index) in the order sent."""
        out = []
        longest = max(len(k) for k in self.keys)
        for r in range(len(self.codes)):
            for i in range(longest):
                for c in range(len(self.campaigns)):
                    if i < len(self.keys[c]):
                        out.append((c, r, i))
        return out

    def request(self, c: int, r: int, i: int) -> bytes:
        return (
            f"GET {self.path}/{self.campaigns[c]}/{int(self.keys[c][i])}"
            f"?id={int(self.platform_ids[c][i])}&status={self.codes[r]}&load=1 HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\nUser-Agent: kupon-platform\r\n\r\n"
        ).encode()


class _Connection(asyncio.Protocol):
    def __init__(self, runner: _Runner) -> None:
        self.runner = runner
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.current: tuple[int, int, int] | None = None
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.send_next()

    def send_next(self) -> None:
        item = self.runner.next_item()
        if item is None:
            assert self.transport is not None
            self.transport.close()
            return
        self.current = item
        assert self.transport is not None
        self.transport.write(self.runner.encoded(item))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buffer[:head_end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            end = head_end + 4 + length
            if len(self.buffer) < end:
                return
            status = int(head[9:12])
            self.buffer = self.buffer[end:]
            item, self.current = self.current, None
            assert item is not None
            self.runner.answered(item, status)
            self.send_next()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.current is not None:
            self.runner.lost(self.current)
            self.current = None
        if not self.closed.done():
            self.closed.set_result(None)


class _Runner:
    def __init__(self, storm: Storm, order: list[tuple[int, int, int]]) -> None:
        self.storm = storm
        self.order = order
        self.at = 0
        self.retry: list[tuple[int, int, int]] = []
        self.pending = len(order)
        self.done = asyncio.get_running_loop().create_future()

    def encoded(self, item: tuple[int, int, int]) -> bytes:
        return self.storm.request(*item)

    def next_item(self) -> tuple[int, int, int] | None:
        if self.retry:
            return self.retry.pop()
        if self.at < len(self.order):
            self.at += 1
            return self.order[self.at - 1]
        return None

    def answered(self, item: tuple[int, int, int], status: int) -> None:
        c, r, i = item
        if status == 200:
            self.storm.acked[c][r, i] = time.time()
            self.pending -= 1
            if self.pending == 0 and not self.done.done():
                self.done.set_result(None)
        else:
            self.storm.refused += 1
            self.retry.append(item)

    def lost(self, item: tuple[int, int, int]) -> None:
        self.storm.lost_connections += 1
        self.retry.append(item)


async def run_storm(storm: Storm, connections: int = 64) -> tuple[float, float]:
    """Send every callback of ``storm``; returns (first request's time, last ack's time).
    Connections lost are opened again until every callback is acknowledged."""
    storm.acked = [np.full((len(storm.codes), len(k)), np.nan) for k in storm.keys]
    order = storm.order()
    runner = _Runner(storm, order)
    loop = asyncio.get_running_loop()
    started = time.time()

    async def one() -> None:
        while not runner.done.done():
            try:
                _, proto = await loop.create_connection(
                    lambda: _Connection(runner), storm.host, storm.port
                )
            except OSError:
                storm.lost_connections += 1
                await asyncio.sleep(0.1)
                continue
            await proto.closed
            if runner.at >= len(order) and not runner.retry:
                return

    workers = [asyncio.create_task(one()) for _ in range(connections)]
    await runner.done
    for task in workers:
        task.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    return started, float(np.nanmax([np.nanmax(a) for a in storm.acked]))

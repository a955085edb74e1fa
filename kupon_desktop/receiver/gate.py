"""The receiver's connection limits, kept at the socket, before aiohttp sees a byte.

aiohttp bounds each request (line, field and header-count limits, ``client_max_size``)
and closes a kept-alive connection that stays idle past its keep-alive timeout, but it
accepts any number of connections, and older aiohttp versions wait for a new
connection's first request without any limit: a "slow-loris" client that opens many
connections and trickles header bytes into each can hold the process's memory and file
descriptors. The gate adds what is missing, whatever aiohttp's version:

* at most ``max_connections`` open at once: one more is answered ``503`` (with
  ``Retry-After``: the platform calls back again later) and closed at once;
* a new connection must deliver its first request's headers within ``header_timeout``
  seconds and in at most ``MAX_HEAD`` bytes, or it is closed (408 / 431). Later requests
  on a kept-alive connection are bounded by aiohttp's keep-alive timeout.

``ConnectionGate(server, ...)`` is the protocol factory for ``loop.create_server``, used
in place of aiohttp's low-level ``web.Server`` (itself a protocol factory), which it
wraps: each connection is aiohttp's own protocol behind a thin ``_Guarded`` one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

#: connections at once, at most (and at most half the process's file descriptors)
MAX_CONNECTIONS = 1024
#: seconds a new connection has to deliver its first request's headers
HEADER_TIMEOUT = 10.0
#: bytes a new connection may send before its first request's headers are complete (a
#: callback's request line and headers take a few hundred)
MAX_HEAD = 16 * 1024

_END_OF_HEAD = b"\r\n\r\n"


def _answer(status: str, text: str, *extra: str) -> bytes:
    body = text.encode() + b"\n"
    head = [
        f"HTTP/1.1 {status}",
        "Content-Type: text/plain; charset=utf-8",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *extra,
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


_BUSY = _answer(
    "503 Service Unavailable", "too many connections, try again later", "Retry-After: 60"
)
_TOO_SLOW = _answer("408 Request Timeout", "the request headers took too long")
_TOO_LARGE = _answer("431 Request Header Fields Too Large", "the request headers are too large")


def default_max_connections() -> int:
    """``MAX_CONNECTIONS``, or half the open-file limit where that is lower (macOS gives
    a process 256 by default): the log, the threads and the listening socket need some."""
    try:
        import resource
    except ImportError:  # Windows: no such limit on sockets
        return MAX_CONNECTIONS
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return MAX_CONNECTIONS
    return max(16, min(MAX_CONNECTIONS, soft // 2))


class ConnectionGate:
    """The protocol factory: aiohttp's ``server`` behind the limits above."""

    def __init__(
        self,
        server: Any,
        *,
        max_connections: int | None = None,
        header_timeout: float = HEADER_TIMEOUT,
    ) -> None:
        self._server = server
        self.max_connections = max_connections or default_max_connections()
        self.header_timeout = header_timeout
        self.open = 0  # connections made and not yet lost (refused ones not counted)
        self.refused = 0
        self.timed_out = 0
        self.too_large = 0

    def __call__(self) -> asyncio.Protocol:
        if self.open >= self.max_connections:
            self.refused += 1
            if self.refused == 1 or self.refused % 1000 == 0:
                log.warning(
                    "%d connection(s) refused: %d open, the most allowed", self.refused, self.open
                )
            return _Refused()
        return _Guarded(self._server(), self)


class _Refused(asyncio.Protocol):
    """Answers 503 and half-closes; what the client still sends is read and dropped until
    it closes (or 5 s pass). Closing at once with unread bytes would reset the connection
    and the client might lose the answer (and not learn to retry later)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        transport.write(_BUSY)
        if transport.can_write_eof():
            transport.write_eof()
        self._timer = asyncio.get_running_loop().call_later(5.0, transport.close)

    def data_received(self, data: bytes) -> None:
        pass  # dropped: the answer is already given

    def eof_received(self) -> bool:
        return False  # the client is done: close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self._timer.cancel()


class _Guarded(asyncio.Protocol):
    """One connection: aiohttp's protocol, watched until its first request's headers
    are complete."""

    def __init__(self, inner: Any, gate: ConnectionGate) -> None:
        self._inner = inner
        self._gate = gate
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._head = 0  # bytes received while the first request's headers are incomplete
        self._tail = b""  # the last bytes seen, for an end of headers split across reads
        self._made = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._made = True
        self._gate.open += 1
        self._timer = asyncio.get_running_loop().call_later(self._gate.header_timeout, self._expire)
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._timer is not None:
            window = self._tail + data
            if _END_OF_HEAD in window:
                self._watched_no_more()
            else:
                self._head += len(data)
                if self._head > MAX_HEAD:
                    self._gate.too_large += 1
                    self._refuse(_TOO_LARGE)
                    return
                self._tail = window[-(len(_END_OF_HEAD) - 1) :]
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()  # type: ignore[no-any-return]

    def connection_lost(self, exc: Exception | None) -> None:
        self._watched_no_more()
        if self._made:
            self._made = False
            self._gate.open -= 1
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def _watched_no_more(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._tail = b""

    def _expire(self) -> None:
        self._timer = None
        self._gate.timed_out += 1
        self._refuse(_TOO_SLOW)

    def _refuse(self, answer: bytes) -> None:
        """Answer and close; aiohttp's protocol learns it through connection_lost."""
        self._watched_no_more()
        transport = self._transport
        if transport is not None and not transport.is_closing():
            transport.write(answer)
            transport.close()

"""The receiver's connection limits, kept at the socket, before aiohttp sees a byte.

aiohttp bounds each request (line, field and header-count limits, ``client_max_size``)
and closes a kept-alive connection that stays idle past its keep-alive timeout, but it
accepts any number of connections, and older aiohttp versions wait for a new
connection's first request without any limit: a "slow-loris" client that opens many
connections and trickles header bytes into each can hold the process's memory and file
descriptors, and (measured, issue 18) 1,100 of them filled every place so that the
platform's callbacks got 503 for as long as the attack lasted. The gate adds what is
missing, whatever aiohttp's version:

* at most ``max_connections`` open at once. When every place is taken, a new connection
  takes the place of the oldest one still waiting for its headers (that one is answered
  ``503`` with ``Retry-After``): a request that arrives whole (the platform's callbacks
  do) is read at once and always finds room, however many clients trickle. Only when
  every open connection has delivered its request is the new one answered ``503`` and
  closed at once;
* a client address (an IPv6 client: its /64 network) keeps at most
  ``MAX_SLOW_PER_ADDRESS`` connections that sent part of their headers and not the rest
  for ``GRACE`` seconds (trickling): the oldest beyond that are answered ``503`` and
  closed. A connection that has sent nothing yet is not counted: in a burst the
  receiver may not have read a whole request yet;
* a new connection must deliver its first request's headers within ``header_timeout``
  seconds, and once it has begun, without a pause longer than ``IDLE_TIMEOUT``, in at
  most ``MAX_HEAD`` bytes, or it is closed (408 / 431). Later requests on a kept-alive
  connection are bounded by aiohttp's keep-alive timeout.

``ConnectionGate(server, ...)`` is the protocol factory for ``loop.create_server``, used
in place of aiohttp's low-level ``web.Server`` (itself a protocol factory), which it
wraps: each connection is aiohttp's own protocol behind a thin ``_Guarded`` one. With a
``fast`` path (``fast.py``) the platform's callbacks are answered before aiohttp sees
them, and aiohttp reads the rest.

A receiver on the internet should still stand behind a reverse proxy (nginx, Caddy: see
the README), which reads whole requests before passing them on.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kupon_desktop.receiver.fast import FastLane, FastPath

log = logging.getLogger(__name__)

#: connections at once, at most (and at most half the process's file descriptors)
MAX_CONNECTIONS = 1024
#: seconds a new connection has to deliver its first request's headers
HEADER_TIMEOUT = 10.0
#: bytes a new connection may send before its first request's headers are complete (a
#: callback's request line and headers take a few hundred)
MAX_HEAD = 16 * 1024
#: seconds without a byte while the headers are incomplete (a request arrives whole in
#: one or two packets)
IDLE_TIMEOUT = 3.0
#: a connection waiting this long for its headers is slow: it may be evicted for a new
#: one, and counts against its address's share
GRACE = 1.0
#: slow connections one client address (IPv6: a /64) may hold
MAX_SLOW_PER_ADDRESS = 16
#: how often the waiting connections are checked, in seconds
SWEEP = 0.1

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


def address_key(peer: Any) -> str:
    """The share a connection counts against: its IPv4 address, or its IPv6 /64."""
    host = peer[0] if isinstance(peer, tuple) and peer else str(peer)
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return str(host)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return str(address)


class ConnectionGate:
    """The protocol factory: aiohttp's ``server`` behind the limits above."""

    def __init__(
        self,
        server: Any,
        *,
        max_connections: int | None = None,
        header_timeout: float = HEADER_TIMEOUT,
        idle_timeout: float = IDLE_TIMEOUT,
        max_slow_per_address: int = MAX_SLOW_PER_ADDRESS,
        fast: FastPath | None = None,
    ) -> None:
        self._server = server
        self.fast = fast
        self.max_connections = max_connections or default_max_connections()
        self.header_timeout = header_timeout
        self.idle_timeout = min(idle_timeout, header_timeout)
        self.max_slow_per_address = max_slow_per_address
        self.open = 0  # connections made and not yet lost (refused ones not counted)
        self.refused = 0
        self.timed_out = 0
        self.too_large = 0
        self.evicted = 0  # slow ones closed to make room for a new connection
        #: every open connection (the fast path's are not aiohttp's to close)
        self.connections: set[_Guarded] = set()
        self.over_share = 0  # slow ones closed beyond their address's share
        #: connections whose first request's headers are incomplete, oldest first
        self._waiting: dict[_Guarded, None] = {}
        self._sweeper: asyncio.TimerHandle | None = None

    def __call__(self) -> asyncio.Protocol:
        if self.open >= self.max_connections and not self._evict_one():
            self.refused += 1
            if self.refused == 1 or self.refused % 1000 == 0:
                log.warning(
                    "%d connection(s) refused: %d open, the most allowed", self.refused, self.open
                )
            return _Refused()
        return _Guarded(self._server(), self)

    def _evict_one(self) -> bool:
        """Close the oldest connection still waiting for its headers, to make room for
        a new one. A request that arrives whole is read in the loop's next turn and
        waits no more, so only connections that are slow to send are ever closed
        (even tricklers reconnecting at once, evicting each other, leave room)."""
        for conn in self._waiting:
            self.evicted += 1
            conn.refuse(_BUSY)
            return True
        return False

    @property
    def waiting_count(self) -> int:
        """Connections whose first request's headers are not complete yet."""
        return len(self._waiting)

    def waiting(self, conn: _Guarded) -> None:
        self._waiting[conn] = None
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().call_later(SWEEP, self._sweep)

    def done_waiting(self, conn: _Guarded) -> None:
        self._waiting.pop(conn, None)

    def _sweep(self) -> None:
        """Every ``SWEEP`` seconds while connections wait for their headers: the
        timeouts, and each address's share of slow ones."""
        self._sweeper = None
        now = time.monotonic()
        slow: dict[str, list[_Guarded]] = {}
        for conn in list(self._waiting):
            if now - conn.opened >= self.header_timeout or (
                conn.started and now - conn.last >= self.idle_timeout
            ):
                self.timed_out += 1
                conn.refuse(_TOO_SLOW)
            elif conn.started and now - conn.opened >= GRACE:
                # part of a head and still not the rest: trickling. (A connection with
                # no byte yet may be a client we have not read in a busy moment.)
                slow.setdefault(conn.address, []).append(conn)
        for conns in slow.values():
            for conn in conns[: max(0, len(conns) - self.max_slow_per_address)]:
                self.over_share += 1
                conn.refuse(_BUSY)
        if self._waiting:
            self._sweeper = asyncio.get_running_loop().call_later(SWEEP, self._sweep)

    def close(self) -> None:
        for conn in list(self.connections):
            conn.stop_fast()
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None


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
        self._watched = False
        self._head = 0  # bytes received while the first request's headers are incomplete
        self._tail = b""  # the last bytes seen, for an end of headers split across reads
        self._made = False
        self._lane: FastLane | None = None
        self._inner_made = False  # aiohttp's protocol has the connection
        self.opened = self.last = time.monotonic()
        self.address = ""

    @property
    def started(self) -> bool:
        """Part of the headers has arrived."""
        return self._head > 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._made = True
        self._gate.open += 1
        self.address = address_key(transport.get_extra_info("peername"))
        self.opened = self.last = time.monotonic()
        self._watched = True
        self._gate.waiting(self)
        self._gate.connections.add(self)
        if self._gate.fast is not None:
            # aiohttp is given the connection only if a request goes to it: its protocol
            # would close the connection as idle after its keep-alive timeout, since it
            # sees none of the requests answered here (with one of them in flight)
            self._lane = self._gate.fast.lane(transport, self._hand_over)
        else:
            self._give_inner(transport)

    def _give_inner(self, transport: asyncio.Transport) -> None:
        self._inner_made = True
        self._inner.connection_made(transport)

    def _hand_over(self, rest: bytes, eof: bool) -> None:
        """The fast path leaves the connection to aiohttp from ``rest`` on."""
        self._lane = None
        assert self._transport is not None
        self._give_inner(self._transport)
        if rest:
            self._inner.data_received(rest)
        # what the transport does with an end of input its protocol does not keep open
        if eof and not self._inner.eof_received():
            self._transport.close()

    def data_received(self, data: bytes) -> None:
        if self._watched:
            self.last = time.monotonic()
            window = self._tail + data
            if _END_OF_HEAD in window:
                self._watched_no_more()
            else:
                self._head += len(data)
                if self._head > MAX_HEAD:
                    self._gate.too_large += 1
                    self.refuse(_TOO_LARGE)
                    return
                self._tail = window[-(len(_END_OF_HEAD) - 1) :]
        if self._lane is not None:
            self._lane.data_received(data)
        else:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        if self._lane is not None:
            return self._lane.eof_received()
        return self._inner.eof_received()  # type: ignore[no-any-return]

    def connection_lost(self, exc: Exception | None) -> None:
        if self._lane is not None:
            self._lane.connection_lost()
            self._lane = None
        self._watched_no_more()
        self._gate.connections.discard(self)
        if self._made:
            self._made = False
            self._gate.open -= 1
        if self._inner_made:
            self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self._inner_made:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner_made:
            self._inner.resume_writing()

    def stop_fast(self) -> None:
        """The receiver stops: a fast connection closes once its answer is out (aiohttp
        closes its own)."""
        if self._lane is not None:
            self._lane.close_soon()

    def _watched_no_more(self) -> None:
        if self._watched:
            self._watched = False
            self._gate.done_waiting(self)
        self._tail = b""

    def refuse(self, answer: bytes) -> None:
        """Answer and close; aiohttp's protocol (if it has the connection) learns it
        through connection_lost."""
        self._watched_no_more()
        transport = self._transport
        if transport is not None and not transport.is_closing():
            transport.write(answer)
            transport.close()

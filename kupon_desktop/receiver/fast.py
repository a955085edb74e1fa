"""The platform's callbacks answered below aiohttp.

A callback storm is a million small ``GET /callback/<secret>/<campaign>/<key>?id=…&
status=…`` requests on keep-alive connections. aiohttp spends most of the receiver's CPU
on each (a task, a request object, the router, a response object): about three quarters
of it, measured. A request the platform sends, whole and well formed, is read here from
the connection's bytes, checked by the same rules (``requests.py``) and answered once its
event is committed, as the route does.

Anything else goes to aiohttp, which answers it as it always did: another method, path
or HTTP version, a body, ``Connection: close``, an ``Expect``, a percent-escape, a wrong
secret, a bad number (its 4xx text is the route's own). Once a connection has handed a
request over it stays with aiohttp, so answers never overtake each other; on a fast
connection a request is read only after the previous one is answered (pipelining keeps
its order).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Callable
from email.utils import formatdate

from kupon_desktop.receiver.requests import (
    ANSWER_BUSY,
    ANSWER_LOG_DOWN,
    MAX_FIELD,
    MAX_FIELDS,
    MAX_TARGET,
    RETRY_AFTER,
    BadCallback,
    parse_keys,
    parse_numbers,
    raw_text,
)
from kupon_desktop.receiver.writer import Busy, EventWriter
from kupon_desktop.store.errors import LogError
from kupon_desktop.store.models import NewStatusEvent

log = logging.getLogger(__name__)

_RETRY = b"Retry-After: " + RETRY_AFTER.encode()
_PREFIX = b"GET /callback/"
_HTTP11 = b" HTTP/1.1"
#: headers after which aiohttp must read the request (a body, an upgrade, a close)
_NOT_FAST = frozenset(
    (b"content-length", b"transfer-encoding", b"connection", b"expect", b"upgrade")
)
#: bytes in a target the route would decode first (escapes, '+' as a space, a fragment)
_DECODED = (b"%", b"+", b"#")


class _Date:
    """The ``Date`` header's value, formatted once a second."""

    def __init__(self) -> None:
        self._second = -1
        self._text = b""

    def __call__(self) -> bytes:
        now = int(time.time())
        if now != self._second:
            self._second = now
            self._text = formatdate(now, usegmt=True).encode("ascii")
        return self._text


_date = _Date()


def answer(status: bytes, text: str, *extra: bytes) -> bytes:
    """A whole keep-alive response as aiohttp's ``web.Response(text=…)`` would send it."""
    body = text.encode() + b"\n"
    return b"".join(
        (
            b"HTTP/1.1 ",
            status,
            b"\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ",
            str(len(body)).encode(),
            b"\r\nDate: ",
            _date(),
            *(b"\r\n" + h for h in extra),
            b"\r\n\r\n",
            body,
        )
    )


class _Ok:
    """The 200 answer, rebuilt when the date changes."""

    def __init__(self) -> None:
        self._date = b""
        self._bytes = b""

    def get(self) -> bytes:
        date = _date()
        if date != self._date:
            self._date, self._bytes = date, answer(b"200 OK", "OK")
        return self._bytes


_ok = _Ok()


def parse_callback(head: bytes, secret: bytes) -> NewStatusEvent | None:
    """The event of a request head (without its blank line) that the fast path answers,
    or None: aiohttp reads it."""
    line_end = head.find(b"\r\n")
    line = head if line_end < 0 else head[:line_end]
    if not line.startswith(_PREFIX) or not line.endswith(_HTTP11):
        return None
    target = line[4 : -len(_HTTP11)]
    if len(target) > MAX_TARGET or b" " in target or any(b in target for b in _DECODED):
        return None
    if line_end >= 0:
        fields = head[line_end + 2 :].split(b"\r\n")
        if len(fields) > MAX_FIELDS:
            return None
        for field in fields:
            name, colon, _value = field.partition(b":")
            if (
                not colon
                or not name
                or len(field) > MAX_FIELD
                or name[:1] in b" \t"
                or name[-1:] in b" \t"
                or name.lower() in _NOT_FAST
            ):
                return None
    path, _, query = target.partition(b"?")
    parts = path.split(b"/")  # b"", b"callback", secret[, campaign, key]
    if len(parts) not in (3, 5) or not hmac.compare_digest(parts[2], secret):
        return None
    try:
        query_text = query.decode("ascii")
        found: dict[str, list[str]] = {"id": [], "status": []}
        for piece in query_text.split("&") if query_text else ():
            key, eq, value = piece.partition("=")
            if not eq or not key:
                return None
            if key in found:
                found[key].append(value)
        pid, code = parse_numbers(found, {})
        campaign = recipient = None
        after_secret = ""
        if len(parts) == 5:
            campaign_text, key_text = parts[3].decode("ascii"), parts[4].decode("ascii")
            campaign, recipient = parse_keys(campaign_text, key_text)
            after_secret = f"/{campaign_text}/{key_text}"
    except (UnicodeDecodeError, BadCallback):
        return None
    return NewStatusEvent(
        platform_id=pid,
        code=code,
        campaign=campaign,
        recipient=recipient,
        raw=raw_text("GET", after_secret, query_text, ""),
    )


class FastPath:
    """The fast path of one receiver: ``lane`` makes each connection's."""

    def __init__(
        self, writer: EventWriter, secret: str, *, max_head: int, keepalive: float
    ) -> None:
        self.writer = writer
        self.secret = secret.encode()
        self.max_head = max_head
        self.keepalive = keepalive
        self.answered = 0  # requests answered here, not by aiohttp

    def lane(
        self, transport: asyncio.Transport, hand_over: Callable[[bytes, bool], None]
    ) -> FastLane:
        return FastLane(self, transport, hand_over)


class FastLane:
    """One connection's callbacks, read from its bytes while they are well formed.

    ``hand_over(rest, eof)`` gives aiohttp the connection from the request at ``rest``
    on (``eof``: the client has half-closed it already)."""

    def __init__(
        self,
        fast: FastPath,
        transport: asyncio.Transport,
        hand_over: Callable[[bytes, bool], None],
    ) -> None:
        self._fast = fast
        self._transport = transport
        self._hand_over = hand_over
        self._paused = False
        self._stopping = False
        self._buffer = b""
        self._pending: asyncio.Future[None] | None = None
        self._eof = False
        self._closed = False
        self._last = time.monotonic()
        self._idle: asyncio.TimerHandle | None = None

    def data_received(self, data: bytes) -> None:
        self._last = time.monotonic()
        self._buffer += data
        if self._pending is None:
            self._next()
        elif len(self._buffer) > 4 * self._fast.max_head and not self._paused:
            # requests piling up behind one not answered yet: read no more for now
            self._paused = True
            self._transport.pause_reading()

    def eof_received(self) -> bool:
        """The client sent all it will: what is answered still goes out, then close."""
        self._eof = True
        if self._pending is None:
            self._next()
        return True

    def connection_lost(self) -> None:
        self._closed = True
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None

    def _next(self) -> None:
        """Read the next whole request in the buffer, if any (one at a time)."""
        if self._closed:
            return
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > self._fast.max_head:
                self._give_up()
            elif self._eof:
                self._closed = True
                self._transport.close()
            else:
                self._watch_idle()
            return
        event = parse_callback(self._buffer[:end], self._fast.secret)
        if event is None:
            self._give_up()
            return
        self._buffer = self._buffer[end + 4 :]
        try:
            self._pending = self._fast.writer.submit(event)
        except Busy:
            self._respond(answer(b"503 Service Unavailable", ANSWER_BUSY, _RETRY))
            return
        self._pending.add_done_callback(self._stored)

    def _stored(self, done: asyncio.Future[None]) -> None:
        self._pending = None
        exc = None if done.cancelled() else done.exception()
        if done.cancelled():
            # the writer stopped with the receiver: the platform sends it again
            self._respond(answer(b"503 Service Unavailable", ANSWER_LOG_DOWN, _RETRY))
        elif exc is None:
            self._respond(_ok.get())
        elif isinstance(exc, LogError):
            log.warning("a status could not be stored: %s", exc)
            self._respond(answer(b"503 Service Unavailable", ANSWER_LOG_DOWN, _RETRY))
        else:
            log.error("a status could not be stored", exc_info=exc)
            self._respond(answer(b"500 Internal Server Error", "500 Internal Server Error"))

    def _respond(self, data: bytes) -> None:
        if self._closed:
            return
        self._fast.answered += 1
        self._transport.write(data)
        self._last = time.monotonic()
        if self._stopping:
            self.close_soon()
            return
        if self._paused:
            self._paused = False
            self._transport.resume_reading()
        self._next()

    def close_soon(self) -> None:
        """Close once no answer is owed (the receiver stops)."""
        self._stopping = True
        if self._pending is None and not self._closed:
            self._closed = True
            self._transport.close()

    def _give_up(self) -> None:
        """aiohttp reads this request and everything after it."""
        self._closed = True
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        rest, self._buffer = self._buffer, b""
        if self._paused:
            self._paused = False
            self._transport.resume_reading()
        self._hand_over(rest, self._eof)

    def _watch_idle(self) -> None:
        """A kept-alive connection idle for ``keepalive`` seconds is closed (as aiohttp
        closes its own); one timer per connection, moved on when it fires early."""
        if self._idle is None:
            self._idle = asyncio.get_running_loop().call_at(
                asyncio.get_running_loop().time() + self._fast.keepalive, self._check_idle
            )

    def _check_idle(self) -> None:
        self._idle = None
        if self._closed:
            return
        quiet = time.monotonic() - self._last
        if self._pending is None and quiet >= self._fast.keepalive:
            self._closed = True
            self._transport.close()
        else:
            self._idle = asyncio.get_running_loop().call_later(
                max(self._fast.keepalive - quiet, 0.05), self._check_idle
            )

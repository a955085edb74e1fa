"""``Receiver``: the callback receiver running on the caller's asyncio loop."""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import ssl
from collections.abc import Callable
from pathlib import Path

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from kupon_desktop.receiver.app import create_app
from kupon_desktop.receiver.codes import store_code_tables
from kupon_desktop.receiver.errors import BadSecret, CannotListen, PortInUse
from kupon_desktop.receiver.fast import FastPath
from kupon_desktop.receiver.gate import HEADER_TIMEOUT, MAX_HEAD, ConnectionGate
from kupon_desktop.receiver.requests import MAX_BODY, MAX_FIELD, MAX_FIELDS, valid_secret
from kupon_desktop.receiver.writer import EventWriter, LogThread

log = logging.getLogger(__name__)

#: how long stopping waits for requests being answered
SHUTDOWN_TIMEOUT = 5.0
#: an idle keep-alive connection is closed after this
KEEPALIVE_TIMEOUT = 15.0
#: a request whose body is not complete is read (and dropped) this long, then closed
LINGERING_TIME = 2.0


class _ClientMistakes(logging.Filter):
    """aiohttp logs every malformed request it answers 400 with its traceback, at ERROR:
    a client sending garbage would grow the receiver's log (a file the window appends
    to) by a kilobyte a request. Those are the client's doing and are dropped; a
    handler's own failure (a bug, answered 500) is still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, HttpProcessingError)


#: aiohttp's per-connection logger for the receiver (instead of "aiohttp.server")
http_log = logging.getLogger(__name__ + ".http")
http_log.addFilter(_ClientMistakes())


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class Receiver:
    """Listens on ``host:port`` (0: any free port) and stores callbacks in the log at
    ``db_path``. ``secret`` and ``feed_key`` default to the installation's own, kept in
    the log; ``busy_timeout`` is how long a commit waits for another process's write
    before the callback is answered 503. ``max_connections`` (default: ``gate``'s) and
    ``header_timeout`` limit the connections (see :mod:`kupon_desktop.receiver.gate`);
    a POST body must arrive within ``header_timeout`` too. ``await start()`` returns
    the callback base URL; ``await stop()`` commits what was accepted and closes
    everything. ``setup_app`` adds routes of its own to the app before it starts (the
    team server), ``max_body`` the largest body its routes take (a callback's is held
    to ``MAX_BODY`` all the same); ``ssl_context`` serves HTTPS. ``db_path`` may be a
    database URL, kept as given. ``fast=False`` leaves every request to aiohttp (the
    platform's callbacks are otherwise answered below it: ``fast.py``)."""

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
        setup_app: Callable[[web.Application], None] | None = None,
        ssl_context: ssl.SSLContext | None = None,
        max_body: int = MAX_BODY,
        fast: bool = True,
    ) -> None:
        if secret is not None and not valid_secret(secret):
            raise BadSecret
        # a URL ("postgresql://…") would lose a slash as a Path
        self.db_path: str | Path = (
            db_path if isinstance(db_path, str) and "://" in db_path else Path(db_path)
        )
        self._setup_app = setup_app
        self._max_body = max_body
        self._ssl = ssl_context
        self._fast = fast
        self.host = host
        self.port = port
        self.secret = secret
        self.feed_key = feed_key
        # a callback waits at most busy_timeout for another writer, then gets 503
        self._writer_log = LogThread(self.db_path, "receiver-write", busy_timeout=busy_timeout)
        self._reader_log = LogThread(self.db_path, "receiver-read", busy_timeout=busy_timeout)
        self._writer: EventWriter | None = None
        self._runner: web.AppRunner | None = None
        self._sock: socket.socket | None = None
        self._server: asyncio.Server | None = None
        self.max_connections = max_connections
        self.header_timeout = header_timeout
        #: the connection limits, once started (its counters: refused, timed_out, ...)
        self.gate: ConnectionGate | None = None
        self._stored = self._batches = 0

    @property
    def base_url(self) -> str:
        scheme = "https" if self._ssl is not None else "http"
        return f"{scheme}://{url_host(self.host)}:{self.port}"

    @property
    def callback_base(self) -> str:
        """What a message's callback starts with; the engine appends
        ``/<campaign>/<key>?id={id}&status={status}``."""
        return f"{self.base_url}/callback/{self.secret}"

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/events"

    @property
    def stored(self) -> int:
        """Events committed since start."""
        return self._writer.stored if self._writer else self._stored

    @property
    def batches(self) -> int:
        """Commits made since start (a burst shares them)."""
        return self._writer.batches if self._writer else self._batches

    async def start(self) -> str:
        try:
            log_ = await self._writer_log.open()
            await self._reader_log.open()
            await self._writer_log.run(store_code_tables, log_)
            if self.secret is None:
                self.secret = await self._writer_log.run(log_.receiver_secret)
            if self.feed_key is None:
                self.feed_key = await self._writer_log.run(log_.feed_key)
            self._sock = self._listen()
            self.port = self._sock.getsockname()[1]
            self._writer = EventWriter(self._writer_log)
            self._writer.start()
            app = create_app(
                self._writer,
                self._reader_log,
                self.secret,
                self.feed_key,
                body_timeout=self.header_timeout,
                client_max_size=self._max_body,
            )
            if self._setup_app is not None:
                self._setup_app(app)
            # access_log=None: an access log line would carry the secret in the URL.
            # A callback needs a few short headers: aiohttp's limits (128 fields of 8 KB)
            # would let one connection hold a megabyte
            self._runner = web.AppRunner(
                app,
                access_log=None,
                shutdown_timeout=SHUTDOWN_TIMEOUT,
                keepalive_timeout=KEEPALIVE_TIMEOUT,
                lingering_time=LINGERING_TIME,
                max_field_size=MAX_FIELD,
                max_headers=MAX_FIELDS,
                logger=http_log,
            )
            await self._runner.setup()
            assert self._runner.server is not None
            # listening through the gate (not web.SockSite): the connection limits
            self.gate = ConnectionGate(
                self._runner.server,
                max_connections=self.max_connections,
                header_timeout=self.header_timeout,
                fast=FastPath(
                    self._writer, self.secret, max_head=MAX_HEAD, keepalive=KEEPALIVE_TIMEOUT
                )
                if self._fast
                else None,
            )
            self._server = await asyncio.get_running_loop().create_server(
                self.gate, sock=self._sock, backlog=512, ssl=self._ssl
            )
        except BaseException:
            await self.stop()
            raise
        log.info("status receiver listening on %s", self.base_url)
        return self.callback_base

    def _listen(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            return socket.create_server((self.host, self.port), family=family, backlog=512)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(self.host, self.port) from exc
            raise CannotListen(self.host, self.port, exc.strerror or str(exc)) from exc

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()  # stops listening
        if self._runner is not None:
            await self._runner.cleanup()  # lets answers finish, closes the connections
            self._runner = None
        if self.gate is not None:
            self.gate.close()
        if server is not None:
            await server.wait_closed()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._writer is not None:
            await self._writer.close()
            self._stored, self._batches = self._writer.stored, self._writer.batches
            self._writer = None
        await self._reader_log.close()
        await self._writer_log.close()

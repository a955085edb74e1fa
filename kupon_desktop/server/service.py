"""``TeamServer``: the receiver and the team API on the caller's loop.

The receiver stores callbacks as it always does; a task sorts them into the team's
per-recipient statuses every ``apply_interval`` seconds (and every status read does it
first, so a desk never reads a status older than the callbacks already answered 200).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from kupon_desktop.receiver.server import Receiver
from kupon_desktop.receiver.writer import LogThread
from kupon_desktop.server.app import add_routes
from kupon_desktop.server.base_api import add_base_routes
from kupon_desktop.store.errors import LogError

log = logging.getLogger(__name__)

#: the largest body the team API takes: a campaign's platform ids (``MESSAGES_CHUNK`` =
#: 10,000 pairs, about 300 kB) or the stop list's additions (100,000 entries at most).
#: The receiver's limit (4 kB) would refuse a desk's report of more than 200 ids
API_MAX_BODY = 32 * 1024 * 1024


def ssl_context(cert: str | Path, key: str | Path) -> ssl.SSLContext:
    """A server context for ``cert`` (PEM, with its chain) and its private ``key``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert), str(key))
    return context


class StatusSorter:
    """Sorts the callbacks the receiver stored into the recipients' statuses, once for
    every reader waiting at the same time.

    A status read first makes sure every callback answered 200 before it is sorted
    (``catch_up``). Five desks catching up page after page during a storm of callbacks
    asked for a sort each, every one a write transaction taking the lock the receiver's
    commits wait for; now a read that finds the sort done past what the receiver had
    stored when it came returns at once, and one that does not waits for the sort
    running (or starts one), shared by everyone waiting."""

    #: events one ``team_apply_events`` call reads at most
    LIMIT = 20_000

    def __init__(self, api_log: LogThread, stored: Callable[[], int]) -> None:
        self._log = api_log
        #: how many callbacks this process's receiver has committed so far
        self._stored = stored
        self._sorted_past = -1  # ``stored()`` when the last complete sort began
        self._running: asyncio.Future[None] | None = None

    async def sort(self) -> None:
        """A sort that begins now (after the one running, if any): the periodic one,
        which also sorts what another process stored in the same database."""
        if self._running is not None and not self._running.done():
            await asyncio.shield(self._running)
        self._running = asyncio.ensure_future(self._sort_all())
        await asyncio.shield(self._running)

    async def catch_up(self) -> None:
        """Return once every callback this receiver stored before the call is sorted."""
        await self._wait_for(self._stored())

    async def _wait_for(self, mark: int) -> None:
        while self._sorted_past < mark:
            if self._running is None or self._running.done():
                self._running = asyncio.ensure_future(self._sort_all())
            # shielded: a reader that goes away does not stop the sort others wait for
            await asyncio.shield(self._running)

    async def _sort_all(self) -> None:
        """Sort what was stored when it began, and no more: during a storm the callbacks
        stored while it sorts would keep it going, and every reader waiting with it."""
        began = self._stored()
        log = self._log.log
        top = await self._log.run(log.team_events_top)
        while await self._log.run(log.team_apply_events, self.LIMIT, top) >= self.LIMIT:
            pass
        self._sorted_past = max(self._sorted_past, began)


class TeamServer:
    def __init__(
        self,
        database: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl: ssl.SSLContext | None = None,
        apply_interval: float = 0.5,
        public_url: str | None = None,
    ) -> None:
        """``public_url``: the address the platform and the desks reach this server by,
        when it is not the one it listens on (behind a reverse proxy)."""
        self.database = database
        self.public_url = public_url.rstrip("/") if public_url else None
        self._api_log = LogThread(database, "team-api")
        # the base's calls on a connection and thread of their own: a file merged or a
        # segment counted never holds up the stop list's and the statuses' routes
        self._base_log = LogThread(database, "team-base")
        self._callback_base: list[str] = []
        self.receiver = Receiver(
            database,
            host=host,
            port=port,
            setup_app=self._setup,
            ssl_context=ssl,
            max_body=API_MAX_BODY,
        )
        self._apply_interval = apply_interval
        self._task: asyncio.Task[None] | None = None
        self.sorter = StatusSorter(self._api_log, lambda: self.receiver.stored)

    def _setup(self, app: web.Application) -> None:
        add_routes(app, self._api_log, self._callback_base, catch_up=self.sorter.catch_up)
        add_base_routes(app, self._base_log)

    @property
    def base_url(self) -> str:
        return self.receiver.base_url

    @property
    def callback_base(self) -> str:
        """What the desks give the platform as the callback address."""
        if self.public_url is None:
            return self.receiver.callback_base
        return f"{self.public_url}/callback/{self.receiver.secret}"

    async def start(self) -> str:
        """Listen; returns the server's base URL."""
        await self._api_log.open()
        try:
            await self._base_log.open()
            await self.receiver.start()
            self._callback_base.append(self.callback_base)
        except BaseException:
            await self._base_log.close()
            await self._api_log.close()
            raise
        self._task = asyncio.create_task(self._apply_loop(), name="team-apply")
        return self.base_url

    async def _apply_loop(self) -> None:
        # callbacks another process stored in the same database are sorted here too
        while True:
            try:
                await self.sorter.sort()
            except LogError as exc:
                log.warning("statuses could not be sorted yet: %s", exc)
            await asyncio.sleep(self._apply_interval)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.receiver.stop()
        await self._base_log.close()
        await self._api_log.close()

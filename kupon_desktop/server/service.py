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
from pathlib import Path

from aiohttp import web

from kupon_desktop.receiver.server import Receiver
from kupon_desktop.receiver.writer import LogThread
from kupon_desktop.server.app import add_routes
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

    def _setup(self, app: web.Application) -> None:
        add_routes(app, self._api_log, self._callback_base)

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
            await self.receiver.start()
            self._callback_base.append(self.callback_base)
        except BaseException:
            await self._api_log.close()
            raise
        self._task = asyncio.create_task(self._apply_loop(), name="team-apply")
        return self.base_url

    async def _apply_loop(self) -> None:
        while True:
            try:
                while await self._api_log.run(self._api_log.log.team_apply_events) > 0:
                    pass
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
        await self._api_log.close()

"""Calling each message's callback URL with its status, as the platform documents it.

A try succeeds on HTTP 200 and on nothing else; after a failed first try come two
more, ``callback_retry_delays`` (1 and 10 minutes) apart, scaled by the time factor,
and then the status is given up. Each status is called back on its own, so statuses
can arrive out of order, as on the real platform. A fixed pool of workers does the
calls, so a burst of statuses queues instead of opening a socket each.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging

import aiohttp
from yarl import URL

from kupon_desktop.simulator.config import SimulatorConfig
from kupon_desktop.simulator.lifecycle import SimMessage
from kupon_desktop.simulator.scheduler import Scheduler

log = logging.getLogger(__name__)

_Job = tuple[SimMessage, int, int]  # message, status code on the wire, try number


def is_loopback_url(url: str) -> bool:
    try:
        host = URL(url).host
    except (ValueError, TypeError):
        return False
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def callback_url(template: str, ident: int, status: int) -> str:
    return template.replace("{id}", str(ident)).replace("{status}", str(status))


class CallbackSender:
    def __init__(self, config: SimulatorConfig, scheduler: Scheduler) -> None:
        self._config = config
        self._scheduler = scheduler
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self._session: aiohttp.ClientSession | None = None
        self._refused_hosts: set[str] = set()
        self.delivered = 0
        self.failed_tries = 0
        self.given_up = 0

    async def start(self) -> None:
        cfg = self._config
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=cfg.callback_concurrency),
            timeout=aiohttp.ClientTimeout(total=cfg.callback_timeout),
            headers={"User-Agent": "KuponMobiSimulator"},
        )
        self._workers = [
            asyncio.create_task(self._work(), name=f"simulator-callback-{n}")
            for n in range(cfg.callback_concurrency)
        ]

    async def close(self) -> None:
        for task in self._workers:
            task.cancel()
        for task in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._workers.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def on_status(self, msg: SimMessage, status: int) -> None:
        """Hand a status change over for calling back (if the message has a callback)."""
        if not msg.callback:
            return
        cfg = self._config
        if not cfg.callback_pending and status in (-1, 0):
            return
        code = status
        if msg.kannel:
            kannel = cfg.kannel_codes.get(status)
            if kannel is None:
                return
            code = kannel
        if cfg.loopback_callbacks_only and not is_loopback_url(msg.callback):
            host = str(URL(msg.callback).host) if msg.callback else ""
            if host not in self._refused_hosts:
                self._refused_hosts.add(host)
                log.warning("not calling back %r: the simulator calls only loopback hosts", host)
            return
        self._queue.put_nowait((msg, code, 1))

    def _retry(self, job: _Job) -> None:
        self._queue.put_nowait(job)

    async def _work(self) -> None:
        delays = self._config.callback_retry_delays
        while True:
            msg, code, attempt = await self._queue.get()
            ok = await self._call(callback_url(msg.callback or "", msg.id, code))
            msg.callback_tries += 1
            if ok:
                self.delivered += 1
            elif attempt <= len(delays):
                self.failed_tries += 1
                self._scheduler.call_later(
                    self._config.scaled(delays[attempt - 1]), self._retry, (msg, code, attempt + 1)
                )
            else:
                self.failed_tries += 1
                self.given_up += 1

    async def _call(self, url: str) -> bool:
        assert self._session is not None
        try:
            async with self._session.get(url, allow_redirects=False) as response:
                await response.read()
                return response.status == 200
        except (TimeoutError, aiohttp.ClientError, ValueError, OSError):
            return False

"""The baseline of ``bench_team``: the receiver a script would write, as its own process.
aiohttp, one route, and per callback one ``INSERT`` committed on its own (autocommit)
through a pool of 16 psycopg connections to the same PostgreSQL: no batching of
commits, no lock, no statuses sorted per recipient. It prints ``listening on PORT``.

    python -m benchmarks.naive_receiver URL
"""

from __future__ import annotations

import asyncio
import sys
import time

from aiohttp import web
from psycopg_pool import AsyncConnectionPool

SCHEMA = """
CREATE TABLE IF NOT EXISTS naive_events (
    seq bigserial PRIMARY KEY, received_at bigint NOT NULL, campaign text,
    recipient bigint, platform_id bigint NOT NULL, code integer NOT NULL, raw text NOT NULL
)"""


async def main(url: str) -> None:
    pool = AsyncConnectionPool(url, min_size=16, max_size=16, kwargs={"autocommit": True})
    await pool.open(wait=True)
    async with pool.connection() as conn:
        await conn.execute(SCHEMA)

    async def callback(request: web.Request) -> web.Response:
        try:
            pid = int(request.query["id"])
            code = int(request.query["status"])
            key = int(request.match_info["recipient"])
        except (KeyError, ValueError):
            return web.Response(status=400, text="bad callback\n")
        async with pool.connection() as conn:
            await conn.execute(
                "INSERT INTO naive_events (received_at, campaign, recipient, platform_id, "
                "code, raw) VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    time.time_ns() // 1_000_000,
                    request.match_info["campaign"],
                    key,
                    pid,
                    code,
                    request.rel_url.raw_query_string,
                ),
            )
        return web.Response(text="OK\n")

    app = web.Application()
    app.router.add_get("/callback/{secret}/{campaign}/{recipient}", callback)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=512)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"listening on {port}", flush=True)
    try:
        while True:
            await asyncio.sleep(3600)
    finally:
        await runner.cleanup()
        await pool.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

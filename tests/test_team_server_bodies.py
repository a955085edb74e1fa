"""The team server takes a campaign's platform ids in requests far larger than a
callback (a desk reports up to 10,000 ids at once), while a callback's body on the same
port is still held to the receiver's few kilobytes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from kupon_desktop.receiver.requests import MAX_BODY
from kupon_desktop.server.service import TeamServer
from kupon_desktop.store.log import open_log
from kupon_desktop.team.client import MESSAGES_CHUNK, TeamClient


def test_a_desk_reports_a_whole_chunk_of_ids_and_a_callback_body_stays_small(
    tmp_path: Path,
) -> None:
    db = tmp_path / "team.sqlite3"
    log = open_log(db)
    log.team_add_user("anna", "sender", "key-of-anna-" + "x" * 20, by="admin")
    log.close()
    campaign = str(uuid.uuid4())
    n = MESSAGES_CHUNK + 500  # one full request and a second one

    async def main() -> None:
        server = TeamServer(db)
        base = await server.start()
        client = TeamClient(base, "key-of-anna-" + "x" * 20)
        try:
            await client.register(
                campaign, name="Весна", type="sms", recipients=n, advertising=False, desk="a"
            )
            pairs = [(key, 900_000 + key) for key in range(n)]
            assert await client.report_messages(campaign, pairs) == n
            # the ids reached the store: a callback naming only its id finds the recipient
            async with httpx.AsyncClient(trust_env=False) as http:
                answer = await http.get(
                    server.callback_base, params={"id": str(900_000 + 7), "status": "1"}
                )
                assert answer.status_code == 200
                rows = (await client.statuses(campaign, 0))["statuses"]
                assert [(r["recipient"], r["code"]) for r in rows] == [(7, 1)]

                async def chunks() -> AsyncIterator[bytes]:  # no Content-Length
                    yield b"id=1&status=1&pad="
                    for _ in range(10):
                        yield b"x" * MAX_BODY

                answer = await http.post(
                    server.callback_base,
                    content=chunks(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                assert answer.status_code == 413
        finally:
            await client.aclose()
            await server.stop()

    asyncio.run(main())

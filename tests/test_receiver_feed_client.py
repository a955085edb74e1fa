"""A server receiver's feed pulled into the desk's own log: every event once, the cursor
kept across restarts, a wrong key refused."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from kupon_desktop.receiver.feed_client import feed_url_for, pull_feed
from kupon_desktop.receiver.runner import ReceiverThread
from kupon_desktop.store.log import Log


def test_feed_url_is_derived_from_the_callback_address():
    assert (
        feed_url_for("https://example.ru/kupon/callback/s3cretS3cretS3cret")
        == "https://example.ru/kupon/events"
    )


def test_desk_pulls_the_server_feed(tmp_path):
    server = ReceiverThread(tmp_path / "server.sqlite3", feed_key="feed-key-0123456789abcdef")
    base = server.start()
    desk = Log(tmp_path / "desk.sqlite3")
    try:
        with httpx.Client(trust_env=False) as http:
            for pid, status in ((100001, 0), (100001, 1), (100002, 20)):
                assert http.get(base, params={"id": pid, "status": status}).status_code == 200

        async def pull(key):
            async with httpx.AsyncClient(trust_env=False) as http:
                return await pull_feed(http, server.feed_url, key, desk)

        assert asyncio.run(pull("feed-key-0123456789abcdef")) == 3
        assert asyncio.run(pull("feed-key-0123456789abcdef")) == 0  # the cursor is kept
        with httpx.Client(trust_env=False) as http:
            http.get(base, params={"id": 100003, "status": 1})
        assert asyncio.run(pull("feed-key-0123456789abcdef")) == 1
        assert [e.platform_id for e in desk.events_after(0, 10)] == [100001, 100001, 100002, 100003]
        with pytest.raises(httpx.HTTPStatusError):
            asyncio.run(pull("wrong-key-0123456789abcdef"))
    finally:
        desk.close()
        server.stop()

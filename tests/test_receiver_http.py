"""The callback receiver over real loopback sockets and a real log file: valid callbacks
stored before the 200, everything invalid refused with nothing written, the feed behind
its key, a burst of concurrent callbacks sharing commits."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import httpx
import pytest

from kupon_desktop.receiver.errors import BadSecret, PortInUse
from kupon_desktop.receiver.requests import MAX_BODY, MAX_TARGET
from kupon_desktop.receiver.runner import ReceiverThread
from kupon_desktop.store import NewRecipient, open_log

SECRET = "test-secret-0123456789"
FEED_KEY = "feed-key-abcdefghijklmnop"


@dataclass
class Running:
    receiver: ReceiverThread
    db: Path
    plain: str  # a campaign sent with platform codes
    kannel: str  # a campaign sent with kannel_status=1
    http: httpx.Client

    @property
    def base(self) -> str:
        return self.receiver.callback_base

    def stored(self) -> list:
        with open_log(self.db, readonly=True) as log:
            return log.events_after(0, 100_000)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        plain = log.create_campaign({}, "sms", [NewRecipient("79001234567", "a")] * 3)
        kannel = log.create_campaign({}, "sms", [NewRecipient("79001234567", "b")] * 3, kannel=True)
    receiver = ReceiverThread(db, port=0, secret=SECRET, feed_key=FEED_KEY)
    receiver.start()
    try:
        with httpx.Client(timeout=30) as http:
            yield Running(receiver, db, plain, kannel, http)
    finally:
        receiver.stop()


def test_a_valid_callback_is_committed_before_the_200(running: Running) -> None:
    url = f"{running.base}/{running.plain}/2?id=5001&status=1"
    assert url.startswith("http://127.0.0.1:") and f"/callback/{SECRET}/" in url
    response = running.http.get(url)
    assert (response.status_code, response.text.strip()) == (200, "OK")
    # a connection of its own, opened after the answer, sees it: it was committed
    raw = sqlite3.connect(running.db)
    try:
        # the campaign of an event tied to a recipient is the one its rid names
        row = raw.execute(
            "SELECT coalesce(e.campaign, c.id), e.recipient, e.platform_id, e.code, e.status, "
            "e.raw FROM status_events e LEFT JOIN campaigns c ON c.num = e.rid >> 32"
        ).fetchone()
    finally:
        raw.close()
    assert row[:5] == (running.plain, 2, 5001, 1, 1)
    assert SECRET not in row[5] and row[5] == (
        f"GET /callback/***/{running.plain}/2?id=5001&status=1"
    )


def test_a_callback_keyed_by_platform_id_only(running: Running) -> None:
    assert running.http.get(f"{running.base}?id=77&status=-1").status_code == 200
    [event] = running.stored()
    assert (event.campaign, event.recipient, event.platform_id, event.code) == (None, None, 77, -1)


def test_post_with_form_fields_or_query(running: Running) -> None:
    r1 = running.http.post(f"{running.base}/{running.plain}/0", data={"id": "9001", "status": "2"})
    r2 = running.http.post(f"{running.base}/{running.plain}/1?id=9002&status=4")
    assert (r1.status_code, r2.status_code) == (200, 200)
    first, second = running.stored()
    assert (first.platform_id, first.code, first.recipient) == (9001, 2, 0)
    assert first.raw.endswith("\n\nid=9001&status=2") and SECRET not in first.raw
    assert (second.platform_id, second.code) == (9002, 4)


def test_kannel_codes_are_translated_for_campaigns_sent_so(running: Running) -> None:
    for key, code in enumerate((1, 16, 3)):
        url = f"{running.base}/{running.kannel}/{key}?id={100 + key}&status={code}"
        assert running.http.get(url).status_code == 200
    assert running.http.get(f"{running.base}/{running.plain}/0?id=7&status=16").status_code == 200
    assert [(e.code, e.status) for e in running.stored()] == [(1, 1), (16, 20), (3, 3), (16, 16)]


@pytest.mark.parametrize("secret", ["wrong", SECRET + "x", SECRET[:-1], SECRET.upper()])
def test_a_wrong_secret_is_403_and_nothing_is_written(running: Running, secret: str) -> None:
    base = running.base.replace(SECRET, secret)
    assert running.http.get(f"{base}?id=1&status=1").status_code == 403
    assert running.http.post(base, data={"id": "1", "status": "1"}).status_code == 403
    assert running.stored() == []


@pytest.mark.parametrize(
    "query",
    [
        "id=abc&status=1",
        "id=1&status=one",
        "id=&status=1",
        "status=1",
        "id=1",
        "id=1.5&status=1",
        "id=-1&status=1",
        "id=1&status=1&status=2",
        "id=%2B1&status=1",
        "id=1234567890123456789012&status=1",
        "id=1&status=99999999999",
    ],
)
def test_bad_numbers_are_400_and_nothing_is_written(running: Running, query: str) -> None:
    assert running.http.get(f"{running.base}?{query}").status_code == 400
    assert running.stored() == []


@pytest.mark.parametrize(
    "path", ["not-a-uuid/1", "{campaign}/x", "{campaign}/-1", "{campaign}/99999999999"]
)
def test_bad_keys_are_400(running: Running, path: str) -> None:
    url = f"{running.base}/{path.format(campaign=running.plain)}?id=1&status=1"
    assert running.http.get(url).status_code == 400
    assert running.stored() == []


def test_oversized_requests_are_refused_and_nothing_is_written(running: Running) -> None:
    long_query = "id=1&status=1&pad=" + "x" * MAX_TARGET
    assert running.http.get(f"{running.base}?{long_query}").status_code == 414
    huge_query = "id=1&status=1&pad=" + "x" * 20_000  # past the HTTP parser's own limit
    assert running.http.get(f"{running.base}?{huge_query}").status_code in (400, 414)
    body = {"id": "1", "status": "1", "pad": "x" * (MAX_BODY + 10)}
    assert running.http.post(running.base, data=body).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while reading
        yield b"id=1&status=1&pad="
        for _ in range(10):
            yield b"x" * MAX_BODY

    response = running.http.post(
        running.base,
        content=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert running.stored() == []
    assert running.http.get(f"{running.base}?id=1&status=1").status_code == 200  # still fine


def test_other_methods_and_paths(running: Running) -> None:
    assert running.http.put(f"{running.base}?id=1&status=1").status_code == 405
    assert running.http.get(f"{running.receiver.base_url}/callback").status_code == 404
    health = running.http.get(f"{running.receiver.base_url}/health").json()
    assert health == {"status": "ok", "pid": os.getpid()}  # the thread runs in this process
    assert running.stored() == []


def test_the_feed_needs_its_key(running: Running) -> None:
    for key in range(3):
        running.http.get(f"{running.base}/{running.plain}/{key}?id={50 + key}&status=1")
    feed = running.receiver.feed_url
    assert running.http.get(feed).status_code == 401
    assert running.http.get(feed, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert running.http.get(feed, headers={"Authorization": f"Basic {FEED_KEY}"}).status_code == 401
    auth = {"Authorization": f"Bearer {FEED_KEY}"}
    page = running.http.get(feed, params={"after": 0, "limit": 2}, headers=auth)
    assert page.status_code == 200
    body = page.json()
    assert [e["platform_id"] for e in body["events"]] == [50, 51] and body["cursor"] == 2
    assert body["events"][0]["campaign"] == running.plain
    assert SECRET not in page.text
    rest = running.http.get(feed, params={"after": body["cursor"]}, headers=auth).json()
    assert [e["seq"] for e in rest["events"]] == [3] and rest["cursor"] == 3
    empty = running.http.get(feed, params={"after": 3}, headers=auth).json()
    assert empty == {"events": [], "cursor": 3}
    for params in ({"after": "x"}, {"after": -1}, {"limit": 0}, {"limit": 100_000}):
        assert running.http.get(feed, params=params, headers=auth).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "after=9223372036854775808",  # 2^63: no seq is that large; was a 500
        "after=99999999999999999999999",
        "after=1_0",  # int() takes it
        "after=%203",  # " 3"
        "after=3%20",
        "after=%D9%A3",  # Arabic-Indic three
        "after=%EF%BC%93",  # fullwidth three
        "after=+3",
        "after=",
        "after=1&after=2",
        "limit=1_0",
        "limit=%D9%A3",
        "limit=9223372036854775808",
    ],
)
def test_the_feed_takes_only_plain_ascii_numbers(running: Running, query: str) -> None:
    auth = {"Authorization": f"Bearer {FEED_KEY}"}
    answer = running.http.get(f"{running.receiver.feed_url}?{query}", headers=auth)
    assert answer.status_code == 400, answer.text
    assert "Traceback" not in answer.text


def test_the_feed_takes_the_largest_cursor(running: Running) -> None:
    auth = {"Authorization": f"Bearer {FEED_KEY}"}
    top = (1 << 63) - 1
    answer = running.http.get(f"{running.receiver.feed_url}?after={top}", headers=auth)
    assert answer.status_code == 200
    assert answer.json() == {"events": [], "cursor": top}


def test_a_burst_of_1000_concurrent_callbacks_is_all_stored(running: Running) -> None:
    async def burst() -> list[int]:
        connector = aiohttp.TCPConnector(limit=0)  # every request at once
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one(n: int) -> int:
                url = f"{running.base}/{running.plain}/{n % 3}?id={10_000 + n}&status=1"
                async with session.get(url) as response:
                    await response.read()
                    return response.status

            return await asyncio.gather(*(one(n) for n in range(1000)))

    statuses = asyncio.run(burst())
    assert statuses == [200] * 1000
    stored = running.stored()
    assert sorted(e.platform_id for e in stored) == list(range(10_000, 11_000))
    assert running.receiver.receiver.batches < 1000  # commits were shared


def test_a_locked_log_answers_503_and_recovers(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    with open_log(db):
        pass
    with (
        ReceiverThread(db, secret=SECRET, busy_timeout=0.2) as receiver,
        httpx.Client(timeout=30) as http,
    ):
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            response = http.get(f"{receiver.callback_base}?id=1&status=1")
            assert response.status_code == 503 and response.headers["Retry-After"]
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert http.get(f"{receiver.callback_base}?id=2&status=1").status_code == 200
    with open_log(db) as log:
        assert [e.platform_id for e in log.events_after(0)] == [2]


def test_the_installations_own_secret_and_key_are_used_by_default(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        secret, key = log.receiver_secret(), log.feed_key()
    with ReceiverThread(db) as receiver:
        assert receiver.callback_base.endswith(f"/callback/{secret}")
        assert (receiver.secret, receiver.feed_key) == (secret, key)


def test_a_port_in_use_is_reported(tmp_path: Path) -> None:
    taken = socket.create_server(("127.0.0.1", 0))
    try:
        port = taken.getsockname()[1]
        receiver = ReceiverThread(tmp_path / "log.sqlite3", port=port, secret=SECRET)
        with pytest.raises(PortInUse, match=str(port)):
            receiver.start()
    finally:
        taken.close()


def test_a_secret_that_cannot_be_in_a_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadSecret):
        ReceiverThread(tmp_path / "log.sqlite3", secret="has/slash")


def test_after_stop_nothing_listens(tmp_path: Path) -> None:
    receiver = ReceiverThread(tmp_path / "log.sqlite3", secret=SECRET)
    receiver.start()
    port = receiver.port
    receiver.stop()
    receiver.stop()  # twice is harmless
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass

"""The status receiver under thousands of malformed and hostile requests: wrong secrets,
huge targets and headers, non-numeric and out-of-range fields, unknown campaigns and ids,
garbage that is not HTTP, oversized bodies, bursts, and slow-loris connections that
trickle header bytes. Only the valid callbacks are stored, valid callbacks keep being
answered 200 while it goes on and after, and the receiver's memory stays bounded (its
resident set, read from ``/proc``, before and after).

The first test runs the receiver as its own process (as the window starts it), with its
default limits; the second runs it in a thread with short limits, to watch them act: a
connection that has not sent its request's headers within the header timeout is closed
with 408, one past the connection cap is answered 503 at once, headers past the size
limit get 431, a body that does not arrive in time 408.
"""

from __future__ import annotations

import asyncio
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from kupon_desktop.receiver.gate import MAX_HEAD, MAX_SLOW_PER_ADDRESS
from kupon_desktop.receiver.runner import ReceiverThread
from kupon_desktop.store import NewRecipient, open_log

SECRET = "hostile-secret-0123456789abcdef"
FEED_KEY = "hostile-feed-key-0123456789abcdef"
SIZE = 100  # recipients of the campaign the valid callbacks are for
#: platform ids of hostile requests start here: none of them may be stored
HOSTILE_IDS = 900_000_000

_STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3})")


async def exchange(port: int, data: bytes, *, limit: float = 15.0) -> int | None:
    """Send ``data`` on a new connection, read until the server closes it; the HTTP
    status of its answer, or None when it closed without one."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        try:
            writer.write(data)
            await writer.drain()
        except ConnectionError:
            pass  # it may answer and close before reading everything
        try:
            async with asyncio.timeout(limit):
                answer = await reader.read(4096)
                while await reader.read(65536):
                    pass
        except ConnectionError:
            answer = b""
        found = _STATUS_LINE.match(answer)
        return int(found.group(1)) if found else None
    finally:
        writer.close()
        with suppress(ConnectionError):
            await writer.wait_closed()


def get(target: str, *headers: str) -> bytes:
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def post(target: str, body: bytes, *headers: str) -> bytes:
    lines = [
        f"POST {target} HTTP/1.1",
        "Host: 127.0.0.1",
        "Connection: close",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Valid:
    """Valid callbacks, each with a platform id of its own, and the ids answered 200."""

    def __init__(self, campaign: str) -> None:
        self.campaign = campaign
        self.next_id = 1
        self.ok: set[int] = set()
        self.failed: list[tuple[int, int | None]] = []

    def request(self, *, unknown: str = "") -> tuple[int, bytes]:
        pid = self.next_id
        self.next_id += 1
        key = pid % SIZE
        campaign = self.campaign
        if unknown == "campaign":  # another log's campaign: stored, matched by id later
            campaign = str(uuid.UUID(int=random.getrandbits(128), version=4))
        elif unknown == "key":  # past this campaign's recipients
            key = SIZE + pid
        target = f"/callback/{SECRET}/{campaign}/{key}?id={pid}&status={random.choice([1, 20])}"
        if unknown == "path":  # keyed by platform id only, an id nobody has
            target = f"/callback/{SECRET}?id={pid}&status=1"
        return pid, get(target)

    async def send(self, port: int, **kind: str) -> None:
        pid, data = self.request(**kind)
        status = await exchange(port, data)
        if status == 200:
            self.ok.add(pid)
        else:
            self.failed.append((pid, status))


def hostile_requests(campaign: str, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """(kind, raw request) of every hostile sort; none is a valid callback."""
    ids = iter(range(HOSTILE_IDS, HOSTILE_IDS + 10**6))

    def cb(query: str, secret: str = SECRET, path: str = f"/{campaign}/1") -> str:
        return f"/callback/{secret}{path}?{query}"

    for _ in range(600):
        secret = rng.choice(
            [
                "wrong",
                SECRET[:-1],
                SECRET + "x",
                SECRET.upper(),
                SECRET[::-1],
                "",
                "%00" + SECRET,
                SECRET + "%2F",
            ]
        )
        yield "wrong secret", get(cb(f"id={next(ids)}&status=1", secret))
    for _ in range(200):
        yield (
            "wrong secret (POST)",
            post(f"/callback/x{SECRET}", f"id={next(ids)}&status=1".encode()),
        )
    bad_values = [
        "abc",
        "1.5",
        "",
        "0x10",
        "1e3",
        " 1",
        "١٢٣",
        "1%00",
        "++1",
        "9" * 25,
        "%FF%FE",
        "NaN",
        "1;2",
        "[1]",
    ]
    for _ in range(900):  # a status may be negative (-1 is "waiting"), an id may not
        pid, status = rng.choice(
            [(v, "1") for v in [*bad_values, "-1"]] + [(str(next(ids)), v) for v in bad_values]
        )
        yield "non-numeric field", get(cb(f"id={pid}&status={status}"))
    for _ in range(200):
        yield "field twice", get(cb(f"id={next(ids)}&id={next(ids)}&status=1"))
        yield "field missing", get(cb(rng.choice([f"id={next(ids)}", "status=1", ""])))
    for _ in range(300):
        path = rng.choice(
            [
                "/not-a-uuid/1",
                f"/{campaign}/-1",
                f"/{campaign}/x",
                f"/{campaign}/99999999999",
                f"/{campaign}",
                f"/{campaign}/1/2",
                "/../events",
                "/%2e%2e/events",
            ]
        )
        yield "malformed campaign or key", get(cb(f"id={next(ids)}&status=1", path=path))
    for _ in range(150):
        size = rng.choice([3000, 9000, 100_000])
        yield "huge query", get(cb(f"id={next(ids)}&status=1&pad={'A' * size}"))
    for _ in range(100):
        yield (
            "huge header",
            get(cb(f"id={next(ids)}&status=1"), f"X-Pad: {'B' * rng.choice([5000, 20000, 60000])}"),
        )
        yield (
            "many headers",
            get(
                cb(f"id={next(ids)}&status=1"),
                *(f"X-H{i}: v" for i in range(rng.choice([40, 200]))),
            ),
        )
    for _ in range(100):
        yield (
            "oversized body",
            post(f"/callback/{SECRET}", f"id={next(ids)}&status=1&".encode() + b"C" * 50_000),
        )
    garbage = [
        b"\x00\x01\x02\x03" * 64,
        b"GET\r\n\r\n",
        b"HELLO WORLD\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"POST /callback/" + SECRET.encode() + b" HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"POST /callback/" + SECRET.encode() + b" HTTP/1.1\r\nTransfer-Encoding: "
        b"chunked\r\n\r\nZZZ\r\nid=1&status=1\r\n0\r\n\r\n",
        b"GET /callback/" + SECRET.encode() + b"?id=1&status=1 HTTP/1.1\r\nHost: a\r\n"
        b"Host: b\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    ]
    for _ in range(200):
        yield "not HTTP", rng.choice(garbage) + bytes(rng.getrandbits(8) for _ in range(32))
    for _ in range(150):
        yield (
            "feed without its key",
            get(
                "/events?after=0",
                rng.choice(["", "Authorization: Bearer wrong", f"Authorization: Basic {FEED_KEY}"]),
            ),
        )


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@contextmanager
def receiver_process(db: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    errors = db.with_name("receiver.err")
    with open(errors, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kupon_desktop",
                "receiver",
                "--port",
                "0",
                "--db",
                str(db),
                "--secret",
                SECRET,
                "--feed-key",
                FEED_KEY,
            ],
            stdout=subprocess.PIPE,
            stderr=err,
            stdin=subprocess.DEVNULL,
            text=True,
        )
    watchdog = threading.Timer(300, proc.kill)  # never hang the suite
    watchdog.start()
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        found = re.match(r"http://127\.0\.0\.1:(\d+)/callback/", base)
        assert found, (base, errors.read_text(encoding="utf-8"))
        yield proc, int(found.group(1))
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.terminate()
        proc.communicate(timeout=30)


async def slow_loris(
    port: int, count: int, stop: asyncio.Event, *, every: float = 0.5
) -> dict[str, Any]:
    """``count`` connections trickling one header byte each ``every`` seconds until
    ``stop``; how many the server closed, and after how long."""
    opened = time.monotonic()
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(count)]
    closed_after: list[float] = []
    answers: Counter[int | None] = Counter()

    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = get(f"/callback/{SECRET}?id=1&status=1", "X-Slow: " + "s" * 10_000)
        try:
            writer.write(head[:20])
            for byte in head[20:]:
                reading = asyncio.ensure_future(reader.read(4096))
                stopping = asyncio.ensure_future(stop.wait())
                done, _ = await asyncio.wait(
                    {reading, stopping}, timeout=every, return_when=asyncio.FIRST_COMPLETED
                )
                stopping.cancel()
                if reading in done:
                    data = reading.result()
                    found = _STATUS_LINE.match(data)
                    answers[int(found.group(1)) if found else None] += 1
                    closed_after.append(time.monotonic() - opened)
                    return
                reading.cancel()
                if stop.is_set():
                    return
                writer.write(bytes([byte]))
        except ConnectionError:
            closed_after.append(time.monotonic() - opened)
        finally:
            writer.close()
            with suppress(ConnectionError):
                await writer.wait_closed()

    await asyncio.gather(*(trickle(r, w) for r, w in conns))
    return {
        "connections": count,
        "closed by the server": len(closed_after),
        "answers": dict(answers),
        "closed after s": (round(min(closed_after), 1), round(max(closed_after), 1))
        if closed_after
        else None,
    }


async def bounded(jobs: list[Callable[[], Awaitable[Any]]], at_once: int) -> None:
    gate = asyncio.Semaphore(at_once)

    async def one(job: Callable[[], Awaitable[Any]]) -> None:
        async with gate:
            await job()

    await asyncio.gather(*(one(job) for job in jobs))


def _hostile_scenario(tmp_path: Path, *, rounds: int, loris: int) -> dict[str, Any]:
    """``rounds`` times every hostile request (3,200 a round) and 300 valid-looking
    callbacks for unknown ids, 200 at a time, beside ``loris`` slow-loris connections
    and a platform calling back every 20 ms; then bursts of 500 valid callbacks at once.
    The attack lasts until the receiver has closed every slow-loris connection itself
    (its header timeout is 10 s)."""
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        campaign = log.create_campaign({}, "sms", [NewRecipient("79001234567", "t")] * SIZE)
    rng = random.Random(61)
    valid = Valid(campaign)
    answers: dict[str, Counter[int | None]] = {}
    tried = unknown = 0
    with receiver_process(db) as (proc, port):
        asyncio.run(bounded([lambda: valid.send(port) for _ in range(300)], 50))  # warm-up
        rss_before = rss_kb(proc.pid)

        async def one_hostile(kind: str, data: bytes) -> None:
            status = await exchange(port, data)
            answers.setdefault(kind, Counter())[status] += 1

        async def attack() -> dict[str, Any]:
            nonlocal tried, unknown
            stop = asyncio.Event()
            slow = asyncio.ensure_future(slow_loris(port, loris, stop))

            async def platform() -> None:  # the real platform keeps calling meanwhile
                while not stop.is_set():
                    await valid.send(port)
                    await asyncio.sleep(0.02)

            calling = asyncio.ensure_future(platform())
            rss_peak = 0
            for _ in range(rounds):
                jobs: list[Callable[[], Awaitable[Any]]] = [
                    (lambda k=k, d=d: one_hostile(k, d)) for k, d in hostile_requests(campaign, rng)
                ]
                tried += len(jobs)
                # callbacks that look valid but name nobody: stored, they change nothing
                for kind in ("campaign", "key", "path"):
                    jobs += [(lambda kind=kind: valid.send(port, unknown=kind))] * 100
                    unknown += 100
                rng.shuffle(jobs)
                await bounded(jobs, 200)
                for _ in range(4):  # bursts of valid callbacks, 500 at once
                    await asyncio.gather(*(valid.send(port) for _ in range(500)))
                rss_peak = max(rss_peak, rss_kb(proc.pid))
            # the receiver closes the slow-loris connections by itself
            slowed = await asyncio.wait_for(slow, 60)
            stop.set()
            await calling
            return {"slow loris": slowed, "rss peak": rss_peak}

        started = time.monotonic()
        during = asyncio.run(attack())
        took = time.monotonic() - started
        # afterwards it still serves
        asyncio.run(bounded([lambda: valid.send(port) for _ in range(200)], 20))
        rss_after = rss_kb(proc.pid)
        assert proc.poll() is None, "the receiver died"
    logged = db.with_name("receiver.err").stat().st_size
    assert not valid.failed, valid.failed[:10]
    with open_log(db) as log:
        stored = log.events_after(0, 10_000_000)
        log.apply_status_events()
        pending = log.pending_count()
        counts = log.counts(campaign)
    ids = [e.platform_id for e in stored]
    assert all(pid < HOSTILE_IDS for pid in ids), "a hostile request was stored"
    assert sorted(ids) == sorted(valid.ok), "a valid callback was lost or stored twice"
    # the ones for unknown campaigns, keys and ids wait for a platform id nobody has
    assert pending == unknown
    assert counts.total == SIZE
    for kind, seen in answers.items():
        assert 200 not in seen, (kind, seen)
    slowed = during["slow loris"]
    # all from one address: beyond its share of trickling connections they are closed
    # at once (503), the rest when their header time runs out (408)
    assert slowed["closed by the server"] == loris, slowed
    assert set(slowed["answers"]) <= {408, 503}, slowed
    assert slowed["answers"].get(408, 0) <= MAX_SLOW_PER_ADDRESS, slowed
    # the receiver's log (a file the window appends to) does not grow per bad request
    assert logged < 4096, f"{logged} bytes of log for {tried} bad requests"
    growth_mb = (rss_after - rss_before) / 1024
    figures = {
        "hostile requests": tried,
        "valid-looking for unknown ids": unknown,
        "valid callbacks answered 200": len(valid.ok),
        "stored": len(stored),
        "attack seconds": round(took, 1),
        "slow loris": slowed,
        "receiver log bytes": logged,
        "rss MB before/peak/after": (
            round(rss_before / 1024, 1),
            round(during["rss peak"] / 1024, 1),
            round(rss_after / 1024, 1),
        ),
        "answers": {k: dict(v) for k, v in sorted(answers.items())},
    }
    assert growth_mb < 40, f"the receiver grew by {growth_mb:.1f} MB: {figures}"
    return figures


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RSS is read from /proc")
def test_hostile_requests_store_nothing_and_valid_ones_keep_working(tmp_path: Path) -> None:
    figures = _hostile_scenario(tmp_path, rounds=1, loris=300)
    print(f"\nhostile receiver: {figures}")


@pytest.mark.soak
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RSS is read from /proc")
def test_hostile_requests_soak(tmp_path: Path) -> None:
    figures = _hostile_scenario(tmp_path, rounds=15, loris=400)
    print(f"\nhostile receiver soak: {figures}")


def test_limits_close_slow_idle_and_oversized_connections(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        campaign = log.create_campaign({}, "sms", [NewRecipient("79001234567", "t")] * SIZE)
    valid = Valid(campaign)
    with ReceiverThread(
        db, secret=SECRET, feed_key=FEED_KEY, header_timeout=1.0, max_connections=40
    ) as receiver:
        port = receiver.port
        gate = receiver.receiver.gate
        assert gate is not None

        async def scenario() -> dict[str, Any]:
            out: dict[str, Any] = {}
            # slow loris: the headers never complete; closed with 408 after the timeout
            stop = asyncio.Event()
            loris = asyncio.ensure_future(slow_loris(port, 20, stop, every=0.2))
            await valid.send(port)  # served while they hang on (20 of 40 places)
            out["slow loris"] = await loris
            # idle connections filling every place: a request that arrives whole still
            # gets in, the oldest idle one making room (answered 503 at once)
            idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(40)]
            deadline = time.monotonic() + 5
            while gate.open < 40:  # accepted on the receiver's own loop
                assert time.monotonic() < deadline, gate.open
                await asyncio.sleep(0.01)
            started = time.monotonic()
            await valid.send(port)
            out["past the cap, whole"] = round(time.monotonic() - started, 2)
            answers = []
            for reader, writer in idle:
                answers.append((await asyncio.wait_for(reader.read(), 5))[:12])
                writer.close()
                await writer.wait_closed()
            out["idle answers"] = Counter(answers)
            # every place holding a request whose body is on its way: nothing to make
            # room with, so the next one gets 503 at once
            body = post(f"/callback/{SECRET}", b"id=1&status=1")[:-5]
            waiting = [await asyncio.open_connection("127.0.0.1", port) for _ in range(40)]
            for _reader, writer in waiting:
                writer.write(body)
            deadline = time.monotonic() + 5
            while gate.open < 40 or gate.waiting_count:
                assert time.monotonic() < deadline, (gate.open, gate.waiting_count)
                await asyncio.sleep(0.01)
            started = time.monotonic()
            out["past the cap"] = await exchange(port, valid.request()[1])
            out["answered in s"] = round(time.monotonic() - started, 2)
            for reader, writer in waiting:  # their bodies time out
                answer = await asyncio.wait_for(reader.read(), 5)
                assert answer.startswith(b"HTTP/1.1 408"), answer
                writer.close()
                await writer.wait_closed()
            await valid.send(port)
            # headers past the size limit (each line within aiohttp's own limits), a
            # body that never arrives in full
            lines = [f"X-Pad-{i}: {'p' * 3000}" for i in range(MAX_HEAD // 3000 + 2)]
            out["head too large"] = await exchange(
                port, get(f"/callback/{SECRET}?id=1&status=1", *lines)[:-4]
            )
            out["slow body"] = await exchange(
                port, post(f"/callback/{SECRET}", b"id=1&status=1")[:-5], limit=10
            )
            return out

        out = asyncio.run(scenario())
        counters = {
            "refused": gate.refused,
            "timed out": gate.timed_out,
            "evicted": gate.evicted,
            "too large": gate.too_large,
            "open": gate.open,
        }
    loris = out["slow loris"]
    assert loris["closed by the server"] == 20 and loris["answers"] == {408: 20}, loris
    assert loris["closed after s"][0] >= 0.9 and loris["closed after s"][1] < 5, loris
    assert out["past the cap"] == 503 and out["answered in s"] < 1, out
    assert out["head too large"] == 431, out
    assert out["slow body"] == 408, out
    assert out["idle answers"] == {b"HTTP/1.1 503": 1, b"HTTP/1.1 408": 39}, out
    assert counters["refused"] >= 1 and counters["timed out"] >= 59, counters
    assert counters["evicted"] == 1, counters
    assert counters["too large"] == 1, counters
    assert not valid.failed and len(valid.ok) == 3, valid.failed
    with open_log(db) as log:
        assert sorted(e.platform_id for e in log.events_after(0)) == sorted(valid.ok)

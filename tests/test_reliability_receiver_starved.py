"""The receiver cannot be starved by slow clients: 1,100 connections trickling header
bytes (more than its 1,024 places, from 110 loopback addresses, each reconnecting as
soon as it is closed) while the platform keeps calling back: every valid callback is
answered 200. Before, the tricklers held every place and the callbacks got 503.

The receiver runs as its own process (``kupon-desktop receiver``), as on a server."""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from kupon_desktop.receiver.gate import MAX_CONNECTIONS
from kupon_desktop.store import NewRecipient, open_log
from tests.test_reliability_receiver_hostile import (
    _STATUS_LINE,
    SECRET,
    SIZE,
    Valid,
    get,
    receiver_process,
)

TRICKLERS = 1100
ADDRESSES = 110  # 127.0.0.2 … 127.0.0.111, ten connections each
ATTACK_SECONDS = 14.0  # past the header timeout (10 s): the tricklers come back


async def _trickler(
    port: int, address: str, stop: asyncio.Event, stats: Counter[Any], every: float
) -> None:
    head = get(f"/callback/{SECRET}?id=1&status=1", "X-Slow: " + "s" * 10_000)
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(address, 0)
            )
        except OSError:
            stats["connect failed"] += 1
            await asyncio.sleep(0.1)
            continue
        stats["connections"] += 1
        try:
            writer.write(head[:20])
            sent = 20
            while not stop.is_set():
                try:
                    data = await asyncio.wait_for(reader.read(4096), every)
                except TimeoutError:
                    writer.write(head[sent : sent + 1])  # one more byte, under the idle limit
                    sent += 1
                    continue
                found = _STATUS_LINE.match(data)
                stats[int(found.group(1)) if found else "closed"] += 1
                break
        except ConnectionError:
            stats["reset"] += 1
        finally:
            writer.close()
            with suppress(ConnectionError):
                await writer.wait_closed()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="binds 127.0.0.x addresses")
def test_trickling_connections_do_not_starve_valid_callbacks(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        campaign = log.create_campaign({}, "sms", [NewRecipient("79001234567", "t")] * SIZE)
    valid = Valid(campaign)
    stats: Counter[Any] = Counter()
    with receiver_process(db) as (proc, port):

        async def attack() -> float:
            stop = asyncio.Event()
            tricklers = [
                asyncio.ensure_future(
                    _trickler(port, f"127.0.0.{2 + n % ADDRESSES}", stop, stats, every=1.0)
                )
                for n in range(TRICKLERS)
            ]
            deadline = time.monotonic() + 60
            while stats["connections"] < TRICKLERS:  # every trickler connected once
                assert time.monotonic() < deadline, stats
                await asyncio.sleep(0.05)
            started = time.monotonic()
            while time.monotonic() - started < ATTACK_SECONDS:  # the platform calls back
                await valid.send(port)
                await asyncio.sleep(0.05)
            stop.set()
            await asyncio.gather(*tricklers)
            return time.monotonic() - started

        took = asyncio.run(attack())
        assert proc.poll() is None, "the receiver died"
    assert TRICKLERS > MAX_CONNECTIONS
    print(
        f"\nstarvation: {TRICKLERS} tricklers from {ADDRESSES} addresses, "
        f"{stats['connections']} connections over {took:.1f} s, their answers "
        f"{ {k: v for k, v in stats.items() if k != 'connections'} }; valid callbacks "
        f"{len(valid.ok)} answered 200, {len(valid.failed)} not"
    )
    assert not valid.failed, f"{len(valid.failed)} valid callbacks refused: {valid.failed[:10]}"
    assert len(valid.ok) >= 20  # the platform got through all along
    with open_log(db) as log:
        stored = sorted(e.platform_id for e in log.events_after(0, 100_000))
    assert stored == sorted(valid.ok)

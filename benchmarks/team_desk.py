"""One desk of ``bench_team``, as its own process: its own log in its own folder, its own
client of the team server (the key in ``KUPON_TEAM_KEY``, never on the command line).

It plans and creates a campaign of ``--recipients`` phone numbers, says ``ready <id>``
and waits for ``go`` on standard input (so that every desk starts at once), sends it
through the simulator as the window does (``CampaignSession.run``: the team's stop list
and registration first, the callback address the server's), writes the platform ids it
was given to ``ids.npz`` and says ``sent {json}``. Then it does what the window does
with the campaign open: the poll every ``POLL_MS`` (``CampaignSession.poll``: apply,
the changed rows' grid columns) and the team sync every ``TEAM_EVERY_TICKS`` polls
beside it (``CampaignSession.team_sync``: report the ids, pull the statuses), at every
poll while the syncs bring statuses, and a poll at once after a sync that brought some.

Every status row the sync pulls is recorded with the time the first poll that began
after its page was stored in the log ended: when the grid had it (a page is stored
before the next is asked for, so its time is taken at that next request, or at the
sync's end). When every recipient has the last round's code it says ``current``; on
``stop`` it writes ``seen.npz`` (key, code, time) and ends.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np


def _contacts(desk: int, n: int) -> Any:
    import pandas as pd

    from kupon_desktop.campaign.session import ContactList

    numbers = [f"79{desk:02d}{i:07d}" for i in range(n)]
    contacts = pd.DataFrame(
        {
            "row": range(2, n + 2),
            "phone": pd.array(numbers, dtype="string"),
            "email": pd.array([None] * n, dtype="string"),
            "push_token": pd.array([None] * n, dtype="string"),
        }
    )
    return ContactList(contacts, pd.DataFrame({"Имя": ["Анна"] * n}), name=f"desk {desk}")


async def _lines(queue: asyncio.Queue[str]) -> None:
    loop = asyncio.get_running_loop()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line.strip())
        loop.call_soon_threadsafe(queue.put_nowait, "stop")

    threading.Thread(target=read, daemon=True).start()


def _say(text: str) -> None:
    print(text, flush=True)


async def main(args: argparse.Namespace) -> None:
    import logging

    from benchmarks.common import TOKEN
    from kupon_desktop.audience import AudienceRules, SendWindow
    from kupon_desktop.campaign.session import CampaignSession, Platform, RunSettings
    from kupon_desktop.compose import Draft
    from kupon_desktop.store.log import Log
    from kupon_desktop.team.client import TeamClient
    from kupon_desktop.team.desk import TeamDesk
    from kupon_desktop.ui.campaign_control import POLL_MS, TEAM_EVERY_TICKS
    from kupon_desktop.vocabulary import MessageType

    # what the session says of the team server (a sync that failed) goes to stderr
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("kupon_desktop.campaign.session").setLevel(logging.INFO)
    data = Path(args.data)
    log = Log(data / "log.sqlite3")
    client = TeamClient(args.server, os.environ["KUPON_TEAM_KEY"])
    team = TeamDesk(client, log, desk=f"desk-{args.desk}")
    session = CampaignSession(log, Platform(args.sim, lambda: TOKEN), team=team)
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="Скидка 10% до воскресенья")
    rules = AudienceRules(window=SendWindow.parse("00:00-23:59"), advertising=False)
    plan = await asyncio.to_thread(
        session.plan, draft, _contacts(args.desk, args.recipients), rules
    )
    campaign = await asyncio.to_thread(
        session.create, plan, name=f"Нагрузка {args.desk}", run=RunSettings()
    )
    commands: asyncio.Queue[str] = asyncio.Queue()
    await _lines(commands)
    _say(f"ready {campaign}")
    while await commands.get() != "go":
        pass

    started = time.time()
    progress = await session.run(campaign)
    seconds = time.time() - started
    columns = await asyncio.to_thread(log.read_columns, campaign, ["key", "platform_id", "status"])
    keys = np.asarray(columns["key"], dtype=np.int64)
    # what the grid shows already: the simulator's own first status of some messages,
    # brought in by the sync at the end of sending (before the storm)
    shown_at = time.time()
    statuses = columns["status"]
    shown = [(int(k), int(c)) for k, c in zip(keys, statuses, strict=True) if c is not None]
    ids = np.asarray([-1 if p is None else int(p) for p in columns["platform_id"]])
    np.savez(data / "ids.npz", keys=keys, platform_ids=ids)
    _say(
        "sent "
        + json.dumps(
            {
                "campaign": campaign,
                "seconds": seconds,
                "accepted": progress.accepted,
                "ids": str(data / "ids.npz"),
            }
        )
    )

    # the window with the campaign open
    final = args.final_code
    seen_key: list[np.ndarray] = [np.array([k for k, _ in shown], np.int64)]
    seen_code: list[np.ndarray] = [np.array([c for _, c in shown], np.int64)]
    seen_at: list[np.ndarray] = [np.full(len(shown), shown_at)]
    pulled: list[dict[str, Any]] = []  # the rows of the page being stored now
    stored: list[tuple[float, list[dict[str, Any]]]] = []  # (stored at, rows)
    latest = np.full(int(keys.max()) + 1 if len(keys) else 0, -(10**9), dtype=np.int64)
    current_said = False
    real_statuses = client.statuses

    async def statuses(campaign_id: str, after: int = 0, **kw: Any) -> Any:
        # the sync stores each page before it asks for the next: the last page's rows
        # are in the log now (a sync goes on page after page while statuses keep coming)
        if pulled:
            stored.append((time.time(), pulled[:]))
            pulled.clear()
        data = await real_statuses(campaign_id, after, **kw)
        pulled.extend(data["statuses"])
        return data

    client.statuses = statuses  # type: ignore[method-assign]
    sync: asyncio.Task[int] | None = None

    async def synced() -> int:
        began = time.time()
        n = await session.team_sync(campaign)
        took = time.time() - began
        if took > 1.0:  # what a slow sync spent its time on, for the lag's note
            print(f"desk {args.desk}: sync at {began:.1f} took {took:.1f} s", file=sys.stderr)
        if pulled:
            stored.append((time.time(), pulled[:]))
            pulled.clear()
        flowing[0] = n > 0
        if n > 0:  # as the window: a sync that brought statuses wakes the poll
            brought.set()
        return n

    brought = asyncio.Event()
    flowing = [False]  # the last sync brought statuses: the next tick syncs again
    cursor = (await asyncio.to_thread(session.open, campaign)).cursor
    ticks = 0
    woken = False
    while True:
        brought.clear()
        try:
            command = commands.get_nowait()
        except asyncio.QueueEmpty:
            command = ""
        if command == "stop":
            break
        began = time.time()
        polled, _counts = await asyncio.to_thread(session.poll, campaign, cursor)
        cursor = polled.cursor
        ended = time.time()
        ready = [rows for at, rows in stored if at <= began]
        stored[:] = [(at, rows) for at, rows in stored if at > began]
        for rows in ready:
            if rows:
                k = np.fromiter((int(r["recipient"]) for r in rows), np.int64, len(rows))
                c = np.fromiter((int(r["code"]) for r in rows), np.int64, len(rows))
                seen_key.append(k)
                seen_code.append(c)
                seen_at.append(np.full(len(rows), ended))
                latest[k] = c
        if not current_said and len(keys) and bool(np.all(latest[keys] == final)):
            current_said = True
            _say(f"current {ended}")
        if not woken:  # an extra poll does not move the team's cadence (CampaignControl's)
            ticks += 1
        if ticks % 10 == 0 and not woken:
            print(
                f"desk {args.desk}: tick {ticks}, rows seen {sum(map(len, seen_key)):,}, "
                f"at the last round {int(np.sum(latest[keys] == final)):,} of {len(keys):,}",
                file=sys.stderr,
                flush=True,
            )
        due = flowing[0] or ticks % TEAM_EVERY_TICKS == 0
        if not woken and due and (sync is None or sync.done()):
            sync = asyncio.ensure_future(synced())
        try:
            await asyncio.wait_for(brought.wait(), POLL_MS / 1000)
            woken = True
        except TimeoutError:
            woken = False
    if sync is not None:
        await asyncio.gather(sync, return_exceptions=True)

    def cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype)

    np.savez(
        data / "seen.npz",
        key=cat(seen_key, np.int64),
        code=cat(seen_code, np.int64),
        at=cat(seen_at, np.float64),
    )
    await session.aclose()
    await client.aclose()
    log.close()
    _say("done")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.team_desk")
    parser.add_argument("--server", required=True)
    parser.add_argument("--sim", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--desk", type=int, required=True)
    parser.add_argument("--recipients", type=int, required=True)
    parser.add_argument("--final-code", type=int, required=True)
    asyncio.run(main(parser.parse_args()))

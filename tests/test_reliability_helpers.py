"""Shared helpers of the reliability suite (``tests/test_reliability_*.py``); no tests here.

* ``make_campaign(log, n)``: a stored SMS campaign of ``n`` distinct phone numbers;
* ``run_engine(log, base_url, cid, ...)``: the real engine against a real client, under
  ``asyncio.run``, with a time limit so that a hang fails the test instead of the suite;
* ``assert_settled(log, cid, n)``: every recipient accepted, rejected with its reason, or
  unconfirmed; the counters match the rows; the file passes ``PRAGMA integrity_check``;
* ``assert_sent_once(seen)``: the simulator's inspection shows nobody sent twice;
* ``small_disk(path, size)``: a size-limited tmpfs mounted at ``path`` (root only).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kupon_desktop.api.client import KuponClient
from kupon_desktop.campaign.build import envelope_for, message_factory, prepare
from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions, Progress
from kupon_desktop.compose import Draft
from kupon_desktop.store.log import Log
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import TOKEN

DRAFT = Draft(type=MessageType.SMS, sender="Shop", text="Здравствуйте, {Имя}!")
#: a whole engine run in these tests never takes longer; more is a hang
RUN_LIMIT = 300.0


def phone(i: int) -> str:
    return f"7916{i:07d}"


def make_campaign(log: Log, n: int, draft: Draft = DRAFT, *, start: int = 0) -> str:
    contacts = pd.DataFrame(
        {
            "row": range(2, n + 2),
            "phone": [phone(start + i) for i in range(n)],
            "email": [None] * n,
            "push_token": [None] * n,
        }
    )
    fields = pd.DataFrame({"Имя": [f"Клиент {i}" for i in range(n)]})
    prepared = prepare(draft, contacts, fields)
    return log.create_campaign(draft.to_dict(), draft.type.value, prepared.recipients)


def run_engine(
    log: Log,
    base_url: str,
    campaign_id: str,
    *,
    draft: Draft = DRAFT,
    callback_base: str | None = None,
    on_progress: Callable[[CampaignEngine, Progress], None] | None = None,
    client_options: dict[str, Any] | None = None,
    limit: float = RUN_LIMIT,
    **options: Any,
) -> tuple[CampaignEngine, Progress | Exception]:
    """Run the campaign once; returns the engine and its Progress, or the exception the
    run raised (the tests look at both)."""
    engine_options = EngineOptions(
        **{
            "batch_size": 20,
            "concurrency": 4,
            "backoff_initial": 0.01,
            "backoff_max": 0.05,
            "freeze_gc": False,
            **options,
        }
    )

    async def main() -> tuple[CampaignEngine, Progress | Exception]:
        async with KuponClient(
            base_url, TOKEN, trust_env=False, **(client_options or {})
        ) as client:
            engine = CampaignEngine(
                log,
                client,
                campaign_id,
                envelope_for(draft),
                options=engine_options,
                callback_base=callback_base,
                message_for=message_factory(draft),
            )
            if on_progress is not None:
                engine.on_progress = lambda p: on_progress(engine, p)
            try:
                return engine, await asyncio.wait_for(engine.run(), limit)
            except TimeoutError:
                raise AssertionError(f"the engine did not return within {limit:g} s") from None
            except Exception as exc:  # the tests check which one
                return engine, exc

    return asyncio.run(main())


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` through a read-only connection of its own."""
    raw = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return "; ".join(str(row[0]) for row in raw.execute("PRAGMA integrity_check"))
    finally:
        raw.close()


def assert_consistent(log: Log, campaign_id: str) -> dict[str, int]:
    """The kept counters equal the ones rebuilt from the rows, and the file is sound."""
    kept = log.counts(campaign_id)
    rebuilt = log.recount(campaign_id)
    assert kept.states == rebuilt.states, (kept, rebuilt)
    assert integrity(log.path) == "ok"
    return kept.as_dict()


def assert_settled(log: Log, campaign_id: str, n: int) -> dict[str, int]:
    """Every recipient ended accepted, rejected with the platform's reason, or
    unconfirmed with what happened; nothing queued or in flight; counters exact."""
    states = assert_consistent(log, campaign_id)
    assert states["total"] == n
    assert states["queued"] == states["in_flight"] == 0, states
    assert states["accepted"] + states["rejected"] + states["unconfirmed"] == n, states
    for recipient in log.iter_recipients(campaign_id, states=["rejected", "unconfirmed"]):
        assert recipient.error, f"recipient {recipient.key} has no reason: {recipient}"
    for recipient in log.iter_recipients(campaign_id, states=["accepted"]):
        assert recipient.platform_id is not None or recipient.status is not None
    return states


def assert_sent_once(seen: dict[str, Any]) -> int:
    """Nobody got two messages; returns how many addresses the platform got."""
    sends = seen["sends_per_recipient"]
    twice = {address: n for address, n in sends.items() if n > 1}
    assert not twice, f"sent more than once: {dict(list(twice.items())[:10])}"
    return len(sends)


def can_mount() -> str | None:
    """None when this process may mount a tmpfs; otherwise why not."""
    if sys.platform != "linux":
        return "tmpfs mounts are Linux-only"
    if os.geteuid() != 0:
        return "mounting a size-limited tmpfs needs root"
    return None


@contextlib.contextmanager
def small_disk(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (e.g. "16m") mounted at ``path`` for the ``with``; skips the
    test when mounting is not possible here."""
    why = can_mount()
    if why:
        pytest.skip(why)
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        remount(path, "rw")
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def remount(path: Path, mode: str) -> None:
    """``mode`` "ro" or "rw"; a file open for writing makes "ro" fail (EBUSY)."""
    done = subprocess.run(
        ["mount", "-o", f"remount,{mode}", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def fill(directory: Path) -> Path:
    """Fill the file system of ``directory`` to the last byte; returns the filler."""
    filler = directory / "filler.bin"
    with open(filler, "wb", buffering=0) as out:
        for chunk in (1 << 20, 1 << 12, 1):
            block = b"\0" * chunk
            try:
                while True:
                    out.write(block)
            except OSError:
                continue
    return filler

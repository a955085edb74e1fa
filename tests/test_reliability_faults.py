"""A campaign against a platform that misbehaves on one request in ten: HTTP 500, 502,
503 and 429, an error answer ("try later"), an answer slower than the client's read
timeout, a body cut in half (malformed JSON) and a connection reset after accepting.

Whatever happens, nobody is sent twice (the simulator's inspection endpoint counts what
it accepted per address), every recipient ends accepted, rejected with the platform's
reason, or unconfirmed with what happened, and the run finishes. With the callbacks on (a
``ReceiverThread`` on the same log) every status the platform reports lands in the log,
and a recipient left unconfirmed by a lost answer becomes accepted with the platform id
its callback carries.

The default suite sends 2,000 messages one request each (so that faults strike single
messages: about 200 of them), and 2,000 in batches of 25 with callbacks; ``pytest -m
soak`` sends 20,000 with callbacks. The faults injected are counted exactly by drawing
the simulator's fault sequence again (it comes from its own seeded generator, one draw
per request) for the number of requests the log shows were made.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kupon_desktop.receiver.runner import ReceiverThread
from kupon_desktop.simulator.config import FaultRates, SimulatorConfig
from kupon_desktop.simulator.lifecycle import Platform
from kupon_desktop.store.log import Log, open_log
from kupon_desktop.vocabulary import status_info
from tests.simhelpers import inspect, quick_config, running_simulator, wait_until
from tests.test_reliability_helpers import (
    assert_sent_once,
    assert_settled,
    make_campaign,
    run_engine,
)

#: one request in ten misbehaves, every kind equally
SHARE = 0.10 / len(FaultRates.KINDS)
FAULTS = FaultRates(
    **dict.fromkeys(FaultRates.KINDS, SHARE), slow_seconds=0.8, retry_after_seconds=0
)
#: the client gives up on an answer after this; a slow answer (0.8 s) is lost
READ_TIMEOUT = 0.5


def _config(seed: int) -> SimulatorConfig:
    return quick_config(faults=FAULTS, seed=seed)


def faults_injected(config: SimulatorConfig, requests: int) -> Counter[str]:
    """The faults the simulator drew for its first ``requests`` send requests: the same
    seeded generator, drawn again through the simulator's own ``draw_fault``."""
    loop = asyncio.new_event_loop()
    try:
        platform = Platform(config, loop)
        drawn = Counter(platform.draw_fault() for _ in range(requests))
    finally:
        loop.close()
    drawn.pop(None, None)
    return drawn


def _requests_one_by_one(log: Log, cid: str) -> int:
    """With one message per request, every request counts one attempt of one recipient."""
    return sum(log.read_columns(cid, ["attempts"])["attempts"])


def _send(log: Log, sim, cid: str, *, batch_size: int, callback_base: str | None = None) -> None:
    options: dict[str, Any] = {
        "batch_size": batch_size,
        "concurrency": 4,
        "group_size": 16,
        "retry_limit": 40,
    }
    _engine, progress = run_engine(
        log,
        sim.base_url,
        cid,
        callback_base=callback_base,
        client_options={"read_timeout": READ_TIMEOUT},
        **options,
    )
    assert not isinstance(progress, Exception), progress
    assert progress.state == "finished", (progress.state, progress.reason)


def _platform_ids(seen: dict[str, Any]) -> dict[str, int]:
    """Address -> the id of the one message the platform accepted for it."""
    return {m["sent_to"]: int(m["id"]) for m in seen["messages"]}


def test_faults_one_request_per_message(tmp_path: Path) -> None:
    n, seed = 2000, 21
    config = _config(seed)
    with open_log(tmp_path / "log.sqlite3") as log, running_simulator(config) as sim:
        cid = make_campaign(log, n)
        _send(log, sim, cid, batch_size=1)
        seen = inspect(sim)
        requests = _requests_one_by_one(log, cid)
        states = assert_settled(log, cid, n)
        got = assert_sent_once(seen)
        ids = _platform_ids(seen)
        injected = faults_injected(config, requests)
        # every accepted one carries the id the platform gave it; every one the platform
        # has is accepted or, its answer lost, unconfirmed
        for r in log.iter_recipients(cid):
            if r.state.value == "accepted":
                assert ids[r.address] == r.platform_id
            elif r.address in ids:
                assert r.state.value == "unconfirmed", r
        rejected = Counter(r.error for r in log.iter_recipients(cid, states=["rejected"]))
    assert sum(injected.values()) >= 0.07 * requests, injected
    assert set(injected) == set(FaultRates.KINDS), injected
    # "try later" answers are retried (the platform refused them, so nothing doubles);
    # a 400 is the platform's answer: its recipient ends rejected with the text, once;
    # the lost answers leave some unconfirmed
    assert states["unconfirmed"] > 0
    assert rejected == {f"HTTP 400: {FAULTS.http_400_text}": injected["http_400"]}, rejected
    print(
        f"\nfaults, one per message: {n} recipients, {requests} requests, "
        f"{sum(injected.values())} faults {dict(injected)}, platform got {got}, "
        f"{states}, duplicates 0"
    )


def _converged(log: Log, sim, cid: str) -> tuple[bool, dict[str, Any]]:
    """Whether every status the platform reported is the recipient's in the log (the
    highest ranked, as the log keeps it)."""
    seen = inspect(sim)
    log.apply_status_events()
    by_address = {r.address: r for r in log.iter_recipients(cid)}
    for m in seen["messages"]:
        best = max(m["statuses"], key=lambda code: status_info(code).rank)
        r = by_address[m["sent_to"]]
        if r.status != best or r.state.value != "accepted" or r.platform_id != m["id"]:
            return False, seen
    return True, seen


def _with_callbacks(
    tmp_path: Path, n: int, seed: int, batch_size: int, limit: float
) -> dict[str, Any]:
    config = _config(seed)
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        cid = make_campaign(log, n)
        with ReceiverThread(db, port=0) as receiver, running_simulator(config) as sim:
            _send(log, sim, cid, batch_size=batch_size, callback_base=receiver.callback_base)
            holder: dict[str, Any] = {}

            def done() -> bool:
                ok, holder["seen"] = _converged(log, sim, cid)
                return ok

            assert wait_until(done, limit, interval=0.25), "statuses still missing"
            seen = holder["seen"]
            stored = receiver.receiver.stored
        requests = _requests_one_by_one(log, cid) if batch_size == 1 else None
        got = assert_sent_once(seen)
        states = assert_settled(log, cid, n)
        ids = _platform_ids(seen)
        # everyone the platform has is accepted with its id and status; the rest never
        # reached it: rejected with the reason, or unconfirmed (an answer lost on the way)
        rescued = 0
        for r in log.iter_recipients(cid):
            if r.address in ids:
                assert (r.state.value, r.platform_id) == ("accepted", ids[r.address]), r
                outcomes = [a["outcome"] for a in log.send_attempts(cid, r.key)]
                rescued += "unconfirmed" in outcomes
            else:
                assert r.state.value in ("rejected", "unconfirmed") and r.error, r
        statuses = log.counts(cid).statuses
    assert rescued > 0, "no lost answer was made good by its callback"
    figures = {
        "recipients": n,
        "platform got": got,
        "callbacks stored": stored,
        "unconfirmed then accepted by callback": rescued,
        "states": states,
        "statuses": statuses,
        "duplicates": 0,
        "lost": 0,
    }
    if requests is not None:
        injected = faults_injected(config, requests)
        assert set(injected) == set(FaultRates.KINDS), injected
        figures |= {
            "requests": requests,
            "faults": sum(injected.values()),
            "by kind": dict(injected),
        }
    print(f"\nfaults with callbacks (batch {batch_size}): {figures}")
    return figures


# seed 58 draws every kind of fault within the 80 batches' first tries
@pytest.mark.parametrize(("batch_size", "seed"), [(1, 32), (25, 58)])
def test_faults_with_callbacks(tmp_path: Path, batch_size: int, seed: int) -> None:
    _with_callbacks(tmp_path, 2000, seed=seed, batch_size=batch_size, limit=60)


@pytest.mark.soak
def test_faults_soak_twenty_thousand_with_callbacks(tmp_path: Path) -> None:
    figures = _with_callbacks(tmp_path, 20_000, seed=41, batch_size=1, limit=300)
    assert figures["faults"] >= 1500

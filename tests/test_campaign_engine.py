"""The sending engine against the simulator over loopback, with a real log file: every
recipient sent once, faults never turn into double sends, no funds pauses with the rest
queued, and cancel stops."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pandas as pd
import pytest

from kupon_desktop.api.client import KuponClient
from kupon_desktop.campaign.build import envelope_for, message_factory, prepare
from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions
from kupon_desktop.campaign.errors import FundsExhausted, PlatformUnavailable
from kupon_desktop.compose import Draft
from kupon_desktop.simulator.config import FaultRates
from kupon_desktop.store.log import Log
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator

DRAFT = Draft(type=MessageType.SMS, sender="Shop", text="Привет, {Имя|клиент}!")


def _contacts(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    contacts = pd.DataFrame(
        {
            "row": range(2, n + 2),
            "phone": [f"7916{i:07d}" for i in range(n)],
            "email": [None] * n,
            "push_token": [None] * n,
        }
    )
    return contacts, pd.DataFrame({"Имя": ["Анна"] * n})


def _campaign(log: Log, n: int, draft: Draft = DRAFT) -> str:
    contacts, fields = _contacts(n)
    prepared = prepare(draft, contacts, fields)
    return log.create_campaign(draft.to_dict(), draft.type.value, prepared.recipients)


def _run(log: Log, sim, campaign_id: str, draft: Draft = DRAFT, *, on_progress=None, **options):
    """Run a campaign to its end; ``on_progress(engine, progress)`` is called as the
    window's would be (to pause or cancel it half-way)."""

    async def main():
        async with KuponClient(sim.base_url, TOKEN) as client:
            engine = CampaignEngine(
                log,
                client,
                campaign_id,
                envelope_for(draft),
                options=EngineOptions(
                    **{"batch_size": 50, "backoff_initial": 0.01, "backoff_max": 0.05, **options}
                ),
                message_for=message_factory(draft),
            )
            if on_progress is not None:
                engine.on_progress = lambda p: on_progress(engine, p)
            return engine, await engine.run()

    return asyncio.run(main())


@pytest.fixture
def log(tmp_path: Path):
    log = Log(tmp_path / "log.sqlite3")
    yield log
    log.close()


@pytest.mark.parametrize("batch_size", [1, 50])
def test_every_recipient_sent_once_and_accepted(log, batch_size):
    cid = _campaign(log, 300)
    with running_simulator(quick_config()) as sim:
        _engine, progress = _run(log, sim, cid, batch_size=batch_size, concurrency=4)
        seen = inspect(sim)
    assert progress.state == "finished"
    assert progress.accepted == 300
    assert len(seen["sends_per_recipient"]) == 300
    assert set(seen["sends_per_recipient"].values()) == {1}
    texts = {m["text"] for m in seen["messages"]}
    assert texts == {"Привет, Анна!"}
    assert log.campaign(cid).state.value == "finished"
    ids = {r.platform_id for r in log.iter_recipients(cid)}
    assert None not in ids and len(ids) == 300


def test_faults_never_send_anyone_twice(log):
    faults = FaultRates(
        http_500=0.02,
        http_502=0.02,
        http_503=0.02,
        http_429=0.02,
        drop=0.02,
        malformed_json=0.02,
        retry_after_seconds=0,
    )
    cid = _campaign(log, 1000)
    with running_simulator(quick_config(faults=faults, seed=7)) as sim:
        _engine, progress = _run(log, sim, cid, batch_size=20, concurrency=4, retry_limit=50)
        seen = inspect(sim)
    _assert_each_sent_at_most_once_and_settled(log, cid, 1000, progress, seen)


def _assert_each_sent_at_most_once_and_settled(log, cid, n, progress, seen):
    assert progress.state == "finished"
    assert max(seen["sends_per_recipient"].values()) == 1
    states = log.counts(cid).as_dict()
    assert states["queued"] == states["in_flight"] == 0
    assert states["accepted"] + states["rejected"] + states["unconfirmed"] == n
    assert states["unconfirmed"] > 0  # drops, 5xx and malformed answers are unknown
    # every accepted one reached the platform; every unconfirmed one may have
    accepted = {r.address for r in log.iter_recipients(cid, states=["accepted"])}
    assert accepted <= set(seen["sends_per_recipient"])
    assert progress.accepted == states["accepted"]


def test_no_funds_pauses_with_the_rest_queued_and_resume_finishes(log):
    cid = _campaign(log, 200)
    # the platform charges at hand-over, queue_seconds after accepting; at once here, or
    # a fast enough engine has all 200 accepted before the money runs out
    with running_simulator(quick_config(balance=60, queue_seconds=0.0)) as poor:
        engine, progress = _run(log, poor, cid, batch_size=20, concurrency=1)
        first = inspect(poor)["sends_per_recipient"]
    assert progress.state == "paused"
    assert isinstance(engine.stop_reason, FundsExhausted)
    counts = log.counts(cid).as_dict()
    # the account pays at delivery, so a few more are accepted before the money is gone
    assert counts["queued"] > 0 and counts["accepted"] >= 60
    assert log.campaign(cid).state.value == "paused"
    with running_simulator(quick_config()) as topped_up:
        _engine, progress = _run(log, topped_up, cid, batch_size=20, concurrency=1)
        second = inspect(topped_up)["sends_per_recipient"]
    assert progress.state == "finished"
    assert not set(first) & set(second), "a recipient was sent twice across the resume"
    assert len(first) + len(second) == 200
    assert log.counts(cid).as_dict()["accepted"] == 200


def test_cancel_skips_the_rest(log):
    cid = _campaign(log, 500)

    with running_simulator(quick_config()) as sim:

        async def main():
            async with KuponClient(sim.base_url, TOKEN) as client:
                engine = CampaignEngine(
                    log,
                    client,
                    cid,
                    envelope_for(DRAFT),
                    options=EngineOptions(batch_size=10, concurrency=1),
                    message_for=message_factory(DRAFT),
                )

                def on_progress(p):
                    if p.accepted >= 50:
                        engine.cancel()

                engine.on_progress = on_progress
                return await engine.run()

        progress = asyncio.run(main())
        seen = inspect(sim)
    assert progress.state == "cancelled"
    counts = log.counts(cid).as_dict()
    assert counts["skipped"] > 0 and counts["queued"] == 0
    assert counts["accepted"] == len(seen["sends_per_recipient"]) < 500


def test_duplicate_phones_in_the_list_get_one_message(log):
    contacts = pd.DataFrame(
        {
            "row": [2, 3, 4],
            "phone": ["79161234567", "79161234567", "79167654321"],
            "email": ["a@example.ru", "b@example.ru", None],
            "push_token": [None] * 3,
        }
    )
    prepared = prepare(DRAFT, contacts, pd.DataFrame({"Имя": ["А", "Б", "В"]}))
    assert [r.address for r in prepared.recipients] == ["79161234567", "79167654321"]
    assert prepared.duplicates == [(3, 2)]


# -- one send-message per recipient (batch_size=1): the pipeline ---------------------------


def test_one_by_one_faults_never_send_anyone_twice(log):
    """Claimed ahead, recorded behind, retried one by one: still never twice, and every
    recipient settled."""
    faults = FaultRates(
        http_500=0.03,
        http_503=0.03,
        http_429=0.05,
        drop=0.03,
        malformed_json=0.03,
        error=0.03,
        retry_after_seconds=0,
    )
    cid = _campaign(log, 600)
    with running_simulator(quick_config(faults=faults, seed=5)) as sim:
        _engine, progress = _run(
            log, sim, cid, batch_size=1, group_size=16, concurrency=6, retry_limit=50
        )
        seen = inspect(sim)
    _assert_each_sent_at_most_once_and_settled(log, cid, 600, progress, seen)
    # a "try later" error and a 429 are retried: some recipients needed several tries
    assert max(r.attempts for r in log.iter_recipients(cid)) > 1


def test_one_by_one_gives_up_after_retry_limit_with_everyone_queued(log):
    cid = _campaign(log, 40)
    with running_simulator(
        quick_config(faults=FaultRates(http_429=1.0, retry_after_seconds=0))
    ) as sim:
        engine, progress = _run(
            log, sim, cid, batch_size=1, group_size=8, concurrency=4, retry_limit=3
        )
        seen = inspect(sim)
    assert progress.state == "paused"
    assert isinstance(engine.stop_reason, PlatformUnavailable)
    assert seen["sends_per_recipient"] == {}
    assert log.counts(cid).as_dict()["queued"] == 40
    assert max(r.attempts for r in log.iter_recipients(cid)) <= 3


def test_one_by_one_pause_leaves_nothing_in_flight_and_resume_sends_the_rest_once(log):
    cid = _campaign(log, 400)
    with running_simulator(quick_config()) as sim:
        _engine, progress = _run(
            log,
            sim,
            cid,
            batch_size=1,
            group_size=16,
            concurrency=4,
            on_progress=lambda engine, p: engine.pause() if p.accepted >= 100 else None,
        )
        first = inspect(sim)["sends_per_recipient"]
        counts = log.counts(cid).as_dict()
        assert progress.state == "paused"
        assert counts["in_flight"] == counts["unconfirmed"] == 0
        assert counts["accepted"] == len(first) < 400
        assert counts["queued"] == 400 - len(first)
        _engine, progress = _run(log, sim, cid, batch_size=1, group_size=16, concurrency=4)
        both = inspect(sim)["sends_per_recipient"]
    assert progress.state == "finished"
    assert len(both) == 400 and set(both.values()) == {1}
    assert log.counts(cid).as_dict()["accepted"] == 400


def test_one_by_one_no_funds_pauses_with_the_rest_queued(log):
    cid = _campaign(log, 200)
    with running_simulator(quick_config(balance=60, queue_seconds=0.0)) as poor:
        engine, progress = _run(log, poor, cid, batch_size=1, group_size=10, concurrency=2)
        sent = inspect(poor)["sends_per_recipient"]
    assert progress.state == "paused"
    assert isinstance(engine.stop_reason, FundsExhausted)
    counts = log.counts(cid).as_dict()
    assert counts["in_flight"] == 0 and counts["queued"] > 0
    assert counts["accepted"] == len(sent) >= 60


def test_one_by_one_cancel_skips_the_rest(log):
    cid = _campaign(log, 500)
    with running_simulator(quick_config()) as sim:
        _engine, progress = _run(
            log,
            sim,
            cid,
            batch_size=1,
            group_size=10,
            concurrency=3,
            on_progress=lambda engine, p: engine.cancel() if p.accepted >= 50 else None,
        )
        seen = inspect(sim)
    assert progress.state == "cancelled"
    counts = log.counts(cid).as_dict()
    assert counts["skipped"] > 0 and counts["queued"] == counts["in_flight"] == 0
    assert counts["accepted"] == len(seen["sends_per_recipient"]) < 500

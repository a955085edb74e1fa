"""What the platform answered is what the user is told: a 4xx is an answer (rejected with
its text, never retried as if nobody answered), an address that refuses the requests
themselves pauses the campaign, and a run that confirms nobody says how many and why.

The engine against the simulator over loopback, with a real log file."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from kupon_desktop.api import wire
from kupon_desktop.api.client import KuponClient
from kupon_desktop.api.outcomes import AnswerRules, Verdict
from kupon_desktop.api.results import ResultKind, SendResult
from kupon_desktop.campaign.build import envelope_for, message_factory
from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions
from kupon_desktop.campaign.errors import PlatformRefused, describe_reason
from kupon_desktop.simulator.config import FaultRates
from kupon_desktop.store.log import Log
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator
from tests.test_campaign_engine import DRAFT, _campaign

NOTE = "Некорректный запрос: поле sent_to не распознано"


def _run(log, sim, campaign_id, *, token=TOKEN, **options):
    async def main():
        async with KuponClient(sim.base_url, token) as client:
            engine = CampaignEngine(
                log,
                client,
                campaign_id,
                envelope_for(DRAFT),
                options=EngineOptions(**{"backoff_initial": 0.01, "backoff_max": 0.05, **options}),
                message_for=message_factory(DRAFT),
            )
            return engine, await engine.run()

    return asyncio.run(main())


@pytest.fixture
def log(tmp_path: Path):
    log = Log(tmp_path / "log.sqlite3")
    yield log
    log.close()


@pytest.mark.parametrize("batch_size", [1, 10])
def test_http_400_rejects_with_the_platforms_text_and_is_sent_once(log, batch_size):
    cid = _campaign(log, 30)
    faults = FaultRates(http_400=1.0, http_400_text=NOTE)
    with running_simulator(quick_config(faults=faults)) as sim:
        engine, progress = _run(log, sim, cid, batch_size=batch_size, concurrency=2)
        assert inspect(sim)["sends_per_recipient"] == {}
    assert engine.stop_reason is None, engine.stop_reason
    assert progress.state == "finished"
    counts = log.counts(cid).as_dict()
    assert counts["rejected"] == 30 and counts["queued"] == 0
    recipients = list(log.iter_recipients(cid))
    assert {r.error for r in recipients} == {f"HTTP 400: {NOTE}"}
    assert {r.attempts for r in recipients} == {1}, "a 400 was retried"
    assert progress.rejected_why == [(f"HTTP 400: {NOTE}", 30)]


def test_an_address_that_is_not_the_api_pauses_with_everyone_queued(log):
    cid = _campaign(log, 20)
    with running_simulator(quick_config()) as sim:
        # the API one version off: the server answers 404 to every request
        wrong = sim.base_url.replace("/api/v1/", "/api/v2/")
        engine, progress = _run(log, _At(wrong), cid, batch_size=1, concurrency=2)
        assert inspect(sim)["sends_per_recipient"] == {}
    assert progress.state == "paused"
    assert isinstance(engine.stop_reason, PlatformRefused)
    reason = describe_reason(progress.reason, "en")
    assert "HTTP 404" in reason and "API" in reason
    assert log.counts(cid).as_dict()["queued"] == 20
    # paused at the first answers, not after six tries each
    assert max(r.attempts for r in log.iter_recipients(cid)) == 1


def test_a_run_that_confirms_nobody_says_how_many_and_why(log):
    cid = _campaign(log, 25)
    with running_simulator(quick_config(faults=FaultRates(malformed_json=1.0))) as sim:
        _engine, progress = _run(log, sim, cid, batch_size=5, concurrency=2)
        reached = len(inspect(sim)["sends_per_recipient"])
    assert reached == 25  # the platform took them all; its answers were unreadable
    assert progress.state == "finished"
    assert progress.nothing_confirmed
    report = progress.unconfirmed_report()
    assert report is not None and report.everyone and report.count == 25
    ((reason, count),) = report.reasons
    assert count == 25 and "not the documented JSON" in reason
    assert "all 25" in report.message_en and reason in report.message_en
    assert "ни один получатель не подтверждён" in report.message("ru")


def test_a_run_with_some_unconfirmed_is_not_reported_as_nothing_confirmed(log):
    cid = _campaign(log, 200)
    faults = FaultRates(malformed_json=0.1)
    with running_simulator(quick_config(faults=faults, seed=3)) as sim:
        _engine, progress = _run(log, sim, cid, batch_size=1, concurrency=4)
    report = progress.unconfirmed_report()
    assert report is not None and not report.everyone and not progress.nothing_confirmed
    assert report.count == progress.unconfirmed == sum(n for _, n in report.reasons) > 0
    assert f"{report.count} of 200" in report.message_en


def test_all_accepted_has_no_unconfirmed_report(log):
    cid = _campaign(log, 10)
    with running_simulator(quick_config()) as sim:
        _engine, progress = _run(log, sim, cid, batch_size=1, concurrency=2)
    assert progress.accepted == 10
    assert progress.unconfirmed_report() is None and not progress.nothing_confirmed


def test_a_4xx_that_quotes_the_token_in_any_spelling_never_records_it(tmp_path):
    """A server that echoes the form body it refused: the text is kept (it says what
    was wrong), the token in it is not, however it is spelled."""
    token = "tok+en/with=Signs" + "x" * 8
    echoed = f"cannot parse: token={quote(token, safe='')}&t2={quote_plus(token)} raw {token}"
    log = Log(tmp_path / "log.sqlite3")
    try:
        cid = _campaign(log, 3)
        faults = FaultRates(http_400=1.0, http_400_text=echoed)
        config = quick_config(faults=faults, tokens=frozenset({token}))
        with running_simulator(config) as sim:
            _engine, progress = _run(log, sim, cid, batch_size=1, concurrency=1, token=token)
        texts = [r.error or "" for r in log.iter_recipients(cid)]
        texts += [log.campaign(cid).state_reason or "", progress.reason]
    finally:
        log.close()
    assert any("HTTP 400: cannot parse: token=<token>&t2=<token> raw <token>" in t for t in texts)
    for text in texts:
        for spelling in (token, quote(token, safe=""), quote_plus(token)):
            assert spelling not in text


# -- the rules, one answer at a time ----------------------------------------------------


def _error(msg: str) -> bytes:
    return json.dumps({"type": "error", "msg": msg}, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "status,body,kind,verdict",
    [
        (400, NOTE.encode(), ResultKind.ERROR, Verdict.REJECTED),
        (422, b'{"message": "bad ttl"}', ResultKind.ERROR, Verdict.REJECTED),
        (401, b"Unauthorized", ResultKind.ERROR, Verdict.TOKEN_REFUSED),
        (403, "Недостаточно средств".encode(), ResultKind.ERROR, Verdict.NO_FUNDS),
        (404, b"<html><h1>Not Found</h1></html>", ResultKind.ERROR, Verdict.REQUEST_REFUSED),
        (413, b"too large", ResultKind.ERROR, Verdict.REQUEST_REFUSED),
        (400, "Повторите позже".encode(), ResultKind.ERROR, Verdict.RETRY_LATER),
        (408, b"", ResultKind.NOT_SENT, Verdict.RETRY_LATER),
        (429, b"", ResultKind.NOT_SENT, Verdict.RETRY_LATER),
        (301, b"", ResultKind.NOT_SENT, Verdict.REQUEST_REFUSED),
        (502, b"<html>", ResultKind.UNKNOWN, Verdict.UNCONFIRMED),
        (200, _error("Неверный номер"), ResultKind.ERROR, Verdict.REJECTED),
        (200, _error("Неверный токен"), ResultKind.ERROR, Verdict.TOKEN_REFUSED),
        (200, _error("push token not found"), ResultKind.ERROR, Verdict.REJECTED),
        (200, b'{"type":"success","id":7}', ResultKind.SUCCESS, Verdict.ACCEPTED),
    ],
)
def test_what_an_answer_means(status, body, kind, verdict):
    result = wire.parse_send_response(status, {"location": "https://elsewhere/"}, body)
    assert result.kind is kind
    assert AnswerRules().classify(result) is verdict
    if 400 <= status < 500 and status not in (408, 429):
        assert result.message.startswith(f"HTTP {status}: ")


def test_the_text_of_an_answer_is_kept_readable():
    assert wire.said(b"<html><body><h1>400</h1><p>Bad &amp; wrong</p></body></html>") == (
        "400 Bad & wrong"
    )
    assert wire.said("Ошибка".encode("cp1251")) == "Ошибка"
    assert wire.said(b"") == "no text in the answer"
    assert len(wire.said(b"x" * 5000)) == 300


def test_the_patterns_are_settings():
    rules = AnswerRules(funds=r"kein geld")
    assert rules.classify(SendResult(ResultKind.ERROR, message="Kein Geld")) is Verdict.NO_FUNDS


class _At:
    """A simulator stand-in whose ``base_url`` is another address."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

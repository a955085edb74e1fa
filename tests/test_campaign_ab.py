"""A/B tests and the spend cap, end to end: the session against the simulator over real
loopback, statuses through a real receiver into a real SQLite log, and the command line
killed with SIGKILL at each step of an A/B test.

The simulator's ``variant_bias`` makes messages holding a marker read (and delivered)
more often, so each test knows which variant must win."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kupon_desktop.audience import AudienceRules, SendWindow
from kupon_desktop.campaign.ab import (
    ABSettings,
    compare,
    group_status,
    two_proportion_z,
)
from kupon_desktop.campaign.errors import (
    ABUndecided,
    ABUnusable,
    SpendCapReached,
    pause_reason,
)
from kupon_desktop.campaign.session import (
    CampaignSession,
    ContactList,
    Platform,
    Receiving,
    RunSettings,
)
from kupon_desktop.compose import Draft
from kupon_desktop.receiver.runner import ReceiverThread
from kupon_desktop.store.log import Log
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator

ALWAYS = "00:00-23:59"
MARKER = "ПОДАРОК"


@pytest.fixture
def log(tmp_path: Path):
    opened = Log(tmp_path / "log.sqlite3")
    yield opened
    opened.close()


def _rules() -> AudienceRules:
    return AudienceRules(window=SendWindow.parse(ALWAYS))


def _contacts(n: int, kind: str = "email") -> ContactList:
    if kind == "email":
        phones = [None] * n
        emails = [f"client{i}@example.ru" for i in range(n)]
    else:
        phones = [f"7916{i:07d}" for i in range(n)]
        emails = [None] * n
    contacts = pd.DataFrame(
        {
            "row": range(2, n + 2),
            "phone": pd.array(phones, dtype="string"),
            "email": pd.array(emails, dtype="string"),
            "push_token": pd.array([None] * n, dtype="string"),
        }
    )
    names = pd.DataFrame({"Имя": pd.array([f"Клиент {i}" for i in range(n)], dtype="string")})
    return ContactList(contacts, names, name="list")


def _email(text: str) -> Draft:
    return Draft(type=MessageType.EMAIL, sender="shop@example.ru", text=text, html_text=text)


def _session(log: Log, sim, in_process: bool = True) -> CampaignSession:
    return CampaignSession(
        log, Platform(sim.base_url, lambda: TOKEN), Receiving(in_process=in_process)
    )


def _variants() -> list[Draft]:
    return [
        _email("Здравствуйте, {Имя}! Скидка 10 %."),
        _email("Здравствуйте, {Имя}! " + MARKER + " к заказу."),
    ]


# -- the split ------------------------------------------------------------------------------


def test_the_split_is_seeded_even_and_puts_everyone_in_exactly_one_campaign(
    tmp_path: Path,
) -> None:
    made = []
    for n in range(2):
        log = Log(tmp_path / f"log{n}.sqlite3")
        try:
            session = CampaignSession(log, Platform("http://127.0.0.1:9", lambda: TOKEN))
            variants = [_email("A {Имя}"), _email("B {Имя}"), _email("C {Имя}")]
            plan = session.plan(variants[0], _contacts(1000), _rules())
            group = session.create_ab(
                plan, variants, ABSettings(share=0.3, seed=42), run=RunSettings(callback=None)
            )
            members = log.ab_members(group)
            split = {}
            for cid, ab in members:
                rows = list(log.iter_recipients(cid))
                split[ab["variant"] or "rest"] = sorted(r.address for r in rows)
                if ab["role"] == "test":
                    # each variant's own text, personalised for its own recipients
                    assert all(r.text == f"{ab['variant']} Клиент {r.row - 2}" for r in rows), ab[
                        "variant"
                    ]
            made.append(split)
        finally:
            log.close()
    assert made[0] == made[1], "the same seed must give the same split"
    split = made[0]
    assert [len(split[v]) for v in "ABC"] == [100, 100, 100]
    assert len(split["rest"]) == 700
    everyone = [a for addresses in split.values() for a in addresses]
    assert len(everyone) == len(set(everyone)) == 1000


def test_an_unusable_ab_test_is_refused_with_a_reason_in_both_languages(log: Log) -> None:
    session = CampaignSession(log, Platform("http://127.0.0.1:9", lambda: TOKEN))
    plan = session.plan(_email("A"), _contacts(3), _rules())
    with pytest.raises(ABUnusable) as caught:
        session.create_ab(plan, [_email("A"), _email("B")], ABSettings(share=0.2, seed=1))
    assert "3" in caught.value.message("en") and "Получателей: 3" in caught.value.message("ru")
    with pytest.raises(ABUnusable):
        ABSettings(share=1.0)
    assert log.list_campaigns() == []


def test_the_z_test_says_when_a_difference_is_not_significant() -> None:
    z, p = two_proportion_z(120, 1000, 60, 1000)
    assert z > 4 and p < 1e-4
    z, p = two_proportion_z(52, 1000, 50, 1000)
    assert p > 0.5


def test_a_group_left_half_made_is_cancelled_whole_at_start_up(log: Log, monkeypatch) -> None:
    session = CampaignSession(log, Platform("http://127.0.0.1:9", lambda: TOKEN))
    plan = session.plan(_email("A {Имя}"), _contacts(100), _rules())

    def crash(group: str) -> None:
        raise KeyboardInterrupt  # the process stops between the campaigns and "ready"

    monkeypatch.setattr(log, "mark_ab_ready", crash)
    with pytest.raises(KeyboardInterrupt):
        session.create_ab(plan, [_email("A"), _email("B")], ABSettings(seed=3))
    monkeypatch.undo()
    [group] = log.ab_groups()
    assert group_status(log, group).phase == "creating"
    session.recover()
    for campaign in log.list_campaigns():
        assert campaign.state.value == "cancelled"
        assert campaign.counts.as_dict()["queued"] == 0
    assert sum(c.counts.total for c in log.list_campaigns()) == 100


# -- the whole test, in the session -----------------------------------------------------------


def _run_ab(session: CampaignSession, group: str):
    async def main():
        try:
            return await session.run_ab(group)
        finally:
            await session.aclose()

    return asyncio.run(main())


def test_the_favoured_variant_wins_and_the_rest_get_it_once_each(log: Log) -> None:
    config = quick_config(variant_bias={MARKER: 4.0})
    with running_simulator(config) as sim:
        session = _session(log, sim)
        variants = _variants()
        plan = session.plan(variants[0], _contacts(2000), _rules())
        group = session.create_ab(
            plan,
            variants,
            ABSettings(share=0.2, metric="read", decide_after=0.05, seed=5),
            run=RunSettings(batch_size=100),
        )
        with pytest.raises(ABUndecided):
            asyncio.run(session.run(group_status(log, group).remainder_id))
        outcome = _run_ab(session, group)
        seen = inspect(sim)
    assert outcome.state == "done"
    status = group_status(log, group)
    winner = status.winner
    assert winner is not None and winner["variant"] == "B" and winner["by"] == "auto"
    assert winner["significant"] and winner["p_value"] < 0.05
    assert "B" in status.why("ru") and "значима" in status.why("ru")
    # every recipient got exactly one message; the remainder got the winner's text
    sends = seen["sends_per_recipient"]
    assert len(sends) == 2000 and max(sends.values()) == 1
    texts = {m["sent_to"]: m["text"] for m in seen["messages"]}
    rest = list(log.iter_recipients(status.remainder_id))
    assert len(rest) == 1600
    assert all(MARKER in texts[r.address] for r in rest)
    assert all(r.text == f"Здравствуйте, Клиент {r.row - 2}! {MARKER} к заказу." for r in rest)
    for v in status.variants:
        assert v.sent == 200
        for r in log.iter_recipients(v.campaign_id):
            assert (MARKER in texts[r.address]) == (v.name == "B")
    # the decision is made once: asked again, it is the same
    assert session.decide(group) == winner


def test_held_remainder_waits_for_the_users_pick(log: Log) -> None:
    with running_simulator(quick_config(variant_bias={MARKER: 4.0})) as sim:
        session = _session(log, sim)
        variants = _variants()
        plan = session.plan(variants[0], _contacts(200), _rules())
        group = session.create_ab(
            plan,
            variants,
            ABSettings(share=0.5, metric="read", decide_after=0.0, auto=False, seed=2),
            run=RunSettings(batch_size=50),
        )
        held = _run_ab(session, group)
        assert held.state == "held"
        assert group_status(log, group).remainder_counts.queued == 100
        with pytest.raises(ABUnusable):
            session.decide(group, "D")
        picked = session.decide(group, "A")
        assert picked is not None and picked["by"] == "user" and picked["variant"] == "A"
        done = _run_ab(session, group)
        seen = inspect(sim)
    assert done.state == "done"
    texts = {m["sent_to"]: m["text"] for m in seen["messages"]}
    rest = list(log.iter_recipients(group_status(log, group).remainder_id))
    assert all("Скидка" in texts[r.address] for r in rest)
    assert "вручную" in group_status(log, group).why("ru")


# -- the spend cap --------------------------------------------------------------------------


def test_a_spend_cap_of_half_the_estimate_pauses_with_the_rest_queued(log: Log) -> None:
    with running_simulator() as sim:
        session = _session(log, sim)
        draft = Draft(type=MessageType.SMS, sender="Shop", text="Здравствуйте, {Имя}!")
        plan = session.plan(draft, _contacts(400, "phone"), _rules())
        cost = plan.estimate.cost
        cap = (cost / 2).quantize(Decimal("0.01"))
        cid = session.create(plan, run=RunSettings(callback=None, batch_size=30, spend_cap=cap))

        async def main():
            try:
                return await session.run(cid)
            finally:
                await session.aclose()

        progress = asyncio.run(main())
        seen = inspect(sim)
    assert progress.state == "paused"
    reason = pause_reason(progress.reason)
    assert isinstance(reason, SpendCapReached)
    assert "лимит расходов" in reason.message("ru") and "spend cap" in reason.message("en")
    counts = log.counts(cid).as_dict()
    sent = len(seen["sends_per_recipient"])
    unit = cost / 400
    # as close to the cap as whole messages allow, never past it
    assert sent * unit <= cap < (sent + 1) * unit
    assert counts["queued"] == 400 - sent
    # raised, the rest goes
    log.update_campaign_draft(cid, {"_run": RunSettings(callback=None, batch_size=30).to_dict()})
    with running_simulator() as sim2:
        session = _session(log, sim2)

        async def again():
            try:
                return await session.run(cid)
            finally:
                await session.aclose()

        assert asyncio.run(again()).state == "finished"
        assert len(inspect(sim2)["sends_per_recipient"]) == 400 - sent


def test_the_cap_of_an_ab_test_covers_the_whole_group(log: Log) -> None:
    with running_simulator() as sim:
        session = _session(log, sim)
        variants = [
            Draft(type=MessageType.SMS, sender="Shop", text="A {Имя}"),
            Draft(type=MessageType.SMS, sender="Shop", text="B {Имя}"),
        ]
        plan = session.plan(variants[0], _contacts(500, "phone"), _rules())
        cap = (plan.estimate.cost * Decimal("0.1")).quantize(Decimal("0.01"))
        group = session.create_ab(
            plan,
            variants,
            ABSettings(share=0.4, decide_after=0.0, seed=1),
            run=RunSettings(callback=None, batch_size=20, spend_cap=cap),
        )
        outcome = _run_ab(session, group)
        seen = inspect(sim)
    assert outcome.state == "paused"
    assert isinstance(pause_reason(outcome.progress.reason), SpendCapReached)
    # 10 % of the estimate: 50 of variant A's 100 (sent first), then nothing more
    assert len(seen["sends_per_recipient"]) == 50


# -- the command line, killed ---------------------------------------------------------------


def _cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kupon_desktop", "send", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _kill_at(proc: subprocess.Popen[str], marker: str | None, delay: float) -> bool:
    """SIGKILL ``proc`` ``delay`` seconds after its stderr shows ``marker`` (None: at
    once); False when it ended first."""
    import threading

    seen = threading.Event()
    lines: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if marker is None or marker in line:
                seen.set()
        seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen.wait(timeout=120)
    if proc.poll() is None:
        import time

        time.sleep(delay)  # a moment after the phase began: where in it is up to chance
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    reader.join(timeout=30)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    return killed


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_ab_test_killed_five_times_sends_everyone_once_and_picks_the_favoured(
    tmp_path: Path,
) -> None:
    n = 10_000
    rng = random.Random(21)
    csv = tmp_path / "list.csv"
    csv.write_text(
        "Имя;Телефон\n" + "".join(f"Клиент {i};+7 916 {i:07d}\n" for i in range(n)),
        encoding="utf-8",
    )
    db = tmp_path / "log.sqlite3"
    env = dict(os.environ, KUPON_TOKEN=TOKEN, KUPON_DESKTOP_HOME=str(tmp_path / "home"))
    config = quick_config(seed=21, variant_bias={MARKER: 3.0})
    with ReceiverThread(db, port=0) as receiver, running_simulator(config) as sim:
        common = [
            "--api-url",
            sim.base_url,
            "--token-env",
            "KUPON_TOKEN",
            "--db",
            str(db),
            "--callback-url",
            receiver.callback_base,
        ]
        first = [
            "--contacts",
            str(csv),
            "--type",
            "sms",
            "--sender",
            "Shop",
            "--text",
            "{Имя}, скидка 10% на всё",
            "--variant",
            "{Имя}, " + MARKER + " к заказу",
            "--test-share",
            "20",
            "--winner-by",
            "delivered",
            # the statuses of 2,000 messages reach the receiver over a few seconds here
            "--decide-after",
            "0.2",
            "--batch-size",
            "50",
            "--rate",
            "1500",
            # quiet hours are not this test's subject: with the default window it held
            # every message from 22:00 Moscow time on, and the test failed by the clock
            "--window",
            "off",
        ]
        # two kills while the test is sent, one at the decision, two in the remainder
        plan = [
            ("sending the test", 0.2),
            ("sending the test", 0.6),
            ("the winner is chosen at", 11.5),
            ("sending the winner", 0.5),
            ("sending the winner", 1.5),
        ]
        group = None
        kills = 0
        for marker, delay in plan:
            proc = _cli(first + common if group is None else ["--resume", group, *common], env)
            if group is None:
                assert proc.stdout is not None
                group = proc.stdout.readline().strip()
                assert group
            if _kill_at(proc, marker, delay * rng.uniform(0.7, 1.3)):
                kills += 1
        final = _cli(["--resume", group, *common], env)
        _out, err = final.communicate(timeout=300)
        assert final.returncode == 0, err
        seen = inspect(sim)
    assert kills == 5
    log = Log(db)
    try:
        status = group_status(log, group)
        assert status.phase == "done"
        assert status.winner["variant"] == "B", status.as_json()
        sends = seen["sends_per_recipient"]
        assert max(sends.values()) == 1, "a recipient received two messages"
        everyone = []
        texts = {m["sent_to"]: m["text"] for m in seen["messages"]}
        for cid, ab in log.ab_members(group):
            for r in log.iter_recipients(cid):
                everyone.append(r.address)
                assert r.state.value in ("accepted", "unconfirmed", "rejected")
                if r.address in texts:
                    wants_marker = ab["role"] == "remainder" or ab["variant"] == "B"
                    assert (MARKER in texts[r.address]) == wants_marker
        assert len(everyone) == len(set(everyone)) == n
        unconfirmed = sum(
            c.counts.as_dict()["unconfirmed"]
            for c in (log.campaign(cid) for cid, _ in log.ab_members(group))
        )
        never = n - len(sends)
        assert never <= unconfirmed
        print(
            f"\n{kills} kills; sent once: {len(sends)}, twice: 0, never (claimed when "
            f"killed, unconfirmed): {never}; winner {status.winner['variant']} "
            f"p={status.winner['p_value']}"
        )
    finally:
        log.close()
    # status --json reports each variant and the winner
    out = subprocess.run(
        [sys.executable, "-m", "kupon_desktop", "status", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    doc = json.loads(out.stdout)
    [test] = doc["ab_tests"]
    assert [v["variant"] for v in test["variants"]] == ["A", "B"]
    assert test["winner"]["variant"] == "B"
    assert test["variants"][1]["rate"] > test["variants"][0]["rate"]


def test_compare_prefers_the_first_named_on_a_tie() -> None:
    assert compare([]) is None

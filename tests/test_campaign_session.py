"""The campaign workflow written once (``campaign.session``): what the window and the
command line both rely on, against the simulator over loopback and a real log file."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from kupon_desktop.audience import AudienceRules, Prices, SendWindow
from kupon_desktop.campaign.command import add_arguments, plan_from_args
from kupon_desktop.campaign.counts import CampaignCounts, Group
from kupon_desktop.campaign.errors import NeedsContacts
from kupon_desktop.campaign.ports import SessionLog
from kupon_desktop.campaign.session import (
    CampaignSession,
    ContactList,
    Platform,
    RunSettings,
)
from kupon_desktop.compose import Draft
from kupon_desktop.contacts.importer import import_file
from kupon_desktop.store.log import Log
from kupon_desktop.store.models import NewStatusEvent, StopEntry
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator

ROOT = Path(__file__).resolve().parents[1]
# a window that contains every moment of the day: nothing deferred unless a test says so
ALWAYS = "00:00-23:59"


@pytest.fixture
def log(tmp_path: Path):
    opened = Log(tmp_path / "log.sqlite3")
    yield opened
    opened.close()


def _session(log: Log, sim=None) -> CampaignSession:
    url = sim.base_url if sim is not None else "http://127.0.0.1:9"
    return CampaignSession(log, Platform(url, lambda: TOKEN))


def _rules(**kw) -> AudienceRules:
    return AudienceRules(window=SendWindow.parse(kw.pop("window", ALWAYS)), **kw)


def _emails(addresses: list[str]) -> ContactList:
    n = len(addresses)
    contacts = pd.DataFrame(
        {
            "row": range(2, n + 2),
            "phone": pd.array([None] * n, dtype="string"),
            "email": pd.array(addresses, dtype="string"),
            "push_token": pd.array([None] * n, dtype="string"),
        }
    )
    return ContactList(contacts, pd.DataFrame({"Имя": ["Анна"] * n}), name="list")


def _run(session: CampaignSession, campaign_id: str, **kw):
    async def main():
        try:
            return await session.run(campaign_id, **kw)
        finally:
            await session.aclose()

    return asyncio.run(main())


def test_the_sqlite_log_is_what_the_session_expects(log: Log) -> None:
    # the Protocol a second backend implements: the SQLite log must satisfy it
    assert isinstance(log, Log)
    needed = [
        name
        for cls in SessionLog.__mro__
        for name in getattr(cls, "__annotations__", {}) | vars(cls)
        if not name.startswith("_")
    ]
    assert all(hasattr(log, name) for name in needed)


# -- the stop list, any letter case, added at any moment -------------------------------------


def test_mixed_case_email_stopped_mid_campaign_is_never_sent(log: Log) -> None:
    draft = Draft(type=MessageType.EMAIL, sender="shop@example.ru", text="Здравствуйте, {Имя}")
    addresses = [f"client{i}@mail.ru" for i in range(300)]
    addresses[250] = "Ivan@Mail.ru"
    with running_simulator(quick_config()) as sim:
        session = _session(log, sim)
        plan = session.plan(draft, _emails(addresses), _rules())
        campaign_id = session.create(plan, run=RunSettings(callback=None, batch_size=20))
        added = []

        def on_progress(progress) -> None:
            # while it runs, someone stop-lists the address in another letter case
            if not added and progress.accepted:
                log.stop_list_add([StopEntry("IVAN@mail.RU", "email", "typed")])
                added.append(True)

        _run(session, campaign_id, on_progress=on_progress)
        sent = inspect(sim)["sends_per_recipient"]
    assert added
    assert not {a.lower() for a in sent} & {"ivan@mail.ru"}
    assert len(sent) == 299
    row = next(r for r in log.iter_recipients(campaign_id) if r.address == "Ivan@Mail.ru")
    assert row.state.value == "excluded"


def test_mixed_case_email_stopped_before_a_resume_from_the_command_line(
    log: Log, tmp_path: Path
) -> None:
    draft = Draft(type=MessageType.EMAIL, sender="shop@example.ru", text="Добрый день")
    session = _session(log)
    plan = session.plan(draft, _emails(["a@mail.ru", "Ivan@Mail.ru", "b@mail.ru"]), _rules())
    campaign_id = session.create(plan, run=RunSettings(callback=None))
    log.stop_list_add([StopEntry("ivan@MAIL.ru", "email", "typed")])
    log.close()
    with running_simulator(quick_config()) as sim:
        done = _send(["--resume", campaign_id, "--api-url", sim.base_url], tmp_path, log.path)
        sent = inspect(sim)["sends_per_recipient"]
    assert done.returncode == 0, done.stderr
    assert set(sent) == {"a@mail.ru", "b@mail.ru"}


def _send(args: list[str], home: Path, db: Path, env_extra: dict | None = None):
    env = {
        **os.environ,
        "KUPON_TEST_TOKEN": TOKEN,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "NO_PROXY": "*",
        **(env_extra or {}),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kupon_desktop",
            "send",
            *args,
            "--db",
            str(db),
            "--token-env",
            "KUPON_TEST_TOKEN",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


# -- a resume sends as the campaign was started ------------------------------------------------


def test_resume_from_the_command_line_keeps_the_send_window(log: Log, tmp_path: Path) -> None:
    csv = tmp_path / "list.csv"
    csv.write_text("Телефон\n" + "".join(f"8916{i:07d}\n" for i in range(40)), encoding="utf-8")
    args = _cli_args(
        [
            "--contacts",
            str(csv),
            "--type",
            "sms",
            "--sender",
            "Shop",
            "--text",
            "Скидка",
            "--window",
            ALWAYS,
            "--rate",
            "50",
        ]
    )
    plan, _ = plan_from_args(args, log)
    session = _session(log)
    from kupon_desktop.campaign.headless import run_settings_from_args

    campaign_id = session.create(plan, run=run_settings_from_args(args))
    kept = log.campaign_draft(campaign_id)
    assert kept["_audience"]["window"] == ALWAYS
    assert kept["_run"] == {"callback": None, "rate": 50.0, "batch_size": None}
    # the clock moves past the window's end before the campaign is resumed: the window
    # kept with it is now one that has closed for the day in Moscow
    now = datetime.now(UTC).astimezone(__import__("zoneinfo").ZoneInfo("Europe/Moscow"))
    start = (now.hour + 2) % 24
    closed = f"{start:02d}:00-{(start + 1) % 24:02d}:00"
    log.update_campaign_draft(campaign_id, {"_audience": {**kept["_audience"], "window": closed}})
    log.close()
    with running_simulator(quick_config()) as sim:
        done = _send(["--resume", campaign_id, "--api-url", sim.base_url], tmp_path, log.path)
        messages = inspect(sim)["messages"]
    assert done.returncode == 0, done.stderr
    assert len(messages) == 40
    # every message asked the platform to deliver it when the window opens again
    assert all(m["sent_date"] is not None for m in messages)
    assert {m["sent_date"][11:16] for m in messages} == {f"{start:02d}:00"}


def test_resume_that_would_change_a_setting_asks(log: Log, tmp_path: Path) -> None:
    session = _session(log)
    plan = session.plan(
        Draft(type=MessageType.EMAIL, sender="s@shop.ru", text="x"), _emails(["a@b.ru"]), _rules()
    )
    campaign_id = session.create(plan, run=RunSettings(callback=None, rate=5.0))
    log.close()
    done = _send(["--resume", campaign_id, "--rate", "500"], tmp_path, log.path)
    assert done.returncode == 2
    assert "rate = 5.0" in done.stderr and "500" in done.stderr
    assert "--yes" in done.stderr


def _cli_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


# -- test send ---------------------------------------------------------------------------------


def test_test_send_fills_placeholders_from_the_loaded_list(log: Log, tmp_path: Path) -> None:
    csv = tmp_path / "list.csv"
    csv.write_text("ФИО;Телефон\nИван Петров;89161234567\n", encoding="utf-8")
    loaded = ContactList.from_import(import_file(csv), csv)
    draft = Draft(type=MessageType.SMS, sender="Shop", text="{ФИО}, для вас скидка")
    plan = _session(log).plan_test(draft, "8 (903) 000-11-22", loaded, _rules())
    assert not plan.blocking, [p.message("en") for p in plan.problems]
    [recipient] = plan.prepared.recipients
    assert (recipient.address, recipient.text) == ("79030001122", "Иван Петров, для вас скидка")


def test_test_send_without_a_list_says_what_to_do_in_the_interface_language(log: Log) -> None:
    draft = Draft(type=MessageType.SMS, sender="Shop", text="{ФИО}, для вас скидка")
    with pytest.raises(NeedsContacts) as raised:
        _session(log).plan_test(draft, "+79030001122", None, _rules())
    assert raised.value.message("ru").startswith("В тексте есть {ФИО}: сначала загрузите")
    assert "{ФИО}" in raised.value.message("en")
    plain = Draft(type=MessageType.SMS, sender="Shop", text="Проверка")
    assert _session(log).plan_test(plain, "+79030001122", None, _rules()).sendable == 1


# -- the plan shown is the plan sent -----------------------------------------------------------


def test_confirmation_count_and_cost_equal_what_is_sent(log: Log) -> None:
    addresses = [f"c{i}@mail.ru" for i in range(192)] + ["C1@mail.ru", "c2@mail.ru", "c3@MAIL.ru"]
    draft = Draft(type=MessageType.EMAIL, sender="s@shop.ru", text="Привет")
    prices = Prices.from_mapping({"email": "0.5"})
    with running_simulator(quick_config()) as sim:
        session = _session(log, sim)
        plan = session.plan(draft, _emails(addresses), _rules(prices=prices))
        assert plan.sendable == 192
        assert len(plan.duplicates) == 3
        assert plan.estimate.messages == 192
        assert plan.estimate.cost == pytest.approx(96.0)
        campaign_id = session.create(plan, run=RunSettings(callback=None))
        _run(session, campaign_id)
        sent = inspect(sim)["sends_per_recipient"]
    assert len(sent) == plan.sendable


# -- resend ------------------------------------------------------------------------------------


def test_resend_requeues_or_says_why(log: Log) -> None:
    session = _session(log)
    draft = Draft(type=MessageType.EMAIL, sender="s@shop.ru", text="x")
    plan = session.plan(draft, _emails([f"r{i}@b.ru" for i in range(5)]), _rules())
    cid = session.create(plan, run=RunSettings(callback=None))
    log.mark_in_flight(cid, [0, 1, 2, 3])
    log.mark_accepted(cid, [(0, 100), (1, 101)])
    log.mark_rejected(cid, [(2, "Неверный номер")])
    log.mark_unconfirmed(cid, [(3, "no answer")])
    log.append_status_events(
        [NewStatusEvent(100, 1, campaign=cid, recipient=0), NewStatusEvent(101, 20, cid, 1)]
    )
    log.apply_status_events()
    outcome = session.resend(cid, [0, 1, 2, 3, 4])
    # rejected and unconfirmed go back to the queue; the undelivered one is sent again
    # in a new campaign (its first message keeps its id and status); the delivered one
    # and the one still queued are named
    assert outcome.requeued == 2
    assert outcome.moved == 1 and outcome.new_campaign is not None
    assert outcome.refused == {"delivered": 1, "queued": 1}
    assert [r.address for r in log.iter_recipients(outcome.new_campaign)] == ["r1@b.ru"]
    assert "уже доставлены" in outcome.message("ru")
    assert "already delivered" in outcome.message("en")
    states = {r.key: r.state.value for r in log.iter_recipients(cid)}
    assert states == {0: "accepted", 1: "accepted", 2: "queued", 3: "queued", 4: "queued"}


# -- one set of counts ------------------------------------------------------------------------


def test_counts_put_every_recipient_in_one_group(log: Log) -> None:
    session = _session(log)
    draft = Draft(type=MessageType.EMAIL, sender="s@shop.ru", text="x")
    log.stop_list_add([StopEntry("r5@b.ru", "email", "typed")])
    plan = session.plan(draft, _emails([f"r{i}@b.ru" for i in range(8)]), _rules())
    cid = session.create(plan, run=RunSettings(callback=None))
    log.mark_in_flight(cid, [0, 1, 2, 3, 4])
    log.mark_accepted(cid, [(0, 100), (1, 101), (2, 102)])
    log.mark_rejected(cid, [(3, "Неверный номер")])
    log.mark_unconfirmed(cid, [(4, "no answer")])
    log.mark_skipped(cid, [6], "campaign cancelled")
    log.append_status_events([NewStatusEvent(100, 2, cid, 0), NewStatusEvent(101, 25, cid, 1)])
    log.apply_status_events()
    counts = session.counts(cid)
    assert counts.groups == {
        Group.PENDING: 2,  # key 2 (accepted, no status yet), key 7 (queued)
        Group.DELIVERED: 0,
        Group.ENGAGED: 1,
        Group.FAILED: 2,  # status 25, rejected
        Group.UNCONFIRMED: 1,
        Group.NOT_SENT: 2,  # stop list, cancelled
    }
    assert sum(counts.groups.values()) == counts.total == 8
    assert (counts.sent, counts.planned) == (5, 7)
    # History reads the same numbers
    [summary] = session.history()
    assert summary.counts == counts
    # and each row's own group agrees with the counts
    from kupon_desktop.campaign.counts import group_of

    rows = [group_of(r.state.value, r.status) for r in log.iter_recipients(cid)]
    assert {g: rows.count(g) for g in Group} == counts.groups
    assert isinstance(counts, CampaignCounts)


# -- the two faces, one plan -------------------------------------------------------------------


def test_window_and_command_line_make_the_same_plan(log: Log, tmp_path: Path, qapp) -> None:
    from kupon_desktop.audience.settings import rules_from_settings
    from kupon_desktop.ui.settings_store import QtSettings

    csv = tmp_path / "clients.csv"
    # ten phones twice, each time with another e-mail: one SMS each
    lines = ["Имя;Телефон;E-mail;Часовой пояс;Согласие"]
    for i in range(60):
        zone = ["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad"][i % 3]
        consent = "да" if i % 7 else "нет"
        lines.append(f"Клиент {i};8 916 {i % 50:07d};c{i}@mail.ru;{zone};{consent}")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log.stop_list_add([StopEntry("79160000004", "phone", "typed")])
    draft = Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, скидка 20% до воскресенья")
    now = datetime(2026, 12, 6, 6, 30, tzinfo=UTC)

    # the window: Settings' rules, the Contacts page's import
    settings = QtSettings()
    settings.set("audience/window", "10:00-21:00")
    settings.set("prices/sms", 3.2)
    window_rules = rules_from_settings(settings.get, advertising=True)
    window_list = ContactList.from_import(import_file(csv), csv)
    window_plan = _session(log).plan(draft, window_list, window_rules, now=now)

    # the command line: the same choices as options
    args = _cli_args(
        [
            "--contacts",
            str(csv),
            "--type",
            "sms",
            "--sender",
            "Shop",
            "--text",
            draft.text,
            "--window",
            "10:00-21:00",
            "--price",
            "sms=3.2",
        ]
    )
    from kupon_desktop.campaign.command import audience_rules_from_args

    assert audience_rules_from_args(args) == window_rules
    cli_plan, _ = plan_from_args(args, log, now=now)

    assert window_plan.summary() == cli_plan.summary()
    summary = window_plan.summary()
    assert summary["duplicates"] == 10
    assert summary["excluded"]["stop list"] == 1
    assert summary["excluded"]["no consent"] > 0
    assert summary["deferred"] > 0
    assert json.dumps(summary, default=str)

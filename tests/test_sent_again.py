"""The same message to the same people twice: a campaign planned with the text of one
sent in the last day warns how many would get it again (the window's confirmation and
the command line read the same plan), and only counts those the first one reached."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from kupon_desktop.audience import AudienceRules
from kupon_desktop.audience.window import SendWindow
from kupon_desktop.campaign.session import CampaignSession, ContactList, Platform
from kupon_desktop.cli import main
from kupon_desktop.compose import Draft
from kupon_desktop.contacts.importer import import_file
from kupon_desktop.store.log import open_log
from kupon_desktop.vocabulary import MessageType

DRAFT = Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, скидка 10%")
PHONES = [f"+7 916 000-00-0{k}" for k in range(6)]


def _file(tmp_path, phones, name="list.csv"):
    path = tmp_path / name
    rows = "".join(f"Клиент {k};{p}\n" for k, p in enumerate(phones))
    path.write_text("Имя;Телефон\n" + rows, encoding="utf-8")
    return path


def _contacts(path) -> ContactList:
    return ContactList.from_import(import_file(path), path)


def _again(plan):
    return [p for p in plan.problems if p.code == "sent_recently"]


def test_a_second_campaign_with_the_same_message_says_who_would_get_it_twice(tmp_path):
    rules = AudienceRules(advertising=False, window=SendWindow.parse("off"))
    with open_log(tmp_path / "log.db") as log:
        session = CampaignSession(log, Platform("http://127.0.0.1:1", lambda: "t"))
        first = _file(tmp_path, PHONES[:5])
        campaign = session.create(session.plan(DRAFT, _contacts(first), rules), name="Весна")
        # three went out, two are still queued (a paused campaign)
        keys = [r.key for r in log.recipients_to_send(campaign, 3)]
        log.mark_in_flight(campaign, keys)
        log.mark_accepted(campaign, [(k, 100 + k) for k in keys])
        everyone = _contacts(_file(tmp_path, PHONES, "all.csv"))

        [warning] = _again(session.plan(DRAFT, everyone, rules))
        assert not warning.blocking
        assert "3 of these recipients" in warning.message("en")
        assert "«Весна»" in warning.message("ru")
        # another text, someone else, or a day later: nothing to say
        other = Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, новая коллекция")
        assert _again(session.plan(other, everyone, rules)) == []
        newcomer = _contacts(_file(tmp_path, PHONES[5:], "new.csv"))
        assert _again(session.plan(DRAFT, newcomer, rules)) == []
        later = datetime.now(UTC) + timedelta(hours=25)
        assert _again(session.plan(DRAFT, everyone, rules, now=later)) == []


def test_the_command_line_dry_run_gives_the_same_warning(tmp_path, capsys):
    db = tmp_path / "log.db"
    rules = AudienceRules(advertising=False, window=SendWindow.parse("off"))
    with open_log(db) as log:
        session = CampaignSession(log, Platform("http://127.0.0.1:1", lambda: "t"))
        path = _file(tmp_path, PHONES)
        campaign = session.create(session.plan(DRAFT, _contacts(path), rules), name="Весна")
        keys = [r.key for r in log.recipients_to_send(campaign, 10)]
        log.mark_in_flight(campaign, keys)
        log.mark_accepted(campaign, [(k, 100 + k) for k in keys])
        planned = session.plan(DRAFT, _contacts(path), rules)
    args = ["send", "--db", str(db), "--contacts", str(path), "--type", "sms"]
    args += ["--sender", "Shop", "--text", DRAFT.text, "--service", "--window", "off"]
    assert main([*args, "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    said = [p for p in out["problems"] if p["code"] == "sent_recently"]
    assert [p["message"] for p in said] == [w.message("en") for w in _again(planned)]
    assert "6 of these recipients" in said[0]["message"]


def test_the_window_asks_before_sending_the_same_message_again_and_enter_cancels(
    qtbot, demo_window, tmp_path
):
    from PySide6.QtWidgets import QMessageBox

    from tests.uihelpers import accept_import

    window, _sim = demo_window
    path = _file(tmp_path, PHONES)
    with qtbot.waitSignal(window.contacts_page.contacts_loaded, timeout=30000):
        window.open_contacts(path)
        accept_import(qtbot)
    page = window.message_page

    def confirm() -> QMessageBox:
        qtbot.waitUntil(
            lambda: window.confirm_box is not None and window.confirm_box.isVisible(),
            timeout=20000,
        )
        return window.confirm_box

    window.confirm_box = None
    page.set_draft(DRAFT)
    page.start_send()
    box = confirm()
    assert "same message" not in box.text()
    box.defaultButton().click()  # Send
    qtbot.waitUntil(lambda: window.history_page.model.rowCount() == 1, timeout=30000)
    qtbot.waitUntil(
        lambda: window.control.sending is None and window.campaign_page.state == "finished",
        timeout=60000,
    )
    window.confirm_box = None
    running = len(window.ctx.runner._tasks)
    page.set_draft(DRAFT)
    page.start_send()
    box = confirm()
    assert "6 of these recipients were sent this same message" in box.text()
    assert box.icon() == QMessageBox.Icon.Warning
    box.defaultButton().click()  # Enter: Cancel
    # the send's task ends with the answer: nothing is made after it
    qtbot.waitUntil(lambda: len(window.ctx.runner._tasks) == running, timeout=5000)
    assert window.history_page.model.rowCount() == 1
    assert len(window.control.log.list_campaigns()) == 1

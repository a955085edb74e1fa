"""The base in the real window: the Message page's audience picker plans with a list or
segment read at Check time (a consent withdrawn a moment ago excludes the contact), a
campaign's group saved as a list from the Campaign page's menu and sent to, and the
Analytics page's funnel and its export."""

from __future__ import annotations

from pathlib import Path

import pytest

from kupon_desktop.audience import AudienceRules
from kupon_desktop.campaign.from_base import contact_list_from_base
from kupon_desktop.compose import Draft
from kupon_desktop.store.models import NewStatusEvent
from kupon_desktop.vocabulary import MessageType
from tests.uihelpers import make_window

FILE = """Имя;Телефон;Email;Город;Согласие
Иван;+7 916 123-45-67;ivan@mail.ru;Москва;да
Пётр;89161234568;petr@mail.ru;Тула;да
Анна;79161234569;anna@mail.ru;Москва;да
Новый;79161234570;new@mail.ru;Москва;да
"""


def _run(qtbot, loop, coro, timeout=20000):
    task = loop.create_task(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def _send(log, campaign_id: str, statuses: dict[str, int]) -> None:
    """Every recipient accepted by the platform; the statuses arrive through the log."""
    rows = log.recipients_to_send(campaign_id, 1000)
    keys = [r.key for r in rows]
    log.mark_in_flight(campaign_id, keys)
    log.mark_accepted(campaign_id, [(k, 1000 + k) for k in keys])
    log.append_status_events(
        [
            NewStatusEvent(1000 + r.key, statuses[r.address], campaign_id, r.key)
            for r in rows
            if r.address in statuses
        ]
    )
    log.apply_status_events()


@pytest.fixture
def window(qtbot, qasync_loop, tmp_path: Path):
    window = make_window(qtbot, lang="ru")
    window.ctx.settings.set("audience/window", "off")
    window.control.db_path = tmp_path / "log.sqlite3"
    _run(qtbot, qasync_loop, window.base.open(window.control.log.path))
    source = tmp_path / "clients.csv"
    source.write_text(FILE, encoding="utf-8")
    _run(qtbot, qasync_loop, window.base_page.import_file(source, "Клиенты"))
    window.base_page.dialog.close()
    qtbot.waitUntil(lambda: window.base.picker.lists == ["Клиенты"], timeout=5000)
    yield window
    _run(qtbot, qasync_loop, window.shutdown())


def test_the_pages_are_in_the_navigation(qtbot, window):
    assert window.PAGES[-2:] == ("base", "analytics")
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles[-2:] == ["База", "Аналитика"]
    window.show_page(window.PAGES.index("base"))
    assert window.stack.currentWidget() is window.base_page
    # the import told the picker about the new list
    qtbot.waitUntil(lambda: window.base.picker.lists == ["Клиенты"], timeout=5000)


def test_a_list_picked_is_what_check_plans_with_and_a_withdrawal_excludes_at_once(
    qtbot, qasync_loop, window
):
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="Скидка 10%, {Имя}")
    window.base.picker.pick("list", "Клиенты")
    qtbot.waitUntil(lambda: window.base.frozen is not None, timeout=10000)
    # the Message page previews the list: its fields are the placeholders
    assert len(window.message_page.contacts) == 4
    assert "Имя" in [
        window.message_page.insert_combo.itemData(i)
        for i in range(window.message_page.insert_combo.count())
    ]
    plan = _run(qtbot, qasync_loop, window.plan_for(draft, True))
    assert plan.sendable == 4
    assert window.contact_list().source["list"] == "Клиенты"

    # the card's Withdraw: the next Check leaves the contact out of advertising
    page = window.base_page
    _run(qtbot, qasync_loop, page.show_card(window.control.log.base_find("79161234567")))
    _run(qtbot, qasync_loop, page.withdraw(page.card.contact))
    plan = _run(qtbot, qasync_loop, window.plan_for(draft, True))
    assert plan.sendable == 3 and plan.excluded_count("no consent") == 1
    # a service message is not advertising: consent is not asked
    plan = _run(qtbot, qasync_loop, window.plan_for(draft, False))
    assert plan.sendable == 4

    # the file again: the Contacts page's (nothing imported there)
    window.base.picker.pick("file")
    assert window.contact_list() is None and window.message_page.contacts is None


def test_a_segment_then_who_clicked_saved_as_a_list_from_the_campaign_page_and_sent_to(
    qtbot, qasync_loop, window, tmp_path
):
    log = window.control.log
    session = window.control.session
    draft = Draft(type=MessageType.SMS, sender="KUPON", text="Акция")
    contacts = contact_list_from_base(log, "sms", list_name="Клиенты")
    first = session.create(session.plan(draft, contacts, AudienceRules(advertising=False)))
    # Иван clicked, Анна and Новый delivered, Пётр not delivered
    _send(log, first, {"79161234567": 4, "79161234569": 1, "79161234570": 1, "79161234568": 20})

    definition = {
        "all": [
            {"field": "Город", "op": "equals", "value": "Москва"},
            {"outcome": "delivered", "campaign": "last"},
            {"not": {"outcome": "clicked", "campaign": "last"}},
        ]
    }
    _run(qtbot, qasync_loop, window.base_page.save_segment("Москва без перехода", definition))
    qtbot.waitUntil(lambda: "Москва без перехода" in window.base.picker.segments, timeout=5000)
    window.base.picker.pick("segment", "Москва без перехода")
    plan = _run(qtbot, qasync_loop, window.plan_for(draft, False))
    assert plan.sendable == 2
    assert sorted(window.contact_list().contacts["phone"].tolist()) == [
        "79161234569",
        "79161234570",
    ]

    # the Campaign page's menu: who clicked, as a list
    page = window.campaign_page
    page.campaign_id = first
    page._fill_retarget_menu()
    [sub] = [a.menu() for a in page.retarget_menu.actions() if a.menu() is not None][:1]
    [clicked] = [a for a in sub.actions() if a.objectName() == "retarget_list_clicked"]
    clicked.trigger()
    dialog = window.base.dialog
    assert dialog.isVisible()
    dialog.setTextValue("Кликнули")
    dialog.accept()
    qtbot.waitUntil(lambda: "Кликнули" in window.base.picker.lists, timeout=10000)
    assert log.base_rows({"list": "Кликнули"}).phones == ["79161234567"]
    assert window.base_page.selected == ("list", "Кликнули")

    window.base.picker.pick("list", "Кликнули")
    plan = _run(qtbot, qasync_loop, window.plan_for(draft, False))
    assert plan.sendable == 1
    second = _run(qtbot, qasync_loop, window.control.create(plan))
    assert log.campaign_draft(second)["_source"]["list"] == "Кликнули"

    # Analytics: the funnel per channel and per list, a chart, the workbook
    analytics = window.analytics_page
    funnels = _run(qtbot, qasync_loop, analytics.reload())
    [sms] = funnels
    assert (sms.campaigns, sms.sent, sms.delivered, sms.read, sms.clicked) == (2, 4, 3, 1, 1)
    assert analytics.chart.values == [4, 3, 1, 1]
    assert analytics.chart.bar_texts() == ["4", "3 (75,0%)", "1 (25,0%)", "1 (25,0%)"]
    assert analytics.model.rowCount() == 1
    # the channel by its name and the cost as Russian writes it, not "sms" and "18.00"
    channel, cost = (analytics.model.data(analytics.model.index(0, c)) for c in (0, 10))
    assert channel == "SMS" and cost.count(",") == 1 and "." not in cost
    analytics.by.setCurrentIndex(analytics.by.findData("source"))
    funnels = _run(qtbot, qasync_loop, analytics.reload())
    labels = [analytics.model.data(analytics.model.index(r, 0)) for r in range(2)]
    assert labels == ["список: Клиенты", "список: Кликнули"]
    out = tmp_path / "analytics.xlsx"
    _run(qtbot, qasync_loop, analytics.export_file(out))
    from openpyxl import load_workbook

    book = load_workbook(out, read_only=True)
    assert book.sheetnames[:2] == ["По каналам", "По спискам"]
    book.close()


def test_not_clicked_finds_contacts_without_an_email(qtbot, qasync_loop, tmp_path):
    from kupon_desktop.base.importing import import_into_base
    from kupon_desktop.campaign.session import CampaignSession, Platform
    from kupon_desktop.store.log import open_log

    source = tmp_path / "phones.csv"
    source.write_text("Телефон\n79161234567\n79161234568\n", encoding="utf-8")
    with open_log(tmp_path / "log.db") as log:
        import_into_base(log, source, "Телефоны")
        session = CampaignSession(log, Platform("http://127.0.0.1:1", lambda: "t"))
        draft = Draft(type=MessageType.SMS, sender="KUPON", text="Акция")
        contacts = contact_list_from_base(log, "sms", list_name="Телефоны")
        campaign = session.create(session.plan(draft, contacts, AudienceRules(advertising=False)))
        _send(log, campaign, {"79161234567": 4, "79161234568": 1})
        assert (
            log.base_count({"segment_definition": {"outcome": "clicked", "campaign": "last"}}) == 1
        )
        not_clicked = {"not": {"outcome": "clicked", "campaign": "last"}}
        assert log.base_count({"segment_definition": not_clicked}) == 1

"""A/B tests and the spend cap in the window: the Message page's A/B section and cap field,
the Campaign page's variants side by side, the user's pick of the winner, a pause at the
cap and a Resume after raising it. The real window against the simulator over loopback,
answering its real dialogs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from kupon_desktop.campaign.ab import ABSettings
from kupon_desktop.compose import Draft
from kupon_desktop.ui.pages.message import MessagePage
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import inspect, quick_config, running_simulator
from tests.uihelpers import accept_import, make_window, simulator_window

N = 300


# -- the Message page alone ----------------------------------------------------------


def test_ab_section_builds_the_variants_and_settings(qtbot):
    page = MessagePage("en")
    qtbot.addWidget(page)
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Hello A"))
    ab = page.ab
    assert ab.request(page.draft()) is None  # off by default
    ab.setChecked(True)
    assert [e.name for e in ab.editors] == ["B"]
    assert ab.metric_combo.currentData() == "delivered"  # an SMS reports no reading
    c = ab.add_variant()
    d = ab.add_variant()
    assert ab.add_variant() is None and not ab.add_button.isEnabled()  # four at most
    ab.editors[0].text.setPlainText("Hello B")
    c.text.setPlainText("Hello C")
    c.sender_edit.setText("Other")
    d.text.setPlainText("Hello D")
    ab.remove_variant(ab.editors[0])  # B goes: C and D become B and C
    assert [e.name for e in ab.editors] == ["B", "C"]
    ab.share.setValue(30)
    ab.decide_after.setValue(2)
    ab.decide_unit.setCurrentIndex(ab.decide_unit.findData(60))
    ab.hold.setChecked(True)
    request = ab.request(page.draft())
    assert [v.text for v in request.variants] == ["Hello A", "Hello C", "Hello D"]
    assert [v.sender for v in request.variants] == ["Shop", "Other", "Shop"]
    assert request.settings == ABSettings(
        share=0.3, metric="delivered", decide_after=120.0, auto=False
    )
    # changing the channel to one that reports clicks makes clicks the default metric
    page.type_combo.setCurrentIndex(page.type_combo.findData(MessageType.VIBER.value))
    assert ab.metric_combo.currentData() == "clicked"


def test_check_checks_every_variant(qtbot, qasync_loop):
    page = MessagePage("en")
    qtbot.addWidget(page)
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Hello {Name}"))
    page.ab.setChecked(True)
    page.ab.editors[0].text.setPlainText("Hi {Nmae}")  # a column the list does not have
    import pandas as pd

    page.contacts = pd.DataFrame(
        {"row": [2], "phone": ["79160000001"], "email": [None], "push_token": [None]}
    ).astype({"phone": "string", "email": "string", "push_token": "string"})
    page.fields = pd.DataFrame({"Name": ["Anna"]}).astype("string")
    task = qasync_loop.create_task(page.run_check())
    qtbot.waitUntil(task.done, timeout=10000)
    texts = [page.problem_list.item(i).text() for i in range(page.problem_list.count())]
    assert any(t.startswith("Variant B: ") and "Nmae" in t for t in texts), texts
    # what A (the list) has already is not said again for B
    assert not any(t.startswith("Variant B: ") and t[len("Variant B: ") :] in texts for t in texts)
    assert not page.send_button.isEnabled()
    assert "A/B" in page.check_summary.text()


def test_spend_cap_field_reads_both_decimal_marks_and_names_a_bad_one(qtbot):
    page = MessagePage("ru")
    qtbot.addWidget(page)
    page.spend_cap.edit.setText("4,50")
    assert page.spend_cap.cap("ru") == Decimal("4.50")
    page.spend_cap.edit.setText("4.50")
    assert page.spend_cap.cap("ru") == Decimal("4.50")
    page.spend_cap.edit.setText("")
    assert page.spend_cap.cap("ru") is None
    page.spend_cap.edit.setText("много")
    with pytest.raises(ValueError):
        page.spend_cap.cap("ru")
    assert "не цена" in page.spend_cap.error.text()


def test_settings_default_cap_prefills_the_message_page(qtbot):
    window = make_window(qtbot)
    dialog = window.open_settings()
    dialog.spend_cap_field.editor.setText("6000,50")
    dialog.accept()
    assert window.ctx.settings.get("audience/spend_cap") == "6000.50"
    assert Decimal(window.message_page.spend_cap.edit.text().replace(",", "")) == Decimal(
        "6000.50"
    ) or window.message_page.spend_cap.cap("en") == Decimal("6000.50")
    dialog = window.open_settings()
    dialog.spend_cap_field.editor.setText("lots")
    dialog.accept()
    assert dialog.spend_cap_field.error.isVisible() or dialog.spend_cap_field.error.text()
    assert window.ctx.settings.get("audience/spend_cap") == "6000.50"
    dialog.reject()
    window.ctx.settings.set("audience/spend_cap", "")


# -- the window against the simulator ------------------------------------------------


@pytest.fixture
def sim_window(qtbot, qasync_loop, tmp_path):
    with running_simulator(quick_config(variant_bias={"скидк": 4.0})) as sim:
        window = simulator_window(qtbot, sim, tmp_path / "ab.sqlite3")
        yield window, sim
        done = qasync_loop.create_task(window.shutdown())
        qtbot.waitUntil(done.done, timeout=20000)


def _load(qtbot, window, tmp_path, n=N):
    csv = tmp_path / "clients.csv"
    csv.write_text(
        "Имя;Телефон\n" + "".join(f"Клиент {i};8 916 {i:07d}\n" for i in range(n)),
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.contacts_page.contacts_loaded, timeout=30000):
        window.open_contacts(csv)
        accept_import(qtbot)


def _confirm(qtbot, window) -> str:
    qtbot.waitUntil(
        lambda: getattr(window, "confirm_box", None) is not None and window.confirm_box.isVisible(),
        timeout=20000,
    )
    box = window.confirm_box
    text = box.text()
    send = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
    send[0].click()
    return text


def test_ab_test_held_for_the_users_pick_then_the_rest_sent_once(qtbot, sim_window, tmp_path):
    window, sim = sim_window
    _load(qtbot, window, tmp_path)
    page = window.message_page
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, новинки весны"))
    page.ab.setChecked(True)
    page.ab.editors[0].text.setPlainText("{Имя}, скидка 20% на весну")
    page.ab.share.setValue(40)
    page.ab.decide_after.setValue(0)
    page.ab.hold.setChecked(True)
    page.start_send()
    text = _confirm(qtbot, window)
    assert "A/B test: 2 variants, 120 recipients (40 %)" in text
    assert "waits for your choice" in text
    panel = window.campaign_page.ab_panel
    qtbot.waitUntil(
        lambda: (
            panel.status is not None
            and panel.status.phase == "held"
            and window.campaign_page.state == "held"
        ),
        timeout=60000,
    )
    assert not panel.isHidden() and list(panel.columns) == ["A", "B"]
    assert not panel.columns["B"].pick.isHidden()
    assert "Waiting for your choice" in panel.state.text()
    # every test message has its final status before the pick
    window.control.current_group = panel.status.group
    qtbot.waitUntil(
        lambda: sum(v.by_metric["delivered"] for v in panel.status.variants) > 0, timeout=20000
    )
    assert panel.columns["A"].values["sent"].text() == "60"
    assert "Confidence of the difference" in panel.confidence.text()
    panel.columns["B"].pick.click()
    qtbot.waitUntil(
        lambda: panel.status is not None and panel.status.phase == "done", timeout=60000
    )
    assert panel.status.winner["variant"] == "B" and panel.status.winner["by"] == "user"
    assert "picked by the user" in panel.why.text()
    seen = inspect(sim)
    assert len(seen["sends_per_recipient"]) == N
    assert set(seen["sends_per_recipient"].values()) == {1}
    texts = [m["text"] for m in seen["messages"]]
    assert sum("скидка" in t for t in texts) == N - 60  # B to its 60 and to the rest


def test_ab_test_automatic_winner(qtbot, sim_window, tmp_path):
    window, sim = sim_window
    _load(qtbot, window, tmp_path)
    page = window.message_page
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, новинки весны"))
    page.ab.setChecked(True)
    page.ab.editors[0].text.setPlainText("{Имя}, скидка 20% на весну")
    page.ab.share.setValue(40)
    page.ab.decide_after.setValue(0)
    page.start_send()
    _confirm(qtbot, window)
    panel = window.campaign_page.ab_panel
    qtbot.waitUntil(
        lambda: (
            panel.status is not None
            and panel.status.phase == "done"
            and window.campaign_page.state == "finished"
        ),
        timeout=60000,
    )
    assert panel.status.winner["by"] == "auto"
    assert "won" in panel.why.text()
    seen = inspect(sim)
    assert len(seen["sends_per_recipient"]) == N
    assert set(seen["sends_per_recipient"].values()) == {1}


def test_spend_cap_pauses_with_its_message_and_resume_after_raising_it(qtbot, sim_window, tmp_path):
    window, sim = sim_window
    _load(qtbot, window, tmp_path, n=200)
    page = window.message_page
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Весенняя распродажа"))
    # example SMS price: the estimate's own; half of it is the cap
    task = window.ctx.runner.start(window.plan_for(page.draft(), True), what="plan")
    qtbot.waitUntil(task.done, timeout=20000)
    estimate = task.result().estimate
    cap = estimate.cost / 2
    page.spend_cap.edit.setText(str(cap))
    page.start_send()
    text = _confirm(qtbot, window)
    assert "cap:" in text and "sending stops at ~50 %" in text
    qtbot.waitUntil(lambda: window.campaign_page.state == "paused", timeout=60000)
    assert "spend cap" in window.campaign_page.state_label.text()
    notices = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.isVisible() and "spend cap" in w.text()
    ]
    assert notices
    for box in notices:
        box.close()
    sent = len(inspect(sim)["sends_per_recipient"])
    assert 0 < sent <= 100
    # Resume asks for a higher cap: cancelled, nothing changes and nothing is sent
    window.campaign_page.resume_button.click()
    qtbot.waitUntil(
        lambda: getattr(window, "cap_dialog", None) is not None and window.cap_dialog.isVisible(),
        timeout=20000,
    )
    window.cap_dialog.reject()
    qtbot.waitUntil(
        lambda: (
            window.campaign_page.state == "paused"
            and window.campaign_page.resume_button.isEnabled()
            and not window.control.busy
        ),
        timeout=20000,
    )
    assert len(inspect(sim)["sends_per_recipient"]) == sent
    window.cap_dialog = None
    # with a higher cap the rest goes out, nobody twice
    window.campaign_page.resume_button.click()
    qtbot.waitUntil(
        lambda: getattr(window, "cap_dialog", None) is not None and window.cap_dialog.isVisible(),
        timeout=20000,
    )
    dialog: QInputDialog = window.cap_dialog
    dialog.setTextValue(str(estimate.cost * 2).replace(".", ","))
    dialog.accept()
    qtbot.waitUntil(lambda: window.campaign_page.state == "finished", timeout=60000)
    seen = inspect(sim)
    assert len(seen["sends_per_recipient"]) == 200
    assert set(seen["sends_per_recipient"].values()) == {1}


def test_no_attribute_hides_a_qt_method(qtbot):
    """An attribute named like a Qt virtual (``metric``, ``sender``) breaks painting or
    signals of the widget: none of the A/B widgets has one."""
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QGroupBox

    from kupon_desktop.ui.pages.campaign_ab import ABBars, ABPanel, VariantColumn
    from kupon_desktop.ui.pages.message.ab import ABSection, SpendCapField, VariantEditor

    section = ABSection()
    qtbot.addWidget(section)
    section.setChecked(True)
    widgets = [
        section,
        section.editors[0],
        ABPanel(),
        ABBars(),
        VariantColumn("A"),
        SpendCapField(),
    ]
    assert isinstance(widgets[2], QGroupBox)
    for widget in widgets:
        for name in vars(widget):
            inherited = getattr(type(widget).__mro__[1], name, None)
            if isinstance(inherited, Signal):  # PySide keeps a bound signal here
                continue
            assert inherited is None, (type(widget).__name__, name)
    assert isinstance(widgets[1], VariantEditor)


def test_pause_while_the_test_waits_for_its_decision_then_resume(qtbot, sim_window, tmp_path):
    window, sim = sim_window
    _load(qtbot, window, tmp_path, n=100)
    page = window.message_page
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Новинки весны"))
    page.ab.setChecked(True)
    page.ab.editors[0].text.setPlainText("Скидка 20% на весну")
    page.ab.share.setValue(40)
    page.ab.decide_after.setValue(1)
    page.ab.decide_unit.setCurrentIndex(page.ab.decide_unit.findData(60))  # an hour
    page.start_send()
    _confirm(qtbot, window)
    panel = window.campaign_page.ab_panel
    qtbot.waitUntil(
        lambda: panel.status is not None and panel.status.phase == "waiting", timeout=60000
    )
    assert "the winner is chosen in 59 min" in panel.state.text() or "1 h" in panel.state.text()
    assert window.control.busy  # waiting is part of the run: Send refuses a second one
    window.campaign_page.pause_button.click()
    qtbot.waitUntil(
        lambda: window.campaign_page.state == "paused" and not window.control.busy,
        timeout=20000,
    )
    assert len(inspect(sim)["sends_per_recipient"]) == 40  # the test only
    # the pick is the user's to make at any time: B now, the rest gets it
    status = panel.status
    window.campaign_page.winner_picked.emit(status.group, "B")
    qtbot.waitUntil(
        lambda: (
            panel.status is not None
            and panel.status.phase == "done"
            and window.campaign_page.state == "finished"
        ),
        timeout=60000,
    )
    seen = inspect(sim)
    assert len(seen["sends_per_recipient"]) == 100
    assert set(seen["sends_per_recipient"].values()) == {1}

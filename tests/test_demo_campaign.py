"""The whole path in the real window, against the built-in simulator and the status
receiver over loopback: import a list, compose, Send, confirm, and watch the grid fill
with delivery statuses; then the stop list keeps a number out of the next campaign."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from kupon_desktop.campaign.counts import Group
from kupon_desktop.compose import Draft
from kupon_desktop.store.models import StopEntry
from kupon_desktop.ui.models.status_grid import Filter
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import inspect
from tests.uihelpers import accept_import

N = 200


def _confirm(qtbot, window):
    qtbot.waitUntil(
        lambda: getattr(window, "confirm_box", None) is not None and window.confirm_box.isVisible(),
        timeout=20000,
    )
    box = window.confirm_box
    send = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
    send[0].click()


def test_import_compose_send_and_watch_statuses(qtbot, demo_window, tmp_path):
    window, sim = demo_window
    csv = tmp_path / "clients.csv"
    csv.write_text(
        "Имя;Телефон\n" + "".join(f"Клиент {i};8 916 {i:07d}\n" for i in range(N)), encoding="utf-8"
    )
    with qtbot.waitSignal(window.contacts_page.contacts_loaded, timeout=30000):
        window.open_contacts(csv)
        accept_import(qtbot)
    page = window.message_page
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, скидка 20%!"))
    page.start_send()
    _confirm(qtbot, window)
    grid = window.campaign_page.model
    qtbot.waitUntil(lambda: grid.rowCount() == N, timeout=30000)
    assert window.current_page == "campaign"

    def settled() -> bool:
        counts = grid.counts()
        return counts[Filter.PENDING] == 0 and counts[Filter.UNCONFIRMED] == 0

    qtbot.waitUntil(settled, timeout=60000)
    counts = grid.counts()
    assert counts[Filter.DELIVERED] + counts[Filter.ENGAGED] + counts[Filter.FAILED] == N
    assert counts[Filter.DELIVERED] > 0
    assert window.campaign_page.filter_buttons[Filter.ALL].text().endswith(f"({N})")
    seen = inspect(sim)
    assert set(seen["sends_per_recipient"].values()) == {1}
    assert len(seen["sends_per_recipient"]) == N
    # history lists it, with the Campaign page's numbers
    qtbot.waitUntil(lambda: window.history_page.model.rowCount() == 1, timeout=10000)
    history = window.history_page.model.frame.iloc[0]
    buttons = window.campaign_page.filter_buttons
    for f in Filter:
        if f is not Filter.ALL:
            assert buttons[f].text().endswith(f"({history[f.value]})"), (f, history[f.value])
    # the grid's own grouping of its rows agrees with the counts from the log
    shown = window.campaign_page.counts
    assert grid.counts() == {
        f: N if f is Filter.ALL else shown.groups[Group(f.value)] for f in Filter
    }

    # a number put on the stop list never reaches the platform in the next campaign
    window.control.log.stop_list_add([StopEntry("79160000007", "phone", "typed", "")])
    first = window.campaign_page.campaign_id
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Второе письмо"))
    window.confirm_box = None
    page.start_send()
    _confirm(qtbot, window)
    qtbot.waitUntil(lambda: window.history_page.model.rowCount() == 2, timeout=30000)
    qtbot.waitUntil(
        lambda: (
            window.campaign_page.campaign_id != first
            and window.control.sending is None
            and window.campaign_page.state == "finished"
        ),
        timeout=60000,
    )
    second = [m for m in inspect(sim)["messages"] if m["text"] == "Второе письмо"]
    assert len(second) == N - 1
    assert "79160000007" not in {m["sent_to"] for m in second}

"""Search as people type a phone number, on the three pages that search (Contacts,
Campaign, Stop list), and the Contacts page's import report: rejected rows, duplicates
found at import, remarks with the extra-rows button, a header-only file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kupon_desktop.campaign.session import CampaignSession, Platform
from kupon_desktop.store.log import Log
from kupon_desktop.ui.import_dialog import ImportDialog
from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.models.status_grid import Filter, StatusGridModel
from kupon_desktop.ui.pages.campaign import CampaignPage
from kupon_desktop.vocabulary import MessageType
from tests.test_reliability_helpers import make_campaign, phone
from tests.uihelpers import make_window

PHONES = ["79161234567", "79165553311", "79031112233", "74951234567"]
QUERIES = {
    "9161234567": [0],
    "8 (916) 123-45-67": [0],
    "+7 916 123-45-67": [0],
    "916 123": [0],
    "8 (916) 555": [1],
    "8 (495)": [3],
    "Ольга": [2],
}


def test_frame_model_finds_a_phone_typed_any_way(qtmodeltester) -> None:
    model = FrameTableModel(
        pd.DataFrame(
            {
                "phone": pd.array(PHONES, dtype="string[pyarrow]"),
                "name": pd.array(["Анна", "Борис", "Ольга", "Офис"], dtype="string[pyarrow]"),
            }
        )
    )
    for query, rows in QUERIES.items():
        model.set_filter_text(query)
        assert [model.source_row(r) for r in range(model.rowCount())] == rows, query
    qtmodeltester.check(model)
    model.set_filter_text("")
    assert model.rowCount() == 4


def test_grid_search_and_the_group_counts_follow_it() -> None:
    model = StatusGridModel("en")
    model.load(PHONES, ["Анна", "Борис", "Ольга", "Офис"], MessageType.SMS)
    model.apply_columns(
        {
            "key": [0, 1],
            "state": ["accepted", "rejected"],
            "status": [1, None],
            "platform_id": [1, None],
            "error": [None, "bad"],
        }
    )
    for query, rows in QUERIES.items():
        model.set_search(query)
        assert [model.source_row(r) for r in range(model.rowCount())] == rows, query
    model.set_search("8 (916)")
    found = model.counts(searched=True)
    assert (found[Filter.ALL], found[Filter.DELIVERED], found[Filter.FAILED]) == (2, 1, 1)
    assert model.counts()[Filter.ALL] == 4  # the campaign's own totals stay whole


def test_campaign_page_searches_as_you_type_and_its_buttons_count_the_found(qtbot) -> None:
    page = CampaignPage("en")
    qtbot.addWidget(page)
    page.model.load(PHONES, ["Анна", "Борис", "Ольга", "Офис"], MessageType.SMS)
    page.model.apply_columns({"key": [3], "state": ["rejected"], "error": ["landline"]})
    page.refresh_counts()
    assert page.filter_buttons[Filter.ALL].text() == "All (4)"
    qtbot.keyClicks(page.search, "8 (916)")  # no Enter: the search runs when typing stops
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=3000)
    assert page.filter_buttons[Filter.ALL].text() == "All (2)"
    assert page.filter_buttons[Filter.FAILED].text() == "Failed (0)"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=3000)
    assert page.filter_buttons[Filter.FAILED].text() == "Failed (1)"


def _dialog() -> ImportDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ImportDialog) and widget.isVisible():
            return widget
    return None


def _import(qtbot, window, path: Path):
    page = window.contacts_page
    with qtbot.waitSignal(page.contacts_loaded, timeout=20000) as loaded:
        window.open_contacts(path)
        qtbot.waitUntil(lambda: _dialog() is not None, timeout=10000)
        _dialog().accept()
    return loaded.args[0]


def test_contacts_page_report_search_and_extra_rows(qtbot, qasync_loop, tmp_path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(
        (
            "ФИО;Телефон;E-mail\r\n"
            "Анна;8 (916) 123-45-67 (Маша);anna@mail.ru\r\n"
            "Анна (работа);+7 916 123 45 67;anna@work.ru\r\n"
            "Борис;89031112233, 89035554433;\r\n"
            "Вера;12;vera@mail.ru\r\n"
            "Глеб;нет;\r\n"
        ).encode("cp1251")
    )
    window = make_window(qtbot)
    page = window.contacts_page
    _import(qtbot, window, path)
    assert page.tabs.tabText(0) == "Contacts (4)"
    assert page.tabs.tabText(1) == "Rejected (1)"  # Глеб; Вера loaded by her e-mail
    assert page.tabs.tabText(2) == "Duplicates (1)"  # Анна's phone in two rows
    assert page.tabs.tabText(3) == "Remarks (3)"  # the note, the second number, Вера
    remarks = [page.remarks_model.data(page.remarks_model.index(r, 3)) for r in range(3)]
    assert remarks[0] == (
        "The number was taken; the note “Маша” is kept in the field “Примечание к телефону”"
    )
    assert not page.extra_rows_button.isHidden()

    qtbot.keyClicks(page.search, "8 (903) 111")
    qtbot.waitUntil(lambda: page.contacts_model.rowCount() == 1, timeout=3000)
    assert page.tabs.tabText(0) == "Contacts (1 of 4)"
    page.search.clear()

    with qtbot.waitSignal(page.contacts_loaded, timeout=20000) as again:
        page.extra_rows_button.click()
    assert again.args[0].imported == 5
    assert page.tabs.tabText(0) == "Contacts (5)"
    assert page.extra_rows_button.isHidden()


def test_a_header_only_file_keeps_the_list_and_says_why(qtbot, qasync_loop, tmp_path) -> None:
    good = tmp_path / "clients.csv"
    good.write_text("Имя;Телефон\nАнна;89161234567\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_text("Имя;Телефон\n", encoding="utf-8")
    window = make_window(qtbot)
    page = window.contacts_page
    _import(qtbot, window, good)
    with qtbot.waitSignal(window.ctx.runner.failed, timeout=20000) as failed:
        window.open_contacts(empty)
        qtbot.waitUntil(lambda: _dialog() is not None, timeout=10000)
        _dialog().accept()
    assert failed.args[1] == (
        "empty.csv: the file has a header but no rows of data. The list loaded before is kept."
    )
    assert page.contacts_model.rowCount() == 1 and page.path == good


def test_stop_list_page_searches_as_you_type(qtbot, tmp_path) -> None:
    from kupon_desktop.ui.pages.stoplist import StopListPage

    page = StopListPage("en")
    qtbot.addWidget(page)
    page.model.set_frame(
        pd.DataFrame({"address": pd.array(PHONES, dtype="string[pyarrow]")}), ["Address"]
    )
    qtbot.keyClicks(page.search, "8 (916) 555")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    assert page.model.frame["address"].iloc[page.model.source_row(0)] == "79165553311"


def test_another_campaign_opens_unfiltered_and_a_reopened_one_keeps_the_filter(
    qtbot, tmp_path
) -> None:
    """The filter, search and sort a user chose on one campaign do not stay pressed
    over the next campaign's grid (which the model shows whole); reopening the same
    campaign (Resume) keeps them, and the rows agree with the pressed button."""
    log = Log(tmp_path / "log.sqlite3")
    try:
        first = make_campaign(log, 4)
        second = make_campaign(log, 3, start=10)
        log.mark_in_flight(first, [0, 1, 2, 3])
        log.mark_accepted(first, [(0, 500), (2, 502), (3, 503)])
        log.mark_rejected(first, [(1, "landline")])
        session = CampaignSession(log, Platform("http://127.0.0.1:9", lambda: "t"))
        page = CampaignPage("en")
        qtbot.addWidget(page)
        page.show_campaign(session.open(first))
        page.show_counts(first, session.counts(first))
        page.filter_buttons[Filter.FAILED].click()
        assert page.model.rowCount() == 1
        page.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        page.show_campaign(session.open(first))  # resumed: the same campaign again
        assert page.current_filter() is Filter.FAILED
        assert page.model.rowCount() == 1
        assert page.view.horizontalHeader().sortIndicatorSection() == 0

        page.show_campaign(session.open(second))
        assert page.current_filter() is Filter.ALL
        assert page.filter_buttons[Filter.ALL].isChecked()
        assert page.search.text() == ""
        assert page.view.horizontalHeader().sortIndicatorSection() == -1
        shown = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
        assert shown == [phone(10), phone(11), phone(12)]  # every row, as stored
    finally:
        log.close()


def test_a_cleared_sort_arrow_shows_the_rows_as_stored() -> None:
    model = StatusGridModel("en")
    model.load(PHONES, ["Анна", "Борис", "Ольга", "Офис"], MessageType.SMS)
    model.apply_columns({"key": [0, 2], "state": ["rejected"] * 2, "error": ["b", "a"]})
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.source_row(r) for r in range(4)] == [1, 0, 2, 3]
    model.sort(-1)  # Qt's "no column": not the last column (the error) either
    assert [model.source_row(r) for r in range(4)] == [0, 1, 2, 3]

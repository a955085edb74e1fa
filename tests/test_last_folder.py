"""File dialogs start where the user last chose a file, offer a Russian file name in
Russian, and "Export into my file" asks for the workbook to fill (an open dialog, at the
list the campaign came from), not for a new file named results.xlsx."""

from __future__ import annotations

from pathlib import Path

import kupon_desktop.ui.pages.campaign as campaign_module
from kupon_desktop.ui.last_folder import remember, start_path
from kupon_desktop.ui.pages.campaign import CampaignPage


def test_the_last_folder_is_remembered(tmp_path: Path) -> None:
    folder = tmp_path / "Отчёты"
    folder.mkdir()
    assert Path(start_path("x.xlsx")).parent != folder
    remember(folder / "старый.xlsx")
    assert start_path("результаты.xlsx") == str(folder / "результаты.xlsx")
    remember("")  # a cancelled dialog changes nothing
    assert start_path() == str(folder)
    workbook = tmp_path / "clients.xlsx"
    workbook.write_bytes(b"")
    assert start_path(prefer=workbook) == str(workbook)
    assert start_path(prefer=tmp_path / "gone.xlsx") == str(folder)


class _Dialogs:
    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.calls: list[tuple[str, str, str]] = []

    def getOpenFileName(self, _parent, _title, start, filters):
        self.calls.append(("open", start, filters))
        return self.answer, ""

    def getSaveFileName(self, _parent, _title, start, filters):
        self.calls.append(("save", start, filters))
        return self.answer, ""


def test_export_into_my_file_asks_for_the_workbook_to_fill(qtbot, monkeypatch, tmp_path) -> None:
    from tests.uihelpers import make_window

    make_window(qtbot, lang="ru")  # Russian translators for the page's strings
    source = tmp_path / "клиенты.xlsx"
    source.write_bytes(b"")
    page = CampaignPage("ru")
    qtbot.addWidget(page)
    page.campaign_id = "c1"
    page.source_path = str(source)
    dialogs = _Dialogs(str(source))
    monkeypatch.setattr(campaign_module, "QFileDialog", dialogs)
    with qtbot.waitSignal(page.export_into_requested) as emitted:
        page.choose_export_into()
    kind, start, filters = dialogs.calls[-1]
    assert kind == "open" and start == str(source)
    assert "Книга Excel" in filters and "*.xlsx" in filters
    assert emitted.args == ["c1", str(source)]

    dialogs.answer = str(tmp_path / "результаты.xlsx")
    with qtbot.waitSignal(page.export_requested):
        page.choose_export()
    kind, start, filters = dialogs.calls[-1]
    # the save dialog starts in the folder last chosen, with a Russian name
    assert kind == "save" and start == str(tmp_path / "результаты.xlsx")
    assert "Таблица CSV" in filters


def test_an_opened_campaign_knows_the_file_its_list_came_from(qtbot, tmp_path) -> None:
    from kupon_desktop.audience import AudienceRules, SendWindow
    from kupon_desktop.campaign.session import CampaignSession, ContactList
    from kupon_desktop.compose import Draft
    from kupon_desktop.contacts import import_file
    from kupon_desktop.store.log import Log
    from kupon_desktop.vocabulary import MessageType

    source = tmp_path / "клиенты.csv"
    source.write_text("Имя;Телефон\nАнна;89161234567\n", encoding="utf-8")
    log = Log(tmp_path / "log.sqlite3")
    try:
        session = CampaignSession(log, platform=None)
        rules = AudienceRules(window=SendWindow.parse("off"), advertising=False)
        draft = Draft(type=MessageType.SMS, sender="Shop", text="Привет")
        plan = session.plan(draft, ContactList.from_import(import_file(source), source), rules)
        loaded = session.open(session.create(plan))
    finally:
        log.close()
    assert loaded.source == str(source.resolve())
    page = CampaignPage("ru")
    qtbot.addWidget(page)
    page.show_campaign(loaded)
    assert page.source_path == str(source.resolve())
    # a CSV cannot be filled: the dialog starts in the last folder instead
    assert page.export_into_start_path() == start_path()

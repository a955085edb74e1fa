"""File dialogs start where the user last chose a file of that kind, offer a Russian file
name in Russian, and "Export into my file" asks for the workbook to fill (an open dialog,
at the list the campaign came from), not for a new file named results.xlsx."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog

from kupon_desktop.ui.pages.campaign import CampaignPage


def _open_dialog() -> QFileDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
    found += [d for w in QApplication.topLevelWidgets() for d in w.findChildren(QFileDialog)]
    visible = [d for d in found if d.isVisible()]
    assert visible, "no file dialog open"
    return visible[-1]


def _page(qtbot, tmp_path: Path) -> CampaignPage:
    from tests.uihelpers import make_window

    make_window(qtbot, lang="ru")  # Russian translators for the page's strings
    page = CampaignPage("ru")
    qtbot.addWidget(page)
    page.show()
    page.campaign_id = "c1"
    return page


def test_export_into_my_file_asks_for_the_workbook_to_fill(qtbot, tmp_path) -> None:
    page = _page(qtbot, tmp_path)
    source = tmp_path / "клиенты.xlsx"
    source.write_bytes(b"")
    page.source_path = str(source)
    page.choose_export_into()
    dialog = _open_dialog()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptOpen
    assert [Path(f) for f in dialog.selectedFiles()] == [source]
    assert any("Книга Excel" in f and "*.xlsx" in f for f in dialog.nameFilters())
    with qtbot.waitSignal(page.export_into_requested) as emitted:
        dialog.fileSelected.emit(str(source))
    assert emitted.args == ["c1", str(source)]
    dialog.close()


def test_export_offers_a_russian_name_in_the_folder_last_used(qtbot, tmp_path) -> None:
    page = _page(qtbot, tmp_path)
    folder = tmp_path / "Отчёты"
    folder.mkdir()
    page.choose_export()
    first = _open_dialog()
    assert first.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert Path(first.selectedFiles()[0]).name == "результаты.xlsx"
    with qtbot.waitSignal(page.export_requested):
        first.fileSelected.emit(str(folder / "май.xlsx"))
    first.close()
    page.choose_export()
    again = _open_dialog()
    assert Path(again.selectedFiles()[0]) == folder / "результаты.xlsx"
    again.close()

"""The Contacts page as a user meets it: a Russian Excel CSV imported through the mapping
step, with the counts, the rejected rows and their export."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from kupon_desktop.ui.import_dialog import ImportDialog
from tests.uihelpers import make_window

CSV = (
    "Выгрузка клиентов;;\n"
    "ФИО;Телефон;E-mail\n"
    "Анна;8 (916) 123-45-67;anna@example.ru\n"
    "Борис;12345;boris@example\n"
    "Ольга;+7 916 765-43-21;\n"
    "Анна-дубль;8 916 123 45 67;anna@example.ru\n"
)


def _dialog() -> ImportDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ImportDialog) and widget.isVisible():
            return widget
    return None


def test_import_through_the_mapping_step(qtbot, qasync_loop, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(CSV.encode("cp1251"))
    window = make_window(qtbot)
    page = window.contacts_page
    with qtbot.waitSignal(page.contacts_loaded, timeout=20000) as loaded:
        window.open_contacts(path)
        qtbot.waitUntil(lambda: _dialog() is not None, timeout=10000)
        dialog = _dialog()
        assert dialog.header.value() == 2  # the title row above the header is skipped
        assert dialog.role_combos["phone"].currentText() == "Телефон"
        assert dialog.role_combos["email"].currentText() == "E-mail"
        assert dialog.role_combos["name"].currentText() == "ФИО"
        dialog.accept()
    result = loaded.args[0]
    assert list(result.contacts["phone"].head(2)) == ["79161234567", "79167654321"]
    assert page.contacts_model.rowCount() == 2
    assert page.tabs.tabText(0) == "Contacts (2)"
    # one row loaded nothing (both of its values were rejected): one rejected row
    assert page.tabs.tabText(1) == "Rejected (1)"
    assert page.rejected_model.rowCount() == 2
    assert page.tabs.tabText(2) == "Duplicates (1)"
    assert page.tabs.tabText(3) == "Remarks (0)"
    assert "1 rejected" in page.summary.text()
    reasons = [page.rejected_model.data(page.rejected_model.index(r, 3)) for r in range(2)]
    assert all(reasons) and all("/" not in r for r in reasons)  # one language, not both
    assert page.export_rejected_button.isEnabled()
    # the message page now offers the file's columns as placeholders
    items = [
        window.message_page.insert_combo.itemText(i)
        for i in range(window.message_page.insert_combo.count())
    ]
    assert "{ФИО}" in items


def test_rejected_rows_export_escapes_nothing_away(tmp_path):
    import openpyxl

    from kupon_desktop.contacts.importer import import_file
    from kupon_desktop.contacts.rejected_export import export_rejected

    path = tmp_path / "c.csv"
    path.write_text("phone;email\n=HYPERLINK(1);\n79161234567;x\n", encoding="utf-8")
    result = import_file(path)
    target = tmp_path / "rejected.xlsx"
    # the row whose phone was rejected loaded nothing; the other loaded by its phone
    assert export_rejected(result, path, target) == result.rejected_rows == 1
    ws = openpyxl.load_workbook(target).active
    values = [c.value for c in ws["A"]]
    assert values == ["phone", "=HYPERLINK(1)"]
    assert ws["A2"].data_type == "s"  # text, never a formula


def test_unreadable_file_gives_a_calm_message(qtbot, qasync_loop, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 definitely not a workbook")
    window = make_window(qtbot)
    with qtbot.waitSignal(window.ctx.runner.failed, timeout=10000) as failed:
        window.open_contacts(path)
    assert "broken.xlsx" in failed.args[1]

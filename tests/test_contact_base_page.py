"""The Base page against a real SQLite log: two overlapping files imported into one list
show one contact per person with the newer fields, the card shows the change with its
file and the consent, lists are renamed, deleted and restored, a segment is made in the
editor, the search narrows the table, a consent is withdrawn and its proof exported; the
contact table reads only the pages it shows."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kupon_desktop.base.ui_queries import select_ids
from kupon_desktop.store.log import open_log
from kupon_desktop.ui.app import build_context, make_application
from kupon_desktop.ui.models.contact_base import PAGE, ContactTableModel
from kupon_desktop.ui.pages.contact_base import ContactBasePage, describe
from kupon_desktop.ui.tasks import TaskRunner
from tests.keyring_memory import MemoryKeyring

FIRST = """Имя;Телефон;Email;Город;Согласие
Иван;+7 916 123-45-67;ivan@mail.ru;Москва;да
Пётр;89161234568;;Тула;01.02.2024
Анна;;Anna@Mail.ru;Москва;
Плохой;123;;Тула;да
"""
SECOND = """Имя;Телефон;Email;Город
Иван;79161234567;;Санкт-Петербург
Анна;79161234569;anna@mail.ru;
Новый;79161234570;new@mail.ru;Москва
"""


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def log(tmp_path):
    with open_log(tmp_path / "log.db") as log_:
        yield log_


@pytest.fixture
def page(qtbot, qasync_loop, log):
    # the Russian translators installed, as the program does for a Russian user
    ctx = build_context(make_application(), demo=False, lang="ru", keyring_backend=MemoryKeyring())
    page = ContactBasePage("ru")
    qtbot.addWidget(page)
    runner = ctx.runner
    failures: list = []
    runner.failed.connect(lambda *a: failures.append(a))
    runner.crashed.connect(lambda exc: failures.append(exc))
    page.attach(log, runner, "RU")
    page.failures = failures
    return page


def _run(qtbot, qasync_loop, coro, timeout=20000):
    task = qasync_loop.create_task(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def _table(qtbot, page) -> list[list[str]]:
    """Every cell of the table, once its pages have been read."""
    model = page.model
    qtbot.waitUntil(lambda: page.count.text() != page.tr("Reading…"), timeout=10000)

    def cells():
        return [
            [model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]

    qtbot.waitUntil(lambda: all("…" not in row for row in cells()), timeout=10000)
    return cells()


def test_two_overlapping_files_one_contact_per_person_with_the_newer_fields(
    qtbot, qasync_loop, page, tmp_path, qtmodeltester
):
    _run(qtbot, qasync_loop, page.reload())
    first = _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "a.csv", FIRST), "Клиенты"))
    assert (first.added, first.updated, len(first.rejected)) == (3, 0, 1)
    page.dialog.close()
    second = _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "b.csv", SECOND), "Клиенты"))
    assert (second.added, second.updated, second.unchanged) == (1, 2, 0)
    # the report says it in the interface's words
    assert "добавлено 1, обновлено 2, без изменений 0, отклонено 0" in page.dialog.text()
    page.dialog.close()
    assert page.selected == ("list", "Клиенты")
    rows = _table(qtbot, page)
    assert len(rows) == 4  # one per person: Иван, Пётр, Анна, Новый
    by_phone = {r[0]: r for r in rows}
    city = 2 + page.fields.index("Город")
    assert by_phone["79161234567"][city] == "Санкт-Петербург"  # the newer file's value
    assert by_phone["79161234569"][1] == "anna@mail.ru"  # Анна got her phone from file 2
    assert by_phone["79161234567"][-2] == "да"  # consent from file 1, column "Согласие"
    qtmodeltester.check(page.model)

    # the card: the change with its date and file, and the consent with its row
    row = page.model.row_of(page.log.base_find("79161234567"))
    page.view.selectRow(row)
    qtbot.waitUntil(lambda: page.card is not None, timeout=5000)
    text = page.card_view.toPlainText()
    assert "файл b.csv" in text
    assert "Город: Москва → Санкт-Петербург" in text
    assert "файл a.csv, строка 2" in text
    assert "Клиенты" in text
    assert not page.failures


def test_lists_new_rename_delete_restore_and_search(qtbot, qasync_loop, page, tmp_path):
    _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "a.csv", FIRST), "Клиенты"))
    page.dialog.close()
    page.ask_new_list()
    page.dialog.setTextValue("Пустой")
    page.dialog.accept()
    qtbot.waitUntil(lambda: page.selected == ("list", "Пустой"), timeout=5000)
    assert [n for n, _s, _d in page.overview.lists] == ["Клиенты", "Пустой"]

    page.select("list", "Клиенты")
    page.ask_rename()
    page.dialog.setTextValue("Покупатели")
    page.dialog.accept()
    qtbot.waitUntil(lambda: page.selected == ("list", "Покупатели"), timeout=5000)
    assert len(_table(qtbot, page)) == 3

    _run(qtbot, qasync_loop, page.delete_list("Покупатели"))
    assert page.selected == ("deleted", "Покупатели")
    assert page.restore_button.isEnabled() and page.model.rowCount() == 0
    assert "Restore" in page.count.text() or "Восстанов" in page.count.text()
    _run(qtbot, qasync_loop, page.restore_list("Покупатели"))
    assert page.selected == ("list", "Покупатели")
    assert len(_table(qtbot, page)) == 3

    # the search: a phone typed the national way, then a field's text
    page.search.setText("8 916 123 45 68")
    page.search.returnPressed.emit()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert _table(qtbot, page)[0][0] == "79161234568"
    page.search.setText("москва")
    page.search.returnPressed.emit()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    assert not page.failures


def test_a_segment_made_in_the_editor(qtbot, qasync_loop, page, tmp_path):
    _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "a.csv", FIRST), "Клиенты"))
    page.dialog.close()
    _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "b.csv", SECOND), "Новые"))
    page.dialog.close()
    dialog = page.open_segment_editor()
    dialog.name_edit.setText("Москва из Клиентов")
    first = dialog.rows[0]
    first.set_kind("equals")
    first.field.setCurrentText("Город")
    first.value.setText("Москва")
    second = dialog.add_row("list")
    second.list_name.setCurrentText("Клиенты")
    assert dialog.definition() == {
        "all": [{"field": "Город", "op": "equals", "value": "Москва"}, {"list": "Клиенты"}]
    }
    dialog.count()
    qtbot.waitUntil(lambda: "1" in dialog.count_label.text(), timeout=5000)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: page.selected == ("segment", "Москва из Клиентов"), timeout=5000)
    rows = _table(qtbot, page)
    # Анна is from Moscow in a.csv, Новый is in Moscow but not in the list «Клиенты»;
    # Иван moved to Saint Petersburg with b.csv
    assert [r[1] for r in rows] == ["anna@mail.ru"]
    assert "Город = «Москва» и в списке «Клиенты»" in page.count.text()

    # a condition not filled in is refused in the dialog, not by the log
    dialog = page.open_segment_editor()
    dialog.name_edit.setText("пустой")
    dialog.rows[0].set_kind("contains")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible() and dialog.error.isVisible()
    dialog.reject()
    assert not page.failures


def test_withdraw_consent_and_export_the_proof(qtbot, qasync_loop, page, tmp_path):
    from openpyxl import load_workbook

    _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "a.csv", FIRST), "Клиенты"))
    page.dialog.close()
    contact = page.log.base_find("79161234567")
    _run(qtbot, qasync_loop, page.show_card(contact))
    assert page.withdraw_button.isEnabled()
    _run(qtbot, qasync_loop, page.withdraw(contact))
    assert "отозвано" in page.card_view.toPlainText()
    rows = {r[0]: r for r in _table(qtbot, page)}
    assert rows["79161234567"][-2] == "отозвано"
    assert page.log.base_count({"segment_definition": {"consent": "phone"}}) == 1  # Пётр

    out = tmp_path / "proof.xlsx"
    proof = _run(qtbot, qasync_loop, page.export_proof("+7 916 123-45-67", out))
    assert proof.events == 4  # given (file) and withdrawn on both channels... see below
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["Контакт", "Согласие", "Сообщения"]
    events = list(book["Согласие"].iter_rows(values_only=True))[1:]
    kinds = [e[2] for e in events]
    assert kinds.count("отозвано") == 2 and "дано" in kinds
    book.close()
    assert not page.failures


def test_the_table_reads_only_the_pages_it_shows(qtbot, qasync_loop, log, tmp_path, qtmodeltester):
    lines = ["Телефон;Имя"] + [f"7916{n:07d};Имя {n}" for n in range(5000)]
    page = ContactBasePage("en")
    qtbot.addWidget(page)
    runner = TaskRunner(page, "en")
    page.attach(log, runner, "RU")
    _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "big.csv", "\n".join(lines)), "L"))
    page.dialog.close()
    model = page.model
    assert model.rowCount() == 5000
    assert isinstance(model.ids, array) and model.ids.itemsize == 8
    # nothing is read until asked: a row far down shows "…" and its page arrives alone
    model.refresh()
    index = model.index(4321, 0)
    assert model.data(index) == "…"
    with qtbot.waitSignal(model.page_loaded, timeout=5000) as blocker:
        pass
    assert blocker.args == [4321 // PAGE]
    assert model.data(index) == f"7916{4321:07d}"
    assert model.data(model.index(4321, 2)) == "Имя 4321"
    assert model.loaded(0) is None or 0 in model._pages
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
    assert len(model._pages) <= 2
    qtmodeltester.check(model)
    # the ids come from SQL in id order, the search narrows them there
    assert list(select_ids(log, {"list": "L"}, "0004321")) == [log.base_find("79160004321")]


def test_an_empty_model_passes_the_model_tester(qtmodeltester):
    model = ContactTableModel()
    qtmodeltester.check(model)
    assert model.contact_id(0) is None


def test_a_segment_in_words(qapp):
    build_context(make_application(), demo=False, lang="ru", keyring_backend=MemoryKeyring())
    definition = {
        "all": [
            {"field": "Город", "op": "equals", "value": "Москва"},
            {"outcome": "delivered", "campaign": "last"},
            {"not": {"outcome": "clicked", "campaign": "last"}},
        ]
    }
    assert describe(definition) == (
        "Город = «Москва» и доставлено в последней рассылке и не перешли в последней рассылке"
    )


def test_a_long_list_name_shows_its_start_and_end_and_is_whole_in_its_tooltip(
    qtbot, qasync_loop, page, tmp_path
):
    long = "Москва, доставлено в последней рассылке, без перехода по ссылке"
    _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "a.csv", FIRST), long))
    page.dialog.close()
    qtbot.waitUntil(lambda: page._find(("list", long)) is not None, timeout=5000)
    assert page._find(("list", long)).toolTip(0) == long
    assert page.tree.textElideMode() == Qt.TextElideMode.ElideMiddle


def test_a_birthday_this_month_made_in_the_editor(qtbot, qasync_loop, page, tmp_path):
    from datetime import date

    today = date.today()
    born = f"{today.day:02d}.{today.month:02d}.1990"
    text = f"Имя;Телефон;День рождения\nИван;89161234567;{born}\nПётр;89161234568;01.01.1990\n"
    if today.month == 1:
        text = text.replace("01.01.1990", "01.06.1990")
    _run(qtbot, qasync_loop, page.import_file(_file(tmp_path, "b.csv", text), "Клиенты"))
    page.dialog.close()
    dialog = page.open_segment_editor()
    dialog.name_edit.setText("ДР в этом месяце")
    row = dialog.rows[0]
    row.set_kind("date")
    row.field.setCurrentText("День рождения")
    row.date_range.setCurrentIndex(row.date_range.findData("this_month"))
    assert row.days.isHidden()  # no number of days for «this month»
    row.every_year.setChecked(True)
    definition = {"field": "День рождения", "op": "date", "range": "this_month", "every_year": True}
    assert dialog.definition() == definition
    dialog.count()
    qtbot.waitUntil(lambda: "1" in dialog.count_label.text(), timeout=5000)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: page.selected == ("segment", "ДР в этом месяце"), timeout=5000)
    assert [r[0] for r in _table(qtbot, page)] == ["79161234567"]
    assert "День рождения — в этом месяце (каждый год)" in page.count.text()
    # the next N days show the days' box and keep its number
    row = page.open_segment_editor().rows[0]
    row.set_kind("date")
    row.field.setCurrentText("День рождения")
    row.date_range.setCurrentIndex(row.date_range.findData("next_days"))
    assert not row.days.isHidden()
    row.days.setValue(7)
    assert row.condition() == {
        "field": "День рождения",
        "op": "date",
        "range": "next_days",
        "days": 7,
    }
    assert not page.failures

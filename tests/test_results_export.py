"""Results back into the user's own workbook, and the plain results table: formatting and
sheets kept, columns added beside each row, nothing a spreadsheet would run."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
from openpyxl.styles import Font, PatternFill

from kupon_desktop.campaign.build import prepare
from kupon_desktop.campaign.results_export import export_into_source, export_results
from kupon_desktop.compose import Draft
from kupon_desktop.contacts.importer import import_file
from kupon_desktop.store.log import Log
from kupon_desktop.vocabulary import MessageType


def _workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Клиенты"
    ws.append(["Список на декабрь"])
    ws.append(["Имя", "Телефон", "Комментарий"])
    ws["A2"].font = Font(bold=True)
    ws["A2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.append(["Анна", 79161234567, "=1+1"])
    ws.append(["Борис", "8 903 765-43-21", "VIP"])
    wb.create_sheet("Справка").append(["не трогать"])
    wb.save(path)


def test_export_into_my_file_keeps_the_workbook(tmp_path):
    source = tmp_path / "clients.xlsx"
    _workbook(source)
    result = import_file(source)
    draft = Draft(type=MessageType.SMS, sender="Shop", text="=cmd|' /C calc'!A0 {Имя}")
    prepared = prepare(draft, result.contacts, result.fields)
    log = Log(tmp_path / "log.sqlite3")
    try:
        snapshot = draft.to_dict()
        snapshot["_source"] = {
            "path": str(source),
            "sheet": result.sheet,
            "header_row": result.header_row,
        }
        cid = log.create_campaign(snapshot, "sms", prepared.recipients)
        log.mark_in_flight(cid, [0, 1])
        log.mark_accepted(cid, [(0, 555)])
        log.mark_rejected(cid, [(1, '=HYPERLINK("x")')])
        target = tmp_path / "results.xlsx"
        assert export_into_source(log, cid, target, "ru") == 2

        wb = openpyxl.load_workbook(target)
        assert wb.sheetnames == ["Клиенты", "Справка"]
        ws = wb["Клиенты"]
        assert ws["A2"].font.bold and ws["A2"].fill.fgColor.rgb.endswith("FFFF00")
        assert [c.value for c in ws[2]][3:8] == [
            "Статус",
            "Текст статуса",
            "Время",
            "ID платформы",
            "Ошибка",
        ]
        assert ws["G3"].value == "555"
        assert ws["E3"].value == "принято платформой"
        assert ws["H4"].value == '=HYPERLINK("x")' and ws["H4"].data_type == "s"
        assert ws["C3"].value == "=1+1"  # the user's own cell is left as it was

        table = tmp_path / "results.csv"
        assert export_results(log, cid, table, "en") == 2
        with table.open(encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
        assert rows[0][:3] == ["Row", "Recipient", "State"]
        assert rows[0][3:6] == ["Имя", "Телефон", "Комментарий"][:1] + rows[0][4:6]
        assert "Комментарий" in rows[0]  # the list's own columns
        assert rows[2][-1].startswith("'=")  # escaped in CSV
    finally:
        log.close()


def test_export_into_a_new_workbook_for_csv(tmp_path):
    source = tmp_path / "list.csv"
    source.write_text("Имя;Телефон\nАнна;89161234567\n", encoding="utf-8")
    result = import_file(source)
    draft = Draft(type=MessageType.SMS, sender="Shop", text="Привет")
    prepared = prepare(draft, result.contacts, result.fields)
    log = Log(tmp_path / "log.sqlite3")
    try:
        snapshot = draft.to_dict()
        snapshot["_source"] = {"path": str(source)}
        cid = log.create_campaign(snapshot, "sms", prepared.recipients)
        target = tmp_path / "out.xlsx"
        assert export_into_source(log, cid, target, "en") == 1
        frame = pd.read_excel(target, engine="calamine", dtype=str)
        assert list(frame.columns[:3]) == ["Row", "Recipient", "Имя"]
        assert frame.iloc[0]["Status text"] == "queued"
    finally:
        log.close()


def _campaign_from(tmp_path, source, log, *, stop=()):
    """A campaign planned and stored by the session (as the window does) from ``source``,
    some of it sent and answered."""
    from kupon_desktop.audience import AudienceRules, SendWindow
    from kupon_desktop.campaign.session import CampaignSession, ContactList
    from kupon_desktop.store.models import StopEntry

    if stop:
        log.stop_list_add([StopEntry(a, "phone", "typed", "") for a in stop])
    result = import_file(source)
    session = CampaignSession(log, platform=None)  # nothing is sent: plan and create only
    rules = AudienceRules(window=SendWindow.parse("off"), advertising=False)
    draft = Draft(type=MessageType.SMS, sender="Shop", text="Привет, {Имя}")
    plan = session.plan(draft, ContactList.from_import(result, source), rules)
    cid = session.create(plan, name="Декабрь")
    sendable = [r.key for r in log.iter_recipients(cid) if r.state.value == "queued"]
    log.mark_in_flight(cid, sendable)
    log.mark_accepted(cid, [(k, 700 + k) for k in sendable])
    return cid


def _clients(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Клиенты"
    ws.append(["Имя", "Телефон", "Город", "Дата рождения"])
    ws.append(["Анна", "+7 916 123-45-67", "Казань", "01.02.1990"])
    ws.append(["Борис", "8 903 765-43-21", "Тверь", ""])
    ws.append(["Вера", "+7 916 123-45-67", "Омск", ""])  # the same number as Анна
    ws.append(["Глеб", "не помню", "Пермь", ""])  # no usable number
    ws.append(["Дина", "+7 905 000-00-01", "Сочи", ""])  # on the stop list
    wb.save(path)
    return path


def test_results_table_looks_finished_in_excel(tmp_path):
    from datetime import datetime

    source = _clients(tmp_path / "clients.xlsx")
    log = Log(tmp_path / "log.sqlite3")
    try:
        cid = _campaign_from(tmp_path, source, log, stop=["79050000001"])
        target = tmp_path / "результаты.xlsx"
        assert export_results(log, cid, target, "ru") == 3
    finally:
        log.close()
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Результаты"]
    ws = wb["Результаты"]
    header = [c.value for c in ws[1]]
    # every column of the contact's row, beside the results
    for column in ("Получатель", "Имя", "Город", "Дата рождения", "Время", "Ошибка"):
        assert column in header, header
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}4"
    assert all(ws.column_dimensions[c].width and ws.column_dimensions[c].width >= 8 for c in "ABC")
    rows = {r[header.index("Имя")].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["Анна"][header.index("Город")].value == "Казань"
    when = rows["Анна"][header.index("Время")]
    assert isinstance(when.value, datetime) and when.is_date  # a date cell, not text
    stopped = rows["Дина"]
    assert stopped[header.index("Ошибка")].value == "в стоп-листе"
    assert stopped[header.index("Состояние")].value == "исключено"


def test_into_my_file_fills_the_chosen_workbook_and_says_why_rows_were_left_out(tmp_path):
    import os
    import stat

    source = _clients(tmp_path / "clients.xlsx")
    os.chmod(source, 0o644)
    log = Log(tmp_path / "log.sqlite3")
    try:
        cid = _campaign_from(tmp_path, source, log, stop=["79050000001"])
        # the user picked the very workbook the list came from: it is filled in place
        assert export_into_source(log, cid, source, "ru") == 5
    finally:
        log.close()
    assert stat.S_IMODE(source.stat().st_mode) == 0o644  # an overwritten 0644 stays 0644
    ws = openpyxl.load_workbook(source)["Клиенты"]
    header = [c.value for c in ws[1]]
    assert header[4:] == ["Статус", "Текст статуса", "Время", "ID платформы", "Ошибка"]
    by_name = {row[0].value: [c.value for c in row[4:]] for row in ws.iter_rows(min_row=2)}
    assert by_name["Анна"][1] == "принято платформой"
    assert by_name["Вера"][1] == "не отправлено"
    assert by_name["Вера"][4].startswith("повтор строки 2")
    assert by_name["Глеб"][1] == "не отправлено" and "не импортирована" in by_name["Глеб"][4]
    assert by_name["Дина"][1] == "исключено" and by_name["Дина"][4] == "в стоп-листе"
    assert by_name["Борис"][1] == "принято платформой"


def test_into_my_file_refuses_a_file_that_is_not_a_workbook(tmp_path):
    import pytest

    from kupon_desktop.campaign.results_export import NotAWorkbook

    source = _clients(tmp_path / "clients.xlsx")
    other = tmp_path / "list.csv"
    other.write_text("Имя;Телефон\n", encoding="utf-8")
    log = Log(tmp_path / "log.sqlite3")
    try:
        cid = _campaign_from(tmp_path, source, log)
        with pytest.raises(NotAWorkbook) as info:
            export_into_source(log, cid, other, "ru")
    finally:
        log.close()
    assert "не книга Excel" in info.value.message("ru")


def test_new_files_get_the_users_normal_permissions(tmp_path):
    import os
    import stat

    from kupon_desktop.exporting import write_table

    old = os.umask(0o022)
    try:
        for name in ("a.xlsx", "b.csv"):
            write_table(tmp_path / name, ["Имя"], [["Анна"]], lang="ru")
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
        os.umask(0o077)
        write_table(tmp_path / "c.xlsx", ["Имя"], [["Анна"]])
        assert stat.S_IMODE((tmp_path / "c.xlsx").stat().st_mode) == 0o600  # the umask rules
    finally:
        os.umask(old)
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames == ["Лист1"]


def test_the_programs_own_error_texts_read_in_the_interface_language():
    from kupon_desktop.audience import REASON_NO_CONSENT, REASON_STOP_LIST
    from kupon_desktop.campaign.engine import LEFTOVER_ERROR
    from kupon_desktop.reasons import REASONS, reason_text

    # every text the program writes is in the table (the engine's own copy included)
    for stored in (LEFTOVER_ERROR, REASON_STOP_LIST, REASON_NO_CONSENT, "campaign cancelled"):
        assert stored in REASONS
        assert not any("a" <= ch.lower() <= "z" for ch in reason_text(stored, "ru")), stored
    assert reason_text("skipped by the user", "ru") == "пропущено пользователем"
    assert reason_text("Недостаточно средств", "en") == "Недостаточно средств"  # the platform's
    assert reason_text("platform id 'x1'", "ru").startswith("платформа приняла")

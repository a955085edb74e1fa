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
        assert rows[0][:4] == ["Row", "Recipient", "Name", "State"]
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

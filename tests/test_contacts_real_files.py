"""Contact files as office suites and staff really make them, each written here the way
the tool or the person writes it: Gnumeric's indented .ods, a one-column CP1251 CSV
from a Russian Excel, a two-row header with merged cells, numbers with a note, two
numbers in a cell, the rejected rows' export fixed and imported again, and files built
to exhaust memory (zip bombs, giant cells)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from kupon_desktop.contacts import FileUnreadable, import_file, preview
from kupon_desktop.contacts.rejected_export import export_rejected

# -- 1. Gnumeric's .ods ----------------------------------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)


def _gnumeric_ods(path: Path, rows: list[tuple[object, ...]]) -> Path:
    """An .ods as ``ssconvert`` (Gnumeric 1.12) writes it: every element on its own
    line, indented, so whitespace text sits between the cells."""

    def cell(value: object) -> str:
        if value is None:
            return '          <table:table-cell table:style-name="ce1"/>\n'
        if isinstance(value, int | float):
            return (
                '          <table:table-cell office:value-type="float" '
                f'office:value="{value}" table:style-name="ce1">\n'
                f"            <text:p>{value}</text:p>\n"
                "          </table:table-cell>\n"
            )
        return (
            '          <table:table-cell office:value-type="string" table:style-name="ce1">\n'
            f"            <text:p>{escape(str(value))}</text:p>\n"
            "          </table:table-cell>\n"
        )

    body = "".join(
        '        <table:table-row table:style-name="ro1">\n'
        + "".join(cell(v) for v in row)
        + "        </table:table-row>\n"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {_ODS_NS} office:version="1.2">\n'
        "  <office:body>\n"
        "    <office:spreadsheet>\n"
        '      <table:table table:name="Sheet1">\n'
        '        <table:table-column table:number-columns-repeated="3" '
        'table:default-cell-style-name="ce1"/>\n'
        f"{body}"
        "      </table:table>\n"
        "    </office:spreadsheet>\n"
        "  </office:body>\n"
        "</office:document-content>\n"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>\n',
        )
    return path


def test_gnumeric_ods_with_indented_cells_is_read(tmp_path: Path) -> None:
    import python_calamine

    path = _gnumeric_ods(
        tmp_path / "gnumeric.ods",
        [
            ("Имя", "Телефон", "E-mail"),
            ("Анна", "8 (916) 123-45-67", "anna@mail.ru"),
            ("Борис", 79031112233, None),
            ("Вера", "+7 926 765-43-21", "vera@mail.ru"),
        ],
    )
    # the workbook reader alone refuses what Gnumeric wrote
    with pytest.raises(python_calamine.CalamineError):
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
            "Sheet1"
        ).to_python()
    shown = preview(path)
    assert shown.columns == ["Имя", "Телефон", "E-mail"] and shown.sheets == ["Sheet1"]
    result = import_file(path)
    assert result.contacts["phone"].tolist() == ["79161234567", "79031112233", "79267654321"]
    assert result.fields["Имя"].tolist() == ["Анна", "Борис", "Вера"]
    assert result.contacts["row"].tolist() == [2, 3, 4] and result.rejected == []


# -- 2. a one-column CSV from a Russian Excel -----------------------------------------


def test_one_column_cp1251_csv_is_not_split_on_commas(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    lines = ["Телефон", "79161234567", "7,91612E+10", "89161234569, 89031234560", "89037778899"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    shown = preview(path)
    assert shown.columns == ["Телефон"] and shown.delimiter is None
    result = import_file(path)
    assert result.columns == ["Телефон"] and result.field_names == []
    assert result.contacts["phone"].tolist() == ["79161234567", "79161234569", "79037778899"]
    assert [(r.row, r.code, r.value) for r in result.rejected] == [
        (3, "phone_scientific", "7,91612E+10")
    ]
    assert "Excel сохранил номер как 7,9E+10" in result.rejected[0].reason
    # the second number of row 4 is reported, not dropped silently
    assert [(m.row, m.code, m.more) for m in result.remarks] == [(4, "more", ("79031234560",))]
    assert result.extra_addresses == 1


# -- 3. a two-row header with merged cells --------------------------------------------


def _merged_header_book(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["ФИО", "Контакты", None, "Город"])
    ws.append([None, "Телефон", "E-mail", None])
    ws.merge_cells("B1:C1")
    ws.merge_cells("A1:A2")
    ws.merge_cells("D1:D2")
    ws.append(["Иванов Иван", "8 (916) 123-45-67", "ivan@mail.ru", "Москва"])
    ws.append(["Петрова Мария", "+7 926 765-43-21", "", "Тула"])
    wb.save(path)
    return path


def test_two_row_header_with_merged_cells_keeps_its_names(tmp_path: Path) -> None:
    path = _merged_header_book(tmp_path / "merged.xlsx")
    assert preview(path).columns == ["ФИО", "Телефон", "E-mail", "Город"]
    result = import_file(path)
    assert result.header_row == 2
    assert result.roles == {"name": "ФИО", "phone": "Телефон", "email": "E-mail"}
    assert result.field_names == ["ФИО", "Город"]
    assert result.fields["ФИО"].tolist() == ["Иванов Иван", "Петрова Мария"]
    assert result.fields["Город"].tolist() == ["Москва", "Тула"]
    assert result.rejected == []


# -- 4. numbers with a note -------------------------------------------------------------


def test_numbers_with_a_note_are_taken_and_the_note_kept(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Клиент", "Телефон"])
    ws.append(["Мария", "+7 (916) 505-60-70 (Маша)"])
    ws.append(["Олег", "+7 903 111-22-33\n(рабочий)"])  # Alt+Enter in the cell
    ws["B3"].alignment = Alignment(wrap_text=True)
    ws.append(["Офис", "8 (495) 123-45-67 доб. 12"])
    ws.append(["Ошибка", "+7 (916) 5 (Маша)"])
    path = tmp_path / "notes.xlsx"
    wb.save(path)
    result = import_file(path)
    assert result.contacts["phone"].tolist() == ["79165056070", "79031112233", "74951234567"]
    note = "Примечание к телефону"
    assert result.field_names == ["Клиент", note]
    assert result.fields[note].tolist() == ["Маша", "рабочий", "доб. 12"]
    assert [(m.row, m.code, m.note, m.column) for m in result.remarks] == [
        (2, "note", "Маша", note),
        (3, "note", "рабочий", note),
        (4, "extension", "доб. 12", note),
    ]
    from kupon_desktop.contacts.reasons import remark_text

    assert remark_text(result.remarks[0], "ru") == (
        "Номер взят, примечание «Маша» сохранено в поле «Примечание к телефону»"
    )
    # a cell with words but no valid number is still rejected
    assert [(r.row, r.field) for r in result.rejected] == [(5, "phone")]


# -- 5. two numbers or e-mails in one cell -------------------------------------------


def _two_in_a_cell(path: Path) -> Path:
    path.write_text(
        "Имя;Телефон;E-mail\n"
        "Анна;89161234569, 89031234560;anna@mail.ru\n"
        "Борис;89165550011;boris@mail.ru, b.work@mail.ru\n"
        "Вера;89167770022;\n",
        encoding="utf-8",
    )
    return path


def test_two_addresses_in_a_cell_first_used_the_rest_reported(tmp_path: Path) -> None:
    path = _two_in_a_cell(tmp_path / "two.csv")
    result = import_file(path)
    assert result.contacts["row"].tolist() == [2, 3, 4]
    assert result.contacts["phone"].tolist() == ["79161234569", "79165550011", "79167770022"]
    assert result.contacts["email"].tolist()[:2] == ["anna@mail.ru", "boris@mail.ru"]
    assert [(m.row, m.field, m.code, m.more) for m in result.remarks] == [
        (2, "phone", "more", ("79031234560",)),
        (3, "email", "more", ("b.work@mail.ru",)),
    ]
    assert result.extra_addresses == 2 and result.rejected == []


def test_two_addresses_in_a_cell_imported_as_extra_rows_on_request(tmp_path: Path) -> None:
    path = _two_in_a_cell(tmp_path / "two.csv")
    result = import_file(path, extra_rows=True)
    # each further address is a row of its own, numbered after the file's last row, with
    # the fields of the row it came from and no other address
    assert result.contacts["row"].tolist() == [2, 3, 4, 5, 6]
    assert result.contacts["phone"].fillna("").tolist()[3:] == ["79031234560", ""]
    assert result.contacts["email"].fillna("").tolist()[3:] == ["", "b.work@mail.ru"]
    assert result.fields["Имя"].tolist() == ["Анна", "Борис", "Вера", "Анна", "Борис"]
    assert [(m.row, m.code, m.rows) for m in result.remarks] == [
        (2, "more_imported", (5,)),
        (3, "more_imported", (6,)),
    ]
    assert result.extra_addresses == 0


def test_extra_rows_flag_on_the_command_line(tmp_path: Path) -> None:
    path = _two_in_a_cell(tmp_path / "two.csv")
    run = [sys.executable, "-m", "kupon_desktop", "contacts", str(path), "--json"]
    plain = json.loads(subprocess.run(run, capture_output=True, check=True).stdout)
    extra = json.loads(
        subprocess.run([*run, "--extra-rows"], capture_output=True, check=True).stdout
    )
    assert (plain["imported"], plain["extra_addresses"]) == (3, 2)
    assert (extra["imported"], extra["extra_addresses"]) == (5, 0)
    assert [r["code"] for r in plain["remarks"]] == ["more", "more"]


# -- 7. the rejected rows: exported whole, fixed, imported again -----------------------


def test_rejected_rows_export_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text(
        "ФИО;Телефон;E-mail;Город\n"
        "Иванов Иван;8 (916) 123-45-67;ivan@mail.ru;Москва\n"
        "Петров Пётр;8 916 12;petr@mail;Тула\n"
        "Сидорова Анна;12345;anna@mail.ru;Казань\n"
        "Орлов Олег;нет;;Омск\n",
        encoding="cp1251",
    )
    result = import_file(source)
    # row 4 loaded by its e-mail: it is not a rejected row, and not exported
    assert result.rejected_rows == 2 and result.imported == 2
    target = tmp_path / "rejected.xlsx"
    assert export_rejected(result, source, target, lang="ru") == 2
    sheet = load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["ФИО", "Телефон", "E-mail", "Город", "Причина отказа"]
    assert rows[1][:4] == ["Петров Пётр", "8 916 12", "petr@mail", "Тула"]
    assert rows[1][4] == (
        "телефон: Слишком короткий номер телефона; e-mail: Неверный домен в адресе e-mail (после @)"
    )
    assert rows[2][:4] == ["Орлов Олег", "нет", None, "Омск"]
    # in English, the same rows with the reason in English
    english = tmp_path / "rejected-en.csv"
    export_rejected(result, source, english, lang="en")
    assert english.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "ФИО;Телефон;E-mail;Город;Reason rejected"
    )

    sheet.cell(row=2, column=2).value = "8 916 123-00-00"  # the fix
    wb = sheet.parent
    wb.save(target)
    again = import_file(target)
    assert again.contacts["phone"].tolist() == ["79161230000"]
    assert again.fields["ФИО"].tolist() == ["Петров Пётр"]
    assert again.rejected_rows == 1  # Орлов still has no number


# -- 8. the import report ----------------------------------------------------------------


def test_duplicates_are_found_at_import_and_rejected_counts_rows(tmp_path: Path) -> None:
    path = tmp_path / "same.csv"
    path.write_text(
        "Имя;Телефон;E-mail\n"
        "Анна;8 (916) 123-45-67;anna@mail.ru\n"
        "Анна (работа);+7 916 123 45 67;anna@work.ru\n"
        "Анна;79161234567;\n"
        "Анна;9161234567;anna2@mail.ru\n"
        "Борис;123;boris@mail.ru\n",
        encoding="utf-8",
    )
    result = import_file(path)
    assert [(d.row, d.same_as, d.field) for d in result.repeated] == [
        (3, 2, "phone"),
        (4, 2, "phone"),
        (5, 2, "phone"),
    ]
    # Борис's phone was rejected, his e-mail loaded: one rejected value, no rejected row
    assert len(result.rejected) == 1 and result.rejected_rows == 0


def test_dates_read_the_same_from_a_workbook_and_a_csv(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Телефон", "Дата рождения"])
    ws.append(["89161234567", date(1985, 3, 14)])
    book = tmp_path / "dates.xlsx"
    wb.save(book)
    text = tmp_path / "dates.csv"
    text.write_text("Телефон;Дата рождения\n89161234567;14.03.1985\n", encoding="cp1251")
    from_book = import_file(book).fields["Дата рождения"].tolist()
    from_text = import_file(text).fields["Дата рождения"].tolist()
    assert from_book == from_text == ["14.03.1985"]


# -- 18.5: zip bombs and giant cells ---------------------------------------------------


def _xlsx_with_sheet_text(path: Path, filler: bytes, size: int) -> Path:
    """A real .xlsx (openpyxl's) whose sheet holds ``size`` bytes of ``filler`` in one
    cell, streamed through deflate: a few MB on disk at most."""
    wb = Workbook()
    wb.active.append(["Телефон"])
    wb.active.append(["89161234567"])
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with out.open(info.filename, "w", force_zip64=True) as part:
                part.write(head + b'<row r="3"><c r="A3" t="inlineStr"><is><t>')
                block = filler * (1 << 20)
                for _ in range(size >> 20):
                    part.write(block)
                part.write(b"</t></is></c></row></sheetData>" + tail)
    return path


def test_a_giant_cell_in_a_workbook_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = _xlsx_with_sheet_text(tmp_path / "cell.xlsx", b"a", 20 << 20)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(FileUnreadable) as caught:
        import_file(path)
    assert caught.value.message("en") == (
        "cell.xlsx: a cell or row in the file is larger than 16 MiB, the limit for one cell"
    )
    assert "больше 16 МБ" in caught.value.message("ru")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """1 GiB of whitespace between two tags (the sea of whitespace that a 2 GiB case
    used 2.2 GB to read), a few MB on disk."""
    path = _xlsx_with_sheet_text(tmp_path / "bomb.xlsx", b" ", (1 << 30) + (1 << 20))
    assert path.stat().st_size < 8 << 20
    with pytest.raises(FileUnreadable) as caught:
        preview(path)
    assert caught.value.message("en") == (
        "bomb.xlsx: the file unpacks to more than 1 GiB, the limit for a contact list"
    )


def test_a_giant_row_in_a_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "giant.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("Имя;Телефон\nАнна;89161234567\n")
        f.write(" " * (17 << 20) + ";89031112233\n")
    with pytest.raises(FileUnreadable, match="the limit for one cell"):
        import_file(path)


# -- the command line: a pipe closed early --------------------------------------------


def test_json_into_a_pipe_closed_early_ends_quietly(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    lines = ["Имя;Телефон"] + [f"Клиент {i};8916{i:07d}" for i in range(20_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "kupon_desktop", "contacts", str(path), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(200)  # what `| head -c 200` reads before it exits
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == 0
    assert first.startswith(b'{"contacts": [{"row": 2, "phone": "79160000000"')
    assert err == b""


def test_streamed_json_is_one_valid_document(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        'Имя;Телефон;Заметка\nА "кавычки";89161234567;a\\b\nБ;89031112233;"tab\there"\nВ;;\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "kupon_desktop", "contacts", str(path), "--json"],
        capture_output=True,
        check=True,
    )
    doc = json.loads(done.stdout)
    assert [c["fields"] for c in doc["contacts"]] == [
        {"Имя": 'А "кавычки"', "Заметка": "a\\b"},
        {"Имя": "Б", "Заметка": "tab\there"},
    ]
    assert doc["imported"] == 2 and doc["rejected"][0]["row"] == 4


def _ods_with_rows(path: Path, rows_xml: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {_ODS_NS} office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Sheet1">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Телефон</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row><table:table-cell office:value-type="string">'
        "<text:p>89161234567</text:p></table:table-cell></table:table-row>"
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"/>',
        )
    return path


def test_an_ods_repeating_a_cell_over_a_million_rows_is_refused_not_fatal(
    tmp_path: Path,
) -> None:
    """A 600-byte .ods whose repeated rows and columns ask the reader for 80 million
    cells (it aborted the process, no exception to catch): refused first, in a child
    process so that a regression cannot take the test run down with it."""
    path = _ods_with_rows(
        tmp_path / "repeated.ods",
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="80"/>'
        '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
        "</table:table-row>",
    )
    assert path.stat().st_size < 2000
    script = (
        "import sys\n"
        "from kupon_desktop.contacts import ContactsError, preview\n"
        "try:\n    preview(sys.argv[1])\n"
        "except ContactsError as exc:\n    print(exc.message('en'))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().startswith(
        "repeated.ods: the sheet spans 1 000 002 rows × 81 columns, too large to read"
    )


def test_an_ods_padded_as_libreoffice_pads_it_still_imports(tmp_path: Path) -> None:
    path = _ods_with_rows(
        tmp_path / "padded.ods",
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>',
    )
    result = import_file(path)
    assert result.contacts["phone"].tolist() == ["79161234567"]

"""Importing real files in every shape marketing staff hand over. Each file is written
by the test itself: CSV in several encodings and delimiters, .xlsx through openpyxl,
.ods by hand (it is a zip of XML), and broken files of several kinds."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from openpyxl import Workbook

from kupon_desktop.contacts import (
    FileUnreadable,
    ImportCancelled,
    NoAddressColumn,
    NoDataRows,
    UnknownColumn,
    UnknownSheet,
    import_file,
    preview,
)

ROWS = [
    ("Иванов Иван", "8 (916) 123-45-67", "ivan@mail.ru"),
    ("Петрова Мария", "+7 926 7654321", "Maria@Yandex.RU"),
    ("Сидоров Пётр", "9031112233", ""),
]


def _csv_text(delimiter: str, header: tuple[str, ...] = ("Имя", "Телефон", "E-mail")) -> str:
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in ROWS]
    return "\r\n".join(lines) + "\r\n"


def _phones(result) -> list[str | None]:
    return [None if pd.isna(v) else v for v in result.contacts["phone"]]


def _assert_the_three_contacts(result) -> None:
    assert _phones(result) == ["79161234567", "79267654321", "79031112233"]
    assert result.contacts["email"].tolist()[:2] == ["ivan@mail.ru", "Maria@yandex.ru"]
    assert pd.isna(result.contacts["email"].iloc[2])
    assert result.fields["Имя"].tolist() == [r[0] for r in ROWS]
    assert result.contacts["row"].tolist() == [2, 3, 4]
    assert result.roles["phone"] == "Телефон" and result.roles["email"] == "E-mail"
    assert result.rejected == [] and result.duplicates == []


@pytest.mark.parametrize(
    ("encoding", "delimiter", "expected_encoding"),
    [
        ("cp1251", ";", "cp1251"),  # "CSV (разделители — запятые)" from a Russian Excel
        ("utf-8-sig", ",", "utf-8-sig"),
        ("utf-8", "\t", "utf-8"),
        ("utf-16", "\t", "utf-16"),  # Excel's "Unicode text"
        ("utf-8", "|", "utf-8"),
    ],
)
def test_text_exports(tmp_path: Path, encoding: str, delimiter: str, expected_encoding: str):
    path = tmp_path / "list.csv"
    path.write_bytes(_csv_text(delimiter).encode(encoding))
    result = import_file(path)
    _assert_the_three_contacts(result)
    assert result.encoding == expected_encoding
    assert result.delimiter == delimiter
    assert result.field_names == ["Имя"]


def test_title_rows_above_the_header_keep_file_row_numbers(tmp_path: Path) -> None:
    text = "Список клиентов;;\r\nна 01.03.2026\r\n\r\n" + _csv_text(";") + "\r\n"
    path = tmp_path / "titled.csv"
    path.write_bytes(text.encode("cp1251"))
    result = import_file(path)
    assert result.header_row == 4
    assert result.contacts["row"].tolist() == [5, 6, 7]
    assert result.skipped_blank == 1  # the blank line after the data
    assert result.rows_read == 4
    shown = preview(path)
    assert shown.header_row == 4
    assert shown.rows[0][0] == "Список клиентов"
    assert shown.row_numbers[:4] == [1, 2, 3, 4]
    assert shown.roles == {"name": "Имя", "phone": "Телефон", "email": "E-mail"}


def test_a_title_that_names_a_column_is_not_the_header(tmp_path: Path) -> None:
    text = "Телефоны клиентов на март\n\nФИО;Телефон;Почта\nИван;89161234567;a@mail.ru\n"
    path = tmp_path / "title.csv"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    assert result.header_row == 3
    assert result.roles == {"name": "ФИО", "phone": "Телефон", "email": "Почта"}
    single = tmp_path / "single.csv"
    single.write_text("Список телефонов\nТелефон\n89161234567\n", encoding="utf-8")
    assert import_file(single).header_row == 2


def test_a_quoted_value_over_several_lines_is_one_row(tmp_path: Path) -> None:
    text = 'Имя,Телефон\n"Иванов\nИван",89161234567\nПётр,89031112233\n'
    path = tmp_path / "multiline.csv"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    assert result.contacts["row"].tolist() == [2, 3]
    assert result.fields["Имя"].tolist() == ["Иванов\nИван", "Пётр"]


def test_rows_of_another_width_are_kept(tmp_path: Path) -> None:
    # A trailing delimiter on one row and a short row: no row may be lost.
    text = "Имя;Телефон\nИван;89161234567;\nПётр\nМария;89031112233\n"
    path = tmp_path / "ragged.csv"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    assert result.contacts["row"].tolist() == [2, 4]
    assert [(r.row, r.code) for r in result.rejected] == [(3, "no_address")]
    assert result.rejected[0].value == "Пётр"


def test_cp1251_after_a_long_plain_ascii_start(tmp_path: Path) -> None:
    lines = ["phone;name"] + [f"8916{i:07d};client {i}" for i in range(20000)]
    lines.append("89031112233;Сидоров")
    path = tmp_path / "late-cyrillic.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    result = import_file(path)
    assert result.encoding == "cp1251"
    assert result.fields["name"].iloc[-1] == "Сидоров"


def _write_xlsx(path: Path) -> Path:
    wb = Workbook()
    empty = wb.active
    empty.title = "Пустой"
    ws = wb.create_sheet("Клиенты")
    ws.append(["Выгрузка из CRM"])
    ws.append([])
    ws.append(["ФИО", "Моб. телефон", "Код клиента", "Эл. почта"])
    ws.append(["Иванов Иван", 79161234567, "007", "ivan@mail.ru"])
    ws.append(["Петрова Мария", 89267654321.0, "0012", None])
    ws.append(["Сидоров Пётр", "8 903 111-22-33", 15, "petr@@mail.ru"])
    other = wb.create_sheet("Архив")
    other.append(["Телефон"])
    other.append(["+44 20 7946 0958"])
    wb.save(path)
    wb.close()
    return path


def test_xlsx_numeric_phones_and_leading_zeros(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "crm.xlsx")
    result = import_file(path)
    assert result.sheet == "Клиенты"  # the first sheet with data
    assert result.header_row == 3
    assert _phones(result) == ["79161234567", "79267654321", "79031112233"]
    assert result.fields["Код клиента"].tolist() == ["007", "0012", "15"]
    assert result.contacts["row"].tolist() == [4, 5, 6]
    assert [(r.row, r.field, r.value, r.code) for r in result.rejected] == [
        (6, "email", "petr@@mail.ru", "email_domain")
    ]
    assert result.roles == {"name": "ФИО", "phone": "Моб. телефон", "email": "Эл. почта"}
    archive = import_file(path, sheet="архив")  # sheet names match regardless of case
    assert _phones(archive) == ["442079460958"]
    with pytest.raises(UnknownSheet, match="нет листа «Лист1»"):
        import_file(path, sheet="Лист1")
    shown = preview(path)
    assert shown.sheets == ["Пустой", "Клиенты", "Архив"]
    assert shown.sheet == "Клиенты"
    assert shown.rows[3] == ["Иванов Иван", "79161234567", "007", "ivan@mail.ru"]


def _write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An OpenDocument spreadsheet: a zip holding the mimetype and content.xml."""

    def cell(value: object) -> str:
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        if not value:
            return "<table:table-cell/>"
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_ods(tmp_path: Path) -> None:
    path = _write_ods(
        tmp_path / "list.ods",
        {
            "Пусто": [],
            "Контакты": [
                ["Клиенты"],
                [],
                ["Имя", "Телефон", "Почта"],
                ["Иван", 79161234567, "ivan@mail.ru"],
                ["Мария", "8 926 765-43-21", ""],
            ],
        },
    )
    result = import_file(path)
    assert result.sheet == "Контакты"
    assert result.header_row == 3
    assert _phones(result) == ["79161234567", "79267654321"]
    assert result.contacts["row"].tolist() == [4, 5]


def test_no_header_roles_come_from_the_content(tmp_path: Path) -> None:
    path = tmp_path / "bare.csv"
    path.write_text("89161234567,ivan@mail.ru,Иван\n89267654321,maria@mail.ru,Мария\n")
    result = import_file(path)
    assert result.header_row == 0
    assert result.columns == ["A", "B", "C"]
    assert result.roles == {"phone": "A", "email": "B"}
    assert result.contacts["row"].tolist() == [1, 2]
    assert result.field_names == ["C"]


def test_rejections_blank_rows_and_rows_without_an_address(tmp_path: Path) -> None:
    text = (
        "Имя;Телефон;Email\n"
        "Иван;8 916 123-45;ivan@mail.ru\n"  # bad phone, good e-mail: imported, reported
        "Пётр;тел. уточнить;\n"  # nothing usable: reported, not imported
        ";;\n"  # blank
        "Ольга;;\n"  # a name and no address
        "Анна;89161234567;anna@mail\n"  # good phone, bad e-mail
    )
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    assert result.contacts["row"].tolist() == [2, 6]
    assert result.skipped_blank == 1
    assert result.rows_read == 5
    assert [(r.row, r.field, r.value, r.code) for r in result.rejected] == [
        (2, "phone", "8 916 123-45", "phone_too_short"),
        (3, "phone", "тел. уточнить", "phone_not_a_number"),
        (5, "row", "Ольга", "no_address"),
        (6, "email", "anna@mail", "email_domain"),
    ]
    assert result.rejected[0].reason == ("Слишком короткий номер телефона / phone number too short")
    assert result.rejected_rows == 2


def test_duplicates_first_occurrence_wins(tmp_path: Path) -> None:
    text = (
        "Телефон,E-mail\n"
        "89161234567,a@mail.ru\n"
        "+7 916 123-45-67,A@mail.ru\n"  # same phone, same mailbox: a duplicate of row 2
        "89161234567,b@mail.ru\n"  # same phone, another e-mail: kept by default
        "89031112233,\n"
        "8 903 111 22 33,\n"
    )
    path = tmp_path / "dups.csv"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    assert result.contacts["row"].tolist() == [2, 4, 5]
    assert [(d.row, d.same_as) for d in result.duplicates] == [(3, 2), (6, 5)]
    by_phone = import_file(path, dedupe_by="phone")
    assert by_phone.contacts["row"].tolist() == [2, 5]
    assert import_file(path, dedupe_by=None).imported == 5


def test_column_overrides(tmp_path: Path) -> None:
    text = "Клиент,Рабочий,Мобильный,Почта\nИван,84951234567,89161234567,ivan@mail.ru\n"
    path = tmp_path / "two-phones.csv"
    path.write_text(text, encoding="utf-8")
    assert _phones(import_file(path)) == ["79161234567"]  # "Мобильный" beats a generic name
    assert _phones(import_file(path, phone_column="B")) == ["74951234567"]
    assert _phones(import_file(path, phone_column="рабочий")) == ["74951234567"]
    assert _phones(import_file(path, roles={"phone": "2"})) == ["74951234567"]
    no_email = import_file(path, roles={"email": None})
    assert "email" not in no_email.roles and "Почта" in no_email.field_names
    with pytest.raises(UnknownColumn, match="Телефон"):
        import_file(path, phone_column="Телефон")


def test_explicit_header_row(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("Отчёт,\nТелефон,Имя\n89161234567,Иван\n", encoding="utf-8")
    assert import_file(path, header_row=2).contacts["row"].tolist() == [3]
    none = import_file(path, header_row=0, phone_column="A")
    assert none.columns == ["A", "B"]
    assert [(r.row, r.code) for r in none.rejected] == [
        (1, "phone_not_a_number"),
        (2, "phone_not_a_number"),
    ]


def test_no_address_column(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Имя,Город\nИван,Москва\n", encoding="utf-8")
    with pytest.raises(NoAddressColumn, match="«Имя», «Город»"):
        import_file(path)


def test_header_only_is_refused_rather_than_loaded_as_an_empty_list(tmp_path: Path) -> None:
    """A list saved with its header and no rows (or only blank ones below it) would
    replace the loaded list with nothing: it is one clear error instead."""
    path = tmp_path / "header.csv"
    path.write_text("Имя;Телефон;E-mail\r\n", encoding="cp1251")
    with pytest.raises(NoDataRows) as caught:
        import_file(path)
    assert caught.value.message("ru") == (
        "header.csv: в файле есть заголовок, но нет ни одной строки с данными"
    )
    assert caught.value.message("en") == "header.csv: the file has a header but no rows of data"
    path.write_text("Имя;Телефон;E-mail\r\n;;\r\n\r\n", encoding="cp1251")
    with pytest.raises(NoDataRows):
        import_file(path)


def test_a_10_mb_cell(tmp_path: Path) -> None:
    big = "x" * (10 * 1024 * 1024)
    text = f"Имя,Телефон,Комментарий\nИван,89161234567,{big}\nПётр,{big},\nОльга,89031112233,ok\n"
    path = tmp_path / "big-cell.csv"
    path.write_text(text, encoding="utf-8")
    result = import_file(path)
    assert result.contacts["row"].tolist() == [2, 4]
    assert len(result.fields["Комментарий"].iloc[0]) == len(big)
    (rejection,) = result.rejected
    assert rejection.row == 3 and rejection.code == "phone_too_long"
    assert len(rejection.value) <= 201 and rejection.value.endswith("…")


def test_progress_runs_to_the_end(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(_csv_text(","), encoding="utf-8")
    seen: list[tuple[float, str]] = []
    import_file(path, progress=lambda f, stage: seen.append((f, stage)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(isinstance(stage, str) and stage for _, stage in seen)


@pytest.mark.parametrize("when", ["before", "while reading"])
def test_cancel(tmp_path: Path, when: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(_csv_text(","), encoding="utf-8")
    cancel = threading.Event()
    if when == "before":
        cancel.set()

    def progress(fraction: float, stage: str) -> None:
        if fraction > 0:
            cancel.set()  # the user presses Cancel as soon as reading starts

    with pytest.raises(ImportCancelled):
        import_file(path, progress=progress, cancel=cancel)


# ------------------------------------------------------------------- unreadable files


def _xlsx_bytes(tmp_path: Path) -> bytes:
    return _write_xlsx(tmp_path / "good.xlsx").read_bytes()


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("missing.csv", None, "не найден"),
        ("empty.csv", lambda tmp: b"", "пуст"),
        ("blank.csv", lambda tmp: b"\r\n\r\n  \r\n", "нет данных"),
        ("random.csv", lambda tmp: bytes(range(256)) * 64, "двоичный"),
        ("cut.xlsx", lambda tmp: _xlsx_bytes(tmp)[:3000], "повреждён"),
        ("bad.xlsx", lambda tmp: b"PK\x03\x04" + b"\x00garbage" * 100, "повреждён"),
        ("doc.pdf", lambda tmp: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (
            "cabinet.xls",
            lambda tmp: b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "HTML",
        ),
        (
            # Excel's encrypted package: an OLE container holding "EncryptedPackage"
            "secret.xlsx",
            lambda tmp: (
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                + b"\x00" * 504
                + "EncryptedPackage".encode("utf-16-le")
                + b"\x00" * 1024
            ),
            "пароль",
        ),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, name: str, make, says: str) -> None:
    path = tmp_path / name
    if make is not None:
        path.write_bytes(make(tmp_path))
    with pytest.raises(FileUnreadable) as caught:
        import_file(path)
    message = str(caught.value)
    assert says in message
    assert name in message and "\n" not in message
    assert caught.value.path == path
    with pytest.raises(FileUnreadable):
        preview(path)


def test_a_workbook_with_only_empty_sheets(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    wb = Workbook()
    wb.create_sheet("Второй")
    wb.save(path)
    wb.close()
    assert preview(path).rows == []
    with pytest.raises(FileUnreadable, match="нет данных"):
        import_file(path)


def test_a_word_document_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileUnreadable, match="не таблица"):
        import_file(path)

"""The contact importer fed garbage: never a crash, never a hang; always an
``ImportResult`` or one ``ContactsError`` with a one-line message.

Hypothesis generates random bytes under every extension, text tables in the wrong
encodings, real workbooks cut short or with bytes flipped, zips with the right names and
garbage inside. Fixed cases cover what random generation rarely reaches: huge cells, a
header of 100,000 columns (in a subprocess with a timeout), a 5 KB workbook whose two
cells are a whole sheet apart (it used to abort the process), formula cells.

``pytest -m soak tests/test_fuzz_importer.py`` runs the same properties with many more
examples. The coverage-guided harness (atheris) is ``tests/fuzz/fuzz_importer.py``.
"""

from __future__ import annotations

import faulthandler
import io
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kupon_desktop.contacts.errors import ContactsError, FileUnreadable
from kupon_desktop.contacts.importer import import_file, preview
from kupon_desktop.contacts.result import ImportResult, Preview

EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods")
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "cp1251",
    "koi8-r",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "latin-1",
    "shift_jis",
    "cp866",
    "mac-cyrillic",
)
#: a whole test must end within this, or the run is stopped with every thread's stack
WATCHDOG_SECONDS = 300

DEFAULT = settings(
    max_examples=60,
    deadline=5000,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SOAK = settings(DEFAULT, max_examples=2000, deadline=10000)


@pytest.fixture(autouse=True)
def _watchdog():
    """A hang must fail the run with a traceback, not stall CI until its time limit."""
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def check_outcome(path: Path) -> ImportResult | Preview | None:
    """Preview and import ``path``: each gives its result or one clear ContactsError."""
    result: ImportResult | Preview | None = None
    for step in (preview, import_file):
        try:
            result = step(path)
        except ContactsError as exc:
            message = str(exc)
            assert message.strip(), f"{step.__name__}: an empty message"
            assert "\n" not in message, f"{step.__name__}: not one line: {message!r}"
            if isinstance(exc, FileUnreadable):
                assert message.startswith(path.name + ": "), message
                assert " / " in message, f"not in Russian and English: {message!r}"
            result = None
            continue
        expected = Preview if step is preview else ImportResult
        assert isinstance(result, expected)
    if isinstance(result, ImportResult):
        assert len(result.contacts) == len(result.fields)
        assert result.imported + result.rejected_rows + result.skipped_blank + len(
            result.duplicates
        ) <= result.rows_read + len(result.rejected)
    return result


def _file(tmp_path: Path, suffix: str, data: bytes) -> Path:
    path = tmp_path / f"list{suffix}"
    path.write_bytes(data)
    return path


# -- random bytes ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", EXTENSIONS)
@DEFAULT
@given(data=st.binary(max_size=4096))
def test_random_bytes(tmp_path, suffix, data):
    check_outcome(_file(tmp_path, suffix, data))


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
@DEFAULT
@given(data=st.binary(max_size=4096))
def test_random_bytes_behind_a_workbook_signature(tmp_path, suffix, data):
    """The sniffing sends these to the workbook reader (zip / OLE magic) whatever follows."""
    magic = b"PK\x03\x04" if suffix != ".xls" else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    check_outcome(_file(tmp_path, suffix, magic + data))


# -- text tables ------------------------------------------------------------------------

_CELL_CHARS = st.characters(codec="utf-8", exclude_categories=["Cs"])
_CELLS = st.one_of(
    st.text(_CELL_CHARS, max_size=30),
    st.sampled_from(
        [
            "+7 916 123-45-67",
            "8 (916) 1234567",
            "ivan@mail.ru",
            "=1+1",
            '"',
            '""',
            ";",
            "\t",
            ",",
            "\r\n",
            "\n",
            "Телефон",
            "E-mail",
            "Имя",
            "\x00",
            "\ufeff",
            "9" * 40,
            "@",
            " ",
        ]
    ),
)


@st.composite
def text_tables(draw) -> tuple[bytes, str]:
    rows = draw(st.lists(st.lists(_CELLS, min_size=1, max_size=8), max_size=25))
    delimiter = draw(st.sampled_from([";", ",", "\t", "|", " "]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if quote else value

    text = newline.join(delimiter.join(cell(c) for c in row) for row in rows)
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace"), encoding


@pytest.mark.parametrize("suffix", [".csv", ".txt", ".tsv"])
@DEFAULT
@given(table=text_tables())
def test_text_tables_in_any_encoding(tmp_path, suffix, table):
    data, _encoding = table
    check_outcome(_file(tmp_path, suffix, data))


# pyarrow cannot hand a row of non-UTF-8 bytes to the importer's invalid-row handler and
# reports that as "Exception ignored" (stderr only); the importer then reads the file the
# careful way. Nothing is lost, so that notice is not a failure here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@DEFAULT
@given(head=text_tables(), tail=st.binary(min_size=1, max_size=2048))
def test_a_valid_start_then_garbage_past_the_sniffed_part(tmp_path, head, tail):
    """256 KB of plain UTF-8 (what is sniffed), then bytes in another encoding or none."""
    data, _ = head
    assume(data)
    start = ("Имя;Телефон\n" + "Анна;+7 916 123-45-67\n" * 12000).encode("utf-8")
    check_outcome(_file(tmp_path, ".csv", start + data + tail))


# -- workbooks ---------------------------------------------------------------------------


def _workbook_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Клиенты"
    ws.append(["Имя", "Телефон", "E-mail", "Формула"])
    for i in range(40):
        ws.append([f"Клиент {i}", f"+7 916 {i:07d}", f"c{i}@example.ru", f"=1+{i}"])
    wb.create_sheet("Пусто")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


WORKBOOK = _workbook_bytes()


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
@DEFAULT
@given(cut=st.integers(min_value=0, max_value=len(WORKBOOK) - 1))
def test_truncated_workbook(tmp_path, suffix, cut):
    check_outcome(_file(tmp_path, suffix, WORKBOOK[:cut]))


@DEFAULT
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(1, 255)), min_size=1, max_size=40
    )
)
def test_workbook_with_bytes_flipped(tmp_path, flips):
    data = bytearray(WORKBOOK)
    for at, mask in flips:
        data[at] ^= mask
    check_outcome(_file(tmp_path, ".xlsx", bytes(data)))


_PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
]


@DEFAULT
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(_PARTS), st.binary(max_size=512)), min_size=1, max_size=8
    ),
    keep=st.sets(st.sampled_from(_PARTS)),
)
def test_zip_with_xlsx_names_and_garbage_inside(tmp_path, parts, keep):
    """Some parts taken from a real workbook, the others garbage (or missing)."""
    real = zipfile.ZipFile(io.BytesIO(WORKBOOK))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        written = set()
        for name in keep & set(real.namelist()):
            z.writestr(name, real.read(name))
            written.add(name)
        for name, data in parts:
            if name not in written:
                z.writestr(name, data)
                written.add(name)
        if "xl/workbook.xml" not in written:
            z.writestr("xl/workbook.xml", b"<workbook/>")
    check_outcome(_file(tmp_path, ".xlsx", out.getvalue()))


@DEFAULT
@given(content=st.binary(max_size=1024))
def test_ods_with_garbage_content(tmp_path, content):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    check_outcome(_file(tmp_path, ".ods", out.getvalue()))


# -- the soak versions -------------------------------------------------------------------


@pytest.mark.soak
@pytest.mark.parametrize("suffix", EXTENSIONS)
@SOAK
@given(data=st.binary(max_size=16384))
def test_soak_random_bytes(tmp_path, suffix, data):
    check_outcome(_file(tmp_path, suffix, data))


@pytest.mark.soak
@SOAK
@given(table=text_tables())
def test_soak_text_tables(tmp_path, table):
    check_outcome(_file(tmp_path, ".csv", table[0]))


@pytest.mark.soak
@SOAK
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(1, 255)), min_size=1, max_size=80
    ),
    cut=st.integers(min_value=1, max_value=len(WORKBOOK)),
)
def test_soak_damaged_workbooks(tmp_path, flips, cut):
    data = bytearray(WORKBOOK[:cut])
    for at, mask in flips:
        if at < len(data):
            data[at] ^= mask
    check_outcome(_file(tmp_path, ".xlsx", bytes(data)))


# -- fixed cases -------------------------------------------------------------------------


def _run_isolated(path: Path, timeout: float) -> str:
    """Import ``path`` in a child process: a hang is a timeout, an abort an exit code."""
    script = textwrap.dedent(
        """
        import sys
        from kupon_desktop.contacts.errors import ContactsError
        from kupon_desktop.contacts.importer import import_file, preview
        try:
            preview(sys.argv[1])
            result = import_file(sys.argv[1])
        except ContactsError as exc:
            print("error:", exc)
        else:
            print("imported:", result.imported)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )
    assert run.returncode == 0, f"exit {run.returncode}: {run.stderr[-2000:]}"
    return run.stdout.strip()


def test_header_of_100000_columns_is_refused_quickly(tmp_path):
    path = tmp_path / "wide.csv"
    header = ";".join(["Телефон", *(f"c{i}" for i in range(100_000))])
    row = ";".join(["+79161234567", *("x" for _ in range(100_000))])
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    out = _run_isolated(path, timeout=60)
    assert out.startswith("error:") and "16 384" in out, out


def test_a_row_far_wider_than_the_header_is_refused(tmp_path):
    path = tmp_path / "ragged.csv"
    wide = ";".join("x" for _ in range(200_000))
    path.write_text("Телефон;Имя\n+79161234567;Анна\n" + wide + "\n", encoding="utf-8")
    out = _run_isolated(path, timeout=60)
    assert out.startswith("error:") and "16 384" in out, out


def test_as_many_columns_as_excel_has_still_import(tmp_path):
    path = tmp_path / "excel-wide.csv"
    header = ";".join(["Телефон", *(f"c{i}" for i in range(16_000))])
    row = ";".join(["+79161234567", *("x" for _ in range(16_000))])
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    assert _run_isolated(path, timeout=120) == "imported: 1"


def _xlsx_with_sheet_xml(tmp_path: Path, name: str, sheet_data: bytes) -> Path:
    """A real workbook whose sheet1.xml sheetData is replaced."""
    import re

    real = zipfile.ZipFile(io.BytesIO(WORKBOOK))
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in real.infolist():
            data = real.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb"<sheetData>.*</sheetData>",
                    b"<sheetData>" + sheet_data + b"</sheetData>",
                    data,
                    flags=re.S,
                )
            z.writestr(item, data)
    return path


def _inline(ref: str, text: str) -> bytes:
    at = f' r="{ref}"' if ref else ""
    return f'<c{at} t="inlineStr"><is><t>{text}</t></is></c>'.encode()


@pytest.mark.parametrize(
    ("name", "sheet_data"),
    [
        # two values a whole sheet apart: the reader would build a 550 GB grid
        (
            "corners.xlsx",
            b'<row r="1">'
            + _inline("A1", "Телефон")
            + b'</row><row r="2">'
            + _inline("A2", "+79161234567")
            + b'</row><row r="1048576">'
            + _inline("XFD1048576", "x")
            + b"</row>",
        ),
        # the same without cell references: a row of 16,384 cells placed one by one
        (
            "no-refs.xlsx",
            b'<row r="1">'
            + _inline("", "Телефон") * 16384
            + b'</row><row r="1048576">'
            + _inline("", "x")
            + b"</row>",
        ),
        # a row number past Excel's last row
        (
            "far-row.xlsx",
            b'<row r="1">'
            + _inline("A1", "Телефон")
            + b"</row>"
            + b'<row r="99999999">'
            + _inline("AX99999999", "x")
            + b"</row>",
        ),
    ],
)
def test_a_sheet_too_large_for_memory_is_refused_not_fatal(tmp_path, name, sheet_data):
    path = _xlsx_with_sheet_xml(tmp_path, name, sheet_data)
    assert path.stat().st_size < 200_000
    out = _run_isolated(path, timeout=60)
    assert out.startswith("error:") and "too large" in out, out


def test_stray_value_within_reason_still_imports(tmp_path):
    """A value at Z200000 makes a 26 × 200,000 grid: big, but it fits: imported."""
    path = _xlsx_with_sheet_xml(
        tmp_path,
        "stray.xlsx",
        b'<row r="1">'
        + _inline("A1", "Телефон")
        + b'</row><row r="2">'
        + _inline("A2", "+79161234567")
        + b'</row><row r="200000">'
        + _inline("Z200000", "x")
        + b"</row>",
    )
    assert _run_isolated(path, timeout=120) == "imported: 1"


def test_huge_cells(tmp_path):
    """A 12 MB cell in a CSV (under the 16 MB bound for one cell) and a 32,767-character
    cell (the Excel limit) in a workbook: imported, and the report cuts the value it
    quotes. A 20 MB cell is over the bound: one line naming it."""
    path = tmp_path / "huge.csv"
    big = "я" * (6 << 20)
    path.write_text(f"Имя;Телефон\n{big};+79161234567\nАнна;{big}\n", encoding="utf-8")
    result = check_outcome(path)
    assert isinstance(result, ImportResult)
    assert result.imported == 1 and len(result.rejected) == 1
    assert len(result.rejected[0].value) <= 201
    path.write_text(f"Имя;Телефон\nАнна;+79161234567\n{big}{big};\n", encoding="utf-8")
    assert check_outcome(path) is None
    with pytest.raises(FileUnreadable, match="16 MiB, the limit for one cell"):
        import_file(path)
    wb = Workbook()
    ws = wb.active
    ws.append(["Имя", "Телефон"])
    ws.append(["ы" * 32767, "+79161234567"])
    ws.append(["Анна", "9" * 32767])
    book = tmp_path / "huge.xlsx"
    wb.save(book)
    result = check_outcome(book)
    assert isinstance(result, ImportResult)
    assert result.imported == 1 and result.fields["Имя"].iloc[0] == "ы" * 32767


def test_formula_cells_are_never_evaluated(tmp_path):
    """A text cell "=1+1" is text; a formula cell gives the value Excel saved with it,
    or nothing: the importer never computes a formula."""
    sheet = (
        b'<row r="1">'
        + _inline("A1", "Телефон")
        + _inline("B1", "Имя")
        + _inline("C1", "Заметка")
        + b"</row>"
        + b'<row r="2">'
        + _inline("A2", "+79161234567")
        + _inline("B2", "=1+1")
        + b'<c r="C2"><f>1+1</f><v>2</v></c></row>'
        + b'<row r="3">'
        + _inline("A3", "+79161234568")
        + b'<c r="B3" t="str"><f>CONCAT("a","b")</f><v>ab</v></c>'
        + b'<c r="C3"><f>2*3</f></c></row>'
    )
    path = _xlsx_with_sheet_xml(tmp_path, "formulas.xlsx", sheet)
    result = check_outcome(path)
    assert isinstance(result, ImportResult)
    names = result.fields["Имя"].tolist()
    notes = result.fields["Заметка"].tolist()
    assert names == ["=1+1", "ab"]
    assert notes[0] == "2"
    assert pd.isna(notes[1]) or notes[1] == "", notes
    # openpyxl writes formulas without a saved value: they import as empty, not computed
    book = tmp_path / "openpyxl-formulas.xlsx"
    book.write_bytes(WORKBOOK)
    result = check_outcome(book)
    assert isinstance(result, ImportResult) and result.imported == 40
    assert "2" not in set(result.fields["Формула"].dropna().tolist())


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-16", "Имя;Телефон\nАнна;+79161234567\n"),
        ("utf-16-le", "Имя;Телефон\nАнна;+79161234567\n"),
        ("koi8-r", "Имя;Телефон\nАнна;+79161234567\n"),
        ("cp866", "Имя;Телефон\nАнна;+79161234567\n"),
        ("shift_jis", "名前;電話\n山田;+79161234567\n"),
        ("utf-32", "Имя;Телефон\nАнна;+79161234567\n"),
    ],
)
def test_wrong_or_unusual_encodings(tmp_path, encoding, text):
    """Whatever the bytes decode to, the phones still import or the file is refused."""
    result = check_outcome(_file(tmp_path, ".csv", text.encode(encoding)))
    if isinstance(result, ImportResult):
        assert result.imported == 1


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_utf8_then_other_bytes_late_in_the_file_is_one_clear_error(tmp_path):
    start = "Имя;Телефон\n" + "Анна;+7 916 123-45-67\n" * 15000
    data = start.encode("utf-8") + b"\xff\xfe;\x81\n" + "Ольга;+79160000000\n".encode("cp1251")
    path = _file(tmp_path, ".csv", data)
    with pytest.raises(FileUnreadable, match=r"кодировке .* / the text is not valid"):
        import_file(path)
    check_outcome(path)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_cp1251_after_plain_ascii_with_a_ragged_row_imports(tmp_path):
    """The first 256 KB are plain ASCII (valid UTF-8), Cyrillic CP1251 and a row with an
    extra field come later: read as CP1251, every row kept (it used to be "damaged")."""
    start = "Name;Phone\n" + "".join(f"Anna {i};+7 916 {i:07d}\n" for i in range(12000))
    tail = "Ольга;+79260000000\nИван;Иванов;+79270000001\n"
    result = import_file(_file(tmp_path, ".csv", start.encode("ascii") + tail.encode("cp1251")))
    assert result.encoding == "cp1251"
    assert result.imported == 12001
    assert result.fields["Name"].iloc[-1] == "Ольга"
    assert [r.row for r in result.rejected] == [12003]  # the ragged row, reported


def test_zip_member_name_flagged_utf8_but_not(tmp_path):
    """Found by the atheris harness: zipfile raised UnicodeDecodeError (not BadZipFile)
    for a member name marked UTF-8 that is not, and the import crashed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/é.xml", "x")  # a non-ASCII name: zipfile sets the UTF-8 flag
    data = out.getvalue().replace("é".encode(), b"\xeb\x01")
    path = _file(tmp_path, ".xlsx", data)
    with pytest.raises(FileUnreadable, match="damaged"):
        preview(path)
    check_outcome(path)

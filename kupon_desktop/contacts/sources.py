"""Reading a file into rows of text: what kind of file it is, its sheets, its encoding
and delimiter, its first rows (for the preview) and all of its cells as string columns.

Every cell comes out as text exactly as the user sees it: a phone Excel stored as the
number 79161234567 reads ``"79161234567"``, never ``"7.9161234567e+10"``, and text such
as ``"0012"`` keeps its zeros. Row numbers are the ones Excel shows (1-based; for a CSV,
the record number, so a quoted value spanning lines is still one row).

Format is told by content, not by the name's extension: web cabinets hand out ".xls"
files that are really HTML or CSV, and a renamed file should still say what it is.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from kupon_desktop.contacts.errors import FileUnreadable, UnknownSheet
from kupon_desktop.contacts.limits import (
    MAX_CELL_BYTES,
    MAX_UNPACKED,
    TooLarge,
    cell_too_large,
    text_too_large,
)

#: how much of a text file is looked at to tell its encoding, delimiter and first rows
SNIFF_BYTES = 256 * 1024
#: the most columns a text file may have: Excel's limit. Wider is not a contact list, and
#: would take minutes to read (about 0.3 ms per column)
MAX_COLUMNS = 16_384
#: the delimiters a list may use, in the order ties are settled (Russian Excel first)
DELIMITERS = (";", "\t", ",", "|")
#: what a one-column file is split on: a control character, which a text file never
#: holds (such a file is refused as binary), so nothing is split
NO_DELIMITER = "\x1f"
#: a number as a Russian Excel writes a large one in a narrow column ("7,91612E+10"):
#: its decimal comma separates no fields
_SCIENTIFIC_COMMA = re.compile(r"(?<![\d,])[+-]?\d+,\d+[eE][+-]?\d+(?![\d,])")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# Short, plain reasons; FileUnreadable puts the file's name in front.
_NOT_FOUND = "файл не найден / file not found"
_IS_FOLDER = "это папка, а не файл / this is a folder, not a file"
_EMPTY = "файл пуст / the file is empty"
_NO_DATA = "в файле нет данных / the file holds no data"
_DAMAGED = "файл повреждён или не дописан / the file is damaged or incomplete"
_PASSWORD = (
    "файл защищён паролем: снимите пароль в Excel и сохраните заново / "
    "the file is password-protected: remove the password in Excel and save it again"
)
_BINARY = "это не таблица (двоичный файл) / not a table (a binary file)"
_HTML = (
    "это веб-страница (HTML), а не таблица: откройте её в Excel и сохраните как .xlsx / "
    "this is a web page (HTML), not a table: open it in Excel and save it as .xlsx"
)


def _too_wide(columns: int) -> str:
    n = f"{columns:,}".replace(",", " ")
    return (
        f"в файле {n} столбцов или больше, в таблице их не бывает больше 16 384: проверьте "
        f"разделитель / the file has {n} columns or more, more than a spreadsheet holds "
        "(16,384): check the delimiter"
    )


def _too_large(rows: int, columns: int) -> str:
    r, c = (f"{n:,}".replace(",", " ") for n in (rows, columns))
    return (
        f"лист занимает {r} строк × {c} столбцов, слишком много (возможно, далеко за "
        "списком есть случайные значения): удалите их в Excel и сохраните файл заново / "
        f"the sheet spans {r} rows × {c} columns, too large to read (stray values far "
        "outside the list?): delete them in Excel and save the file again"
    )


_MAGIC_KINDS = {
    b"%PDF": "это PDF-документ, а не таблица / this is a PDF document, not a table",
    b"\x89PNG": "это картинка, а не таблица / this is an image, not a table",
    b"\xff\xd8\xff": "это картинка, а не таблица / this is an image, not a table",
    b"GIF8": "это картинка, а не таблица / this is an image, not a table",
    b"Rar!": "это архив, а не таблица / this is an archive, not a table",
    b"\x1f\x8b": "это архив, а не таблица / this is an archive, not a table",
    b"7z\xbc\xaf": "это архив, а не таблица / this is an archive, not a table",
}


@dataclass(frozen=True)
class RawTable:
    """All cells of one sheet as text columns of equal length."""

    #: one string array per column; an empty cell is "" or null
    columns: list[pa.Array]
    #: the file row number (as Excel shows it) of each table row
    row_numbers: np.ndarray
    #: 0-based index of the first column in the sheet (for naming columns A, B, ...)
    first_column: int = 0

    @property
    def num_rows(self) -> int:
        return len(self.row_numbers)


class Source(ABC):
    """One opened file. ``sheet`` is None for a CSV."""

    kind: str
    path: Path
    sheets: list[str]
    encoding: str | None = None
    delimiter: str | None = None

    @abstractmethod
    def default_sheet(self) -> str | None:
        """The sheet to show first: the first one with data."""

    @abstractmethod
    def head(self, sheet: str | None, limit: int) -> tuple[list[list[str]], list[int], int]:
        """The first ``limit`` rows, their file row numbers and the first column's index."""

    @abstractmethod
    def read(self, sheet: str | None, data_after: int = 0) -> RawTable:
        """Every row of the sheet. Rows up to ``data_after`` (the header and the title
        rows above it) matter only for their numbers."""

    def check_sheet(self, sheet: str | None) -> str | None:
        if sheet is None:
            return self.default_sheet()
        if not self.sheets:
            return None
        if sheet in self.sheets:
            return sheet
        for name in self.sheets:
            if name.casefold() == sheet.strip().casefold():
                return name
        raise UnknownSheet(self.path, sheet, self.sheets)


def open_source(path: str | Path) -> Source:
    """Open ``path`` as a table source, or raise :class:`FileUnreadable` saying why not."""
    p = Path(path)
    if not p.exists():
        raise FileUnreadable(p, _NOT_FOUND)
    if p.is_dir():
        raise FileUnreadable(p, _IS_FOLDER)
    try:
        with open(p, "rb") as f:
            start = f.read(8)
    except OSError as exc:
        raise FileUnreadable(
            p, f"не удалось открыть файл / cannot open the file ({exc.strerror})"
        ) from exc
    if not start:
        raise FileUnreadable(p, _EMPTY)
    if start.startswith(b"PK\x03\x04"):
        _check_zip(p)
        return WorkbookSource(p)
    if start.startswith(_OLE_MAGIC):
        if _holds(p, _ENCRYPTED_PACKAGE):
            raise FileUnreadable(p, _PASSWORD)
        return WorkbookSource(p)
    for magic, reason in _MAGIC_KINDS.items():
        if start.startswith(magic):
            raise FileUnreadable(p, reason)
    return CsvSource(p)


def _holds(path: Path, needle: bytes) -> bool:
    """Whether the file contains ``needle``: an encrypted Office file is an OLE container
    with a stream named EncryptedPackage, whichever extension it has."""
    overlap = len(needle)
    tail = b""
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype").strip() if "mimetype" in names else b""
    except (
        zipfile.BadZipFile,
        OSError,
        KeyError,
        EOFError,
        zlib.error,
        ValueError,  # a member name flagged UTF-8 that is not (UnicodeDecodeError)
        NotImplementedError,
        RuntimeError,
    ) as exc:  # unknown compression, encrypted
        raise FileUnreadable(path, _DAMAGED) from exc
    if {"xl/workbook.xml", "xl/workbook.bin"} & names or mimetype == _ODS_MIMETYPE:
        return
    if "word/document.xml" in names or mimetype.endswith(b".text"):
        raise FileUnreadable(
            path, "это текстовый документ, а не таблица / this is a text document, not a table"
        )
    if any(n.startswith("ppt/") for n in names) or mimetype.endswith(b".presentation"):
        raise FileUnreadable(
            path, "это презентация, а не таблица / this is a presentation, not a table"
        )
    raise FileUnreadable(path, "это zip-архив, а не таблица / this is a zip archive, not a table")


# ----------------------------------------------------------------------------- workbooks


def cell_text(value: object) -> str:
    """A workbook cell as the text Excel shows for it (General format)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Whole numbers (phones stored as numbers) print without ".0" or an exponent.
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    # Dates as a Russian Excel shows them and writes them to CSV, so that a list gives
    # the same text whichever way it was saved
    if isinstance(value, datetime):
        if value.time() == time(0):
            return f"{value:%d.%m.%Y}"
        return f"{value:%d.%m.%Y %H:%M:%S}" if value.second else f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return "" if value is None else str(value)


class WorkbookSource(Source):
    """.xlsx, .xlsm, .xlsb, .xls and .ods through calamine (Rust; ~15x openpyxl)."""

    kind = "workbook"

    def __init__(self, path: Path) -> None:
        import python_calamine as calamine

        from kupon_desktop.contacts.sheet_extent import SheetTooLarge, check_xlsx

        self.path = path
        self._calamine = calamine
        try:
            # before calamine: a sheet too large for memory aborts it, uncatchably, and
            # a zip bomb would fill the memory
            check_xlsx(path)
        except SheetTooLarge as exc:
            raise FileUnreadable(path, _too_large(exc.rows, exc.columns)) from exc
        except TooLarge as exc:
            raise FileUnreadable(path, exc.reason) from exc
        try:
            try:
                self._book = calamine.CalamineWorkbook.from_path(str(path))
                self._read_sheet_names()
            except calamine.PasswordError:
                raise
            except Exception:
                repaired = _repaired_ods(path)
                if repaired is None:
                    raise
                # Gnumeric's .ods: the same workbook with its indentation taken out
                self._book = calamine.CalamineWorkbook.from_filelike(repaired)
                self._read_sheet_names()
        except calamine.PasswordError as exc:
            raise FileUnreadable(path, _PASSWORD) from exc
        except Exception as exc:  # calamine raises several unrelated types for bad files
            raise FileUnreadable(path, _DAMAGED) from exc
        # one loaded sheet: the preview and the import that follows read the same one
        self._loaded: tuple[str, list[list[Any]], int, int] | None = None

    def _read_sheet_names(self) -> None:
        self.sheets = [
            m.name
            for m in self._book.sheets_metadata
            if m.typ == self._calamine.SheetTypeEnum.WorkSheet
        ]

    def _load(self, sheet: str) -> tuple[list[list[Any]], int, int]:
        if self._loaded is not None and self._loaded[0] == sheet:
            return self._loaded[1], self._loaded[2], self._loaded[3]
        try:
            sh = self._book.get_sheet_by_name(sheet)
            start = sh.start
            rows: list[list[Any]] = (
                list(sh.to_python(skip_empty_area=True)) if start is not None else []
            )
        except Exception as exc:
            repaired = None if getattr(self, "_repaired", False) else _repaired_ods(self.path)
            if repaired is None:
                raise FileUnreadable(self.path, _DAMAGED) from exc
            # an .ods whose sheet list read but whose cells did not: the same repair
            self._repaired = True
            self._book = self._calamine.CalamineWorkbook.from_filelike(repaired)
            return self._load(sheet)
        first_row, first_col = (start[0], start[1]) if start is not None else (0, 0)
        self._loaded = (sheet, rows, first_row, first_col)
        return rows, first_row, first_col

    def default_sheet(self) -> str | None:
        for name in self.sheets:
            rows, _, _ = self._load(name)
            if any(any(cell_text(c).strip() for c in row) for row in rows[:1000]):
                return name
        if not self.sheets:
            raise FileUnreadable(self.path, _NO_DATA)
        return self.sheets[0]

    def head(self, sheet: str | None, limit: int) -> tuple[list[list[str]], list[int], int]:
        rows, first_row, first_col = self._load(self._sheet(sheet))
        text = [[cell_text(c) for c in row] for row in rows[:limit]]
        return text, [first_row + 1 + i for i in range(len(text))], first_col

    def read(self, sheet: str | None, data_after: int = 0) -> RawTable:
        rows, first_row, first_col = self._load(self._sheet(sheet))
        width = max((len(r) for r in rows), default=0)
        columns: list[pa.Array] = []
        for j in range(width):
            column = [row[j] if j < len(row) else "" for row in rows]
            columns.append(
                pa.array([v if type(v) is str else cell_text(v) for v in column], pa.string())
            )
        numbers = np.arange(first_row + 1, first_row + 1 + len(rows), dtype=np.int64)
        return RawTable(columns, numbers, first_col)

    def _sheet(self, sheet: str | None) -> str:
        name = self.check_sheet(sheet)
        if name is None:
            raise FileUnreadable(self.path, _NO_DATA)
        return name


_ODS_GAP_BEFORE = re.compile(rb">[ \t\r\n]+(?=</?table:)")
_ODS_GAP_AFTER = re.compile(rb"(</?table:[^>]*>)[ \t\r\n]+(?=<)")


def _repaired_ods(path: Path) -> io.BytesIO | None:
    """An OpenDocument spreadsheet with the whitespace between its table elements taken
    out, as a zip in memory; None if ``path`` is no .ods.

    Gnumeric (``ssconvert``) indents its ``content.xml``; calamine expects nothing but
    elements between the cells and refuses the file. Whitespace next to a ``table:``
    element is never cell text (text lives in ``text:p`` inside a cell), so taking it out
    changes no value. Only a file calamine refused pays for this; the bounds were checked
    before (``check_xlsx``), so the part fits in memory.
    """
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "content.xml" not in names or "mimetype" not in names:
                return None
            if z.read("mimetype").strip() != _ODS_MIMETYPE:
                return None
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
                for info in z.infolist():
                    data = z.read(info)
                    if info.filename == "content.xml":
                        data = _ODS_GAP_AFTER.sub(rb"\1", _ODS_GAP_BEFORE.sub(b">", data))
                    copy.writestr(info.filename, data)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error, ValueError):
        return None
    out.seek(0)
    return out


# ---------------------------------------------------------------------------- text files


def _detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or the telltale zero bytes), else CP1251:
    what Russian Excel writes for "CSV (разделители — запятые)"."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = sample[:4096]
    if len(head) >= 4:
        even_zeros = head[0::2].count(0)
        odd_zeros = head[1::2].count(0)
        half = len(head) // 2
        if odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
            return "utf-16-le"
        if even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
            return "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def _not_text(encoding: str | None) -> str:
    return f"не удалось прочитать текст в кодировке {encoding} / the text is not valid {encoding}"


def _decode_sample(path: Path, sample: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(sample, final=False)
    except UnicodeDecodeError as exc:
        raise FileUnreadable(path, _not_text(encoding)) from exc


def _is_binary(text: str) -> bool:
    if not text:
        return False
    control = sum(1 for ch in text[:65536] if (ch < " " and ch not in "\t\r\n") or ch == "\x7f")
    return control > 0.01 * min(len(text), 65536)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\r\n") + b"\x7f"


def _is_binary_bytes(sample: bytes) -> bool:
    """Control bytes (other than tab and line ends) never occur in a text export."""
    head = sample[:65536]
    stripped = head.translate(None, _CONTROL_BYTES)
    return len(head) - len(stripped) > 0.01 * len(head)


def _looks_html(text: str) -> bool:
    start = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    return start.startswith(("<!doctype html", "<html", "<table")) or (
        start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in start
    )


@contextlib.contextmanager
def _big_fields() -> Iterator[None]:
    """Let the csv module read cells over its default 128 KB (a pasted 10 MB cell), up to
    the bound for one cell."""
    old = csv.field_size_limit(MAX_CELL_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    rows: list[list[str]] = []
    with _big_fields():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
        try:
            for row in reader:
                rows.append(row)
                if limit is not None and len(rows) >= limit:
                    break
        except csv.Error:
            pass  # a sample cut inside a quoted value: keep the complete rows
    return rows


def _detect_delimiter(text: str) -> str | None:
    """The delimiter that splits the most rows into the same number (≥ 2) of fields;
    None when none does: a one-column list ("Телефон" and a number per line), whose
    values may hold a comma ("7,91612E+10", "89161234569, 89031234560")."""
    best = (0, 0)
    chosen: str | None = None
    for d in DELIMITERS:
        sample = _SCIENTIFIC_COMMA.sub("0", text) if d == "," else text
        widths = [len(r) for r in _records(sample, d, 200) if any(c.strip() for c in r)]
        if not widths:
            continue
        modal, freq = Counter(widths).most_common(1)[0]
        score = (freq, modal) if modal >= 2 else (0, 0)
        if score > best:
            best, chosen = score, d
    return chosen


class CsvSource(Source):
    """CSV, TSV and TXT exports, read by pyarrow's CSV reader with every column as text."""

    kind = "csv"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sheets = []
        if path.stat().st_size > MAX_UNPACKED:
            raise FileUnreadable(path, text_too_large())
        with open(path, "rb") as f:
            sample = f.read(SNIFF_BYTES)
            self._whole = not f.read(1)
        self.encoding = _detect_encoding(sample)
        if not self.encoding.startswith("utf-16") and _is_binary_bytes(sample):
            raise FileUnreadable(path, _BINARY)
        text = _decode_sample(path, sample, self.encoding)
        if self.encoding == "utf-8-sig":
            text = text.removeprefix("\ufeff")
        if _is_binary(text):
            raise FileUnreadable(path, _BINARY)
        if _looks_html(text):
            raise FileUnreadable(path, _HTML)
        if not text.strip():
            raise FileUnreadable(path, _NO_DATA if text else _EMPTY)
        self.delimiter = _detect_delimiter(text)
        rows = _records(text, self._split_on)
        width = max((len(r) for r in rows), default=0)
        if width > MAX_COLUMNS:
            raise FileUnreadable(path, _too_wide(width))
        if not self._whole and len(rows) > 1:
            rows.pop()  # the sample may end inside the last row
        self._head = rows

    @property
    def _split_on(self) -> str:
        return self.delimiter or NO_DELIMITER

    def default_sheet(self) -> str | None:
        return None

    def head(self, sheet: str | None, limit: int) -> tuple[list[list[str]], list[int], int]:
        rows = self._head[:limit]
        return [list(r) for r in rows], list(range(1, len(rows) + 1)), 0

    def read(self, sheet: str | None, data_after: int = 0) -> RawTable:
        below = self._head[max(data_after - 1, 0) :] or self._head
        width = max((len(r) for r in below), default=1) or 1
        try:
            table, skipped = self._read_arrow(width, data_after)
        except _Irregular:
            return self._read_python()
        records = table.num_rows + len(skipped)
        numbers = np.arange(1, records + 1, dtype=np.int64)
        if skipped:
            numbers = np.delete(numbers, np.asarray(skipped, dtype=np.int64) - 1)
        columns = [c.combine_chunks() for c in table.columns]
        self._check_cells(columns)
        return RawTable(columns, numbers)

    def _check_cells(self, columns: list[pa.Array]) -> None:
        """Refuse a cell over the bound for one cell (the reader took the row whole)."""
        for column in columns:
            longest = pc.max(pc.binary_length(column)).as_py()
            if longest is not None and longest > MAX_CELL_BYTES:
                raise FileUnreadable(self.path, cell_too_large())

    def _read_arrow(self, width: int, data_after: int) -> tuple[pa.Table, list[int]]:
        names = [f"c{i}" for i in range(width)]
        skipped: list[int] = []
        irregular: list[int | None] = []

        def on_invalid(row: pa_csv.InvalidRow) -> str:
            # A title row above the header may have any width: skip it (its number is
            # known, reading single-threaded). A data row of another width must not be
            # lost: read the whole file the careful way instead.
            if row.number is not None and row.number <= data_after:
                skipped.append(row.number)
                return "skip"
            irregular.append(row.number)
            return "error"

        encoding = "utf8" if self.encoding in ("utf-8", "utf-8-sig") else self.encoding
        # a row must fit in one block: the block is the bound for one cell
        block = MAX_CELL_BYTES
        while True:
            skipped.clear()
            try:
                table = pa_csv.read_csv(
                    self.path,
                    read_options=pa_csv.ReadOptions(
                        column_names=names,
                        use_threads=False,
                        block_size=block,
                        encoding=encoding or "utf8",
                    ),
                    parse_options=pa_csv.ParseOptions(
                        delimiter=self._split_on,
                        quote_char='"',
                        double_quote=True,
                        newlines_in_values=True,
                        ignore_empty_lines=False,
                        invalid_row_handler=on_invalid,
                    ),
                    convert_options=pa_csv.ConvertOptions(
                        column_types=dict.fromkeys(names, pa.string()),
                        strings_can_be_null=False,
                        quoted_strings_can_be_null=False,
                    ),
                )
                return table, skipped
            except pa.ArrowInvalid as exc:
                message = str(exc)
                if irregular or "columns, got" in message:
                    # (the second: a row of another width whose bytes are not UTF-8, so
                    # pyarrow could not even hand it to on_invalid)
                    raise _Irregular from exc
                if "straddling" in message:
                    # one row bigger than a block, which is the bound for one cell
                    raise FileUnreadable(self.path, cell_too_large()) from exc
                if ("UTF8" in message or "UTF-8" in message) and encoding == "utf8":
                    # UTF-8 in the first 256 KB, something else later: a CP1251 file
                    # whose first rows happen to be plain ASCII.
                    encoding = self.encoding = "cp1251"
                    continue
                raise FileUnreadable(self.path, _DAMAGED) from exc
            except UnicodeDecodeError as exc:
                raise FileUnreadable(self.path, _not_text(encoding)) from exc

    def _read_python(self) -> RawTable:
        """Rows of varying width (a row with an extra delimiter, a short row): read with the
        csv module, slower but it keeps every row and every cell."""
        encoding = self.encoding or "utf-8"
        try:
            text = self.path.read_text(encoding=encoding)
        except UnicodeDecodeError as exc:
            if encoding not in ("utf-8", "utf-8-sig"):
                raise FileUnreadable(self.path, _not_text(encoding)) from exc
            # as in _read_arrow: UTF-8 in the first 256 KB, something else later
            try:
                text = self.path.read_text(encoding="cp1251")
            except UnicodeDecodeError:
                raise FileUnreadable(self.path, _not_text(encoding)) from exc
            self.encoding = "cp1251"
        text = text.removeprefix("\ufeff")
        with _big_fields():
            try:
                rows = list(
                    csv.reader(
                        io.StringIO(text, newline=""),
                        delimiter=self._split_on,
                        quotechar='"',
                    )
                )
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise FileUnreadable(self.path, cell_too_large()) from exc
                raise FileUnreadable(self.path, _DAMAGED) from exc
        width = max((len(r) for r in rows), default=0)
        if width > MAX_COLUMNS:
            raise FileUnreadable(self.path, _too_wide(width))
        columns = [
            pa.array([r[j] if j < len(r) else "" for r in rows], pa.string()) for j in range(width)
        ]
        self._check_cells(columns)
        return RawTable(columns, np.arange(1, len(rows) + 1, dtype=np.int64))


class _Irregular(Exception):
    """A data row of another width than the header: switch to the careful reader."""

"""Refusing a workbook whose sheet could not fit in memory, before the reader tries.

The workbook reader (calamine) turns a sheet into a dense grid of every cell between the
first and the last one used. A 5 KB ``.xlsx`` with one value in A1 and another in
XFD1048576 asks it for 550 GB, and the allocation failure *aborts the whole program*
(calamine issue #693, unfixed in the version we ship): no exception to catch. So the
cell references of each worksheet are read here first, streamed, and a sheet whose grid
would exceed :data:`MAX_CELLS` is refused with a clear message.

Cheap in the usual case (about a tenth of the import's time): one streamed pass over the
sheet XML with a regular expression that finds nothing in a list of up to 47 columns
(rows are bounded by Excel's 1,048,576) and a few byte counts; only a wider sheet, or
one written without cell references, pays for placing every cell.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from kupon_desktop.contacts.limits import MAX_UNPACKED, TooLarge, XmlBudget, unpacked_too_large

#: cells of the dense grid we let the reader build (32 bytes each in calamine, plus a
#: Python object each afterwards): about 1.5 GB, a 1,048,576-row sheet of 47 columns
MAX_CELLS = 50_000_000
#: Excel's last row; a reference past it is not from Excel or LibreOffice
EXCEL_ROWS = 1_048_576
_CHUNK = 4 << 20
_OVERLAP = 64

# The patterns start with the literal r=" so that the regex engine skips ahead by a fast
# byte search (a leading \b or character class makes them several times slower); an
# attribute like header="0.3" cannot match, as a reference is letters then digits.
#: a reference in a column after Z (the only ones that can make a sheet wide), or with a
#: row number longer than Excel's last row
_WIDE_OR_FAR = re.compile(rb'r="(?:([A-Z]{2,3})[0-9]|[A-Z]{1,3}[0-9]{8})')
#: cells written without a reference sit one after another: a row of them is as wide as
#: it is long. Fewer such elements than this cannot widen a sheet past MAX_CELLS.
_UNREFERENCED_SLACK = 40
#: the careful reading: every row and cell element, with its attributes
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br\s*=\s*["\']([0-9]{1,12})["\']')
_CELL_REF = re.compile(rb'\br\s*=\s*["\']([A-Za-z]{1,4})([0-9]{1,12})["\']')
_PREFIXED_ROOT = re.compile(rb"<[A-Za-z_][\w.-]*:worksheet[\s>]")
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
#: parts that hold cell text but no grid: streamed only for the size bounds
_TEXT_PARTS = re.compile(r"xl/sharedStrings\.xml", re.IGNORECASE)


class SheetTooLarge(Exception):
    """A worksheet's used range spans more than :data:`MAX_CELLS` cells."""

    def __init__(self, part: str, rows: int, columns: int) -> None:
        super().__init__(f"{part}: {rows:,} rows × {columns:,} columns")
        self.rows = rows
        self.columns = columns


def column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"Z"`` → 26, ``b"AA"`` → 27, ``b"XFD"`` → 16384."""
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _chunks(
    book: zipfile.ZipFile, name: str, budget: XmlBudget | None = None
) -> Iterator[tuple[bytes, bytes]]:
    """The part's XML in pieces: (the end of the previous piece, this piece). Searching
    both joined finds a reference cut in two; counting in the piece alone counts once.
    ``budget`` counts the pieces against the size bounds (:mod:`limits`)."""
    tail = b""
    if budget is not None:
        budget.start_part()
    with book.open(name) as fh:
        while chunk := fh.read(_CHUNK):
            if budget is not None:
                budget.feed(chunk)
            yield tail, chunk
            tail = chunk[-_OVERLAP:]


def _extent(book: zipfile.ZipFile, name: str, budget: XmlBudget) -> tuple[int, int]:
    """An upper bound of (rows, columns) of the part's grid: exact where it matters."""
    careful = False
    widest = 26
    unreferenced = 0
    pieces = 0
    for tail, chunk in _chunks(book, name, budget):
        for letters in set(_WIDE_OR_FAR.findall(tail + chunk)):
            if letters:
                widest = max(widest, column_number(letters))
            else:
                careful = True
        if not pieces:
            # elements with a namespace prefix (<x:c>) escape the byte counts below
            careful = careful or _PREFIXED_ROOT.search(chunk[:4096]) is not None
        # cells without a reference are placed one after another; an element cut between
        # two pieces may be miscounted once
        unreferenced += chunk.count(b"<c") - chunk.count(b'<c r="')
        pieces += 1
    careful = careful or unreferenced > _UNREFERENCED_SLACK + 2 * pieces
    if not careful and EXCEL_ROWS * widest <= MAX_CELLS:
        return EXCEL_ROWS, widest
    return _exact_extent(book, name)


def _exact_extent(book: zipfile.ZipFile, name: str) -> tuple[int, int]:
    """Every row and cell placed as the reader places them: a reference where there is
    one, else the next row / the next column."""
    last_row = last_col = 0
    row = col = 0
    pending = b""
    for _, chunk in _chunks(book, name):
        data = pending + chunk
        cut = data.rfind(b"<")  # an element may go on in the next piece
        if cut < 0:
            pending = b""
            continue
        data, pending = data[:cut], data[cut:]
        for tag, attrs in _ELEMENT.findall(data):
            if tag == b"row":
                number = _ROW_NUMBER.search(attrs)
                row = int(number.group(1)) if number else row + 1
                col = 0
            else:
                ref = _CELL_REF.search(attrs)
                if ref:
                    col = column_number(ref.group(1).upper())
                    row = int(ref.group(2))
                else:
                    col += 1
                last_col = max(last_col, col)
            last_row = max(last_row, row)
    return last_row, last_col


_ODS_ELEMENT = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>"
)
_ODS_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated\s*=\s*["\']([0-9]{1,12})["\']')
_ODS_ROWS_REPEATED = re.compile(rb'number-rows-repeated\s*=\s*["\']([0-9]{1,12})["\']')


def _repeat(pattern: re.Pattern[bytes], attrs: bytes) -> int:
    found = pattern.search(attrs)
    return int(found.group(1)) if found else 1


def _ods_check(book: zipfile.ZipFile, name: str, budget: XmlBudget) -> None:
    """Raise :class:`SheetTooLarge` for a table of an OpenDocument ``content.xml`` whose
    used range spans more than :data:`MAX_CELLS` cells. ODF compresses a sheet with
    ``number-rows-repeated`` and ``number-columns-repeated``: a 600-byte file can ask the
    reader for a grid of a million rows by two hundred columns, which aborts it. Every
    row and cell is placed as the reader places them; a cell counts as used when it has
    a value type or content (trailing empty cells, the usual padding, do not)."""
    row = last_row = last_col = 0
    row_repeat, col, row_cols = 1, 0, 0
    pending = b""

    def finish_table() -> None:
        if last_row * last_col > MAX_CELLS:
            raise SheetTooLarge(name, last_row, last_col)

    for _, chunk in _chunks(book, name, budget):
        data = pending + chunk
        cut = data.rfind(b"<")
        if cut < 0:
            pending = b""
            continue
        data, pending = data[:cut], data[cut:]
        for closing, tag, attrs in _ODS_ELEMENT.findall(data):
            if tag == b"table":
                if closing:
                    finish_table()
                row = last_row = last_col = 0
            elif tag == b"table-row":
                if not closing:
                    row_repeat, col, row_cols = _repeat(_ODS_ROWS_REPEATED, attrs), 0, 0
                if closing or attrs.endswith(b"/"):
                    if row_cols:
                        last_row = row + row_repeat
                        last_col = max(last_col, row_cols)
                    row += row_repeat
            elif not closing:
                col += _repeat(_ODS_COLUMNS_REPEATED, attrs)
                if b"value-type" in attrs or not attrs.endswith(b"/"):
                    row_cols = col
    finish_table()


def check_xlsx(path: Path) -> None:
    """Raise :class:`SheetTooLarge` if any worksheet of the ``.xlsx``/``.xlsm`` at
    ``path`` spans more than :data:`MAX_CELLS` cells, and :class:`~limits.TooLarge` if
    the parts unpack to more than the bounds of :mod:`limits` allow (a zip bomb, a giant
    cell). An ``.ods`` is checked for the bounds only. A file that is not a readable zip
    is left for the reader to report."""
    try:
        with zipfile.ZipFile(path) as book:
            infos = book.infolist()
            # what the directory declares first: refusing costs nothing then
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise TooLarge(unpacked_too_large())
            budget = XmlBudget()
            for info in infos:
                if _WORKSHEET.fullmatch(info.filename):
                    rows, columns = _extent(book, info.filename, budget)
                    if rows * columns > MAX_CELLS:
                        raise SheetTooLarge(info.filename, rows, columns)
                elif info.filename == "content.xml":
                    _ods_check(book, info.filename, budget)
                elif _TEXT_PARTS.fullmatch(info.filename):
                    for _ in _chunks(book, info.filename, budget):
                        pass
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    ):
        return  # damaged or encrypted parts: the reader says so in its own words

"""Writing tables for spreadsheets, safely, and so that they look finished in Excel.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to a spreadsheet. In ``.xlsx`` every text is written as an explicit string cell,
which no spreadsheet evaluates; in ``.csv`` such a cell is prefixed with an apostrophe
(the OWASP advice), since a CSV has no cell types.

An ``.xlsx`` gets a bold header row that stays in view (frozen) with a filter on it,
column widths fitted to the first rows, times as real date cells (Excel sorts and
filters them as dates) and a sheet named in the interface language. Every file is
written beside its target and moved into place, and ends with the permissions a file
the user saved would have: those of the file it replaces, else what the umask allows
(a temporary file alone would be readable by its owner only).
"""

from __future__ import annotations

import csv
import itertools
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kupon_desktop.errors import pick

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

#: how a time looks in a cell (Excel's number format) and in a CSV, per language
DATETIME_FORMATS = {"ru": "DD.MM.YYYY HH:MM:SS", "en": "YYYY-MM-DD HH:MM:SS"}
_CSV_DATETIME = {"ru": "%d.%m.%Y %H:%M:%S", "en": "%Y-%m-%d %H:%M:%S"}
#: columns are fitted to the header and this many rows (the rest stream past)
_WIDTH_SAMPLE = 200
_MAX_WIDTH = 60


def default_sheet(lang: str) -> str:
    """The name of a table's one sheet: "Лист1" in Russian, as Excel names it there."""
    return pick(lang, "Лист1", "Sheet1")


def escape_csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def _umask() -> int:
    try:  # Linux says it without changing it
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: read it by setting it, and put it back at once
    os.umask(mask)
    return mask


def file_mode_for(target: Path) -> int:
    """The permissions a file saved at ``target`` should have: those of the file it
    replaces, else ``0666`` less the umask (0644 under the usual 022)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def save_atomically(target: Path, write: Callable[[str], None]) -> None:
    """``write(temporary path)`` beside ``target``, then move it into place with the
    permissions :func:`file_mode_for` gives: a failure leaves the old file as it was."""
    target = Path(target)
    mode = file_mode_for(target)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        if os.name != "nt":  # Windows has no such modes; the folder's rights apply
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def naive_local(value: datetime) -> datetime:
    """An aware time as this computer's wall clock, without a zone: what a spreadsheet
    cell holds (Excel has no time zones)."""
    return value.astimezone().replace(tzinfo=None) if value.tzinfo is not None else value


def write_csv(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ";",
    lang: str = "en",
) -> None:
    """UTF-8 with a BOM and ``;``: what a Russian Excel opens correctly by double-click."""
    time_format = _CSV_DATETIME["ru" if lang.startswith("ru") else "en"]

    def text(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return naive_local(value).strftime(time_format)
        return escape_csv_cell(value)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow([escape_csv_cell(h) for h in headers])
            for row in rows:
                writer.writerow([text(v) for v in row])

    save_atomically(Path(path), write)


def column_letter(index: int) -> str:
    """``A`` for 1, ``AA`` for 27."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def fitted_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Column widths (in characters) for the header and ``rows``: wide enough for the
    longest, within 8 and 60, plus room for the filter's arrow on the header."""
    widths = [len(str(h)) + 3 for h in headers]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], _width(value))
    return [float(min(_MAX_WIDTH, max(8, w + 2))) for w in widths]


def write_xlsx(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str | None = None,
    lang: str = "en",
) -> None:
    """One sheet: the header bold, frozen and filtered, widths fitted, times as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    lang = "ru" if lang.startswith("ru") else "en"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet((sheet or default_sheet(lang))[:31])
    bold = Font(bold=True)
    time_format = DATETIME_FORMATS[lang]
    rows = iter(rows)
    first = list(itertools.islice(rows, _WIDTH_SAMPLE))
    for i, width in enumerate(fitted_widths(headers, first), start=1):
        ws.column_dimensions[column_letter(i)].width = width
    ws.freeze_panes = "A2"

    def cell(value: Any, *, header: bool = False) -> Any:
        if isinstance(value, datetime):
            value = naive_local(value)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever it starts with
        elif isinstance(value, datetime):
            c.number_format = time_format
        if header:
            c.font = bold
        return c

    ws.append([cell(h, header=True) for h in headers])
    count = 0
    for row in itertools.chain(first, rows):
        ws.append([cell(v) for v in row])
        count += 1
    if headers:
        ws.auto_filter.ref = f"A1:{column_letter(len(headers))}{count + 1}"
    save_atomically(Path(path), wb.save)


def write_table(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str | None = None,
    lang: str = "en",
) -> None:
    """``.csv`` or ``.xlsx`` by the file's extension; ``sheet`` names the workbook's
    sheet (else "Лист1"/"Sheet1" by ``lang``), ``lang`` also picks how times look."""
    if Path(path).suffix.lower() == ".csv":
        write_csv(Path(path), headers, rows, lang=lang)
    else:
        write_xlsx(Path(path), headers, rows, sheet=sheet, lang=lang)

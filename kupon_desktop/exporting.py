"""Writing tables for spreadsheets, safely.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to a spreadsheet. In ``.xlsx`` every text is written as an explicit string cell,
which no spreadsheet evaluates; in ``.csv`` such a cell is prefixed with an apostrophe
(the OWASP advice), since a CSV has no cell types.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def escape_csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def _atomic_target(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)


def write_csv(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";"
) -> None:
    """UTF-8 with a BOM and ``;``: what a Russian Excel opens correctly by double-click."""
    fd, tmp = _atomic_target(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow([escape_csv_cell(h) for h in headers])
            for row in rows:
                writer.writerow(["" if v is None else escape_csv_cell(v) for v in row])
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_xlsx(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "Sheet1"
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    bold = Font(bold=True)

    def cell(value: Any, *, header: bool = False) -> Any:
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever it starts with
        if header:
            c.font = bold
        return c

    ws.append([cell(h, header=True) for h in headers])
    for row in rows:
        ws.append([cell(v) for v in row])
    fd, tmp = _atomic_target(path)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """``.csv`` or ``.xlsx`` by the file's extension."""
    if path.suffix.lower() == ".csv":
        write_csv(path, headers, rows)
    else:
        write_xlsx(path, headers, rows)

"""The rejected rows, written to a spreadsheet so staff can fix and re-import them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kupon_desktop.exporting import write_table

HEADERS = ("Строка / Row", "Столбец / Column", "Значение / Value", "Причина / Reason")


def export_rejected(result: Any, source: Path | None, target: Path) -> int:
    """Write ``result.rejected`` to ``target`` (.xlsx or .csv); returns the row count."""
    rows = [(r.row, r.field, r.value, r.reason) for r in result.rejected]
    write_table(target, HEADERS, rows)
    return len(rows)

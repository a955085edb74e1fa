"""The rejected rows, written to a spreadsheet so staff can fix and re-import them.

Each row is written whole, as it was read (every column, under the file's own header),
with one column added at the end: why it was rejected, in the interface language. Fix
the cell at fault, import the file again, and the row loads (the added column becomes an
ordinary field).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from kupon_desktop.contacts.reasons import REASONS, Lang, reason_text
from kupon_desktop.exporting import write_table

#: the added column's header, per language
REASON_HEADER = {"ru": "Причина отказа", "en": "Reason rejected"}
_FIELD = {
    "ru": {"phone": "телефон", "email": "e-mail", "push_token": "push-токен"},
    "en": {"phone": "phone", "email": "e-mail", "push_token": "push token"},
}


def _reasons(result: Any, lang: Lang) -> dict[int, str]:
    by_row: dict[int, list[str]] = defaultdict(list)
    for r in result.rejected:
        text = reason_text(r.code, lang) if r.code in REASONS else str(r.reason)
        field = _FIELD[lang].get(r.field)
        by_row[r.row].append(f"{field}: {text}" if field else text)
    return {row: "; ".join(texts) for row, texts in by_row.items()}


def export_rejected(result: Any, source: Path | None, target: Path, lang: Lang = "ru") -> int:
    """Write the rows of ``result`` that loaded nothing to ``target`` (.xlsx or .csv):
    every column as read, then the reason in ``lang``. Returns the row count."""
    table = result.rejected_table
    reasons = _reasons(result, lang)
    headers = [*map(str, table.columns), REASON_HEADER[lang]]
    rows = [
        [*values, reasons.get(int(row), "")]
        for row, values in zip(table.index.tolist(), table.itertuples(index=False), strict=True)
    ]
    write_table(target, headers, rows)
    return len(rows)

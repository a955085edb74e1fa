"""A campaign's results as a spreadsheet: a plain table, or written back into the very
workbook the list came from ("Export into my file").

The copy keeps the workbook's sheets, columns and formatting (openpyxl edits it in
place) and adds, beside each recipient's own row, the status, its label, the time, the
platform's id and the error. Staff keep working in the file they already had.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kupon_desktop.exporting import write_table
from kupon_desktop.vocabulary import status_info

RESULT_HEADERS = {
    "en": ["Status", "Status text", "Changed at", "Platform id", "Error"],
    "ru": ["Статус", "Текст статуса", "Время", "ID платформы", "Ошибка"],
}
TABLE_HEADERS = {
    "en": ["Row", "Recipient", "Name", "State", *RESULT_HEADERS["en"]],
    "ru": ["Строка", "Получатель", "Имя", "Состояние", *RESULT_HEADERS["ru"]],
}
STATE_LABELS = {
    "queued": ("в очереди", "queued"),
    "in_flight": ("отправляется", "sending"),
    "accepted": ("принято платформой", "accepted"),
    "rejected": ("отклонено", "rejected"),
    "unconfirmed": ("не подтверждено", "unconfirmed"),
    "skipped": ("пропущено", "skipped"),
    "excluded": ("исключено", "excluded"),
}


def _lang(language: str) -> str:
    return "ru" if language == "ru" else "en"


def result_cells(recipient: Any, language: str) -> list[Any]:
    """Status code, its label, time, platform id, error: the columns added per row."""
    lang = _lang(language)
    if recipient.status is not None:
        info = status_info(recipient.status)
        label = info.label_ru if lang == "ru" else info.label_en
    else:
        ru, en = STATE_LABELS.get(recipient.state.value, (recipient.state.value,) * 2)
        label = ru if lang == "ru" else en
    changed = recipient.changed_at
    when = changed.astimezone().strftime("%d.%m.%Y %H:%M:%S") if changed else ""
    return [
        recipient.status,
        label,
        when,
        "" if recipient.platform_id is None else str(recipient.platform_id),
        recipient.error or "",
    ]


def export_results(log: Any, campaign_id: str, path: Path, language: str = "en") -> int:
    """Every recipient of the campaign to ``path`` (.xlsx or .csv); returns the count."""
    lang = _lang(language)
    count = 0

    def rows() -> Any:
        nonlocal count
        for r in log.iter_recipients(campaign_id):
            count += 1
            ru, en = STATE_LABELS.get(r.state.value, (r.state.value,) * 2)
            yield [
                r.row,
                r.address,
                r.name or "",
                ru if lang == "ru" else en,
                *result_cells(r, language),
            ]

    write_table(Path(path), TABLE_HEADERS[lang], rows())
    return count


def export_into_source(log: Any, campaign_id: str, path: Path, language: str = "en") -> int:
    """Write the results beside each recipient's row in a copy of the imported file.

    An ``.xlsx``/``.xlsm`` source is copied with everything it had; any other source
    (CSV, .xls, .ods) gives a new workbook of the recipients' own columns plus the
    results. Returns the number of rows written."""
    draft = log.campaign_draft(campaign_id)
    source = draft.get("_source") or {}
    source_path = Path(source["path"]) if source.get("path") else None
    lang = _lang(language)
    by_row = {r.row: r for r in log.iter_recipients(campaign_id) if r.row is not None}
    if (
        source_path is not None
        and source_path.suffix.lower() in (".xlsx", ".xlsm")
        and source_path.is_file()
    ):
        return _into_workbook(
            source_path,
            source.get("sheet"),
            int(source.get("header_row") or 0),
            by_row,
            Path(path),
            lang,
        )
    headers: list[str] = [TABLE_HEADERS[lang][0], TABLE_HEADERS[lang][1]]
    field_names: list[str] = []
    for r in by_row.values():
        for name in r.fields:
            if name not in field_names:
                field_names.append(name)
    headers += field_names + RESULT_HEADERS[lang]
    rows = (
        [row, r.address, *(r.fields.get(n) for n in field_names), *result_cells(r, lang)]
        for row, r in sorted(by_row.items())
    )
    write_table(Path(path), headers, rows)
    return len(by_row)


def _into_workbook(
    source: Path,
    sheet: str | None,
    header_row: int,
    by_row: dict[int, Any],
    target: Path,
    lang: str,
) -> int:
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    wb = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
    first = ws.max_column + 1
    if header_row:
        for i, title in enumerate(RESULT_HEADERS[lang]):
            cell = ws.cell(row=header_row, column=first + i, value=title)
            cell.font = Font(bold=True)
    written = 0
    for row, recipient in by_row.items():
        for i, value in enumerate(result_cells(recipient, lang)):
            cell = ws.cell(row=row, column=first + i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
        written += 1
    wb.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written

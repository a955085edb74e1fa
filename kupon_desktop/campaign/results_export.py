"""A campaign's results as a spreadsheet: a plain table, or written into the user's own
workbook ("Export into my file").

The table has every column of each recipient's row in the list (the fields stored with
the campaign) beside the results, with times as date cells, a frozen bold header with a
filter and a sheet named in the interface language (``exporting.write_table``).

"Into my file" fills a workbook the user picks, normally the very one the list came
from: openpyxl edits it in place, so its sheets, columns and formatting stay, and the
status, its label, the time, the platform's id and the error (or why the row was left
out: stop list, no consent, a duplicate of another row, no address, refused at import)
are added beside each row. Staff keep working in the file they already had.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kupon_desktop.errors import KuponError, pick
from kupon_desktop.exporting import DATETIME_FORMATS, naive_local, save_atomically, write_table
from kupon_desktop.reasons import left_out_text, reason_text
from kupon_desktop.vocabulary import STATE_LABELS, status_info

RESULT_HEADERS = {
    "en": ["Status", "Status text", "Changed at", "Platform id", "Error"],
    "ru": ["Статус", "Текст статуса", "Время", "ID платформы", "Ошибка"],
}
TABLE_HEADERS = {
    "en": ["Row", "Recipient", "Name", "State", *RESULT_HEADERS["en"]],
    "ru": ["Строка", "Получатель", "Имя", "Состояние", *RESULT_HEADERS["ru"]],
}
#: the results table's sheet
SHEET_NAMES = {"en": "Results", "ru": "Результаты"}
#: the file name a save dialog offers
DEFAULT_FILE_NAMES = {"en": "results.xlsx", "ru": "результаты.xlsx"}
_LEFT_OUT_LABEL = ("не отправлено", "not sent")
FILLABLE = (".xlsx", ".xlsm")


class NotAWorkbook(KuponError):
    """ "Export into my file" was given a file it cannot fill."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"«{path.name}» is not an Excel workbook (.xlsx, .xlsm): only a workbook can be "
            "filled with the results; use Export… for a table",
            f"«{path.name}» — не книга Excel (.xlsx, .xlsm): результаты можно вписать только "
            "в книгу; для таблицы выберите «Выгрузить…»",
        )


def _lang(language: str) -> str:
    return "ru" if language.lower().startswith("ru") else "en"


def default_file_name(language: str) -> str:
    return DEFAULT_FILE_NAMES[_lang(language)]


def _state_label(state: str, lang: str) -> str:
    ru, en = STATE_LABELS.get(state, (state, state))
    return pick(lang, ru, en)


def result_cells(recipient: Any, language: str) -> list[Any]:
    """Status code, its label, time (a naive local datetime: a date cell), platform id,
    error in the interface language: the columns added per row."""
    lang = _lang(language)
    if recipient.status is not None:
        info = status_info(recipient.status)
        label = pick(lang, info.label_ru, info.label_en)
    else:
        label = _state_label(recipient.state.value, lang)
    changed = recipient.changed_at
    return [
        recipient.status,
        label,
        naive_local(changed) if changed else None,
        "" if recipient.platform_id is None else str(recipient.platform_id),
        reason_text(recipient.error, lang),
    ]


def _left_out_cells(why: list[Any], lang: str) -> list[Any]:
    kind, detail = [*why, "", ""][:2]
    if kind == "rejected":
        from kupon_desktop.contacts.reasons import REASONS

        known = REASONS.get(str(detail))
        detail = pick(lang, *known) if known else str(detail)
    return [None, pick(lang, *_LEFT_OUT_LABEL), None, "", left_out_text(kind, str(detail), lang)]


def _field_names(log: Any, campaign_id: str) -> list[str]:
    """Every column the campaign's recipients carry, in the list's order."""
    names: dict[str, None] = {}
    seen: set[str | None] = set()
    for r in log.iter_recipients(campaign_id):
        raw = r.fields_json
        if raw in seen:
            continue
        if len(seen) < 10_000:
            seen.add(raw)
        if raw:
            for name in json.loads(raw):
                names.setdefault(name, None)
    return list(names)


def export_results(log: Any, campaign_id: str, path: Path, language: str = "en") -> int:
    """Every recipient of the campaign to ``path`` (.xlsx or .csv), with every column of
    its row in the list; returns the count."""
    lang = _lang(language)
    fields = _field_names(log, campaign_id)
    row_header, recipient_header, name_header, state_header = TABLE_HEADERS[lang][:4]
    # the list's own columns hold the name already; a list without any gets "Name"
    own = fields or [name_header]
    headers = [row_header, recipient_header, state_header, *own, *RESULT_HEADERS[lang]]
    count = 0

    def rows() -> Any:
        nonlocal count
        for r in log.iter_recipients(campaign_id):
            count += 1
            values = r.fields if fields else {name_header: r.name or ""}
            yield [
                r.row,
                r.address,
                _state_label(r.state.value, lang),
                *(values.get(n) for n in own),
                *result_cells(r, lang),
            ]

    write_table(Path(path), headers, rows(), sheet=SHEET_NAMES[lang], lang=lang)
    return count


def export_into_source(log: Any, campaign_id: str, path: Path, language: str = "en") -> int:
    """Write the results beside each recipient's row of a workbook.

    ``path`` an existing ``.xlsx``/``.xlsm`` (the user's pick, normally the list's own
    file): filled in place, keeping its permissions. ``path`` a new file: a copy of the
    campaign's source workbook is filled, or, when the list came from a CSV, .xls or
    .ods, a new table of the recipients' own columns plus the results. Every row of the
    list that got no recipient says why. Returns the number of rows written."""
    path = Path(path)
    draft = log.campaign_draft(campaign_id)
    source = draft.get("_source") or {}
    source_path = Path(source["path"]) if source.get("path") else None
    lang = _lang(language)
    by_row = {r.row: r for r in log.iter_recipients(campaign_id) if r.row is not None}
    left_out: dict[int, list[Any]] = {int(k): v for k, v in (draft.get("_left_out") or {}).items()}
    if path.exists():
        if path.suffix.lower() not in FILLABLE:
            raise NotAWorkbook(path)
        same = source_path is not None and _same_file(path, source_path)
        return _into_workbook(
            path,
            source.get("sheet") if same else None,
            int(source.get("header_row") or 0) if same else _header_row_of(path),
            by_row,
            left_out,
            path,
            lang,
        )
    if source_path is not None and source_path.suffix.lower() in FILLABLE and source_path.is_file():
        return _into_workbook(
            source_path,
            source.get("sheet"),
            int(source.get("header_row") or 0),
            by_row,
            left_out,
            path,
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
    write_table(path, headers, rows, sheet=SHEET_NAMES[lang], lang=lang)
    return len(by_row)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def _header_row_of(path: Path) -> int:
    """The header row of a workbook the campaign was not imported from: what the
    importer would find (1 when it finds none)."""
    try:
        from kupon_desktop.contacts.importer import preview

        return int(preview(path).header_row) or 1
    except Exception:  # any failure to read it: the first row
        return 1


def _into_workbook(
    source: Path,
    sheet: str | None,
    header_row: int,
    by_row: dict[int, Any],
    left_out: dict[int, list[Any]],
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
    time_format = DATETIME_FORMATS[lang]
    written = 0

    def put(row: int, values: list[Any]) -> None:
        for i, value in enumerate(values):
            cell = ws.cell(row=row, column=first + i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            elif isinstance(value, datetime):
                cell.number_format = time_format

    for row, recipient in by_row.items():
        put(row, result_cells(recipient, lang))
        written += 1
    for row, why in left_out.items():
        if row not in by_row:
            put(row, _left_out_cells(why, lang))
            written += 1
    from openpyxl.utils import get_column_letter

    for i, width in enumerate((8, 24, 19, 14, 40)):
        dim = ws.column_dimensions[get_column_letter(first + i)]
        dim.width = max(dim.width or 0, width)
    wb.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    save_atomically(target, wb.save)
    return written

"""The two steps of an import: :func:`preview` (what the file looks like and what was
detected) and :func:`import_file` (every row normalized, checked and de-duplicated).

Both are plain blocking functions with no Qt: the window runs them in a worker thread
(``asyncio.to_thread``), passing a ``progress`` callback and a ``cancel`` event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kupon_desktop.contacts.assemble import Sheet, assemble
from kupon_desktop.contacts.checked import CheckedColumn, as_array, concat_checked, not_blank
from kupon_desktop.contacts.dedupe import DedupeMode, address_codes
from kupon_desktop.contacts.detect import (
    ADDRESS_ROLES,
    ROLES,
    column_names,
    detect_header,
    detect_roles,
    excel_letter,
    header_cells,
)
from kupon_desktop.contacts.emails import normalize_email_array
from kupon_desktop.contacts.errors import (
    FileUnreadable,
    ImportCancelled,
    NoAddressColumn,
    NoDataRows,
    UnknownColumn,
)
from kupon_desktop.contacts.phones import normalize_phone_array
from kupon_desktop.contacts.result import ImportResult, Preview
from kupon_desktop.contacts.sources import Source, open_source

#: progress(fraction 0..1, stage); the stage is an English sentence the window can use as
#: a translation key
Progress = Callable[[float, str], None]

#: rows read for header and role detection
HEAD_ROWS = 60

STAGE_OPENING = "Opening the file"
STAGE_READING = "Reading the file"
STAGE_CHECKING = "Checking phone numbers and e-mail addresses"
STAGE_DUPLICATES = "Looking for duplicates"
STAGE_DONE = "Done"


class _Steps:
    def __init__(self, progress: Progress | None, cancel: threading.Event | None) -> None:
        self._progress = progress
        self._cancel = cancel

    def __call__(self, fraction: float, stage: str) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise ImportCancelled()
        if self._progress is not None:
            self._progress(fraction, stage)


def _pad(rows: list[list[str]], width: int) -> list[list[str]]:
    return [r + [""] * (width - len(r)) for r in rows]


def _head_header(head: list[list[str]], numbers: list[int], header_row: int | None) -> int:
    """The header's file row number: detected, or as given (0 = no header)."""
    if header_row is not None:
        if header_row < 0:
            raise ValueError("header_row must be 0 (no header) or a row number")
        return header_row
    index = detect_header(head)
    return numbers[index] if index is not None else 0


def _resolve(path: Path, spec: str, names: list[str], first_column: int) -> str:
    """A column given by header name (any case), Excel letter or 1-based number."""
    spec = spec.strip()
    if spec in names:
        return spec
    for name in names:
        if name.casefold() == spec.casefold():
            return name
    letters = [excel_letter(first_column + j) for j in range(len(names))]
    if spec.upper() in letters:
        return names[letters.index(spec.upper())]
    if spec.isdigit() and 1 <= int(spec) <= len(names):
        return names[int(spec) - 1]
    raise UnknownColumn(path, spec, names)


def _roles(
    path: Path,
    names: list[str],
    sample: list[list[str]],
    first_column: int,
    roles: Mapping[str, str | None] | None,
    phone_column: str | None,
    email_column: str | None,
) -> dict[str, str]:
    found = detect_roles(names, sample)
    overrides: dict[str, str | None] = dict(roles or {})
    if phone_column is not None:
        overrides["phone"] = phone_column
    if email_column is not None:
        overrides["email"] = email_column
    for role, spec in overrides.items():
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
        if spec is None or spec == "":
            found.pop(role, None)  # the user says the file has no such column
            continue
        column = _resolve(path, spec, names, first_column)
        # one column, one role: taking it for this role frees it from another
        for other in [r for r, c in found.items() if c == column and r != role]:
            del found[other]
        found[role] = column
    return found


def preview(path: str | Path, sheet: str | None = None, rows: int = 20) -> Preview:
    """Read the first ``rows`` rows of ``sheet`` (default: the first with data) and
    detect the header row and the column roles."""
    source = open_source(path)
    name = source.check_sheet(sheet)
    head, numbers, first_column = source.head(name, max(rows, HEAD_ROWS))
    width = max((len(r) for r in head), default=0)
    head = _pad(head, width)
    header_number = _head_header(head, numbers, None)
    names = column_names(header_cells(head, numbers, header_number), width, first_column)
    below = [r for r, n in zip(head, numbers, strict=True) if n > header_number]
    sample = [[r[j] for r in below] for j in range(width)]
    return Preview(
        path=Path(path),
        kind=source.kind,
        sheets=list(source.sheets),
        sheet=name,
        rows=head[:rows],
        row_numbers=numbers[:rows],
        header_row=header_number,
        columns=names,
        roles=detect_roles(names, sample),
        encoding=source.encoding,
        delimiter=source.delimiter,
    )


def _needed_codes(dedupe_by: DedupeMode | None) -> tuple[str, ...]:
    return {
        None: (),
        "phone": ("phone",),
        "email": ("email",),
        "push_token": ("push_token",),
        "phone_or_email": ("phone", "email"),
        "all": ("phone", "email", "push_token"),
    }[dedupe_by]


def _check_column(
    checked: CheckedColumn, role: str, need_codes: tuple[str, ...]
) -> tuple[CheckedColumn, np.ndarray | None]:
    """A normalized column and, when de-duplication needs it, its address codes (worked
    out in the same worker thread)."""
    return checked, address_codes(checked.normalized, role) if role in need_codes else None


@dataclass
class _Opened:
    """A file opened for import: its sheet, first rows and header row."""

    source: Source
    sheet: str | None
    head: list[list[str]]
    head_numbers: list[int]
    header_number: int


def _open(path: Path, sheet: str | None, header_row: int | None) -> _Opened:
    source: Source = open_source(path)
    sheet_name = source.check_sheet(sheet)
    head, head_numbers, _ = source.head(sheet_name, HEAD_ROWS)
    if not any(any(c.strip() for c in r) for r in head):
        raise FileUnreadable(path, "в файле нет данных / the file holds no data")
    header_number = _head_header(head, head_numbers, header_row)
    return _Opened(source, sheet_name, head, head_numbers, header_number)


def _read_below_header(opened: _Opened) -> tuple[Sheet, int]:
    """The data rows below the header, with the columns' names; and the index of the
    sheet's first column (for naming columns by letter)."""
    table = opened.source.read(opened.sheet, data_after=opened.header_number)
    header_number = opened.header_number
    numbers = table.row_numbers
    start = int(np.searchsorted(numbers, header_number, side="right"))
    header: list[str] | None = header_cells(opened.head, opened.head_numbers, header_number)
    if header is None and header_number:
        at = int(np.searchsorted(numbers, header_number))
        if at < len(numbers) and numbers[at] == header_number:
            header = [c[at].as_py() or "" for c in table.columns]
    names = column_names(header, len(table.columns), table.first_column)
    columns = [c.slice(start) for c in table.columns]
    return Sheet(names, columns, numbers[start:]), table.first_column


#: a phone column longer than this is checked in two halves side by side: its regular
#: expressions are most of an import's time (1.1 s of CPU for a million here, against
#: 0.4 s for the e-mails beside it), and the second core would wait for them otherwise
_SPLIT_PHONES = 200_000


def _phones(
    raw: pa.Array | pa.ChunkedArray, region: str, cancel: threading.Event | None
) -> CheckedColumn:
    raw = as_array(raw)
    if len(raw) <= _SPLIT_PHONES:
        return normalize_phone_array(raw, region, cancel)
    half = len(raw) // 2
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="phones") as pool:
        parts = [
            pool.submit(normalize_phone_array, raw.slice(start, length), region, cancel)
            for start, length in ((0, half), (half, len(raw) - half))
        ]
        return concat_checked([part.result() for part in parts], [0, half])


def _check_addresses(
    sheet: Sheet,
    found: Mapping[str, str],
    region: str,
    cancel: threading.Event | None,
    need_codes: tuple[str, ...],
) -> dict[str, tuple[CheckedColumn, np.ndarray | None]]:
    by_name = sheet.by_name
    jobs: dict[str, Callable[[], tuple[CheckedColumn, np.ndarray | None]]] = {}
    if "phone" in found:
        raw_phone = by_name[found["phone"]]
        jobs["phone"] = lambda: _check_column(
            _phones(raw_phone, region, cancel), "phone", need_codes
        )
    if "email" in found:
        raw_email = by_name[found["email"]]
        jobs["email"] = lambda: _check_column(
            normalize_email_array(raw_email, cancel), "email", need_codes
        )
    # Phones and e-mails are independent and pyarrow releases the GIL: check them side
    # by side, one core each.
    if len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="contacts") as pool:
            futures = {k: pool.submit(job) for k, job in jobs.items()}
            return {k: f.result() for k, f in futures.items()}
    return {k: job() for k, job in jobs.items()}


def import_file(
    path: str | Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    roles: Mapping[str, str | None] | None = None,
    region: str = "RU",
    phone_column: str | None = None,
    email_column: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    dedupe_by: DedupeMode | None = "all",
    extra_rows: bool = False,
) -> ImportResult:
    """Import every row of ``path``.

    ``header_row``: the header's file row number, 0 for "no header", None to detect.
    ``roles``: role -> column (name, letter or number) over the detected ones; None or ""
    drops a role. ``phone_column`` / ``email_column`` are shorthands for the same.
    ``region``: the country whose numbers are written without a country code.
    ``dedupe_by``: "all" (default: drop a row only when phone, e-mail and token all repeat
    an earlier row, so no message type loses a recipient), a single address, or None.
    ``extra_rows``: a cell holding several numbers or e-mails gives its first to its row;
    True imports each of the others as a row of its own (numbered after the last row,
    with the fields of the row it came from), False only reports them (``remarks``).
    ``progress(fraction, stage)`` is called from this thread; setting ``cancel`` stops
    the import with :class:`ImportCancelled` at the next check: between stages, and every
    few thousand values while the libraries check what the fast paths could not. (The bare
    read of the file is one call: about 0.15 s per million CSV rows, 0.35 s per hundred
    thousand workbook rows.)

    A sheet with a header and no data below it raises :class:`NoDataRows`.
    """
    step = _Steps(progress, cancel)
    step(0.0, STAGE_OPENING)
    path = Path(path)
    opened = _open(path, sheet, header_row)

    step(0.05, STAGE_READING)
    data, first_column = _read_below_header(opened)
    rows_read = len(data.numbers)
    sample = [c.slice(0, 200).to_pylist() for c in data.columns]
    found = _roles(path, data.names, sample, first_column, roles, phone_column, email_column)
    if not any(r in found for r in ADDRESS_ROLES):
        if not _has_data(data):
            raise NoDataRows(path)
        raise NoAddressColumn(path, data.names)

    step(0.4, STAGE_CHECKING)
    need_codes = _needed_codes(dedupe_by)
    checked = _check_addresses(data, found, region, cancel, need_codes)

    step(0.8, STAGE_DUPLICATES)
    parts = assemble(data, found, checked, dedupe_by, need_codes, extra_rows)
    if parts.skipped_blank == rows_read:
        raise NoDataRows(path)
    step(1.0, STAGE_DONE)
    return ImportResult(
        contacts=parts.contacts,
        fields=parts.fields,
        field_names=parts.field_names,
        rejected=parts.rejected,
        duplicates=parts.duplicates,
        skipped_blank=parts.skipped_blank,
        rows_read=rows_read,
        roles=found,
        sheet=opened.sheet,
        header_row=opened.header_number,
        columns=data.names,
        encoding=opened.source.encoding,
        delimiter=opened.source.delimiter,
        remarks=parts.remarks,
        repeated=parts.repeated,
        rejected_table=parts.rejected_table,
        extra_addresses=parts.extra_addresses,
    )


def _has_data(sheet: Sheet) -> bool:
    return any(pc.any(not_blank(as_array(c).cast(pa.string()))).as_py() for c in sheet.columns)

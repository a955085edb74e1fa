"""The two steps of an import: :func:`preview` (what the file looks like and what was
detected) and :func:`import_file` (every row normalized, checked and de-duplicated).

Both are plain blocking functions with no Qt: the window runs them in a worker thread
(``asyncio.to_thread``), passing a ``progress`` callback and a ``cancel`` event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kupon_desktop.contacts.checked import CheckedColumn
from kupon_desktop.contacts.dedupe import DedupeMode, address_codes, dedupe_codes
from kupon_desktop.contacts.detect import (
    ADDRESS_ROLES,
    ROLES,
    column_names,
    detect_header,
    detect_roles,
    excel_letter,
)
from kupon_desktop.contacts.emails import normalize_email_array
from kupon_desktop.contacts.errors import (
    FileUnreadable,
    ImportCancelled,
    NoAddressColumn,
    UnknownColumn,
)
from kupon_desktop.contacts.phones import normalize_phone_array
from kupon_desktop.contacts.reasons import reason_text
from kupon_desktop.contacts.result import Duplicate, ImportResult, Preview, Rejection
from kupon_desktop.contacts.sources import Source, open_source

#: progress(fraction 0..1, stage); the stage is an English sentence the window can use as
#: a translation key
Progress = Callable[[float, str], None]

#: rows read for header and role detection
HEAD_ROWS = 60
#: values longer than this are cut in the rejection report (a pasted 10 MB cell)
MAX_REPORTED_VALUE = 200

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
    header = head[numbers.index(header_number)] if header_number else None
    names = column_names(header, width, first_column)
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


def _cut(value: str) -> str:
    return value if len(value) <= MAX_REPORTED_VALUE else value[:MAX_REPORTED_VALUE] + "…"


def _rejections(
    checked: CheckedColumn, raw: pa.Array, numbers: np.ndarray, field: str
) -> list[Rejection]:
    if len(checked.rejected_at) == 0:
        return []
    values = raw.take(pa.array(checked.rejected_at)).to_pylist()
    rows = numbers[checked.rejected_at].tolist()
    texts: dict[str, str] = {}
    out = []
    for row, value, code in zip(rows, values, checked.rejected_codes, strict=True):
        text = texts.get(code) or texts.setdefault(code, reason_text(code))
        out.append(Rejection(row, _cut(value), text, field, code))
    return out


def _trimmed_or_null(column: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


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


def _strings(values: pa.Array) -> pd.Series:
    return pd.Series(pd.array(values, dtype=pd.StringDtype("pyarrow")))


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
) -> ImportResult:
    """Import every row of ``path``.

    ``header_row``: the header's file row number, 0 for "no header", None to detect.
    ``roles``: role -> column (name, letter or number) over the detected ones; None or ""
    drops a role. ``phone_column`` / ``email_column`` are shorthands for the same.
    ``region``: the country whose numbers are written without a country code.
    ``dedupe_by``: "all" (default: drop a row only when phone, e-mail and token all repeat
    an earlier row, so no message type loses a recipient), a single address, or None.
    ``progress(fraction, stage)`` is called from this thread; setting ``cancel`` stops
    the import with :class:`ImportCancelled` at the next check: between stages, and every
    few thousand values while the libraries check what the fast paths could not. (The bare
    read of the file is one call: about 0.15 s per million CSV rows, 0.35 s per hundred
    thousand workbook rows.)
    """
    step = _Steps(progress, cancel)
    step(0.0, STAGE_OPENING)
    path = Path(path)
    source: Source = open_source(path)
    sheet_name = source.check_sheet(sheet)
    head, head_numbers, _ = source.head(sheet_name, HEAD_ROWS)
    if not any(any(c.strip() for c in r) for r in head):
        raise FileUnreadable(path, "в файле нет данных / the file holds no data")
    header_number = _head_header(head, head_numbers, header_row)

    step(0.05, STAGE_READING)
    table = source.read(sheet_name, data_after=header_number)
    width = len(table.columns)
    numbers = table.row_numbers
    start = int(np.searchsorted(numbers, header_number, side="right"))
    header_cells: list[str] | None = None
    if header_number in head_numbers:
        header_cells = head[head_numbers.index(header_number)]
    elif header_number:
        at = int(np.searchsorted(numbers, header_number))
        if at < len(numbers) and numbers[at] == header_number:
            header_cells = [c[at].as_py() or "" for c in table.columns]
    names = column_names(header_cells, width, table.first_column)
    columns = [c.slice(start) for c in table.columns]
    numbers = numbers[start:]
    rows_read = len(numbers)
    sample = [c.slice(0, 200).to_pylist() for c in columns]
    found = _roles(path, names, sample, table.first_column, roles, phone_column, email_column)
    if not any(r in found for r in ADDRESS_ROLES):
        raise NoAddressColumn(path, names)
    by_name = dict(zip(names, columns, strict=True))

    step(0.4, STAGE_CHECKING)
    need_codes = _needed_codes(dedupe_by)
    nulls = pa.nulls(rows_read, pa.string())
    jobs: dict[str, Callable[[], tuple[CheckedColumn, np.ndarray | None]]] = {}
    if "phone" in found:
        raw_phone = by_name[found["phone"]]
        jobs["phone"] = lambda: _check_column(
            normalize_phone_array(raw_phone, region, cancel), "phone", need_codes
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
            done = {k: f.result() for k, f in futures.items()}
    else:
        done = {k: job() for k, job in jobs.items()}
    step(0.8, STAGE_DUPLICATES)

    rejected: list[Rejection] = []
    has_address = np.zeros(rows_read, dtype=bool)
    addresses = {"phone": nulls, "email": nulls, "push_token": nulls}
    codes: dict[str, np.ndarray] = {}
    for role, (checked, role_codes) in done.items():
        addresses[role] = checked.normalized
        rejected += _rejections(checked, by_name[found[role]], numbers, role)
        has_address |= checked.normalized.is_valid().to_numpy(zero_copy_only=False)
        if role_codes is not None:
            codes[role] = role_codes
    if "push_token" in found:
        addresses["push_token"] = _trimmed_or_null(by_name[found["push_token"]])
        has_address |= addresses["push_token"].is_valid().to_numpy(zero_copy_only=False)

    # Rows without any address are blank, or are reported: nothing is dropped silently.
    skipped_blank = 0
    lacking = np.flatnonzero(~has_address)
    if len(lacking):
        cells = [c.take(pa.array(lacking)).to_pylist() for c in columns]
        rejected_at = {r.row for r in rejected}
        text = reason_text("no_address")
        for k, pos in enumerate(lacking.tolist()):
            values = [v.strip() for v in (col[k] for col in cells) if v and v.strip()]
            if not values:
                skipped_blank += 1
                continue
            row = int(numbers[pos])
            if row not in rejected_at:
                rejected.append(Rejection(row, _cut(" | ".join(values)), text, "row", "no_address"))
    order = {"phone": 0, "email": 1, "push_token": 2, "row": 3}
    rejected.sort(key=lambda r: (r.row, order.get(r.field, 9)))

    kept_at = np.flatnonzero(has_address)
    kept_rows = numbers[kept_at]
    duplicates: list[Duplicate] = []
    if dedupe_by is not None:
        for role in need_codes:
            if role not in codes:
                codes[role] = address_codes(addresses[role], role)
        mask, duplicates = dedupe_codes(
            kept_rows, {k: v[kept_at] for k, v in codes.items()}, dedupe_by
        )
        kept_at, kept_rows = kept_at[mask], kept_rows[mask]
    take = pa.array(kept_at)
    phone, email, token = (addresses[k].take(take) for k in ("phone", "email", "push_token"))

    address_columns = {found[r] for r in ADDRESS_ROLES if r in found}
    field_names = [n for n in names if n not in address_columns]
    contacts = pd.DataFrame(
        {
            "row": kept_rows.astype(np.int64),
            "phone": _strings(phone),
            "email": _strings(email),
            "push_token": _strings(token),
        }
    )
    fields = pd.DataFrame(
        {n: _strings(_trimmed_or_null(by_name[n]).take(take)) for n in field_names},
        index=contacts.index,
    )
    step(1.0, STAGE_DONE)
    return ImportResult(
        contacts=contacts,
        fields=fields,
        field_names=field_names,
        rejected=rejected,
        duplicates=duplicates,
        skipped_blank=skipped_blank,
        rows_read=rows_read,
        roles=found,
        sheet=sheet_name,
        header_row=header_number,
        columns=names,
        encoding=source.encoding,
        delimiter=source.delimiter,
    )

"""The second half of an import: from checked address columns to an :class:`ImportResult`.

:func:`assemble` takes the sheet's columns below the header and the phone and e-mail
columns as checked (:class:`~checked.CheckedColumn`), and works out, in this order:

1. the rejections, and the rows without any address (blank, or reported);
2. what cells held beside their address (:class:`~result.Remark`): a note kept as a
   field, further addresses reported and, when asked, imported as extra rows;
3. the de-duplication (rows dropped) and the addresses repeated by kept rows;
4. the frames of the result, and the rejected rows as read (for their export).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kupon_desktop.contacts.checked import CellExtra, CheckedColumn
from kupon_desktop.contacts.dedupe import DedupeMode, address_codes, dedupe_codes
from kupon_desktop.contacts.detect import ADDRESS_ROLES
from kupon_desktop.contacts.reasons import reason_text
from kupon_desktop.contacts.result import Duplicate, Rejection, Remark

#: values longer than this are cut in the rejection report (a pasted 10 MB cell)
MAX_REPORTED_VALUE = 200

#: the field a note written beside an address is kept in (a column of the list)
NOTE_FIELDS = {"phone": "Примечание к телефону", "email": "Примечание к e-mail"}


def cut(value: str) -> str:
    return value if len(value) <= MAX_REPORTED_VALUE else value[:MAX_REPORTED_VALUE] + "…"


def strings(values: pa.Array) -> pd.Series:
    return pd.Series(pd.array(values, dtype=pd.StringDtype("pyarrow")))


def trimmed_or_null(column: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


@dataclass
class Sheet:
    """The data rows below the header: one text column per name, and their row numbers."""

    names: list[str]
    columns: list[pa.Array]
    numbers: np.ndarray

    @property
    def by_name(self) -> dict[str, pa.Array]:
        return dict(zip(self.names, self.columns, strict=True))


@dataclass
class Assembled:
    contacts: pd.DataFrame
    fields: pd.DataFrame
    field_names: list[str]
    rejected: list[Rejection]
    duplicates: list[Duplicate]
    repeated: list[Duplicate]
    remarks: list[Remark]
    skipped_blank: int
    rejected_table: pd.DataFrame
    extra_addresses: int = 0
    #: the note columns added (name -> values per data row)
    notes: dict[str, pa.Array] = field(default_factory=dict)


def _rejections(
    checked: CheckedColumn, raw: pa.Array, numbers: np.ndarray, role: str
) -> list[Rejection]:
    if len(checked.rejected_at) == 0:
        return []
    values = raw.take(pa.array(checked.rejected_at)).to_pylist()
    rows = numbers[checked.rejected_at].tolist()
    texts: dict[str, str] = {}
    out = []
    for row, value, code in zip(rows, values, checked.rejected_codes, strict=True):
        text = texts.get(code) or texts.setdefault(code, reason_text(code))
        out.append(Rejection(row, cut(value), text, role, code))
    return out


def _blank_or_reported(
    sheet: Sheet, has_address: np.ndarray, rejected: list[Rejection]
) -> tuple[int, list[Rejection]]:
    """Rows without any address are blank, or are reported: nothing is dropped silently.
    Returns the blank count and the "no address" rejections to add."""
    skipped_blank = 0
    added: list[Rejection] = []
    lacking = np.flatnonzero(~has_address)
    if not len(lacking):
        return 0, added
    cells = [c.take(pa.array(lacking)).to_pylist() for c in sheet.columns]
    rejected_at = {r.row for r in rejected}
    text = reason_text("no_address")
    for k, pos in enumerate(lacking.tolist()):
        values = [v.strip() for v in (col[k] for col in cells) if v and v.strip()]
        if not values:
            skipped_blank += 1
            continue
        row = int(sheet.numbers[pos])
        if row not in rejected_at:
            added.append(Rejection(row, cut(" | ".join(values)), text, "row", "no_address"))
    return skipped_blank, added


def _note_names(extras: Mapping[str, dict[int, CellExtra]], names: list[str]) -> dict[str, str]:
    """role -> the field its notes go to, for the roles that have a note."""
    out: dict[str, str] = {}
    taken = {n.casefold() for n in names}
    for role, by_pos in extras.items():
        if not any(e.note for e in by_pos.values()):
            continue
        name = NOTE_FIELDS[role]
        k = 1
        while name.casefold() in taken:
            k += 1
            name = f"{NOTE_FIELDS[role]} ({k})"
        taken.add(name.casefold())
        out[role] = name
    return out


def _remarks(
    sheet: Sheet,
    found: Mapping[str, str],
    extras: Mapping[str, dict[int, CellExtra]],
    note_names: Mapping[str, str],
    extra_rows: dict[tuple[str, int], tuple[int, ...]],
) -> list[Remark]:
    out: list[Remark] = []
    by_name = sheet.by_name
    for role, by_pos in extras.items():
        raw = by_name[found[role]]
        for pos, extra in sorted(by_pos.items()):
            row = int(sheet.numbers[pos])
            value = cut(str(raw[pos].as_py() or ""))
            if extra.note:
                code = "extension" if extra.kind == "extension" else "note"
                out.append(Remark(row, role, value, code, extra.note, note_names[role]))
            if extra.more:
                rows = extra_rows.get((role, pos), ())
                code = "more_imported" if rows else "more"
                out.append(Remark(row, role, value, code, more=extra.more, rows=rows))
    out.sort(key=lambda r: (r.row, r.field))
    return out


def _repeats(kept_rows: np.ndarray, codes: Mapping[str, np.ndarray]) -> list[Duplicate]:
    """Kept rows whose phone or e-mail repeats an earlier kept row's."""
    out: list[Duplicate] = []
    for role in ("phone", "email"):
        if role not in codes:
            continue
        _, dups = dedupe_codes(kept_rows, {role: codes[role]}, role)
        out += [Duplicate(d.row, d.same_as, role) for d in dups]
    out.sort(key=lambda d: (d.row, d.field))
    return out


def assemble(
    sheet: Sheet,
    found: Mapping[str, str],
    checked: Mapping[str, tuple[CheckedColumn, np.ndarray | None]],
    dedupe_by: DedupeMode | None,
    need_codes: tuple[str, ...],
    extra_rows: bool,
) -> Assembled:
    """The result's parts from the checked columns (see the module's docstring)."""
    n = len(sheet.numbers)
    by_name = sheet.by_name
    nulls = pa.nulls(n, pa.string())

    # 1. rejections and rows without an address
    rejected: list[Rejection] = []
    has_address = np.zeros(n, dtype=bool)
    addresses = {"phone": nulls, "email": nulls, "push_token": nulls}
    codes: dict[str, np.ndarray] = {}
    extras: dict[str, dict[int, CellExtra]] = {}
    for role, (column, role_codes) in checked.items():
        addresses[role] = column.normalized
        rejected += _rejections(column, by_name[found[role]], sheet.numbers, role)
        has_address |= column.normalized.is_valid().to_numpy(zero_copy_only=False)
        if role_codes is not None:
            codes[role] = role_codes
        if column.extras:
            extras[role] = column.extras
    if "push_token" in found:
        addresses["push_token"] = trimmed_or_null(by_name[found["push_token"]])
        has_address |= addresses["push_token"].is_valid().to_numpy(zero_copy_only=False)
    skipped_blank, no_address = _blank_or_reported(sheet, has_address, rejected)
    rejected += no_address
    order = {"phone": 0, "email": 1, "push_token": 2, "row": 3}
    rejected.sort(key=lambda r: (r.row, order.get(r.field, 9)))
    rejected_table = _rejected_table(sheet, has_address, rejected)

    # 2. notes kept as fields; further addresses as extra rows (when asked)
    note_names = _note_names(extras, sheet.names)
    notes: dict[str, pa.Array] = {}
    for role, name in note_names.items():
        note_at: list[str | None] = [None] * n
        for pos, extra in extras[role].items():
            note_at[pos] = extra.note or None
        notes[name] = pa.array(note_at, pa.string())
    source_pos = np.arange(n)
    numbers = sheet.numbers
    placed: dict[tuple[str, int], tuple[int, ...]] = {}
    more_count = sum(len(e.more) for by_pos in extras.values() for e in by_pos.values())
    if extra_rows and more_count:
        numbers, source_pos, addresses, placed = _extra_rows(sheet, extras, addresses)
        has_address = np.concatenate([has_address, np.ones(len(numbers) - n, dtype=bool)])
        codes = {}  # the extra rows change every code: worked out again below
    remarks = _remarks(sheet, found, extras, note_names, placed)

    # 3. de-duplication, and the addresses kept rows repeat
    kept_at = np.flatnonzero(has_address)
    kept_rows = numbers[kept_at]
    duplicates: list[Duplicate] = []
    for role in ("phone", "email"):
        if role in checked and role not in codes:
            codes[role] = address_codes(addresses[role], role)
    if dedupe_by is not None:
        for role in need_codes:
            if role not in codes:
                codes[role] = address_codes(addresses[role], role)
        mask, duplicates = dedupe_codes(
            kept_rows, {k: v[kept_at] for k, v in codes.items() if k in need_codes}, dedupe_by
        )
        kept_at, kept_rows = kept_at[mask], kept_rows[mask]
    repeated = _repeats(kept_rows, {k: v[kept_at] for k, v in codes.items()})

    # 4. the frames
    take = pa.array(kept_at)
    phone, email, token = (addresses[k].take(take) for k in ("phone", "email", "push_token"))
    address_columns = {found[r] for r in ADDRESS_ROLES if r in found}
    field_names = [nm for nm in sheet.names if nm not in address_columns]
    contacts = pd.DataFrame(
        {
            "row": kept_rows.astype(np.int64),
            "phone": strings(phone),
            "email": strings(email),
            "push_token": strings(token),
        }
    )
    source_take = pa.array(source_pos[kept_at])
    field_columns = {
        nm: strings(trimmed_or_null(by_name[nm]).take(source_take)) for nm in field_names
    }
    for name, values in notes.items():
        field_columns[name] = strings(values.take(source_take))
        field_names.append(name)
    fields = pd.DataFrame(field_columns, index=contacts.index, columns=field_names)
    return Assembled(
        contacts=contacts,
        fields=fields,
        field_names=field_names,
        rejected=rejected,
        duplicates=duplicates,
        repeated=repeated,
        remarks=remarks,
        skipped_blank=skipped_blank,
        rejected_table=rejected_table,
        extra_addresses=0 if placed else more_count,
        notes=notes,
    )


def _extra_rows(
    sheet: Sheet,
    extras: Mapping[str, dict[int, CellExtra]],
    addresses: dict[str, pa.Array],
) -> tuple[np.ndarray, np.ndarray, dict[str, pa.Array], dict[tuple[str, int], tuple[int, ...]]]:
    """Each further address of a cell as a row of its own, numbered after the sheet's
    last row (a row number names one row of the file), with the fields of the row it came
    from and no other address (its phone or e-mail stays with the original row)."""
    last = int(sheet.numbers.max()) if len(sheet.numbers) else 0
    new_pos: list[int] = []
    new_values: dict[str, list[str | None]] = {r: [] for r in addresses}
    placed: dict[tuple[str, int], tuple[int, ...]] = {}
    for role, by_pos in extras.items():
        for pos, extra in sorted(by_pos.items()):
            rows = []
            for address in extra.more:
                new_pos.append(pos)
                for r in new_values:
                    new_values[r].append(address if r == role else None)
                rows.append(last + len(new_pos))
            if rows:
                placed[(role, pos)] = tuple(rows)
    n = len(sheet.numbers)
    numbers = np.concatenate(
        [sheet.numbers, np.arange(last + 1, last + 1 + len(new_pos), dtype=np.int64)]
    )
    source_pos = np.concatenate([np.arange(n), np.asarray(new_pos, dtype=np.int64)])
    grown = {
        r: pa.concat_arrays([addresses[r].cast(pa.string()), pa.array(new_values[r], pa.string())])
        for r in addresses
    }
    return numbers, source_pos, grown, placed


def _rejected_table(
    sheet: Sheet, has_address: np.ndarray, rejected: list[Rejection]
) -> pd.DataFrame:
    """The rows that loaded nothing because of a rejected value, every cell as read."""
    bad_rows = {r.row for r in rejected}
    at = np.flatnonzero(~has_address & np.isin(sheet.numbers, list(bad_rows)))
    take = pa.array(at)
    frame = pd.DataFrame(
        {
            name: [v or "" for v in col.take(take).to_pylist()]
            for name, col in sheet.by_name.items()
        },
        index=pd.Index(sheet.numbers[at].astype(np.int64), name="row"),
        columns=sheet.names,
    )
    return frame

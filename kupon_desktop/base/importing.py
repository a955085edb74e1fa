"""A file merged into the base and into a named list.

The file is read by the contact importer (the same normalization as a campaign's file:
international digits for phones, the domain of an e-mail lower-cased; the base keeps an
e-mail in lower case, as the stop list does). Rows repeating an earlier row's phone or
e-mail are the importer's duplicates (the first wins). A consent column, if the file
has one ("Согласие", "Consent", "Opt-in"...), is not kept as a field: each cell is an
event of the consent ledger with the file, the row and the cell as written.

The merge itself is one transaction in the log (``BaseLog.base_merge``): a row whose
phone, or else e-mail, is known updates that contact (a cell given replaces the old
value, an empty cell keeps it; the contact as it was is kept with the file and the
date), any other row is a new contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kupon_desktop.errors import pick

if TYPE_CHECKING:
    import pandas as pd

    from kupon_desktop.base.ports import BaseLog
    from kupon_desktop.contacts.result import ImportResult
    from kupon_desktop.store.base import Incoming
    from kupon_desktop.store.stage import ArrowColumn

#: why a row was not merged (conflicts found in the log)
CONFLICTS = {
    "email_taken": (
        "the e-mail belongs to another contact than the phone",
        "e-mail принадлежит другому контакту, чем телефон",
    ),
    "phone_differs": (
        "the e-mail belongs to a contact with another phone",
        "e-mail принадлежит контакту с другим телефоном",
    ),
    "same_contact": (
        "another row of the file is the same contact",
        "другая строка файла — тот же контакт",
    ),
    "no_address": ("no phone and no e-mail", "нет ни телефона, ни e-mail"),
}


@dataclass
class RejectedRow:
    row: int
    reason_en: str
    reason_ru: str
    value: str = ""

    def reason(self, lang: str) -> str:
        return pick(lang, self.reason_ru, self.reason_en)


@dataclass
class ImportReport:
    """What an import into the base did: contacts added, updated, unchanged, and the
    rows rejected with the reason (values the importer refused, conflicts in the base,
    rows repeating an earlier row of the file)."""

    list_name: str | None
    path: str
    rows_read: int
    added: int
    updated: int
    unchanged: int
    rejected: list[RejectedRow] = field(default_factory=list)
    consent_column: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "list": self.list_name,
            "file": self.path,
            "rows_read": self.rows_read,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "consent_column": self.consent_column,
            "rejected_rows": [
                {"row": r.row, "reason": r.reason_en, "value": r.value} for r in self.rejected
            ],
        }

    def summary(self, lang: str) -> str:
        where = f" → {self.list_name}" if self.list_name else ""
        return pick(
            lang,
            f"{self.path}{where}: добавлено {self.added}, обновлено {self.updated}, "
            f"без изменений {self.unchanged}, отклонено {len(self.rejected)}",
            f"{self.path}{where}: added {self.added}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {len(self.rejected)}",
        )


def import_into_base(
    log: BaseLog,
    path: str | Path,
    list_name: str | None,
    *,
    sheet: str | None = None,
    region: str = "RU",
    phone_column: str | None = None,
    email_column: str | None = None,
    consent_column: str | None = None,
    tags: Sequence[str] = (),
) -> ImportReport:
    """Import ``path`` into the base (and the list ``list_name``, made if new).
    ``consent_column``: None detects it by its header, "" for none. Raises the
    importer's ``ContactsError`` for a file that cannot be read."""
    from kupon_desktop.contacts.importer import import_file

    result = import_file(
        path,
        sheet=sheet,
        region=region,
        phone_column=phone_column,
        email_column=email_column,
        dedupe_by="phone_or_email",
    )
    return merge_result(
        log, result, list_name, path=str(path), consent_column=consent_column, tags=tags
    )


def merge_result(
    log: BaseLog,
    result: ImportResult,
    list_name: str | None,
    *,
    path: str,
    consent_column: str | None = None,
    tags: Sequence[str] = (),
) -> ImportReport:
    """An import already made (the window's import dialog) merged into the base."""
    from kupon_desktop.audience.consent import detect_consent_column
    from kupon_desktop.contacts.reasons import REASONS
    from kupon_desktop.store.base import SourceRef

    fields = result.fields
    column = (
        detect_consent_column(list(fields.columns)) if consent_column is None else consent_column
    )
    if column and column not in fields.columns:
        from kupon_desktop.audience.errors import UnknownColumn

        raise UnknownColumn("consent", column, list(fields.columns))
    incoming = incoming_from(result, column or None)
    counts = log.base_merge(
        list_name,
        incoming,
        SourceRef("file", str(Path(path).resolve()), result.sheet or ""),
        tags=tags,
    )
    import numpy as np

    rejected: list[RejectedRow] = []
    # (the rows imported tested in numpy: a set of a million rows took a tenth of a second)
    refused = [r.row for r in result.rejected]
    came_in = np.isin(np.asarray(refused, dtype=np.int64), result.contacts["row"].to_numpy())
    for r, imported in zip(result.rejected, came_in.tolist(), strict=True):
        if imported:
            continue  # the row came in by its other address
        ru_en = REASONS.get(r.code)
        ru, en = ru_en if ru_en else (r.reason, r.reason)
        rejected.append(RejectedRow(r.row, en, ru, r.value))
    for d in result.duplicates:
        rejected.append(
            RejectedRow(
                d.row,
                f"repeats row {d.same_as} (phone or e-mail)",
                f"повторяет строку {d.same_as} (телефон или e-mail)",
            )
        )
    for row, why in counts.conflicts:
        en, ru = CONFLICTS.get(why, (why, why))
        rejected.append(RejectedRow(row, en, ru))
    rejected.sort(key=lambda r: r.row)
    return ImportReport(
        list_name,
        path,
        result.rows_read,
        counts.added,
        counts.updated,
        counts.unchanged,
        rejected,
        column or None,
    )


def incoming_from(result: ImportResult, consent_column: str | None) -> Incoming:
    """The importer's frames as the columns ``base_merge`` takes: each field a column
    of cells (the database builds each row's JSON object from them), e-mails in lower
    case, the consent cells read once per distinct value. The columns stay Arrow arrays
    (the merge stages them as they are); a caller reading their cells gets Python values."""
    from kupon_desktop.store.base import Incoming

    contacts = result.contacts
    fields = result.fields
    consent: list[int | None] | None = None
    wording: list[str | None] | None = None
    if consent_column:
        consent, wording = _consents(fields[consent_column])
        fields = fields.drop(columns=[consent_column])
    names = [str(c) for c in fields.columns]
    rows = contacts["row"].to_numpy(dtype="int64")
    return Incoming(
        rows=_column(contacts["row"].astype("int64")),
        phones=_column(contacts["phone"]),
        emails=_column(contacts["email"].str.lower()),
        consent=consent,
        wording=wording,
        field_names=names,
        name_field=(result.roles or {}).get("name"),
        columns=[_column(fields.iloc[:, k]) for k in range(len(names))],
        phone_again=_again(rows, result, "phone"),
        email_again=_again(rows, result, "email"),
    )


def _again(rows: Any, result: ImportResult, field: str) -> ArrowColumn | None:
    """1 at the rows whose ``field`` repeats an earlier row's (the importer found them
    while de-duplicating: ``ImportResult.repeated``), null elsewhere; None (the merge
    works it out) if the rows are not in file order."""
    import numpy as np
    import pyarrow as pa

    from kupon_desktop.store.stage import ArrowColumn

    if len(rows) > 1 and not bool(np.all(rows[1:] > rows[:-1])):
        return None
    again = np.zeros(len(rows), dtype=bool)
    repeated = np.asarray([d.row for d in result.repeated if d.field == field], dtype=np.int64)
    if len(repeated):
        # the kept rows are in file order
        at = np.searchsorted(rows, repeated)
        at = at[(at < len(rows)) & (rows[np.minimum(at, len(rows) - 1)] == repeated)]
        again[at] = True
    return ArrowColumn(pa.array(np.ones(len(rows), dtype=np.int64), mask=~again))


def _column(column: pd.Series) -> ArrowColumn:
    """A column's cells as an Arrow array (text columns as text, empty cells null):
    pandas' Arrow-backed strings pass as they are."""
    import pandas as pd
    import pyarrow as pa

    from kupon_desktop.store.stage import ArrowColumn

    if pd.api.types.is_integer_dtype(column.dtype):
        return ArrowColumn(pa.array(column.to_numpy(dtype="int64")))
    if not isinstance(column.dtype, pd.StringDtype):
        column = column.astype("string")
    return ArrowColumn(pa.array(column))


def _consents(column: pd.Series) -> tuple[list[int | None], list[str | None]]:
    import numpy as np
    import pandas as pd

    from kupon_desktop.audience.consent import Consent, read_consents

    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    read = read_consents(list(distinct))
    per_value: list[int | None] = [
        1 if c is Consent.YES else 0 if c is Consent.NO else None for c in read
    ]
    lookup = np.asarray([*per_value, None], dtype=object)
    consent = lookup[codes].tolist()
    texts = np.asarray([*[str(v) for v in distinct], None], dtype=object)
    wording = texts[codes].tolist()
    return consent, wording

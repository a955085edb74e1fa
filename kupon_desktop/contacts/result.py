"""What an import produces: the preview for the mapping step and the final result."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Rejection:
    """One value that could not be used. ``row`` is the file row as Excel shows it;
    ``field`` is the role ("phone", "email") or "row" for the row as a whole; ``reason``
    reads "Russian / English" (``code`` looks up one language in ``reasons.REASONS``)."""

    row: int
    value: str
    reason: str
    field: str
    code: str = ""


@dataclass(frozen=True)
class Duplicate:
    """Row ``row`` has the same address as row ``same_as``. In ``ImportResult.duplicates``
    it was dropped (every address repeats); in ``ImportResult.repeated`` it was kept and
    only its ``field`` ("phone", "email") repeats: a message to that address goes once."""

    row: int
    same_as: int
    field: str = ""


@dataclass(frozen=True)
class Remark:
    """A cell read with care, for the report: its number or address was taken, and
    ``code`` says what else it held (``reasons.REMARKS``): a note kept in the field
    ``column``, an extension, further addresses (``more``; ``rows`` are the extra rows
    they were imported as, empty when they were not)."""

    row: int
    field: str
    value: str
    code: str
    note: str = ""
    column: str = ""
    more: tuple[str, ...] = ()
    rows: tuple[int, ...] = ()


@dataclass
class ImportResult:
    #: "row" (int), "phone", "email", "push_token" (string, NA when absent); file order
    contacts: pd.DataFrame
    #: the other columns by header name, same index as ``contacts``; strings, NA if empty
    fields: pd.DataFrame
    field_names: list[str]
    rejected: list[Rejection]
    duplicates: list[Duplicate]
    skipped_blank: int
    #: data rows below the header, blank ones included
    rows_read: int
    #: role -> column name used ("phone", "email", "push_token", "name")
    roles: dict[str, str]
    sheet: str | None
    #: file row number of the header, 0 when the file has none
    header_row: int = 0
    columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    #: cells read with care (a note beside a number, two numbers in a cell), by row
    remarks: list[Remark] = field(default_factory=list)
    #: kept rows whose phone or e-mail repeats an earlier row's (see :class:`Duplicate`)
    repeated: list[Duplicate] = field(default_factory=list)
    #: the rows that loaded nothing because of a rejected value, every column as read,
    #: indexed by row number, one column per name of ``columns`` (what the rejected
    #: rows' export writes, so the rows can be fixed and imported again)
    rejected_table: pd.DataFrame | None = None
    #: further addresses found in cells (``remarks``) and not imported as rows
    extra_addresses: int = 0

    @property
    def imported(self) -> int:
        return len(self.contacts)

    @property
    def rejected_rows(self) -> int:
        """Rows that loaded nothing because of a rejected value (a row whose phone was
        rejected but whose e-mail is good is imported, and still listed in ``rejected``)."""
        if self.rejected_table is not None:
            return len(self.rejected_table)
        imported = set(self.contacts["row"].tolist())
        return len({r.row for r in self.rejected} - imported)


@dataclass(frozen=True)
class Preview:
    """What the mapping step shows before importing: the sheets, the first rows as read,
    and what was detected; each choice can be changed and passed to ``import_file``."""

    path: Path
    #: "csv" or "workbook"
    kind: str
    sheets: list[str]
    sheet: str | None
    #: the first rows exactly as read (text), padded to the same width
    rows: list[list[str]]
    #: the file row number of each of ``rows``
    row_numbers: list[int]
    #: file row number of the detected header, 0 when there is none
    header_row: int
    #: column names under that header (letters "A", "B"... where a name is missing)
    columns: list[str]
    #: role -> column name
    roles: dict[str, str]
    encoding: str | None = None
    delimiter: str | None = None

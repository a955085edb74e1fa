"""The contact import's expected failures, in one place.

Every one of them is something a user can cause (a bad file, a wrong column name, pressing
Cancel). Each carries a one-line message a marketer understands, in Russian and English,
so the window can show it as is and the command line can print it on stderr.

    ContactsError
    ├── FileUnreadable     the file cannot be read as a table at all
    ├── NoAddressColumn    read fine, but no column holds phones, e-mails or push tokens
    ├── UnknownSheet       --sheet / sheet= names a sheet the workbook does not have
    ├── UnknownColumn      a column given for a role is not in the file
    ├── NoDataRows         a header and nothing below it (the loaded list stays)
    └── ImportCancelled    the cancel event was set while importing

Each message reads "file: Russian / English"; :meth:`ContactsError.message` gives one
language (the window shows the interface's).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kupon_desktop.errors import KuponError


class ContactsError(KuponError):
    """Base of every error the contact import raises on purpose."""

    @property
    def message_ru(self) -> str:
        return self.message("ru")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def message(self, lang: str) -> str:
        """The message in ``lang`` ("ru" or "en"): the file's name, then that language's
        half of "Russian / English"."""
        text = str(self)
        name, sep, body = text.partition(": ")
        if not sep or " / " not in body:
            name, body = "", text
        ru, _, en = body.partition(" / ")
        chosen = ru if lang == "ru" else (en or ru)
        return f"{name}: {chosen}" if name else chosen


class FileUnreadable(ContactsError):
    """The file is missing, damaged, password-protected or not a table."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class NoAddressColumn(ContactsError):
    def __init__(self, path: str | Path, columns: Sequence[str]) -> None:
        self.path = Path(path)
        self.columns = list(columns)
        shown = ", ".join(f"«{c}»" for c in self.columns[:12]) or "—"
        super().__init__(
            f"{self.path.name}: не найден столбец с телефоном, e-mail или push-токеном "
            f"(столбцы: {shown}); укажите его явно / no phone, e-mail or push token column "
            "found; name it explicitly (--phone-column, --email-column)"
        )


class UnknownSheet(ContactsError):
    def __init__(self, path: str | Path, sheet: str, sheets: Sequence[str]) -> None:
        self.path = Path(path)
        self.sheet = sheet
        self.sheets = list(sheets)
        shown = ", ".join(f"«{s}»" for s in self.sheets) or "—"
        super().__init__(
            f"{self.path.name}: нет листа «{sheet}» (есть: {shown}) / "
            f"no sheet named {sheet!r} in this workbook"
        )


class UnknownColumn(ContactsError):
    def __init__(self, path: str | Path, column: str, columns: Sequence[str]) -> None:
        self.path = Path(path)
        self.column = column
        self.columns = list(columns)
        shown = ", ".join(f"«{c}»" for c in self.columns[:12]) or "—"
        super().__init__(
            f"{self.path.name}: нет столбца «{column}» (есть: {shown}) / no column named {column!r}"
        )


class NoDataRows(ContactsError):
    """The sheet has a header row (or title rows) and not one row of data below it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        super().__init__(
            f"{self.path.name}: в файле есть заголовок, но нет ни одной строки с данными / "
            "the file has a header but no rows of data"
        )


class ImportCancelled(ContactsError):
    def __init__(self) -> None:
        super().__init__("Импорт отменён / import cancelled")

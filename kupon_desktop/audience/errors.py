"""The audience rules' expected failures, each with a message a marketer understands.

Tree::

    AudienceError
    ├── NotAnAddress     a stop-list entry that is neither a phone number nor an e-mail
    └── UnknownColumn    a time-zone or consent column the contact list does not have

(A bad send window, zone or price is a ``ValueError`` from its parser, whose text is
meant for the user: the settings page shows it next to the field.)
"""

from __future__ import annotations

from collections.abc import Sequence

from kupon_desktop.errors import KuponError


class AudienceError(KuponError):
    """Something the user gave cannot be used."""


class NotAnAddress(AudienceError):
    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(
            f"{value!r} is neither a phone number nor an e-mail address",
            f"«{value}» — не номер телефона и не адрес e-mail",
        )


class UnknownColumn(AudienceError):
    def __init__(self, role: str, column: str, columns: Sequence[str]) -> None:
        self.role = role
        self.column = column
        known = ", ".join(f"«{c}»" for c in columns) or "—"
        role_ru = {"time zone": "часового пояса", "consent": "согласия"}.get(role, role)
        super().__init__(
            f"the {role} column «{column}» is not in the list; its columns: {known}",
            f"столбца {role_ru} «{column}» нет в списке; столбцы: {known}",
        )

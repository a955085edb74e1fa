"""What the base refuses, in both interface languages."""

from __future__ import annotations

from kupon_desktop.errors import KuponError


class BaseError(KuponError):
    """A base action that cannot be done as asked."""


class UnknownContact(BaseError):
    def __init__(self, address: str) -> None:
        super().__init__(
            f"{address!r} is not in the contact base",
            f"«{address}» нет в базе контактов",
        )


class BadSegment(BaseError):
    """A segment option that cannot be read: names the option and the value."""

    def __init__(self, option: str, value: str, en: str, ru: str) -> None:
        super().__init__(f"{option} {value!r}: {en}", f"{option} «{value}»: {ru}")


class NothingImported(BaseError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path}: no row has a phone number or an e-mail address",
            f"{path}: ни в одной строке нет телефона или e-mail",
        )

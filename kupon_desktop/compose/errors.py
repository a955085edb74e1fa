"""The failures of composing, in one place.

::

    ComposeError
    ├── TemplateSyntaxError    a text with a brace that opens or closes nothing
    ├── UnknownPlaceholder     {column} naming a column the contact list does not have
    ├── InvalidCascadeCode     a scenario code that is not digits only (also a ValueError)
    ├── DraftFormatError       a saved draft/template/code list that cannot be read
    └── DraftNotFound          no saved draft or template by that name (also a KeyError)

Problems found in a draft by :func:`kupon_desktop.compose.check` are not exceptions:
they are :class:`kupon_desktop.compose.Problem` values, listed all at once.
"""

from __future__ import annotations

from pathlib import Path

from kupon_desktop.errors import KuponError


class ComposeError(KuponError):
    """Base of everything this package raises on purpose."""


class TemplateSyntaxError(ComposeError):
    """A brace in the text that does not form a placeholder.

    ``kind`` is one of ``"unclosed"`` (``{`` without ``}``), ``"unmatched_close"``
    (``}`` without ``{``), ``"empty_name"`` (``{}`` or ``{|x}``); ``position`` is the
    0-based index of the offending brace in the text, for the editor to point at.
    """

    def __init__(self, kind: str, position: int, source: str) -> None:
        self.kind = kind
        self.position = position
        self.source = source
        en, ru = {
            "unclosed": ("a { is never closed", "скобка { не закрыта"),
            "unmatched_close": (
                "a } closes nothing (write }} for a literal brace)",
                "скобка } ничего не закрывает (чтобы написать саму скобку, поставьте }})",
            ),
            "empty_name": (
                "a placeholder has no column name",
                "в подстановке нет названия столбца",
            ),
        }[kind]
        super().__init__(
            f"{en} at character {position + 1}: {source!r}",
            f"{ru} (символ {position + 1}): «{source}»",
        )


class UnknownPlaceholder(ComposeError):
    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__("unknown placeholder(s): " + ", ".join("{" + n + "}" for n in names))


class InvalidCascadeCode(ComposeError, ValueError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"a cascade code is digits only; {code!r} is not")


class DraftFormatError(ComposeError):
    """What was read is not a draft this version understands; names the file when
    there is one, and never deletes it (nothing the user wrote is thrown away)."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path is not None else message)


class DraftNotFound(ComposeError, KeyError):
    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        super().__init__(f"no saved {kind} named {name!r}")

    def __str__(self) -> str:  # KeyError would quote the whole message again
        return str(self.args[0])

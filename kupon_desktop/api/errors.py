"""The expected failures of the API client, in one place.

Only problems found *before* a request is made are raised as exceptions; every outcome
of a request (the platform's answer, a refused connection, a timeout) comes back as a
:class:`~kupon_desktop.api.results.SendResult`, because the campaign engine has to
record each of them, not unwind on them.

::

    KuponApiError                 base of everything raised by kupon_desktop.api
     ├── ValidationError          a message cannot be put on the wire as it is
     │                            (also a ValueError); names the field, the message
     │                            and, for a charset problem, the characters
     └── ClientClosed             a send on a client that was already closed

None of these ever carries the API token in its text or attributes.
"""

from __future__ import annotations

from collections.abc import Sequence

from kupon_desktop.errors import KuponError


class KuponApiError(KuponError):
    """Base class of the errors raised by ``kupon_desktop.api``."""


class ValidationError(KuponApiError, ValueError):
    """A message (or the campaign-level envelope) cannot be sent as it is.

    Raised before any request. ``field`` is the wire field at fault (``sent_text``,
    ``charset``, ...); ``index`` is the message's position in a ``send_list_messages``
    batch (``None`` for ``send_message``); ``characters`` lists, for a charset
    problem, the distinct characters the charset cannot carry, in order of appearance.
    """

    def __init__(
        self,
        reason: str,
        *,
        field: str,
        index: int | None = None,
        characters: Sequence[str] = (),
        charset: str | None = None,
    ) -> None:
        self.reason = reason
        self.field = field
        self.index = index
        self.characters = tuple(characters)
        self.charset = charset
        where = f"message {index + 1}, field {field}" if index is not None else f"field {field}"
        super().__init__(f"{where}: {reason}")


class ClientClosed(KuponApiError, RuntimeError):
    """A send was attempted on a :class:`KuponClient` after ``aclose()``."""


def describe_characters(characters: Sequence[str]) -> str:
    """``'€' (U+20AC), '😀' (U+1F600)``: characters named so that invisible ones show."""
    return ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in characters)


__all__ = ["ClientClosed", "KuponApiError", "ValidationError", "describe_characters"]

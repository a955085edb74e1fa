"""The message draft: everything the user sets on the Message page, as one value.

A :class:`Draft` is immutable; the page makes a new one per edit with
``dataclasses.replace(draft, text=...)``. It holds what the user typed, even when that is
wrong (a cascade code with letters, a past date): :func:`kupon_desktop.compose.check`
says what is wrong, so nothing is refused while typing and nothing typed is lost.
Only programming errors are refused here (a naive datetime, a wrong Python type).

The callback settings are not part of a draft: they belong to the installation
(Settings) and are added by the campaign when it sends.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from kupon_desktop.compose.errors import DraftFormatError
from kupon_desktop.vocabulary import CHARSETS, DEFAULT_CHARSET, MessageType

_TEXT_FIELDS = ("sender", "text", "html_text", "button", "action", "image", "charset")
_FLAGS = ("find_token", "kannel_status")


@dataclass(frozen=True, slots=True)
class Draft:
    type: MessageType = MessageType.SMS
    #: the sender name; for ``bulk`` the numeric code of the scenario mailing
    sender: str = ""
    text: str = ""
    html_text: str = ""
    #: button caption, its action (a URL, or a bot command for ``bot``), image URL
    button: str = ""
    action: str = ""
    image: str = ""
    #: message lifetime in minutes; None leaves it to the platform
    ttl: int | None = None
    #: deferred sending; always timezone-aware (shown in the user's zone)
    send_at: datetime | None = None
    charset: str = DEFAULT_CHARSET
    find_token: bool = False
    kannel_status: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.type, MessageType):
            object.__setattr__(self, "type", MessageType(self.type))
        for name in _TEXT_FIELDS:
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"Draft.{name} must be a str, not {getattr(self, name)!r}")
        if self.ttl is not None and (isinstance(self.ttl, bool) or not isinstance(self.ttl, int)):
            raise TypeError(f"Draft.ttl must be an int or None, not {self.ttl!r}")
        if self.send_at is not None:
            if not isinstance(self.send_at, datetime):
                raise TypeError(f"Draft.send_at must be a datetime, not {self.send_at!r}")
            if self.send_at.tzinfo is None or self.send_at.utcoffset() is None:
                raise ValueError("Draft.send_at must be timezone-aware")

    @property
    def cascade_code(self) -> str | None:
        """The scenario mailing's code for a cascade; None for the other types."""
        return self.sender if self.type is MessageType.BULK else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``send_at`` as ISO 8601 with its offset)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "type":
                value = value.value
            elif f.name == "send_at" and value is not None:
                value = value.isoformat()
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Draft:
        """The inverse of :meth:`to_dict`. Missing keys take their defaults (older
        files), unknown keys are ignored (newer files); a value of the wrong kind is a
        :class:`DraftFormatError` naming the key."""
        if not isinstance(data, dict):
            raise DraftFormatError("a draft must be a JSON object")
        kwargs: dict[str, Any] = {}
        if "type" in data:
            try:
                kwargs["type"] = MessageType(data["type"])
            except ValueError:
                raise DraftFormatError(f"unknown message type {data['type']!r}") from None
        for name in _TEXT_FIELDS:
            value = data.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise DraftFormatError(f"{name!r} must be text, not {value!r}")
            kwargs[name] = value
        ttl = data.get("ttl")
        if ttl is not None:
            if isinstance(ttl, bool) or not isinstance(ttl, int):
                raise DraftFormatError(f"'ttl' must be a whole number, not {ttl!r}")
            kwargs["ttl"] = ttl
        send_at = data.get("send_at")
        if send_at is not None:
            try:
                parsed = datetime.fromisoformat(send_at)
            except (TypeError, ValueError):
                raise DraftFormatError(f"'send_at' is not a date and time: {send_at!r}") from None
            if parsed.tzinfo is None:
                raise DraftFormatError(f"'send_at' has no time zone: {send_at!r}")
            kwargs["send_at"] = parsed
        for name in _FLAGS:
            value = data.get(name)
            if value is None:
                continue
            if not isinstance(value, bool):
                raise DraftFormatError(f"{name!r} must be true or false, not {value!r}")
            kwargs[name] = value
        return cls(**kwargs)


def normalize_charset(name: str) -> str | None:
    """The platform's spelling of a charset typed in any case (``utf-8`` -> ``UTF-8``),
    or None if the platform does not accept it."""
    wanted = name.strip().upper()
    for known in CHARSETS:
        if known.upper() == wanted:
            return known
    return None

"""Every user setting declared once: name, type, default, description and validation.

The window stores the values in QSettings (``ui/settings_store.py``); the command line
passes them as options. Code reads typed values through :class:`Settings`. The API token
is deliberately *not* a setting: it lives only in the credential store
(``credentials.py``).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from kupon_desktop.errors import KuponError

DEFAULT_API_URL = "https://1-pulse.kupon.mobi/api/v1/bulk/"
#: the setting naming the platform's clock for deferred sending (``api.wire.platform_zone``)
PLATFORM_TIMEZONE = "api/platform_timezone"

#: bumped when a stored setting changes meaning; ``migrate`` brings old values forward
SCHEMA_VERSION = 1


class BadValue(KuponError, ValueError):
    """A validator's refusal, in both interface languages (a ``ValueError`` too, so
    code that parses a value catches it as before)."""


def bad_value(exc: ValueError) -> KuponError:
    """``exc`` as a :class:`KuponError`: a validator's own, or a plain ValueError whose
    English text is all there is."""
    return exc if isinstance(exc, KuponError) else BadValue(str(exc))


class InvalidSetting(KuponError, ValueError):
    """A value the user typed that the setting cannot take; ``message(lang)`` says why
    in words meant for the user (the UI shows it next to the field)."""

    def __init__(self, name: str, reason: KuponError) -> None:
        super().__init__(reason.message_en, reason.message_ru)
        self.name = name


#: a server name: dot-separated labels of letters (any script) and digits, with inner
#: hyphens; an IP address is checked by ``ipaddress`` instead
_HOST_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")
    return len(host) <= 253 and all(
        len(label) <= 63 and _HOST_LABEL.fullmatch(label) for label in labels
    )


def _http_url(value: str, *, allow_empty: bool = False) -> str:
    value = value.strip()
    if not value and allow_empty:
        return ""
    # control and invisible characters (NUL, bidi overrides, zero-width spaces) would be
    # refused by the HTTP client only when sending, or would disguise the address
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for ch in value):
        raise BadValue(
            "an address cannot contain invisible or control characters",
            "в адресе не может быть невидимых и управляющих символов",
        )
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed [ of an IPv6 address
        raise BadValue(
            "enter a full address that starts with https:// (or http://)",
            "введите полный адрес, начинающийся с https:// (или http://)",
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadValue(
            "enter a full address that starts with https:// (or http://)",
            "введите полный адрес, начинающийся с https:// (или http://)",
        )
    if any(ch.isspace() for ch in value):
        raise BadValue("an address cannot contain spaces", "в адресе не может быть пробелов")
    if not _valid_host(parts.hostname):
        raise BadValue(
            "the server name in this address is not valid", "имя сервера в этом адресе неверно"
        )
    try:
        parts.port  # noqa: B018 - raises on a port out of range or not a number
    except ValueError:
        raise BadValue(
            "the port in this address is not a number from 1 to 65535",
            "порт в этом адресе — не число от 1 до 65535",
        ) from None
    return value


#: why a plain http:// platform address is refused (the token travels in the request body)
PLAIN_HTTP_REFUSED = (
    "use https:// for the platform: plain http:// is allowed only for this computer "
    "(localhost, 127.0.0.1, ::1)"
)
PLAIN_HTTP_REFUSED_RU = (
    "для платформы нужен адрес https://: простой http:// разрешён только для этого "
    "компьютера (localhost, 127.0.0.1, ::1)"
)


def is_loopback_host(host: str | None) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1: traffic that never leaves this computer."""
    if not host:
        return False
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_api_url(value: str) -> str:
    value = _http_url(value)
    parts = urlsplit(value)
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise BadValue(PLAIN_HTTP_REFUSED, PLAIN_HTTP_REFUSED_RU)
    return value if value.endswith("/") else value + "/"


def validate_platform_timezone(value: str) -> str:
    """The platform's clock, as the user typed it (an IANA name or ``UTC+3``)."""
    from kupon_desktop.api.wire import platform_zone

    text = str(value).strip()
    platform_zone(text)  # ValueError in words for the user
    return text


def validate_callback_url(value: str) -> str:
    return _http_url(value, allow_empty=True)


def validate_team_url(value: str) -> str:
    """The team server's address: https:// (a user key travels with every request),
    plain http:// only on this computer; empty for a desk alone."""
    value = _http_url(value, allow_empty=True)
    if (
        value
        and urlsplit(value).scheme == "http"
        and not is_loopback_host(urlsplit(value).hostname)
    ):
        raise BadValue(
            "use https:// for the team server: plain http:// is allowed only for this "
            "computer (localhost, 127.0.0.1, ::1)",
            "для сервера команды нужен адрес https://: простой http:// разрешён только для "
            "этого компьютера (localhost, 127.0.0.1, ::1)",
        )
    return value.rstrip("/")


def validate_freshness(value: Any) -> int:
    """Seconds a team stop list may be old for a campaign to be sent."""
    try:
        seconds = int(str(value).strip())
    except ValueError:
        seconds = -1
    if not 10 <= seconds <= 86400:
        raise BadValue("a number of seconds from 10 to 86400", "число секунд от 10 до 86400")
    return seconds


def validate_port(value: Any) -> int:
    try:
        port = int(str(value).strip())
    except ValueError:
        raise BadValue(
            "a port is a whole number from 1 to 65535", "порт — целое число от 1 до 65535"
        ) from None
    if not 1 <= port <= 65535:
        raise BadValue(
            "a port is a whole number from 1 to 65535", "порт — целое число от 1 до 65535"
        )
    return port


def validate_region(value: str) -> str:
    import phonenumbers

    code = str(value).strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise BadValue(
            "a two-letter country code such as RU, KZ or BY",
            "двухбуквенный код страны, например RU, KZ или BY",
        )
    return code


def validate_language(value: str) -> str:
    value = str(value).strip().lower()
    if value not in LANGUAGES:
        raise BadValue(
            "choose one of: " + ", ".join(LANGUAGES),
            "выберите одно из: " + ", ".join(LANGUAGES),
        )
    return value


LANGUAGES = ("system", "ru", "en")


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str
    validate: Callable[[Any], Any]


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "api/base_url", str, DEFAULT_API_URL, "Address of the Kupon.mobi API", validate_api_url
        ),
        Setting(
            PLATFORM_TIMEZONE,
            str,
            "Europe/Moscow",
            "Time zone of the platform's clock: a send time goes to the platform in it",
            validate_platform_timezone,
        ),
        Setting(
            "receiver/callback_url",
            str,
            "",
            "Public address of the status receiver (empty: the built-in one)",
            validate_callback_url,
        ),
        Setting(
            "receiver/port",
            int,
            8765,
            "Port the built-in status receiver listens on",
            validate_port,
        ),
        Setting(
            "team/server_url",
            str,
            "",
            "Address of the team server (empty: this desk works alone)",
            validate_team_url,
        ),
        Setting(
            "team/freshness",
            int,
            300,
            "Seconds the team's stop list may be old for a campaign to be sent",
            validate_freshness,
        ),
        Setting(
            "contacts/region",
            str,
            "RU",
            "Country assumed for phone numbers written without a country code",
            validate_region,
        ),
        Setting(
            "ui/language", str, "system", "Interface language (system, ru, en)", validate_language
        ),
    )
}


class Settings:
    """Typed, validated access to the settings held in a plain key/value backend.

    A stored value that no longer validates (edited by hand, an old version) falls back
    to the default instead of breaking start-up.
    """

    def __init__(self, backend: Mapping[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = dict(backend or {})

    def get(self, name: str) -> Any:
        spec = SETTINGS[name]
        raw = self._values.get(name)
        if raw is None or (raw == "" and spec.default != ""):
            return spec.default
        try:
            return spec.validate(raw)
        except ValueError:
            return spec.default

    def set(self, name: str, value: Any) -> Any:
        spec = SETTINGS[name]
        try:
            clean = spec.validate(value)
        except ValueError as exc:
            raise InvalidSetting(name, bad_value(exc)) from None
        self._values[name] = clean
        return clean

    def as_dict(self) -> dict[str, Any]:
        return {name: self.get(name) for name in SETTINGS}

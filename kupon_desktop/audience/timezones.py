"""Each recipient's time zone: from a column of the list, from the phone number, or the
campaign's default.

A zone is carried around as its *key*, a string: an IANA name (``Asia/Kamchatka``), or
``UTC+05:00`` for a fixed offset, or ``UTC``. Keys group a million recipients into the
few distinct zones they live in (the send window is worked out once per zone) and are
what the dry run prints; :func:`tzinfo_for` turns a key into a ``tzinfo``.

A column value is understood as (:func:`zone_key`):

- an IANA name, in any case: ``Europe/Moscow``, ``asia/yekaterinburg``;
- a UTC offset: ``+05:00``, ``-3``, ``UTC+5``, ``GMT+3``, ``UTC−03:30``, ``UTC``;
- Moscow time, as Russian lists write it: ``МСК``, ``МСК+4``, ``MSK-1``;
- a Russian region or city (:mod:`kupon_desktop.audience.regions`), also inside an
  address: ``Россия, Свердловская обл., г. Екатеринбург``.

From a number, :func:`zones_from_phones` gives the zone where libphonenumber
(``phonenumbers.timezone``) names exactly one; Russian mobile numbers are not tied to a
region, so they get none (and then the campaign default).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from kupon_desktop.audience.consent import is_blank
from kupon_desktop.audience.errors import InvalidRule
from kupon_desktop.audience.regions import place_key, place_zones

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: the campaign's default zone: where most recipients of a Russian sender live
DEFAULT_ZONE = "Europe/Moscow"
#: Moscow's offset for "МСК+N" (Moscow has kept UTC+3 all year since 2014)
_MSK_HOURS = 3

_OFFSET = re.compile(
    r"(?P<base>utc|gmt|мск|msk)?\s*(?:(?P<sign>[+\-−–])\s*(?P<h>\d{1,2})"
    r"(?:[:.]?(?P<m>\d{2}))?)?\s*(?:ч|h|час|часа|часов)?",
    re.IGNORECASE,
)
#: separators between the parts of an address ("Россия, Свердловская обл., г. Екатеринбург")
_PARTS = re.compile(r"[,;()/\\|—–\n]+")
#: a part that is a street, house or flat, never a region ("ул. Московская")
_STREET = re.compile(
    r"^\s*(ул|улица|пр|пр-т|проспект|пер|переулок|ш|шоссе|б-р|бульвар|наб|набережная|пл|"
    r"площадь|д|дом|кв|корп|стр|мкр|street|st|avenue|ave|road|rd)\b\.?",
    re.IGNORECASE,
)
#: time-zone column headers, then (weaker) headers of a place the zone can come from
_ZONE_HEADERS = ("часовой пояс", "пояс", "timezone", "time zone", "tz", "utc", "gmt")
_PLACE_HEADERS = (
    "регион",
    "region",
    "город",
    "city",
    "субъект",
    "область",
    "населенный пункт",
    "locality",
    "town",
)

#: ASSUMED corrections to libphonenumber for Russian area codes: it files Kaliningrad
#: (+7 401x) under Europe/Bucharest, which keeps summer time while Kaliningrad does not,
#: and Saratov (+7 845x) under Moscow, though Saratov moved to UTC+4 in 2016.
_NUMBER_FIXES: tuple[tuple[str, str, str], ...] = (
    ("740", "Europe/Bucharest", "Europe/Kaliningrad"),
    ("7845", "Europe/Moscow", "Europe/Saratov"),
)
_UNKNOWN = "Etc/Unknown"


# -- keys ------------------------------------------------------------------------------


def offset_key(minutes: int) -> str:
    """``UTC+05:00`` for 300 minutes; ``UTC`` for 0."""
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


@functools.cache
def _iana_names() -> dict[str, str]:
    import zoneinfo

    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def _offset_minutes(text: str) -> int | None:
    m = _OFFSET.fullmatch(text.strip())
    if m is None or (m["base"] is None and m["sign"] is None):
        return None
    base = (m["base"] or "").casefold()
    minutes = 0
    if m["sign"] is not None:
        hours, mins = int(m["h"]), int(m["m"] or 0)
        if mins >= 60:
            return None
        minutes = hours * 60 + mins
        if m["sign"] != "+":
            minutes = -minutes
    if base in ("мск", "msk"):
        minutes += _MSK_HOURS * 60
    # the offsets in use on Earth run from UTC-12 to UTC+14
    return minutes if -12 * 60 <= minutes <= 14 * 60 else None


def _single_key(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if text.casefold() in ("мск", "msk"):
        return "Europe/Moscow"
    minutes = _offset_minutes(text)
    if minutes is not None:
        return offset_key(minutes)
    iana = _iana_names().get(text.replace(" ", "_").casefold())
    if iana is not None:
        return iana
    return place_zones().get(place_key(text))


@functools.lru_cache(maxsize=4096)
def zone_key(text: str) -> str | None:
    """The zone a column value names (see the module's list), or None when it names
    none. An address is read part by part; the first part that names a zone wins,
    streets and houses left out."""
    found = _single_key(text)
    if found is not None:
        return found
    for part in _PARTS.split(text):
        if part.strip() and not _STREET.match(part):
            found = _single_key(part)
            if found is not None:
                return found
    return None


@functools.lru_cache(maxsize=256)
def tzinfo_for(key: str) -> tzinfo:
    """The ``tzinfo`` of a zone key; ValueError names a key that is not one."""
    if key == "UTC":
        return UTC
    if key.startswith("UTC") and len(key) == 9:
        minutes = _offset_minutes(key)
        if minutes is not None and offset_key(minutes) == key:
            return timezone(timedelta(minutes=minutes), key)
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{key!r} is not a time zone (e.g. Europe/Moscow or UTC+05:00)") from None


def check_zone(text: str) -> str:
    """The key of a zone the user typed (a setting, an option); ValueError when it is
    none, in words for the user."""
    key = zone_key(text)
    if key is None:
        raise InvalidRule(
            f"{text!r} is not a time zone: give a name like Europe/Moscow, an offset like "
            "UTC+5, or a Russian region or city",
            f"«{text.strip()}» — не часовой пояс: укажите название вроде Europe/Moscow, "
            "смещение вроде UTC+5 или регион либо город России",
        )
    return key


# -- columns ---------------------------------------------------------------------------


def _header_words(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", name.casefold().replace("ё", "е")))


def detect_timezone_column(columns: Iterable[str]) -> str | None:
    """The column that names each recipient's time zone, else one that names a region
    or city; None when no header says so."""
    names = list(columns)
    for headers in (_ZONE_HEADERS, _PLACE_HEADERS):
        for name in names:
            padded = f" {_header_words(name)} "
            if any(f" {h} " in padded for h in headers):
                return name
    return None


def zones_from_values(values: Sequence[Any]) -> list[str | None]:
    """:func:`zone_key` of each value (None for a blank one); each distinct value is
    read once."""
    seen: dict[Any, str | None] = {}
    out: list[str | None] = []
    for v in values:
        if is_blank(v):
            out.append(None)
            continue
        if v not in seen:
            seen[v] = zone_key(str(v))
        out.append(seen[v])
    return out


# -- numbers ---------------------------------------------------------------------------


@functools.cache
def _country_codes() -> frozenset[str]:
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    return frozenset(str(cc) for cc in COUNTRY_CODE_TO_REGION_CODE)


def _country_code(digits: str) -> str | None:
    """The calling code a number starts with (E.164 codes are prefix-free)."""
    return next((digits[:n] for n in (1, 2, 3) if digits[:n] in _country_codes()), None)


def _surely_several(digits: str) -> bool:
    """True when both answers libphonenumber could give (the zones of the number's
    longest known prefix, for a fixed line; the country's, for the rest) name more
    than one zone: the number's type need not be worked out then (it costs ~40 µs)."""
    from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

    geo = None
    for n in range(min(TIMEZONE_LONGEST_PREFIX, len(digits)), 0, -1):
        geo = TIMEZONE_DATA.get(digits[:n])
        if geo is not None:
            break
    cc = _country_code(digits)
    country = TIMEZONE_DATA.get(cc) if cc else None
    return (geo is None or len(geo) > 1) and (country is None or len(country) > 1)


@functools.lru_cache(maxsize=65536)
def zone_of_number(digits: str) -> str | None:
    """The one zone libphonenumber gives for a normalized number (international digits,
    no ``+``), corrected for Russian area codes it has wrong; None when it gives several
    or none."""
    if not digits.isdigit() or _surely_several(digits):
        return None
    import phonenumbers
    from phonenumbers.timezone import time_zones_for_number

    cc = _country_code(digits)
    national = digits[len(cc) :] if cc else ""
    if cc and national and not national.startswith("0"):
        # the inverse of the E.164 formatting the number came from: no parsing (~70 µs)
        number = phonenumbers.PhoneNumber(country_code=int(cc), national_number=int(national))
    else:
        try:
            number = phonenumbers.parse("+" + digits, None)
        except phonenumbers.NumberParseException:
            return None
    zones = time_zones_for_number(number)
    if len(zones) != 1 or zones[0] == _UNKNOWN:
        return None
    zone = str(zones[0])
    for prefix, wrong, right in _NUMBER_FIXES:
        if digits.startswith(prefix) and zone == wrong:
            return right
    return zone


def zones_from_phones(phones: Any) -> NDArray[np.object_]:
    """:func:`zone_of_number` for a column of normalized numbers (an arrow array, a
    pandas Series or a list; null/NA/None where there is none). Russian mobile numbers
    are settled in one vectorized pass (none has a zone of its own); each other distinct
    number is looked up once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from kupon_desktop.contacts.phones import fast_phones

    if isinstance(phones, pa.ChunkedArray):
        phones = phones.combine_chunks()
    if not isinstance(phones, pa.Array):
        phones = pa.array(phones, type=pa.string(), from_pandas=True)
    if phones.type != pa.string():
        phones = phones.cast(pa.string())
    encoded = pc.dictionary_encode(phones)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    distinct = encoded.dictionary
    out = np.full(len(codes), None, dtype=object)
    if len(distinct) == 0:
        return out
    fast = fast_phones(distinct, "RU")
    mobile = (
        np.zeros(len(distinct), dtype=bool)
        if fast is None
        else np.asarray(fast[0].to_numpy(zero_copy_only=False), dtype=bool)
    )
    # [-1]: no number
    zones = np.full(len(distinct) + 1, None, dtype=object)
    values = distinct.to_pylist()
    for i in np.flatnonzero(~mobile).tolist():
        zones[i] = zone_of_number(values[i])
    return zones[codes]  # type: ignore[no-any-return]

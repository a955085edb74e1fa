"""Phone numbers to the form the platform wants: international digits without ``+``.

:func:`normalize_phone` is the reference: libphonenumber (``phonenumbers``) decides, after
undoing what Excel does to numbers (``89161234567.0``, ``7.9161234567E+10``). The column
version, :func:`normalize_phone_array`, gives the same answers (a property test holds it
to that) but decides the common Russian mobile shapes in a few vectorized passes, because
``phonenumbers`` costs ~22 µs a value: 22 s for a million-row list.

The fast path is built from libphonenumber's own metadata for the region (the mobile
number pattern), so it never accepts a number the library would call invalid; anything it
is not sure of goes to the library.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from kupon_desktop.contacts.checked import (
    CellExtra,
    CheckedColumn,
    as_array,
    contains_byte,
    finish_with_library,
    not_blank,
    strip_ascii,
)

#: Excel writes whole numbers it saved as floats like this when a sheet goes to CSV
_WHOLE_FLOAT = re.compile(r"\+?\d+\.0+")
#: ...and large numbers in a narrow column like this ("7,91612E+10" from a Russian Excel)
_SCIENTIFIC = re.compile(r"\+?(\d+)(?:[.,](\d+))?[eE]\+?(\d+)")
#: digits with the usual separators and no "+": a candidate for a number whose "+" is missing
_BARE_DIGITS = re.compile(r"\d[\d \-().\u00a0]{6,}")

_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "phone_country",
    NumberParseException.NOT_A_NUMBER: "phone_not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone_too_short",
    NumberParseException.TOO_SHORT_NSN: "phone_too_short",
    NumberParseException.TOO_LONG: "phone_too_long",
}
_NOT_POSSIBLE = {
    ValidationResult.INVALID_COUNTRY_CODE: "phone_country",
    ValidationResult.TOO_SHORT: "phone_too_short",
    ValidationResult.TOO_LONG: "phone_too_long",
}


def undo_excel(text: str) -> tuple[str | None, str | None]:
    """``89161234567.0`` -> ``89161234567``; ``7.9161234567E+10`` -> ``79161234567``
    when the digits are all there, else the reason they are not."""
    if _WHOLE_FLOAT.fullmatch(text):
        return text.split(".", 1)[0], None
    m = _SCIENTIFIC.fullmatch(text)
    if m is None:
        return text, None
    value = Decimal(text.replace(",", ".").lstrip("+"))
    # no phone number has more than 15 digits: "1E5000" is not one, and spelling it out
    # would run into Python's limit on the digits of an int
    if value.adjusted() > 15:
        return None, "phone_not_a_number"
    if value != value.to_integral_value():
        return None, "phone_not_a_number"
    whole = str(int(value))
    # Excel rounds what it shows ("7,91612E+10") and saves what it shows: trust only a
    # mantissa that spells every digit of the whole number.
    if len((m.group(1) + (m.group(2) or "")).lstrip("0")) < len(whole):
        return None, "phone_scientific"
    return whole, None


#: a letter of any alphabet: what tells a note ("Маша", "рабочий") from stray digits
_LETTER = re.compile(r"[^\W\d_]")
#: what is left around a note once its number is taken out
_NOTE_EDGES = " \t,;:/\\|()[]{}<>-–—.\"'"


def check_phone(raw: str, region: str = "RU") -> tuple[str | None, str | None]:
    """``(digits, None)`` for a valid number, ``(None, code)`` for a rejected one,
    ``(None, None)`` for a blank value. A cell holding a number with a note, or several
    numbers, gives its first number (:func:`analyze_phone` says what else it held)."""
    digits, code, _ = analyze_phone(raw, region)
    return digits, code


def analyze_phone(raw: str, region: str = "RU") -> tuple[str | None, str | None, CellExtra | None]:
    """:func:`check_phone` and what the cell held beside its number: a note
    (``+7 (916) 505-60-70 (Маша)``, "(рабочий)" on a second line), an extension
    (``… доб. 12``) or further numbers (``89161234569, 89031234560``)."""
    # Any run of whitespace (tabs, no-break spaces from Excel, a second line) is one
    # separating space: libphonenumber would refuse a tab inside a number.
    text = " ".join(raw.split())
    if not text:
        return None, None, None
    text_or_none, code = undo_excel(text)
    if text_or_none is None:
        return None, code, None
    digits, code, extension = _parse(text_or_none, region)
    if digits is None and _BARE_DIGITS.fullmatch(text_or_none):
        # Not a number of the region: maybe an international number whose "+" was left
        # out ("380 44 123 4567"), as in this function's own output. (A national reading
        # wins: "9611000000" is a Russian mobile here, though "+9611000000" is Lebanese.)
        digits, _, extension = _parse("+" + text_or_none, region)
    if digits is not None:
        extra = CellExtra(f"доб. {extension}", kind="extension") if extension else None
        return digits, None, extra
    return _numbers_in_text(text, region) or (None, code, None)


def _numbers_in_text(
    text: str, region: str
) -> tuple[str | None, str | None, CellExtra | None] | None:
    """The first valid number in ``text`` with the rest as a note or further numbers;
    None unless the cell is several numbers, or one number with words beside it."""
    found: list[str] = []
    rest: list[str] = []
    at = 0
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(text, region))
    except Exception:  # the matcher's own limits on odd input: no reading of the cell
        return None
    for match in matches:
        number = match.number
        if not phonenumbers.is_valid_number(number):
            continue
        found.append(phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+"))
        rest.append(text[at : match.start])
        at = match.end
    rest.append(text[at:])
    if not found:
        return None
    note = " ".join(" ".join(p.strip(_NOTE_EDGES) for p in rest).split()).strip(_NOTE_EDGES)
    if len(found) == 1 and not _LETTER.search(note):
        return None  # one number among stray digits or signs: not a reading to trust
    if not _LETTER.search(note):
        note = ""
    more = tuple(d for d in dict.fromkeys(found[1:]) if d != found[0])
    return found[0], None, CellExtra(note, more)


def _parse(text: str, region: str) -> tuple[str | None, str | None, str]:
    """``(digits, None, extension)`` or ``(None, code, "")``."""
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        return None, _PARSE_ERRORS.get(exc.error_type, "phone_not_a_number"), ""
    if phonenumbers.is_valid_number(number):
        digits = phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+")
        return digits, None, number.extension or ""
    reason = phonenumbers.is_possible_number_with_reason(number)
    return None, _NOT_POSSIBLE.get(reason, "phone_invalid"), ""


def normalize_phone(raw: str, region: str = "RU") -> str | None:
    """International digits without ``+`` (``"8 (916) 123-45-67"`` -> ``"79161234567"``),
    or None when ``raw`` is blank or not a valid number. ``region`` is the ISO country
    whose national numbers are written without a country code."""
    return check_phone(raw, region)[0]


@dataclass(frozen=True)
class _FastSpec:
    country_code: str
    #: the national number's shape after the separators are gone, with what may precede it
    shape: str
    #: how many digits the national number has
    national_length: int
    #: libphonenumber's mobile pattern and the region's general pattern, anchored
    mobile: str
    general: str


@functools.cache
def _fast_spec(region: str) -> _FastSpec | None:
    """The fast path for ``region``, or None when there is none.

    Written for Russia (national prefix 8, country code 7, ten-digit national numbers),
    and used only while the installed metadata still says so; a metadata update that
    changes any of it turns the fast path off rather than making it disagree.
    """
    if region.upper() != "RU":
        return None
    md = phonenumbers.PhoneMetadata.metadata_for_region("RU")
    mobile = md.mobile if md is not None else None
    general = md.general_desc if md is not None else None
    if (
        md is None
        or mobile is None
        or general is None
        or md.country_code != 7
        or md.national_prefix_for_parsing not in (None, "8")
        or mobile.national_number_pattern is None
        or general.national_number_pattern is None
        or tuple(mobile.possible_length or ()) != (10,)
        or 10 not in (general.possible_length or ())
    ):
        return None
    return _FastSpec(
        country_code="7",
        shape=r"^(?:\+7|7|8)?\d{10}$",
        national_length=10,
        mobile=f"^(?:{mobile.national_number_pattern})$",
        general=f"^(?:{general.national_number_pattern})$",
    )


def mobile_pattern(region: str = "RU") -> str | None:
    """A regular expression matching the region's mobile numbers written as this module
    writes them (international digits: ``^7(?:…)$`` for Russia), or None when the fast
    path does not know the region."""
    spec = _fast_spec(region)
    if spec is None:
        return None
    return f"^{spec.country_code}(?:{spec.mobile[1:-1]})$"


#: separators the fast path removes: space, tab, hyphen, parentheses (and no-break space)
_SEPARATORS = b" \t-()"
#: longer inputs go to the library (it refuses anything over 250 characters)
_FAST_MAX_LENGTH = 40


def fast_phones(raw: pa.Array, region: str = "RU") -> tuple[pa.Array, pa.Array] | None:
    """The vectorized fast path alone: ``(decided, digits)``, where ``decided`` is True for
    the values it settled (each a valid number, ``digits`` its normalized form) and False
    for those left to the library. None when ``region`` has no fast path."""
    spec = _fast_spec(region)
    if spec is None:
        return None
    cleaned = raw
    if contains_byte(raw, b"."):
        # "79161234567.0": a number pandas or Excel wrote as a float (see undo_excel)
        cleaned = pc.replace_substring_regex(raw, r"^(\+?\d+)\.0+$", r"\1")
    stripped = strip_ascii(cleaned, _SEPARATORS)
    national = pc.utf8_slice_codeunits(stripped, start=-spec.national_length)
    ok = pc.and_kleene(
        pc.and_kleene(
            pc.less_equal(pc.utf8_length(raw), _FAST_MAX_LENGTH),
            pc.match_substring_regex(stripped, spec.shape),
        ),
        pc.and_kleene(
            pc.match_substring_regex(national, spec.mobile),
            pc.match_substring_regex(national, spec.general),
        ),
    )
    ok = pc.fill_null(ok, False)
    digits = pc.if_else(
        ok,
        pc.binary_join_element_wise(spec.country_code, national, ""),
        pa.scalar(None, pa.string()),
    )
    return ok, digits


def normalize_phone_array(
    raw: pa.Array | pa.ChunkedArray,
    region: str = "RU",
    cancel: threading.Event | None = None,
) -> CheckedColumn:
    """Normalize a whole column; the same answers as :func:`check_phone` value by value."""
    raw = as_array(raw)
    if raw.type != pa.string():
        raw = raw.cast(pa.string())
    present = not_blank(raw)
    fast = fast_phones(raw, region)
    if fast is None:
        nothing = pa.nulls(len(raw), pa.string())
        return finish_with_library(
            raw, nothing, present, lambda v: analyze_phone(v, region), cancel
        )
    ok, digits = fast
    undecided = pc.and_(present, pc.invert(ok))
    return finish_with_library(raw, digits, undecided, lambda v: analyze_phone(v, region), cancel)

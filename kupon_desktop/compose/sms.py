"""SMS length: characters, encoding and segments of a text, as a phone network counts them.

A text that uses only the GSM 03.38 alphabet travels as GSM-7: 160 septets in one SMS,
153 per part of a long one (the rest of each part holds the concatenation header). The
extension table (``€ [ ] ~ ^ { } \\ |`` and form feed) costs two septets per character
(an escape, then the character). Anything else makes the whole message UCS-2: 70 UTF-16
units in one SMS, 67 per part, and a character outside the Basic Multilingual Plane
(most emoji) costs two units (a surrogate pair).

A two-unit character is never split between two parts: when it would straddle a part
boundary the phone starts a new part, so a long message can need one part more than
plain division says. :func:`sms_length` counts that exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

#: GSM 03.38 basic character set (the escape code 0x1B left out: it is not a character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: GSM 03.38 extension table: each of these is sent as escape + character (2 septets).
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
GSM7_ALL = GSM7_BASIC | GSM7_EXTENSION

#: (one-message limit, per-part limit) in septets or UTF-16 units
LIMITS: dict[str, tuple[int, int]] = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True, slots=True)
class SmsLength:
    #: length in the units the limit counts: septets for GSM-7 (extension characters
    #: count 2), UTF-16 code units for UCS-2 (an emoji outside the BMP counts 2)
    characters: int
    encoding: str  # GSM7 or UCS2
    segments: int  # 0 for an empty text


@dataclass(frozen=True, slots=True)
class Measure:
    """One piece of text measured for both encodings, so that pieces can be added up
    without looking at their characters again (the renderer measures each distinct
    cell value once, then sums per row)."""

    gsm: bool  # every character is in the GSM-7 alphabet
    septets: int  # length in GSM-7 septets (meaningful only when ``gsm``)
    units: int  # length in UTF-16 code units
    #: septet offsets (within this piece) of the two-septet extension characters
    ext_offsets: tuple[int, ...]
    #: unit offsets (within this piece) of the surrogate pairs
    pair_offsets: tuple[int, ...]


_EMPTY = Measure(True, 0, 0, (), ())


def measure(text: str) -> Measure:
    if not text:
        return _EMPTY
    n = len(text)
    gsm = GSM7_ALL.issuperset(text)
    # 'surrogatepass' so that a lone surrogate from a damaged file is counted, not fatal
    units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    ext_offsets: tuple[int, ...] = ()
    septets = n
    if gsm and not GSM7_EXTENSION.isdisjoint(text):
        offsets = []
        pos = 0
        for ch in text:
            if ch in GSM7_EXTENSION:
                offsets.append(pos)
                pos += 2
            else:
                pos += 1
        ext_offsets = tuple(offsets)
        septets = pos
    pair_offsets: tuple[int, ...] = ()
    if units != n:
        offsets = []
        pos = 0
        for ch in text:
            if ord(ch) > 0xFFFF:
                offsets.append(pos)
                pos += 2
            else:
                pos += 1
        pair_offsets = tuple(offsets)
    return Measure(gsm, septets, units, ext_offsets, pair_offsets)


def segment_count(total: int, double_offsets: tuple[int, ...] | list[int], encoding: str) -> int:
    """Parts needed for ``total`` units whose two-unit characters start at
    ``double_offsets`` (ascending), none of them split across a part boundary."""
    if total == 0:
        return 0
    single, per_part = LIMITS[encoding]
    if total <= single:
        return 1
    padding = 0
    for offset in double_offsets:
        # the character would take the last unit of one part and the first of the next:
        # that last unit stays empty and the character opens the next part
        if (offset + padding) % per_part == per_part - 1:
            padding += 1
    return -(-(total + padding) // per_part)


def length_of(m: Measure) -> SmsLength:
    if m.gsm:
        return SmsLength(m.septets, GSM7, segment_count(m.septets, m.ext_offsets, GSM7))
    return SmsLength(m.units, UCS2, segment_count(m.units, m.pair_offsets, UCS2))


def sms_length(text: str) -> SmsLength:
    """Characters (in the encoding's units), encoding and segments of one SMS text."""
    return length_of(measure(text))


def non_gsm_characters(text: str) -> list[str]:
    """The distinct characters that force ``text`` into UCS-2, in order of appearance
    (for a hint like "replace « and » to fit 160 characters")."""
    return [ch for ch in dict.fromkeys(text) if ch not in GSM7_ALL]

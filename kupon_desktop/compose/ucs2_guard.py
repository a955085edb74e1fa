"""The characters that turn a cheap GSM-7 SMS into an expensive UCS-2 one, and what to type
instead.

One «ёлочка» quote, a long dash or "№" in an otherwise Latin text makes the whole message
UCS-2: 70 characters in one SMS instead of 160, 67 per part instead of 153, so a
200-character text costs three parts instead of two. :func:`advise` names every such
character of a draft's own text (placeholders are left alone: their values are the
list's), offers the safe replacements (:data:`REPLACEMENTS`; "ё" → "е" only when asked)
and a full transliteration, each with the parts it would cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from kupon_desktop.compose.sms import GSM7, GSM7_ALL, SmsLength, sms_length

#: characters with a GSM-7 look-alike that reads the same in a message
REPLACEMENTS: dict[str, str] = {
    "«": '"',
    "»": '"',
    "„": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "—": "-",
    "–": "-",
    "−": "-",
    "‑": "-",
    "№": "N",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "•": "*",
    "×": "x",
    "`": "'",
    "´": "'",
}

#: replaced only when the user chooses: a change of spelling, not of typography
YO: dict[str, str] = {"ё": "е", "Ё": "Е"}

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip


def transliterate_char(ch: str) -> str:
    low = ch.lower()
    if low in _TRANSLIT:
        out = _TRANSLIT[low]
        return out.capitalize() if ch != low else out
    return REPLACEMENTS.get(ch, ch)


@dataclass(frozen=True)
class Option:
    """One way to rewrite the text, and what it then costs."""

    text: str
    length: SmsLength
    #: characters that still force UCS-2 after this rewrite
    remaining: tuple[str, ...]


@dataclass(frozen=True)
class Ucs2Advice:
    #: (position in the text, character) of each character that forces UCS-2
    culprits: tuple[tuple[int, str], ...]
    before: SmsLength
    #: the typographic characters replaced (and "ё" if asked)
    replaced: Option
    #: everything in Latin letters
    transliterated: Option

    @property
    def helps(self) -> bool:
        """The replacements alone make it cheaper."""
        return self.replaced.length.segments < self.before.segments

    def as_json(self) -> dict[str, object]:
        return {
            "characters": sorted({ch for _, ch in self.culprits}),
            "positions": [i for i, _ in self.culprits],
            "segments": self.before.segments,
            "replaced": {
                "text": self.replaced.text,
                "segments": self.replaced.length.segments,
                "encoding": self.replaced.length.encoding,
                "remaining": list(self.replaced.remaining),
            },
            "transliterated": {
                "text": self.transliterated.text,
                "segments": self.transliterated.length.segments,
                "encoding": self.transliterated.length.encoding,
            },
        }


def _literal_spans(text: str) -> list[tuple[int, int]]:
    """The parts of a template outside its ``{placeholders}`` (``{{`` and ``}}`` are
    literal braces), as (start, end) positions."""
    spans: list[tuple[int, int]] = []
    i, start, n = 0, 0, len(text)
    while i < n:
        if text.startswith("{{", i) or text.startswith("}}", i):
            i += 2
            continue
        if text[i] == "{":
            close = text.find("}", i)
            if close == -1:
                break
            spans.append((start, i))
            i = start = close + 1
            continue
        i += 1
    spans.append((start, n))
    return [(a, b) for a, b in spans if b > a]


def _rewrite(text: str, table: dict[str, str] | None, translit: bool) -> str:
    out: list[str] = []
    last = 0
    for a, b in _literal_spans(text):
        out.append(text[last:a])
        part = text[a:b]
        if translit:
            part = "".join(transliterate_char(ch) for ch in part)
        elif table:
            part = "".join(table.get(ch, ch) for ch in part)
        out.append(part)
        last = b
    out.append(text[last:])
    return "".join(out)


def _literal(text: str) -> str:
    """The template's own characters (placeholders left out): what the advice measures;
    the values a placeholder takes are the list's, measured per recipient by Check."""
    return "".join(text[a:b] for a, b in _literal_spans(text))


def _option(text: str) -> Option:
    own = _literal(text)
    remaining = tuple(dict.fromkeys(ch for ch in own if ch not in GSM7_ALL))
    return Option(text, sms_length(own), remaining)


def advise(text: str, *, yo: bool = False) -> Ucs2Advice | None:
    """What makes ``text`` (a template) UCS-2 and how to avoid it; None when it already
    travels as GSM-7 (or has no character of its own that forces UCS-2)."""
    culprits = tuple(
        (i, text[i])
        for a, b in _literal_spans(text)
        for i in range(a, b)
        if text[i] not in GSM7_ALL
    )
    before = sms_length(_literal(text))
    if not culprits or before.encoding == GSM7:
        return None
    table = {**REPLACEMENTS, **YO} if yo else REPLACEMENTS
    return Ucs2Advice(
        culprits,
        before,
        _option(_rewrite(text, table, translit=False)),
        _option(_rewrite(text, None, translit=True)),
    )

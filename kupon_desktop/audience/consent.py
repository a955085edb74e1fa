"""Consent to advertising: finding the column that records it and reading its values.

Russian advertising law (38-FZ "On Advertising", art. 18) allows an advertising message
only with the recipient's prior consent, which the sender must be able to prove. A list
may carry a column for it ("Согласие", "Consent", "Opt-in", "Подписка"); its value is a
date (when consent was given), or yes/no in one of the usual spellings. An empty cell
is no consent: nothing proves one.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any


class Consent(enum.IntEnum):
    YES = 1
    NO = 0
    EMPTY = -1  # nothing written: no proof of consent
    UNREADABLE = -2  # written, but neither a date nor yes/no: counted as no consent


_YES = frozenset(
    {
        "да",
        "д",
        "yes",
        "y",
        "1",
        "1.0",
        "true",
        "истина",
        "+",
        "✓",
        "✔",
        "v",
        "x",
        "ok",
        "есть",
        "согласен",
        "согласна",
        "согласие",
        "согласие есть",
        "согласие дано",
        "дано",
        "получено",
        "подписан",
        "подписана",
        "подписка",
        "подписан а",
        "opt in",
        "optin",
        "opted in",
        "subscribed",
        "agreed",
        "consent",
        "granted",
    }
)
_NO = frozenset(
    {
        "нет",
        "н",
        "no",
        "n",
        "0",
        "0.0",
        "false",
        "ложь",
        "-",
        "—",
        "–",
        "отказ",
        "отказался",
        "отказалась",
        "не согласен",
        "не согласна",
        "нет согласия",
        "согласия нет",
        "отписан",
        "отписана",
        "отписался",
        "отписалась",
        "opt out",
        "optout",
        "opted out",
        "unsubscribed",
        "declined",
        "refused",
        "none",
    }
)
_HEADER_STEMS = ("соглас", "consent", "optin", "подписк", "подписан", "subscri", "gdpr")
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y.%m.%d")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def detect_consent_column(columns: Iterable[str]) -> str | None:
    """The first column whose header speaks of consent or opt-in (``Согласие на
    рассылку``, ``Consent``, ``Opt-in``, ``Подписка``), or None."""
    for name in columns:
        text = (
            name.casefold().replace("ё", "е").replace("opt-in", "optin").replace("opt in", "optin")
        )
        words = re.findall(r"[^\W_]+", text)
        if any(w.startswith(_HEADER_STEMS) for w in words):
            return name
    return None


def _is_date(text: str) -> bool:
    bare = _TIME_TAIL.sub("", text)
    try:
        datetime.fromisoformat(text)
        return True
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            datetime.strptime(bare, fmt)
            return True
        except ValueError:
            continue
    return False


def is_blank(value: Any) -> bool:
    """None, NaN or pandas' NA (whose ``!=`` answers NA, which has no truth value)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def read_consent(value: Any) -> Consent:
    """One cell: YES for a date or a yes, NO for a no, EMPTY for a blank cell,
    UNREADABLE for anything else."""
    if is_blank(value):
        return Consent.EMPTY
    text = " ".join(str(value).casefold().replace("ё", "е").split()).rstrip(".!")
    if not text:
        return Consent.EMPTY
    words = " ".join(re.findall(r"[^\W_]+", text))  # "opt-in" -> "opt in"
    if text in _YES or words in _YES:
        return Consent.YES
    if text in _NO or words in _NO:
        return Consent.NO
    if _is_date(text):
        return Consent.YES
    return Consent.UNREADABLE


def read_consents(values: Sequence[Any]) -> list[Consent]:
    """:func:`read_consent` of each value; each distinct value is read once."""
    seen: dict[Any, Consent] = {}
    out = []
    for v in values:
        if is_blank(v):
            out.append(Consent.EMPTY)
            continue
        found = seen.get(v)
        if found is None:
            found = seen[v] = read_consent(v)
        out.append(found)
    return out

"""Searching a list the way people type a phone number.

Phones are stored normalized (``79161234567``); people search for ``8 (916) 123-45-67``,
``+7 916 123``, ``916 123`` or ``8 (916) 555``. A query made only of digits and the
signs phones are written with is reduced to its digits; a leading national prefix
(``8`` in Russia) also matches as the country code (``7``) at the start of a number.
Any query also matches as plain text, case-insensitively, in every column, so names,
e-mails and notes are found as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: a query typed like a phone: digits, spaces and the signs numbers are written with
_PHONEISH = re.compile(r"\+?[\d\s\-().\u00a0]+")
#: the signs a phone is written with, besides its digits (any run of them)
_SIGNS = r"[\s\-().+/\x{00a0}]*"
#: fewer digits than this are too short to be read as a piece of a number
MIN_DIGITS = 3
#: the national prefix and the country code it stands for (Russia)
NATIONAL_PREFIX, COUNTRY_CODE = "8", "7"


def phone_patterns(query: str) -> tuple[str, str | None] | None:
    """``(digits, prefix)`` for a phone-like query: ``digits`` match anywhere in a
    number, ``prefix`` (or None) at its start (``8 (916) 555`` -> ``("8916555",
    "7916555")``). None for any other query."""
    text = query.strip()
    if not _PHONEISH.fullmatch(text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < MIN_DIGITS:
        return None
    prefix = None
    if digits.startswith(NATIONAL_PREFIX) and not text.startswith("+") and len(digits) > 1:
        prefix = COUNTRY_CODE + digits[1:]
    return digits, prefix


def _spaced(digits: str) -> str:
    return _SIGNS.join(digits)


def _as_strings(column: Any) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not isinstance(column, pa.Array):
        try:  # pandas columns and arrays, arrow-backed or not
            column = pa.array(column, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            column = pa.array([None if v is None else str(v) for v in column], pa.string())
    if column.type != pa.string():
        column = pc.cast(column, pa.string())
    return column


def search_mask(columns: Iterable[Any], query: str) -> np.ndarray | None:
    """True for each row where a column matches ``query`` (see the module's docstring);
    None for an empty query (no filter). ``columns`` are aligned arrays (pyarrow, pandas
    or sequences); any value is compared as text."""
    text = query.strip()
    if not text:
        return None
    phone = phone_patterns(text)
    folded = text.casefold()
    mask: np.ndarray | None = None
    for column in columns:
        values = _as_strings(column)
        if mask is None:
            mask = np.zeros(len(values), dtype=bool)
        hit = pc.match_substring(pc.utf8_lower(values), folded.lower())
        if phone is not None:
            digits, prefix = phone
            # the digits in order, with any of the signs numbers are written with
            # between them: "8 (916) 555" in a note or a name column is found too
            hit = pc.or_kleene(hit, pc.match_substring_regex(values, _spaced(digits)))
            if prefix is not None:
                hit = pc.or_kleene(
                    hit, pc.match_substring_regex(values, "^" + _SIGNS + _spaced(prefix))
                )
        mask |= pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    return mask if mask is not None else np.zeros(0, dtype=bool)

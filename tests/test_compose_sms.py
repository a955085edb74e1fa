"""SMS length: GSM-7 with its extension table vs UCS-2 with surrogate pairs, segments."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kupon_desktop.compose import GSM7, UCS2, sms_length
from kupon_desktop.compose.sms import GSM7_BASIC, GSM7_EXTENSION, non_gsm_characters


@pytest.mark.parametrize(
    ("text", "characters", "encoding", "segments"),
    [
        ("", 0, GSM7, 0),
        ("Hello", 5, GSM7, 1),
        ("a" * 160, 160, GSM7, 1),
        ("a" * 161, 161, GSM7, 2),
        ("a" * 306, 306, GSM7, 2),
        ("a" * 307, 307, GSM7, 3),
        # the extension table: two septets each
        ("€", 2, GSM7, 1),
        ("Price: 10€", 11, GSM7, 1),
        ("[", 2, GSM7, 1),
        ("~", 2, GSM7, 1),
        ("^{}\\|]", 12, GSM7, 1),
        ("€" * 80, 160, GSM7, 1),
        ("€" * 81, 162, GSM7, 2),
        ("a" * 159 + "[", 161, GSM7, 2),
        # GSM-7 letters outside ASCII stay GSM-7
        ("Über? Ja: Ä, é, Δ", 17, GSM7, 1),
        # anything else makes the whole message UCS-2
        ("Привет", 6, UCS2, 1),
        ("Я" * 70, 70, UCS2, 1),
        ("Я" * 71, 71, UCS2, 2),
        ("Я" * 134, 134, UCS2, 2),
        ("Я" * 135, 135, UCS2, 3),
        ("Цена 10€", 8, UCS2, 1),  # in UCS-2 € is one unit like any other
        ("`backtick`", 10, UCS2, 1),  # ` is ASCII but not GSM-7
        # an emoji outside the BMP is a surrogate pair: two units
        ("😀", 2, UCS2, 1),
        ("Hi 😀", 5, UCS2, 1),
        ("😀" * 35, 70, UCS2, 1),
        ("😀" * 36, 72, UCS2, 2),
        ("Привет, Иван! 🎉", 16, UCS2, 1),
    ],
)
def test_known_strings(text: str, characters: int, encoding: str, segments: int) -> None:
    result = sms_length(text)
    assert (result.characters, result.encoding, result.segments) == (
        characters,
        encoding,
        segments,
    )


def test_extension_character_is_not_split_between_parts() -> None:
    # 152 + 2 + 152 = 306 septets would fit 2 parts of 153, but the € would take the
    # last septet of part 1 and the first of part 2: it moves, and a third part follows
    text = "a" * 152 + "€" + "a" * 152
    result = sms_length(text)
    assert (result.characters, result.encoding, result.segments) == (306, GSM7, 3)
    # one septet earlier it fits in part 1 exactly
    shifted = sms_length("a" * 151 + "€" + "a" * 153)
    assert (shifted.characters, shifted.segments) == (306, 2)


def test_surrogate_pair_is_not_split_between_parts() -> None:
    result = sms_length("Я" * 66 + "😀" + "Я" * 66)
    assert (result.characters, result.encoding, result.segments) == (134, UCS2, 3)
    assert sms_length("Я" * 65 + "😀" + "Я" * 67).segments == 2


def test_alphabet_tables() -> None:
    assert len(GSM7_BASIC) == 127  # 128 codes less the escape
    assert set("€[]~^{}\\|") <= GSM7_EXTENSION
    assert GSM7_BASIC.isdisjoint(GSM7_EXTENSION)
    assert non_gsm_characters("Hi «Иван» €") == ["«", "И", "в", "а", "н", "»"]


def _reference(text: str) -> tuple[int, str, int]:
    """Pack character by character, as a phone does."""
    gsm = all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)
    if gsm:
        widths = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        single, per_part = 160, 153
    else:
        widths = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
        single, per_part = 70, 67
    total = sum(widths)
    if total == 0:
        return 0, GSM7, 0
    if total <= single:
        return total, GSM7 if gsm else UCS2, 1
    parts, used = 1, 0
    for w in widths:
        if used + w > per_part:
            parts += 1
            used = 0
        used += w
    return total, GSM7 if gsm else UCS2, parts


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aZ €[~Я😀\n")), max_size=420),
)
def test_matches_character_by_character_packing(text: str) -> None:
    result = sms_length(text)
    assert (result.characters, result.encoding, result.segments) == _reference(text)

"""De-duplication by the address a message type uses: the first occurrence wins and each
dropped row names the row it repeats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kupon_desktop.contacts import Duplicate
from kupon_desktop.contacts.dedupe import dedupe


def _contacts(rows: list[tuple[int, str | None, str | None, str | None]]) -> pd.DataFrame:
    dtype = pd.StringDtype("pyarrow")
    return pd.DataFrame(
        {
            "row": pd.Series([r[0] for r in rows], dtype="int64"),
            "phone": pd.Series([r[1] for r in rows], dtype=dtype),
            "email": pd.Series([r[2] for r in rows], dtype=dtype),
            "push_token": pd.Series([r[3] for r in rows], dtype=dtype),
        }
    )


CONTACTS = _contacts(
    [
        (2, "79161234567", "a@mail.ru", None),
        (3, "79161234567", "b@mail.ru", "tok-1"),
        (4, None, "A@mail.ru", "tok-1"),
        (5, "79031112233", None, None),
        (7, None, None, None),
        (8, None, None, None),
        (9, "79031112233", "c@mail.ru", None),
    ]
)


@pytest.mark.parametrize(
    ("by", "kept", "duplicates"),
    [
        ("phone", [2, 4, 5, 7, 8], [(3, 2), (9, 5)]),
        ("email", [2, 3, 5, 7, 8, 9], [(4, 2)]),  # e-mails compare case-insensitively
        ("push_token", [2, 3, 5, 7, 8, 9], [(4, 3)]),
        ("phone_or_email", [2, 4, 5, 7, 8], [(3, 2), (9, 5)]),
        ("all", [2, 3, 4, 5, 7, 8, 9], []),
    ],
)
def test_dedupe_by_each_address(by, kept, duplicates) -> None:
    mask, found = dedupe(CONTACTS, by)
    assert isinstance(mask, np.ndarray) and mask.dtype == bool
    assert CONTACTS["row"][mask].tolist() == kept
    assert found == [Duplicate(r, s) for r, s in duplicates]


def test_phone_or_email_uses_the_email_only_without_a_phone() -> None:
    contacts = _contacts(
        [
            (2, None, "x@mail.ru", None),
            (3, "79161234567", "x@mail.ru", None),  # has a phone: its key is the phone
            (4, None, "X@MAIL.RU", None),
        ]
    )
    mask, found = dedupe(contacts, "phone_or_email")
    assert mask.tolist() == [True, True, False]
    assert found == [Duplicate(4, 2)]


def test_all_drops_only_full_repeats() -> None:
    contacts = _contacts(
        [
            (2, "79161234567", None, None),
            (3, "79161234567", None, None),
            (4, "79161234567", "a@mail.ru", None),
            (5, "79161234567", "a@mail.ru", None),
        ]
    )
    mask, found = dedupe(contacts, "all")
    assert mask.tolist() == [True, False, True, False]
    assert found == [Duplicate(3, 2), Duplicate(5, 4)]


def test_a_subset_and_an_empty_frame() -> None:
    subset = CONTACTS.iloc[[1, 3, 6]]
    mask, found = dedupe(subset, "phone")
    assert mask.tolist() == [True, True, False]
    assert found == [Duplicate(9, 5)]
    mask, found = dedupe(CONTACTS.iloc[:0], "email")
    assert mask.tolist() == [] and found == []


def test_unknown_key() -> None:
    with pytest.raises(ValueError, match="fax"):
        dedupe(CONTACTS, "fax")  # type: ignore[arg-type]

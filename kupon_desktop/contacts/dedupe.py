"""De-duplication: the first occurrence of an address wins; each later one is reported
with the row it repeats.

Keys are integer codes (phones as numbers, e-mails and tokens through pyarrow's hash
encoding), so a million contacts de-duplicate in a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kupon_desktop.contacts.result import Duplicate

DedupeBy = Literal["phone", "email", "push_token", "phone_or_email"]
#: "all": the same phone, e-mail and push token together (what the import does before a
#: message type is chosen, so no type loses a recipient)
DedupeMode = DedupeBy | Literal["all"]


def address_codes(values: pa.Array, kind: str) -> np.ndarray:
    """An integer per value, equal for equal addresses, -1 for null. Phones compare as
    numbers; e-mails case-insensitively (mailboxes are case-insensitive in practice, and
    sending twice is the worse harm); tokens exactly."""
    if kind == "phone":
        # normalized phones are at most 15 digits: an int64 hashes faster than a string
        numbers = pc.cast(values, pa.int64()).fill_null(-1).to_numpy()
        codes: np.ndarray = pd.factorize(numbers)[0].astype(np.int64)
        codes[numbers == -1] = -1
        return codes
    if values.null_count == len(values):
        return np.full(len(values), -1, dtype=np.int64)
    if kind == "email":
        values = pc.utf8_lower(values)
    # Arrow numbers distinct values densely in order of first appearance.
    encoded = pc.dictionary_encode(values)
    indices: np.ndarray = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return indices.astype(np.int64)


def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    width = int(b.max()) + 2 if len(b) else 1
    codes: np.ndarray = pd.factorize((a + 1) * width + (b + 1))[0]
    return codes.astype(np.int64)


def dedupe_codes(
    row: np.ndarray, codes: Mapping[str, np.ndarray], by: DedupeMode
) -> tuple[np.ndarray, list[Duplicate]]:
    """De-duplicate rows given each address's :func:`address_codes`."""
    n = len(row)
    if n == 0:
        return np.ones(0, dtype=bool), []
    if by in ("phone", "email", "push_token"):
        key = codes[by]
    elif by == "phone_or_email":
        # what "bulk" sends to: the phone when there is one, else the e-mail
        p, e = codes["phone"], codes["email"]
        key = np.where(p >= 0, p, np.where(e >= 0, int(p.max()) + 1 + e, -1))
    elif by == "all":
        p, e, t = codes["phone"], codes["email"], codes["push_token"]
        missing = (p < 0) & (e < 0) & (t < 0)
        key = _combine(_combine(p, e), t) if (t >= 0).any() else _combine(p, e)
        key[missing] = -1
    else:
        raise ValueError(f"unknown de-duplication key {by!r}")
    missing = key < 0
    ordered = pd.factorize(key)[0]
    # pandas numbers codes in order of first appearance, so a row is a first occurrence
    # exactly when its code exceeds every code before it.
    running = np.maximum.accumulate(ordered)
    first = np.empty(n, dtype=bool)
    first[0] = True
    first[1:] = ordered[1:] > running[:-1]
    first_at = np.flatnonzero(first)
    dropped = ~first & ~missing
    at = np.flatnonzero(dropped)
    same = first_at[ordered[at]]
    duplicates = [
        Duplicate(int(r), int(s)) for r, s in zip(row[at].tolist(), row[same].tolist(), strict=True)
    ]
    return ~dropped, duplicates


def dedupe_arrays(
    row: np.ndarray,
    phone: pa.Array,
    email: pa.Array,
    push_token: pa.Array,
    by: DedupeMode,
) -> tuple[np.ndarray, list[Duplicate]]:
    needed = {
        "phone": ("phone",),
        "email": ("email",),
        "push_token": ("push_token",),
        "phone_or_email": ("phone", "email"),
        "all": ("phone", "email", "push_token"),
    }.get(by)
    if needed is None:
        raise ValueError(f"unknown de-duplication key {by!r}")
    values = {"phone": phone, "email": email, "push_token": push_token}
    return dedupe_codes(row, {k: address_codes(values[k], k) for k in needed}, by)


def _column(contacts: pd.DataFrame, name: str) -> pa.Array:
    if name not in contacts:
        return pa.nulls(len(contacts), pa.string())
    arr = pa.array(contacts[name], from_pandas=True)
    return arr.cast(pa.string()) if arr.type != pa.string() else arr


def dedupe(contacts: pd.DataFrame, by: DedupeMode) -> tuple[np.ndarray, list[Duplicate]]:
    """``(kept_mask, duplicates)`` for ``contacts`` (an ``ImportResult.contacts`` frame or
    a subset of it) de-duplicated by the address a message type uses. ``kept_mask`` is a
    bool array in ``contacts`` order; a row without that address is kept (never counted
    as a duplicate): dropping it for lack of an address is the caller's decision.
    E-mails compare case-insensitively."""
    return dedupe_arrays(
        contacts["row"].to_numpy(dtype=np.int64),
        _column(contacts, "phone"),
        _column(contacts, "email"),
        _column(contacts, "push_token"),
        by,
    )

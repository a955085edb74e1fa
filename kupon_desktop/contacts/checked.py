"""What a column normalizer returns, and the loop that sends the undecided values to a
library one by one.

A column normalizer (phones, e-mails) takes a whole column as a pyarrow string array and
decides most values with a few vectorized passes; only the values its fast path cannot
decide go through the library, once per distinct value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kupon_desktop.contacts.errors import ImportCancelled


@dataclass(frozen=True)
class CellExtra:
    """What a cell held beside the address that was taken from it: a note written next
    to it ("(Маша)", "доб. 12") and further addresses ("89161234569, 89031234560")."""

    note: str = ""
    #: the other addresses, normalized, in the cell's order
    more: tuple[str, ...] = ()
    #: what the note was: "note" (words beside the number) or "extension" ("доб. 12")
    kind: str = "note"


#: check one value: (normalized, None) | (None, reason code) | (None, None) for blank,
#: optionally with a third item, the :class:`CellExtra` found beside the address
CheckOne = Callable[[str], tuple[str | None, str | None] | tuple[str | None, str | None, Any]]

#: how many values the library loop handles between two looks at the cancel event
_CANCEL_STRIDE = 2048


@dataclass(frozen=True)
class CheckedColumn:
    """One column after normalization, aligned with the input."""

    #: normalized text, null where the input was blank or rejected
    normalized: pa.Array
    #: positions (into the input) of the rejected values, ascending
    rejected_at: np.ndarray
    #: the reason code of each rejected position
    rejected_codes: list[str]
    #: how many values went through the library rather than the fast path
    slow_count: int
    #: position -> what the cell held beside its address (notes, further addresses)
    extras: dict[int, CellExtra] = field(default_factory=dict)


def concat_checked(parts: list[CheckedColumn], starts: list[int]) -> CheckedColumn:
    """Checked slices of one column (``starts``: where each began) as one column."""
    rejected = [part.rejected_at + start for part, start in zip(parts, starts, strict=True)]
    return CheckedColumn(
        pa.concat_arrays([part.normalized for part in parts]),
        np.concatenate(rejected) if rejected else np.zeros(0, np.int64),
        [code for part in parts for code in part.rejected_codes],
        sum(part.slow_count for part in parts),
        {
            pos + start: extra
            for part, start in zip(parts, starts, strict=True)
            for pos, extra in part.extras.items()
        },
    )


def as_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


def finish_with_library(
    raw: pa.Array,
    fast: pa.Array,
    undecided: pa.Array,
    check_one: CheckOne,
    cancel: threading.Event | None,
) -> CheckedColumn:
    """Run ``check_one`` over the ``undecided`` positions of ``raw`` and merge its answers
    into ``fast`` (the fast path's normalized values, null where it did not decide)."""
    positions = np.flatnonzero(np.asarray(undecided.fill_null(False), dtype=bool))
    if len(positions) == 0:
        return CheckedColumn(fast, np.empty(0, dtype=np.int64), [], 0)
    values = raw.take(pa.array(positions)).to_pylist()
    cache: dict[str, tuple[Any, ...]] = {}
    ok_at: list[int] = []
    ok_values: list[str] = []
    bad_at: list[int] = []
    bad_codes: list[str] = []
    extras: dict[int, CellExtra] = {}
    for k, (pos, value) in enumerate(zip(positions.tolist(), values, strict=True)):
        if cancel is not None and k % _CANCEL_STRIDE == 0 and cancel.is_set():
            raise ImportCancelled()
        answer = cache.get(value)
        if answer is None:
            answer = cache[value] = check_one(value)
        normalized, code = answer[0], answer[1]
        if len(answer) > 2 and answer[2] is not None:
            extras[pos] = answer[2]
        if normalized is not None:
            ok_at.append(pos)
            ok_values.append(normalized)
        elif code is not None:
            bad_at.append(pos)
            bad_codes.append(code)
    if ok_at:
        mask = np.zeros(len(raw), dtype=bool)
        mask[ok_at] = True
        fast = pc.replace_with_mask(fast, pa.array(mask), pa.array(ok_values, pa.string()))
    return CheckedColumn(
        fast, np.asarray(bad_at, dtype=np.int64), bad_codes, len(positions), extras
    )


def not_blank(raw: pa.Array) -> pa.Array:
    """True where the value has anything but ASCII whitespace. Values that are only
    Unicode spaces count as not blank here; the library check then calls them blank,
    so the answer is the same either way."""
    return pc.fill_null(pc.not_equal(pc.ascii_trim_whitespace(raw), ""), False)


def _utf8_bytes(raw: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (relative to the data) and the UTF-8 bytes of a string array."""
    n = len(raw)
    _, offsets_buf, data_buf = raw.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[raw.offset : raw.offset + n + 1]
    lo, hi = int(offsets[0]), int(offsets[-1])
    data = (
        np.frombuffer(data_buf, dtype=np.uint8)[lo:hi]
        if data_buf is not None
        else np.zeros(0, np.uint8)
    )
    return offsets - lo, data


def contains_byte(raw: pa.Array, char: bytes) -> bool:
    """Whether any value holds the ASCII character ``char`` (a cheap test that lets a
    regex pass be skipped when it cannot change anything)."""
    if raw.type != pa.string():
        raw = raw.cast(pa.string())
    return bool((_utf8_bytes(raw)[1] == ord(char)).any())


def strip_ascii(raw: pa.Array, chars: bytes, nbsp: bool = True) -> pa.Array:
    """``raw`` with every byte in ``chars`` (ASCII) removed, and the no-break space too
    when ``nbsp``: one numpy pass over the UTF-8 bytes instead of one replace per
    character. Nulls become empty strings."""
    if raw.null_count:
        raw = pc.fill_null(raw, "")
    if raw.type != pa.string():
        raw = raw.cast(pa.string())
    n = len(raw)
    offsets, data = _utf8_bytes(raw)
    drop = np.zeros(len(data), dtype=bool)
    for ch in chars:
        drop |= data == ch
    if nbsp and len(data) > 1:
        # U+00A0 is C2 A0 in UTF-8; C2 only ever starts a character, so the pair is exact
        pair = (data[:-1] == 0xC2) & (data[1:] == 0xA0)
        drop[:-1] |= pair
        drop[1:] |= pair
    if not drop.any():
        return raw
    # bytes kept before each position; int32 is enough (a string array's offsets are
    # int32) and a uint8 view sums four times faster than the bools cast to int64
    kept = np.empty(len(data) + 1, dtype=np.int32)
    kept[0] = 0
    np.cumsum((~drop).view(np.uint8), dtype=np.int32, out=kept[1:])
    new_offsets = kept[offsets]
    return pa.StringArray.from_buffers(n, pa.py_buffer(new_offsets), pa.py_buffer(data[~drop]))

"""The rows of a file staged for a merge into the contact base (SQLite).

The importer holds a file's columns as Arrow arrays. ADBC's SQLite driver writes them
into a scratch database beside the log, binding each cell from the Arrow buffers in C;
the log's connection attaches that file and merges from it with set operations, then
detaches it and the file is removed. Python's ``executemany`` needs a Python object
per cell: for a million rows (phone, e-mail, one field) 1.6–1.9 s of CPU here, plus
0.5–1.2 s to turn the importer's columns into lists, against 0.7–1.0 s through the
driver (``benchmarks/README.md``, the contact base).

The staged table, ``stage.base_in``, has a row per file row: ``pos`` (the id a new
contact gets), the file's row number, phone, e-mail, the consent cell read and its
wording, ``f0``… (one column per field, in ``field_names`` order) or ``fields_json``
(a JSON object per row, for callers that have one); then the columns the merge fills:
the contact found by phone (``pid``) and by e-mail (``eid``), a new contact's id when
``pos`` cannot be it (``nid``), why a row is refused (``why``), and ``id``, the contact
the row merges into. ``phone_again`` / ``email_again`` are 1 where the row's phone or
e-mail is an earlier row's too (worked out from the columns, null otherwise): two rows
bringing one new address would make two contacts of it.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import pyarrow as pa

    from kupon_desktop.store.base import Incoming


class ArrowColumn(Sequence[Any]):
    """An Arrow array seen as a sequence of Python values, converted once on first use.
    The merge stages the array itself; only a caller that reads the cells (a test, a
    baseline, a client sending them as JSON) pays for Python objects."""

    def __init__(self, array: pa.Array | pa.ChunkedArray) -> None:
        self.array = array
        self._values: list[Any] | None = None

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if self._values is None:
            self._values = self.array.to_pylist()
        return self._values[index]

    def __iter__(self) -> Iterator[Any]:
        if self._values is None:
            self._values = self.array.to_pylist()
        return iter(self._values)


def _array(values: Sequence[Any], kind: pa.DataType) -> pa.Array | pa.ChunkedArray:
    import pyarrow as pa

    if isinstance(values, ArrowColumn):
        array = values.array
        if array.type == kind or (kind == pa.string() and pa.types.is_large_string(array.type)):
            return array
        return array.cast(kind)
    return pa.array(values, type=kind)


def repeats(values: pa.Array | pa.ChunkedArray) -> pa.Array | None:
    """1 where a value is an earlier one's too, null elsewhere (nulls never repeat);
    None when no value repeats."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(values) == 0 or values.null_count == len(values):
        return None
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    indices = pc.dictionary_encode(values).indices.fill_null(-1)
    codes = indices.to_numpy(zero_copy_only=False).astype(np.int64)
    # Arrow numbers the distinct values in order of first appearance: a value repeats
    # an earlier one exactly when its code is not above every code before it
    seen = np.maximum.accumulate(codes)
    again = np.zeros(len(codes), dtype=bool)
    again[1:] = (codes[1:] >= 0) & (codes[1:] <= seen[:-1])
    if not again.any():
        return None
    return pa.array(np.where(again, 1, 0), type=pa.int64(), mask=~again)


def arrow_table(incoming: Incoming, first: int) -> pa.Table:
    """The staged columns of ``incoming``; ``pos`` counts from ``first``."""
    import pyarrow as pa

    n = len(incoming.rows)
    data: dict[str, Any] = {
        "pos": pa.array(range(first, first + n), type=pa.int64()),
        "row": _array(incoming.rows, pa.int64()),
        "phone": _array(incoming.phones, pa.string()),
        "email": _array(incoming.emails, pa.string()),
    }
    for name, given in (("phone", incoming.phone_again), ("email", incoming.email_again)):
        again = repeats(data[name]) if given is None else _array(given, pa.int64())
        data[f"{name}_again"] = again if again is not None else pa.nulls(n, pa.int64())
    if incoming.consent is not None:
        data["consent"] = _array(incoming.consent, pa.int64())
        data["wording"] = _array(incoming.wording or [None] * n, pa.string())
    if incoming.columns is not None:
        if len(incoming.columns) != len(incoming.field_names):
            raise ValueError("Incoming.columns: one column per name of field_names")
        for k, column in enumerate(incoming.columns):
            data[f"f{k}"] = _array(column, pa.string())
    else:
        data["fields_json"] = _array(incoming.fields or ["{}"] * n, pa.string())
    for name, column in data.items():
        if len(column) != n:
            raise ValueError(f"Incoming: the column {name!r} has {len(column)} rows, not {n}")
    return pa.table(data)


def table_sql(incoming: Incoming, *, temporary: bool = False) -> str:
    """The staging table for ``incoming``'s columns (a temporary one on PostgreSQL)."""
    columns = ["pos INTEGER PRIMARY KEY", "row INTEGER", "phone TEXT", "email TEXT"]
    columns += ["phone_again INTEGER", "email_again INTEGER"]
    columns += ["pid INTEGER", "eid INTEGER", "nid INTEGER", "why TEXT"]
    if incoming.consent is not None:
        columns += ["consent INTEGER", "wording TEXT"]
    if incoming.columns is not None:
        columns += [f"f{k} TEXT" for k in range(len(incoming.columns))]
    else:
        columns.append("fields_json TEXT")
    columns.append("id INTEGER AS (coalesce(pid, eid, nid, pos))")
    kind = "TEMP TABLE" if temporary else "TABLE"
    return f"CREATE {kind} base_in ({', '.join(columns)})"


#: the scratch files' names begin so (then the process id and a random part)
STAGE_PREFIX = ".base-stage-"
#: a scratch file this old is a killed import's (a merge of millions takes minutes)
STALE_AFTER = 6 * 3600.0


def _remove_stale(directory: Path) -> None:
    """Scratch files a killed import left: they hold a file's contacts, and nothing else
    would ever remove them."""
    now = time.time()
    for old in directory.glob(f"{STAGE_PREFIX}*.db"):
        with suppress(OSError):
            if now - old.stat().st_mtime > STALE_AFTER:
                old.unlink()


@contextmanager
def staged_rows(directory: Path, incoming: Incoming, first: int) -> Iterator[Path]:
    """A scratch database in ``directory`` holding ``incoming`` as ``base_in``, removed
    when the block ends (kept beside the log: the rows are the user's contacts, and
    they stay on the disk the user chose for them). Written and closed before the log's
    connection attaches it: two copies of SQLite in one process (the driver has its
    own) must never have one file open at once, as closing one's descriptor drops the
    other's POSIX locks."""
    import adbc_driver_sqlite.dbapi as adbc

    _remove_stale(directory)
    table = arrow_table(incoming, first)
    path = directory / f"{STAGE_PREFIX}{os.getpid()}-{uuid.uuid4().hex}.db"
    try:
        conn = sqlite3.connect(path)
        try:
            # nothing here needs to survive a crash: the file is thrown away either way
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute(table_sql(incoming))
            conn.commit()
        finally:
            conn.close()
        with adbc.connect(str(path)) as staging, staging.cursor() as cursor:
            cursor.adbc_ingest("base_in", table, mode="append")
            staging.commit()
        del table
        yield path
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with suppress(FileNotFoundError):
                Path(str(path) + suffix).unlink()

"""The contact base: a file merged into a list, a re-import with a changed field, and a
segment (a field condition and a campaign outcome) over the whole base.

- program: ``kupon_desktop.base.importing.import_into_base`` (the importer's read and
  normalization, then one transaction in the log), re-run with every row's name
  changed; ``Log.base_count`` of a segment "Имя = X and delivered in the last campaign"
  over the base, after an SMS campaign to every contact, a third delivered;
- baseline: the naive merge a user's script would write on the same columns, one SELECT
  (by phone, else e-mail) and one INSERT or UPDATE per row, fields merged in Python
  (timed at a tenth of the size and scaled: it is linear), plus the same reading of the
  file; for the segment, the same question in Python over every row read back;
- limit: SQLite ``executemany`` of the same rows (phone, e-mail, name) into a bare table.

The note of each row has the program's CPU time (on a machine shared with others, the
wall time also holds the waits for a core), the importer's share (reading the file,
timed alone), and the load average before and after.

Targets (issue 20): 1,000,000 new contacts ≤ 5 s, the re-import ≤ 8 s, the segment
≤ 1 s. ``--quick``: 100,000 rows, targets scaled by size but not below a quarter.

Run alone: ``python -m benchmarks.bench_base [--size N] [--quick] [--json]``; in the
suite: ``python -m benchmarks --only base``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import load_average, print_rows, row
from benchmarks.data import write_csv

FULL = 1_000_000
QUICK = 100_000
TARGETS = {"import": 5.0, "reimport": 8.0, "segment": 1.0}


def _scaled(target: float, size: int) -> float:
    return target * max(size / FULL, 0.25)


def _row_json(incoming: Any) -> list[str]:
    """Each row's fields as the JSON object a naive script would keep (not timed)."""
    names = list(incoming.field_names)
    return [
        json.dumps(dict(zip(names, cells, strict=True)), ensure_ascii=False)
        for cells in zip(*incoming.columns, strict=True)
    ]


def _naive_merge(conn: sqlite3.Connection, incoming: Any) -> float:
    """One SELECT (by phone, else e-mail) and one INSERT or UPDATE per row, fields
    merged in Python."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS c (id INTEGER PRIMARY KEY, phone TEXT UNIQUE, "
        "email TEXT UNIQUE, fields TEXT)"
    )
    fields = _row_json(incoming)
    start = time.perf_counter()
    with conn:
        for phone, email, text in zip(incoming.phones, incoming.emails, fields, strict=True):
            found = conn.execute("SELECT id, fields FROM c WHERE phone = ?", (phone,)).fetchone()
            if found is None and email is not None:
                found = conn.execute(
                    "SELECT id, fields FROM c WHERE email = ?", (email,)
                ).fetchone()
            given = {k: v for k, v in json.loads(text).items() if v is not None}
            if found is None:
                conn.execute(
                    "INSERT INTO c (phone, email, fields) VALUES (?, ?, ?)",
                    (phone, email, json.dumps(given, ensure_ascii=False)),
                )
            else:
                old = json.loads(found[1])
                new = {**old, **given}
                if new != old:
                    conn.execute(
                        "UPDATE c SET fields = ? WHERE id = ?",
                        (json.dumps(new, ensure_ascii=False), found[0]),
                    )
    return time.perf_counter() - start


def _limit(db: Path, incoming: Any) -> float:
    """What this machine does at all: the same rows (phone, e-mail, first field) into a
    bare table by ``executemany``."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE bare (phone TEXT, email TEXT, fields TEXT)")
    rows = list(zip(incoming.phones, incoming.emails, incoming.columns[0], strict=True))
    start = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO bare VALUES (?, ?, ?)", rows)
    took = time.perf_counter() - start
    conn.close()
    return took


def _part(incoming: Any, part: int) -> Any:
    return type(incoming)(
        incoming.rows[:part],
        incoming.phones[:part],
        incoming.emails[:part],
        field_names=incoming.field_names,
        columns=[c[:part] for c in incoming.columns],
    )


def _timed(fn: Any) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call (the CPU time of this process: on a machine
    shared with others the wall time also holds the waits for a core)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def run(size: int, tmpdir: Path | None = None) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(dir=tmpdir) as tmp:
        return _run(size, Path(tmp))


def _run(size: int, d: Path) -> list[dict[str, Any]]:
    import pandas as pd

    from kupon_desktop.base.importing import import_into_base, incoming_from
    from kupon_desktop.contacts.importer import import_file
    from kupon_desktop.store.log import open_log
    from kupon_desktop.store.models import NewRecipient, NewStatusEvent

    load_before = load_average()
    first = write_csv(d / "contacts.csv", size)
    frame = pd.read_csv(first, dtype=str)
    city = "Имя"
    changed = frame.copy()
    changed[city] = changed[city].fillna("") + " (new)"
    changed.to_csv(d / "changed.csv", index=False)
    # the importer's part (reading and normalizing the file), alone: the rest is the merge
    t_read, _cpu, result = _timed(lambda: import_file(first, dedupe_by="phone_or_email"))
    incoming = incoming_from(result, None)
    del result
    with open_log(d / "log.db") as log:
        t_import, c_import, report = _timed(lambda: import_into_base(log, first, "Все"))
        t_reimport, c_reimport, again = _timed(
            lambda: import_into_base(log, d / "changed.csv", "Все")
        )
        # a campaign to everyone, a third delivered
        ids_rows = log.base_rows({"list": "Все"})
        recipients = [
            NewRecipient(p, "t", i, None, None)
            for i, p in zip(ids_rows.ids, ids_rows.phones, strict=True)
            if p
        ]
        del ids_rows
        cid = log.create_campaign({"type": "sms"}, "sms", recipients, name="bench")
        keys = list(range(len(recipients)))
        del recipients
        log.mark_in_flight(cid, keys)
        log.mark_accepted(cid, [(k, k + 1) for k in keys])
        log.append_status_events(NewStatusEvent(k + 1, 1, cid, k) for k in keys if k % 3 == 0)
        log.apply_status_events()
        value = str(changed[city].iloc[0])
        definition = {
            "all": [
                {"field": city, "value": value},
                {"outcome": "delivered", "campaign": "last"},
            ]
        }
        times = []
        for _ in range(3):
            took, _cpu, found = _timed(lambda: log.base_count({"segment_definition": definition}))
            times.append(took)
        t_segment = min(times)
        # the naive segment: every row read back and tested in Python
        start = time.perf_counter()
        all_rows = log.base_rows({})
        columns = log.read_columns(cid, ["address", "status"])
        delivered = {
            a for a, s in zip(columns["address"], columns["status"], strict=True) if s == 1
        }
        naive = sum(
            1
            for p, f in zip(all_rows.phones, all_rows.fields, strict=True)
            if json.loads(f).get(city) == value and p in delivered
        )
        t_naive_segment = time.perf_counter() - start
        del all_rows, columns, delivered
    # the naive merge at a tenth of the size (it is linear), scaled
    part = max(size // 10, 1)
    naive_conn = sqlite3.connect(d / "naive.db")
    # (the naive script reads the same file first: the importer's time is in both)
    naive_import = t_read + _naive_merge(naive_conn, _part(incoming, part)) * (size / part)
    changed_part = _part(incoming, part)
    changed_part.columns = [[f"{v or ''} (new)" for v in changed_part.columns[0]]]
    naive_reimport = t_read + _naive_merge(naive_conn, changed_part) * (size / part)
    naive_conn.close()
    limit = _limit(d / "limit.db", incoming)
    load_after = load_average()
    load = f"load {load_before} before, {load_after} after"
    out = []
    for name, took, baseline, lim, note in (
        (
            "import",
            t_import,
            naive_import,
            limit,
            f"added {report.added}, rejected {len(report.rejected)}; CPU {c_import:.2f} s; "
            f"of it the importer reading the file {t_read:.2f} s; {load}",
        ),
        (
            "reimport",
            t_reimport,
            naive_reimport,
            None,
            f"updated {again.updated}, unchanged {again.unchanged}; CPU {c_reimport:.2f} s; "
            f"of it the importer reading the file {t_read:.2f} s; {load}",
        ),
        (
            "segment",
            t_segment,
            t_naive_segment,
            None,
            f"{found} found (naive {naive}); best of 3; {load}",
        ),
    ):
        goal = _scaled(TARGETS[name], size)
        label = {
            "import": "base: new contacts from a CSV into a list",
            "reimport": "base: re-import with a changed field",
            "segment": "base: segment (field + last campaign delivered)",
        }[name]
        out.append(
            row(
                label,
                size,
                "s",
                took,
                target=f"≤ {goal:.2f} s",
                passed=took <= goal,
                baseline=baseline,
                limit=lim,
                note=note,
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_base")
    parser.add_argument("--size", type=int)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    size = args.size or (QUICK if args.quick else FULL)
    return print_rows(run(size), as_json=args.json)


if __name__ == "__main__":
    sys.exit(main())

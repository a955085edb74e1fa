"""The contact base: a file merged into a list, a re-import with a changed field, and a
segment (a field condition and a campaign outcome) over the whole base.

- program: ``kupon_desktop.base.importing.import_into_base`` (the importer's read and
  normalization, then one transaction of set operations), re-run with every row's city
  changed; ``Log.base_count`` of a segment "Город = X and delivered in the last campaign"
  over the base, after a campaign to every contact with statuses applied;
- baseline: the naive merge a user's script would write, one SELECT and one INSERT or
  UPDATE per row, timed on the same frames (at a tenth of the size, scaled: it is
  linear) ; for the segment, the same question in Python over every row read back;
- limit: SQLite ``executemany`` of the same rows into a bare table.

Targets (issue 20): 1,000,000 new contacts ≤ 5 s, the re-import ≤ 8 s, the segment
≤ 1 s. ``--quick``: 100,000 rows, targets scaled by size but not below a quarter.

Run alone: ``python -m benchmarks.bench_base [--size N] [--quick] [--json]``.
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

from benchmarks.common import print_rows, row
from benchmarks.data import write_csv

FULL = 1_000_000
QUICK = 100_000
TARGETS = {"import": 5.0, "reimport": 8.0, "segment": 1.0}


def _scaled(target: float, size: int) -> float:
    return target * max(size / FULL, 0.25)


def _naive_merge(db: Path, incoming: Any) -> float:
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE c (id INTEGER PRIMARY KEY, phone TEXT UNIQUE, email TEXT UNIQUE, fields TEXT)"
    )
    start = time.perf_counter()
    with conn:
        for phone, email, fields in zip(
            incoming.phones, incoming.emails, incoming.fields, strict=True
        ):
            found = conn.execute("SELECT id, fields FROM c WHERE phone = ?", (phone,)).fetchone()
            if found is None:
                conn.execute(
                    "INSERT INTO c (phone, email, fields) VALUES (?, ?, ?)", (phone, email, fields)
                )
            else:
                old = json.loads(found[1])
                old.update({k: v for k, v in json.loads(fields).items() if v is not None})
                conn.execute("UPDATE c SET fields = ? WHERE id = ?", (json.dumps(old), found[0]))
    took = time.perf_counter() - start
    conn.close()
    return took


def _limit(db: Path, incoming: Any) -> float:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE bare (phone TEXT, email TEXT, fields TEXT)")
    start = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO bare VALUES (?, ?, ?)",
            zip(incoming.phones, incoming.emails, incoming.fields, strict=True),
        )
    took = time.perf_counter() - start
    conn.close()
    return took


def run(size: int) -> list[dict[str, Any]]:
    import pandas as pd

    from kupon_desktop.base.importing import import_into_base, incoming_from
    from kupon_desktop.contacts.importer import import_file
    from kupon_desktop.store.log import open_log
    from kupon_desktop.store.models import NewRecipient

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        first = write_csv(d / "contacts.csv", size)
        frame = pd.read_csv(first, dtype=str)
        city = "Имя"
        changed = frame.copy()
        changed[city] = changed[city].fillna("") + " (new)"
        changed.to_csv(d / "changed.csv", index=False)
        with open_log(d / "log.db") as log:
            start = time.perf_counter()
            report = import_into_base(log, first, "Все")
            t_import = time.perf_counter() - start
            start = time.perf_counter()
            again = import_into_base(log, d / "changed.csv", "Все")
            t_reimport = time.perf_counter() - start
            # a campaign to everyone, a third delivered
            ids_rows = log.base_rows({"list": "Все"})
            recipients = [
                NewRecipient(p, "t", i, None, None)
                for i, p in zip(ids_rows.ids, ids_rows.phones, strict=True)
                if p
            ]
            cid = log.create_campaign({"type": "sms"}, "sms", recipients, name="bench")
            keys = list(range(len(recipients)))
            log.mark_in_flight(cid, keys)
            log.mark_accepted(cid, [(k, k + 1) for k in keys])
            from kupon_desktop.store.models import NewStatusEvent

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
                start = time.perf_counter()
                found = log.base_count({"segment_definition": definition})
                times.append(time.perf_counter() - start)
            t_segment = min(times)
            # the naive segment: every row read back and tested in Python
            start = time.perf_counter()
            all_rows = log.base_rows({})
            delivered = set(log.read_columns(cid, ["address", "status"])["address"])
            naive = sum(
                1
                for p, f in zip(all_rows.phones, all_rows.fields, strict=True)
                if json.loads(f).get(city) == value and p in delivered
            )
            t_naive_segment = time.perf_counter() - start
            del naive
            incoming = incoming_from(import_file(first, dedupe_by="phone_or_email"), None)
        part = max(size // 10, 1)
        sub = type(incoming)(
            incoming.rows[:part],
            incoming.phones[:part],
            incoming.emails[:part],
            incoming.fields[:part],
        )
        base_import = _naive_merge(d / "naive.db", sub) * (size / part)
        limit = _limit(d / "limit.db", incoming)
    for name, took, target, baseline, lim, note in (
        (
            "import",
            t_import,
            TARGETS["import"],
            base_import,
            limit,
            f"added {report.added}, rejected {len(report.rejected)}",
        ),
        (
            "reimport",
            t_reimport,
            TARGETS["reimport"],
            base_import * 1.5,
            None,
            f"updated {again.updated}, unchanged {again.unchanged}",
        ),
        ("segment", t_segment, TARGETS["segment"], t_naive_segment, None, f"{found} found"),
    ):
        goal = _scaled(target, size)
        label = {
            "import": "base: new contacts from a CSV into a list",
            "reimport": "base: re-import with a changed field",
            "segment": "base: segment (field + last campaign delivered)",
        }[name]
        rows.append(
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
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    size = args.size or (QUICK if args.quick else FULL)
    rows = run(size)
    print_rows(rows, as_json=args.json)
    return 0 if all(r["pass"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

"""``kupon-desktop contacts FILE --json``: the whole list printed as one JSON document.

Each figure is measured in a fresh interpreter writing to ``/dev/null``, in the same run:

- program: ``contacts.command.write_json`` after the import (the contacts streamed, each
  chunk's rows joined by arrow from their columns' JSON texts);
- baseline: the way it was done before: the whole document built as Python dicts and
  lists, then ``json.dump`` (184 s and 3.2 GB for a 2.9 M-row, 200 MB CSV);
- limit: the import alone (no output at all), which no output can beat.

Two rows: the time, and the peak resident memory (the same runs). Targets: ≥ 3x the
baseline's time and ≥ 2x less memory than the baseline.

Run alone: ``python -m benchmarks.bench_contacts_json [--quick] [--json]``.
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from benchmarks.common import module_main, row, run_child
from benchmarks.data import write_csv

FULL_SIZE = 1_000_000
QUICK_SIZE = 100_000
TARGET_TIME_RATIO = 3.0
TARGET_MEMORY_RATIO = 2.0

_CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time
    from kupon_desktop.contacts.importer import import_file
    from kupon_desktop.contacts import command

    path, how = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    result = import_file(path)
    imported = time.perf_counter()
    with open(os.devnull, "wb") as out:
        if how == "program":
            command.write_json(result, None, out)
        elif how == "baseline":
            names = list(result.field_names)
            texts = command._texts
            contacts = result.contacts
            columns = zip(
                contacts["row"].tolist(),
                texts(contacts["phone"]),
                texts(contacts["email"]),
                texts(contacts["push_token"]),
                *[texts(result.fields[n]) for n in names],
                strict=True,
            )
            doc = {
                "contacts": [
                    {
                        "row": row,
                        "phone": phone,
                        "email": email,
                        "push_token": token,
                        "fields": dict(zip(names, values, strict=True)),
                    }
                    for row, phone, email, token, *values in columns
                ],
                **command._json_rest(result, None),
            }
            text = json.dumps(doc, ensure_ascii=False)
            out.write(text.encode("utf-8"))
    end = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"total": end - start, "output": end - imported, "peak_mb": peak,
                      "imported": result.imported}))
    """
)


def _measure(path: Path, how: str) -> dict[str, Any]:
    code = f"import sys; sys.argv = ['x', {str(path)!r}, {how!r}]\n" + _CHILD
    return run_child(code, timeout=1200)


def run(quick: bool = False, tmpdir: Path | str | None = None) -> list[dict[str, Any]]:
    size = QUICK_SIZE if quick else FULL_SIZE
    with tempfile.TemporaryDirectory(dir=tmpdir) as work:
        path = write_csv(Path(work) / "contacts.csv", size)
        program = min((_measure(path, "program") for _ in range(2)), key=lambda m: m["total"])
        baseline = _measure(path, "baseline")
        limit = _measure(path, "limit")
    time_ratio = baseline["total"] / program["total"]
    memory_ratio = baseline["peak_mb"] / program["peak_mb"]
    note = (
        f"{program['imported']:,} contacts; output alone {program['output']:.2f} s "
        f"(baseline {baseline['output']:.2f} s); limit: the import with no output"
    )
    return [
        row(
            "contacts --json: import + the whole list as JSON",
            size,
            "s",
            program["total"],
            baseline=baseline["total"],
            limit=limit["total"],
            target=f"≥ {TARGET_TIME_RATIO:g}x the baseline",
            passed=time_ratio >= TARGET_TIME_RATIO,
            note=note,
        ),
        row(
            "contacts --json: peak resident memory",
            size,
            "MB",
            program["peak_mb"],
            baseline=baseline["peak_mb"],
            limit=limit["peak_mb"],
            target=f"≥ {TARGET_MEMORY_RATIO:g}x less than the baseline",
            passed=memory_ratio >= TARGET_MEMORY_RATIO,
            note="the same runs as the row above",
        ),
    ]


if __name__ == "__main__":
    sys.exit(module_main("bench_contacts_json", run))

"""Contact import against the naive way and against what this machine can do at all.

Rows (one per file kind):

- program: ``kupon_desktop.contacts.import_file`` (read, detect, normalize, de-duplicate);
- baseline: what a user's script would do, measured in the same run: ``pandas.read_csv``
  / ``pandas.read_excel(engine="openpyxl")`` with every cell as text, then
  ``phonenumbers`` and ``email-validator`` row by row, then ``drop_duplicates``;
- limit: the bare read of the same file (pyarrow's CSV parser; python-calamine's raw
  read of the workbook), which no import can beat.

Targets (issue 5 / issue 9): 1,000,000-row CSV in ≤ 2.0 s and ≥ 10x the baseline;
100,000-row .xlsx in ≤ 1.0 s and ≥ 5x. At smaller sizes the time target shrinks with the
size, but not below a quarter of the full-size target: fixed costs (imports, the
first touch of fresh memory) do not shrink with the file.

Run alone: ``python -m benchmarks.bench_import [--size N] [--quick] [--json]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import print_rows
from benchmarks.data import write_csv, write_xlsx

CSV_FULL_SIZE = 1_000_000
CSV_TARGET_S = 2.0
CSV_TARGET_RATIO = 10.0
XLSX_FULL_SIZE = 100_000
XLSX_TARGET_S = 1.0
XLSX_TARGET_RATIO = 5.0
QUICK_SIZE = 100_000


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times: list[float] = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def _naive_normalize(phones: list[str], emails: list[str]) -> tuple[list[Any], list[Any]]:
    """Row by row with the libraries, the way a script would."""
    import phonenumbers
    from email_validator import EmailNotValidError, validate_email

    out_phones: list[Any] = []
    for raw in phones:
        try:
            number = phonenumbers.parse(str(raw), "RU")
            ok = phonenumbers.is_valid_number(number)
        except phonenumbers.NumberParseException:
            ok = False
        out_phones.append(
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
            if ok
            else None
        )
    out_emails: list[Any] = []
    for raw in emails:
        try:
            out_emails.append(
                validate_email(str(raw).strip(), check_deliverability=False).normalized
            )
        except EmailNotValidError:
            out_emails.append(None)
    return out_phones, out_emails


def _naive(frame: Any) -> int:
    phones, emails = _naive_normalize(frame.iloc[:, 1].tolist(), frame.iloc[:, 2].tolist())
    frame = frame.assign(phone=phones, email=emails)
    frame = frame[frame["phone"].notna() | frame["email"].notna()]
    return len(frame.drop_duplicates(subset=["phone", "email"]))


def baseline_csv(path: Path) -> int:
    import pandas as pd

    return _naive(pd.read_csv(path, dtype=str, keep_default_na=False))


def baseline_xlsx(path: Path) -> int:
    import pandas as pd

    # the title row above the header, as the generated workbook has it
    return _naive(pd.read_excel(path, engine="openpyxl", dtype=str, header=1).fillna(""))


def limit_csv(path: Path) -> int:
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = ["name", "phone", "email"]
    table = pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1),
        convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
    )
    return table.num_rows


def limit_xlsx(path: Path) -> int:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    book.close()
    return len(rows)


def _row(
    name: str,
    size: int,
    program: list[float],
    baseline: float,
    limit: float,
    target_s: float,
    target_ratio: float,
    imported: int,
) -> dict[str, Any]:
    best = min(program)
    ratio = baseline / best
    return {
        "name": name,
        "size": size,
        "program_s": round(best, 3),
        "program_first_s": round(program[0], 3),
        "program_median_s": round(statistics.median(program), 3),
        "baseline_s": round(baseline, 3),
        "ratio": round(ratio, 1),
        "target": f"≤ {target_s:.2f} s, ≥ {target_ratio:g}x",
        "pass": bool(best <= target_s and ratio >= target_ratio),
        "limit_s": round(limit, 3),
        "limit_share": round(limit / best, 2),
        "imported": imported,
    }


def _scaled(full_target: float, size: int, full_size: int) -> float:
    return full_target * max(size / full_size, 0.25)


def run(size: int = CSV_FULL_SIZE, tmpdir: Path | str | None = None, repeat: int = 3) -> list[dict]:
    """Benchmark a ``size``-row CSV and a ``size // 10``-row .xlsx (1,000,000 and
    100,000 at full size). Returns the table rows; nothing is asserted."""
    from kupon_desktop.contacts import import_file

    with tempfile.TemporaryDirectory(dir=tmpdir) as work:
        folder = Path(work)
        rows: list[dict] = []

        csv_path = write_csv(folder / "contacts.csv", size)
        limit_times, _ = _timed(lambda: limit_csv(csv_path), repeat)
        program, result = _timed(lambda: import_file(csv_path), repeat)
        baseline, _ = _timed(lambda: baseline_csv(csv_path), 1)
        rows.append(
            _row(
                "import: CSV (name, phone, e-mail) to normalized contacts",
                size,
                program,
                baseline[0],
                min(limit_times),
                _scaled(CSV_TARGET_S, size, CSV_FULL_SIZE),
                CSV_TARGET_RATIO,
                result.imported,
            )
        )

        xlsx_size = max(size // 10, 1)
        xlsx_path = write_xlsx(folder / "contacts.xlsx", xlsx_size)
        limit_times, _ = _timed(lambda: limit_xlsx(xlsx_path), repeat)
        program, result = _timed(lambda: import_file(xlsx_path), repeat)
        baseline, _ = _timed(lambda: baseline_xlsx(xlsx_path), 1)
        rows.append(
            _row(
                "import: XLSX to normalized contacts",
                xlsx_size,
                program,
                baseline[0],
                min(limit_times),
                _scaled(XLSX_TARGET_S, xlsx_size, XLSX_FULL_SIZE),
                XLSX_TARGET_RATIO,
                result.imported,
            )
        )
        return rows


def format_table(rows: list[dict]) -> str:
    head = (
        "benchmark",
        "size",
        "program s",
        "baseline s",
        "ratio",
        "target",
        "pass",
        "limit s",
        "limit/program",
    )
    lines = [head]
    for r in rows:
        lines.append(
            (
                r["name"],
                f"{r['size']:,}",
                f"{r['program_s']:.3f}",
                f"{r['baseline_s']:.2f}",
                f"{r['ratio']:.1f}x",
                r["target"],
                "pass" if r["pass"] else "FAIL",
                f"{r['limit_s']:.3f}",
                f"{r['limit_share']:.0%}",
            )
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_import")
    parser.add_argument("--size", type=int, default=CSV_FULL_SIZE, help="CSV rows (xlsx: /10)")
    parser.add_argument("--quick", action="store_true", help=f"--size {QUICK_SIZE:,}")
    parser.add_argument("--repeat", type=int, default=3, help="program runs; the best counts")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows = run(QUICK_SIZE if args.quick else args.size, repeat=args.repeat)
    return print_rows(rows, args.json, format_table)


if __name__ == "__main__":
    sys.exit(main())

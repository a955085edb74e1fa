"""``python -m benchmarks [--quick] [--json] [--only NAME ...]``: every benchmark, one table.

Generated data in a temporary directory, the simulator in its own process on loopback,
each baseline and limit measured in the same run. Exit status 0 when every row passes.
See ``benchmarks/README.md`` for what each row measures and the last full run's figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import load_average

#: runner(quick, tmpdir) -> rows; those that send start their own simulator processes
Runner = Callable[[bool, Path], list[dict[str, Any]]]


def _import(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_import

    size = bench_import.QUICK_SIZE if quick else bench_import.CSV_FULL_SIZE
    return [_from_import(r) for r in bench_import.run(size, tmpdir, repeat=3)]


def _from_import(r: dict[str, Any]) -> dict[str, Any]:
    """bench_import's row (seconds, its own keys) in the suite's shape."""
    from benchmarks.common import row

    out = row(
        r["name"],
        r["size"],
        "s",
        r["program_s"],
        baseline=r["baseline_s"],
        limit=r["limit_s"],
        target=r["target"],
        passed=r["pass"],
        note=(
            f"baseline: pandas + phonenumbers/email-validator row by row; limit: "
            f"bare parse of the same file; {r['imported']:,} contacts imported; "
            f"first run {r['program_first_s']:.3f} s"
        ),
    )
    return out


def _send(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_send

    return bench_send.run(quick, tmpdir)


def _events(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_events

    return bench_events.run(quick, tmpdir)


def _grid(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_grid

    return bench_grid.run(quick, tmpdir)


def _startup(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_startup

    return bench_startup.run(quick, tmpdir)


def _stall(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_stall

    return bench_stall.run(quick, tmpdir)


def _contacts_json(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_contacts_json

    return bench_contacts_json.run(quick, tmpdir)


def _base(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_base

    return bench_base.run(bench_base.QUICK if quick else bench_base.FULL, tmpdir)


def _base_page(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_base_page

    return bench_base_page.run(quick, tmpdir)


def _team(quick: bool, tmpdir: Path) -> list[dict[str, Any]]:
    from benchmarks import bench_team

    return bench_team.run(quick, tmpdir)


BENCHMARKS: dict[str, Runner] = {
    "startup": _startup,
    "import": _import,
    "contacts-json": _contacts_json,
    "send": _send,
    "stall": _stall,
    "events": _events,
    "grid": _grid,
    "base": _base,
    "base_page": _base_page,
    "team": _team,
}


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "msg/s":
        return f"{value:,.0f}"
    if unit == "MB":
        return f"{value:,.0f}"
    if unit == "ms":
        return f"{value:.1f}"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def format_table(rows: list[dict[str, Any]]) -> str:
    """The rows as a plain-text table (the JSON has the notes too)."""
    head = (
        "benchmark",
        "size",
        "unit",
        "program",
        "baseline",
        "ratio",
        "target",
        "pass",
        "limit",
        "share",
    )
    lines: list[tuple[str, ...]] = [head]
    for r in rows:
        unit = r["unit"]
        lines.append(
            (
                r["benchmark"],
                f"{r['size']:,}" if r["size"] else "—",
                unit,
                _figure(r["program"], unit),
                _figure(r["baseline"], unit),
                "—" if r["ratio"] is None else f"{r['ratio']:.1f}x",
                r["target"],
                ("pass" if r["pass"] else "FAIL") if r.get("kind") != "comparison" else "info",
                _figure(r["limit"], unit),
                "—" if r["limit_share"] is None else f"{r['limit_share']:.0%}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    numeric = {1, 3, 4, 5, 8, 9}
    out = []
    for n, line in enumerate(lines):
        cells = [
            c.rjust(w) if i in numeric and n else c.ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def format_markdown(rows: list[dict[str, Any]]) -> str:
    """The same table in Markdown, for benchmarks/README.md."""
    text = format_table(rows).splitlines()
    del text[1]
    head = (
        "| "
        + " | ".join(
            (
                "benchmark",
                "size",
                "unit",
                "program",
                "baseline",
                "ratio",
                "target",
                "pass",
                "limit",
                "share",
            )
        )
        + " |"
    )
    out = [head, "|" + "---|" * 10]
    for r in rows:
        unit = r["unit"]
        out.append(
            "| "
            + " | ".join(
                (
                    r["benchmark"],
                    f"{r['size']:,}" if r["size"] else "—",
                    unit,
                    _figure(r["program"], unit),
                    _figure(r["baseline"], unit),
                    "—" if r["ratio"] is None else f"{r['ratio']:.1f}x",
                    r["target"],
                    ("pass" if r["pass"] else "**FAIL**")
                    if r.get("kind") != "comparison"
                    else "info",
                    _figure(r["limit"], unit),
                    "—" if r["limit_share"] is None else f"{r['limit_share']:.0%}",
                )
            )
            + " |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes, under two minutes (targets scaled: see README)",
    )
    parser.add_argument("--json", action="store_true", help="print the rows as a JSON list")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(BENCHMARKS),
        metavar="NAME",
        help=f"run only these: {', '.join(BENCHMARKS)}",
    )
    args = parser.parse_args(argv)
    chosen = {name: BENCHMARKS[name] for name in (args.only or BENCHMARKS)}

    def say(text: str) -> None:
        if not args.json:
            print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    say(f"load average before: {load_average()}")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="kupon-bench-") as work:
        folder = Path(work)
        for name, runner in chosen.items():
            t = time.perf_counter()
            say(f"{name}…")
            got = runner(args.quick, folder)
            for r in got:
                r["group"] = name
            rows.extend(got)
            say(f"{name}: {time.perf_counter() - t:.1f} s")
    total = time.perf_counter() - started
    say(f"load average after: {load_average()}; {total:.0f} s in all")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif args.markdown:
        print(format_markdown(rows))
    else:
        print(format_table(rows))
    return 0 if all(r["pass"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

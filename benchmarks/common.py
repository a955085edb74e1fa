"""What every benchmark module shares: the row of the table, timing, the simulator in its
own process, the load of the machine, the resident memory of a process, and the command
line of a module run alone.

A row is a plain dict (it is printed as JSON by ``--json``)::

    benchmark   what is measured
    size        how many rows / messages / events
    unit        "s", "ms", "msg/s" or "MB": the unit of program, baseline and limit
    program     the program's figure
    baseline    the naive way's figure, measured in the same run (None: no baseline)
    ratio       how many times better the program is than the baseline (None: none)
    target      the target as text
    pass        bool
    limit       what this machine can do at all for this stage, measured in the same run
    limit_share the program's share of the limit (1.0: at the limit)
    note        what the baseline and the limit are, and how the target was scaled
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

#: a token the simulator accepts (its demo token)
TOKEN = "demo-token"

HIGHER_IS_BETTER = {"msg/s"}


def row(
    benchmark: str,
    size: int,
    unit: str,
    program: float,
    *,
    target: str,
    passed: bool,
    baseline: float | None = None,
    limit: float | None = None,
    note: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """One row of the table; ``ratio`` and ``limit_share`` are computed from the unit
    (for a rate, higher is better; for a time or a size, lower is)."""
    better_high = unit in HIGHER_IS_BETTER
    ratio = share = None
    if baseline is not None and program > 0 and baseline > 0:
        ratio = program / baseline if better_high else baseline / program
    if limit is not None and program > 0 and limit > 0:
        share = program / limit if better_high else limit / program
    out: dict[str, Any] = {
        "benchmark": benchmark,
        "size": size,
        "unit": unit,
        "program": _round(program),
        "baseline": None if baseline is None else _round(baseline),
        "ratio": None if ratio is None else round(ratio, 1),
        "target": target,
        "pass": bool(passed),
        "limit": None if limit is None else _round(limit),
        "limit_share": None if share is None else round(share, 2),
        "note": note,
    }
    out.update(extra)
    return out


def _round(value: float) -> float:
    if abs(value) >= 1000:
        return round(value)
    if abs(value) >= 10:
        return round(value, 1)
    return round(value, 4)


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """The best wall time of ``repeat`` calls, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def load_average() -> str:
    """The 1-minute load average and the cores, as ``uptime`` shows them."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory now (VmRSS), in MB (10^6 bytes)."""
    return _status_kb(pid, "VmRSS") / 1000.0


def peak_rss_mb(pid: int | str = "self") -> float:
    """The resident high-water mark (VmHWM), in MB."""
    return _status_kb(pid, "VmHWM") / 1000.0


def _status_kb(pid: int | str, field: str) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return float(line.split()[1])
    raise OSError(f"no {field} in /proc/{pid}/status")


@dataclass
class SimulatorProcess:
    """``kupon-desktop simulator`` running as its own process on loopback."""

    process: subprocess.Popen[str]
    base_url: str

    @property
    def root_url(self) -> str:
        return self.base_url.split("/api/", 1)[0]

    @property
    def host_port(self) -> tuple[str, int]:
        match = re.match(r"http://([^:/]+):(\d+)", self.base_url)
        assert match is not None
        return match.group(1), int(match.group(2))


@contextlib.contextmanager
def simulator_process(time_scale: float = 0.001) -> Iterator[SimulatorProcess]:
    """Start the simulator in a child process and stop it afterwards.

    The default time scale (1/1000) keeps every accepted message in its first status for
    the length of a benchmark: the simulator's own status work would otherwise take a
    share of the two cores the sender is measured on. No callbacks are asked for."""
    cmd = [
        sys.executable,
        "-m",
        "kupon_desktop.cli",
        "simulator",
        "--port",
        "0",
        "--time-scale",
        str(time_scale),
        "--seed",
        "1",
    ]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 30
        base_url = ""
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            found = re.search(r"listening on (\S+)", line)
            if found:
                base_url = found.group(1)
                break
        if not base_url:
            err = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"the simulator did not start: {err.strip()[-500:]}")
        yield SimulatorProcess(process, base_url)
    finally:
        end_process(process, signal.SIGINT, 10)


def end_process(process: subprocess.Popen[Any], ask: int, timeout: float) -> None:
    """Ask a child to end (signal ``ask``), kill it if it has not after ``timeout``
    seconds, and close the pipes to it."""
    if process.poll() is None:
        process.send_signal(ask)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def run_child(code: str, timeout: float = 300) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (``sys.executable``); its last stdout line is
    JSON, returned as a dict. For measurements that must not inherit this process's
    imports or memory (start-up time, resident memory)."""
    import json

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env
    )
    if done.returncode != 0:
        raise RuntimeError(f"child failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time a process has used so far (all its threads)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def qt_app() -> Any:
    """The QApplication of this process (offscreen unless a platform is chosen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def print_rows(
    rows: list[dict[str, Any]],
    as_json: bool,
    table: Callable[[list[dict[str, Any]]], str] | None = None,
) -> int:
    """Print ``rows`` as JSON or as the suite's table (or ``table``'s); the exit status:
    0 when every row passes."""
    if table is None:
        from benchmarks.__main__ import format_table as table
    print(json.dumps(rows, ensure_ascii=False, indent=1) if as_json else table(rows))
    return 0 if all(r["pass"] for r in rows) else 1


def module_main(
    name: str, run: Callable[[bool], list[dict[str, Any]]], argv: list[str] | None = None
) -> int:
    """``python -m benchmarks.<name> [--quick] [--json]``: one module's rows alone."""
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{name}")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    return print_rows(run(args.quick), args.json)

"""A team under load: five desks sending at once through one team server on PostgreSQL
while a million status callbacks arrive (``python -m benchmarks.bench_team [--quick]``).

Every part is its own process on 127.0.0.1, as in production: a throwaway PostgreSQL
cluster run durably (fsync and full page writes on, as a real server), the team server
(``kupon-desktop server --database postgresql://…``), the simulator (the platform's
API; its clock at 1/1000, so it sends no callbacks of its own), and five desks
(``benchmarks/team_desk.py``), each with its own log in its own folder and its own user
key. The desks are told to go at the same moment; each sends its campaign as the
window does, the callback address being the server's. Then this process plays the
platform (``benchmarks/callback_load.py``): for every message, ``ROUNDS`` callbacks
with ten distinct status codes one after another, in the order of their ranks (round
after round, the five campaigns side by side), on 256 keep-alive connections, each
sending its next callback as soon as the last is answered. Meanwhile each desk does what
the window does with its campaign open: a poll every 500 ms, a team sync every second
(``TEAM_EVERY_TICKS``) and at every poll while the syncs bring statuses, a poll at once
after a sync that did.

Measured:

* **callbacks acknowledged per second**: callbacks / (last 200 − first request), with
  the CPU seconds of the server, PostgreSQL and this load generator in the note;
* **callbacks lost**: acknowledged callbacks the server's ``status_events`` lacks, plus
  recipients whose last status never reached their desk's log;
* **grid lag**: per acknowledged callback, from its 200 to the end of the first desk
  poll that began after the sync that brought its status (or one of the same recipient
  ranking with it or above: a status never moves back) was stored; the worst of all
  desks, with the median and the 99th percentile in the note.

The baseline (measured in the same run, against the same cluster, durably): the
receiver a script would write (``benchmarks/naive_receiver.py``): aiohttp and one
``INSERT`` committed per callback through a pool of 16 connections, on
``BASELINE_CALLBACKS`` of the same callbacks with the same load generator.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from benchmarks.callback_load import Storm, run_storm
from benchmarks.common import (
    cpu_seconds,
    end_process,
    load_average,
    module_main,
    row,
    simulator_process,
)

DESKS = 5
FULL_RECIPIENTS = 20_000
QUICK_RECIPIENTS = 2_000
#: the status code of each round: every documented code but 22 (a wrong address, which
#: stop-lists it) and the incoming -4 / not-found -3; a desk tells the rounds apart by it.
#: In the order of their ranks: a recipient's status never moves back (a failure after
#: "clicked" is not shown), so a later round either replaces the status shown or ranks
#: with it; the last round ranks highest and is every recipient's final status
CODES = (-1, 0, 3, 20, 23, 24, 25, 1, 2, 4)
ROUNDS = len(CODES)
CONNECTIONS = 256
BASELINE_CALLBACKS = 30_000
QUICK_BASELINE_CALLBACKS = 10_000
TARGET_RATE = 5_000.0
TARGET_LAG = 2.0


def _cli(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kupon_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"kupon-desktop {args[0]} failed: {done.stderr.strip()[-800:]}")
    return done.stdout


def _postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process of this machine so far (the cluster is the
    benchmark's own; another one running would be counted too: the note says so)."""
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm", encoding="ascii") as f:
                if f.read().strip() not in ("postgres", "postmaster"):
                    continue
            total += cpu_seconds(pid)
        except OSError:
            continue
    return total


@contextlib.contextmanager
def _process(
    cmd: list[str], errors: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """``cmd`` running, its standard error in the file ``errors`` (a pipe nobody reads
    while the storm runs could fill and stop it)."""
    with open(errors, "w") as err:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, env=env
        )
    proc.errors_path = errors  # type: ignore[attr-defined]
    # its lines, read by a thread: waiting for one never outlasts its deadline
    proc.lines = lines = queue.Queue()  # type: ignore[attr-defined]

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    try:
        yield proc
    finally:
        end_process(proc, signal.SIGTERM, 20)


def _expect(proc: subprocess.Popen[str], word: str, timeout: float = 300) -> str:
    """The rest of the first line of ``proc``'s output that starts with ``word``."""
    lines: queue.Queue[str] = proc.lines  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            raise RuntimeError(f"no {word!r} from {proc.args!r} in {timeout:.0f} s") from None
        if line == "":
            err = Path(proc.errors_path).read_text(errors="replace")  # type: ignore[attr-defined]
            raise RuntimeError(f"{proc.args!r} ended before {word!r}: {err.strip()[-1500:]}")
        if line.startswith(word):
            return line[len(word) :].strip()


def _progress(text: str) -> None:
    print(f"bench_team: {text}", file=sys.stderr, flush=True)


def _tell(proc: subprocess.Popen[str], text: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(text + "\n")
    proc.stdin.flush()


def _lags(acked: np.ndarray, keys: np.ndarray, seen: dict[str, np.ndarray]) -> np.ndarray:
    """Per callback (round, index), seconds from its 200 to a status of the recipient
    ranking at least as high in the desk's grid (its own, or one that ranks with it or
    above: what the server shows for the recipient once it has that callback); inf where
    none came."""
    from kupon_desktop.vocabulary import status_info

    rounds, n = acked.shape
    order = np.argsort(keys)
    current = np.full((rounds, n), np.inf)
    if len(seen["key"]):
        pos = order[np.searchsorted(keys[order], seen["key"])]
        rank = np.array([status_info(int(c)).rank for c in seen["code"]])
        for r, code in enumerate(CODES):
            at_least = rank >= status_info(code).rank
            np.minimum.at(current[r], pos[at_least], seen["at"][at_least])
    return np.maximum(current - acked, 0.0)


def _baseline(url: str, codes: tuple[int, ...], count: int, errors: Path) -> tuple[float, float]:
    """(callbacks/s, server CPU µs per callback) of the naive receiver."""
    with _process([sys.executable, "-m", "benchmarks.naive_receiver", url], errors) as proc:
        port = int(_expect(proc, "listening on", 60))
        per = max(1, count // (DESKS * len(codes)))
        campaigns = [str(uuid.uuid4()) for _ in range(DESKS)]
        keys = [np.arange(per) for _ in campaigns]
        storm = Storm("127.0.0.1", port, "/callback/x", campaigns, keys, keys, codes)
        before = cpu_seconds(proc.pid)
        start, end = asyncio.run(run_storm(storm, CONNECTIONS))
        used = cpu_seconds(proc.pid) - before
        total = per * DESKS * len(codes)
    return total / (end - start), used / total * 1e6


def run(quick: bool, tmpdir: Path | None = None) -> list[dict[str, Any]]:
    from kupon_desktop.ui.campaign_control import POLL_MS, TEAM_EVERY_TICKS
    from tests.pgcluster import PgCluster

    n = QUICK_RECIPIENTS if quick else FULL_RECIPIENTS
    cluster = PgCluster.start(durable=True)
    if isinstance(cluster, str):
        raise RuntimeError(f"the team benchmark needs PostgreSQL: {cluster}")
    work = Path(tempfile.mkdtemp(prefix="kupon-team-", dir=tmpdir))
    load_before = load_average()
    try:
        url = cluster.new_database()
        keys_by_desk = [
            _cli("server", "users", "add", f"desk{d}", "--role", "sender", "--database", url)
            .strip()
            .splitlines()[0]
            for d in range(DESKS)
        ]
        with contextlib.ExitStack() as stack:
            server = stack.enter_context(
                _process(
                    [
                        sys.executable,
                        "-m",
                        "kupon_desktop",
                        "server",
                        "--database",
                        url,
                        "--port",
                        "0",
                    ],
                    work / "server.err",
                )
            )
            base = _expect(server, "http", 60)
            base = "http" + base
            sim = stack.enter_context(simulator_process())
            desks = []
            for d in range(DESKS):
                folder = work / f"desk{d}"
                folder.mkdir()
                env = dict(
                    os.environ,
                    KUPON_TEAM_KEY=keys_by_desk[d],
                    QT_QPA_PLATFORM="offscreen",
                    HOME=str(folder),
                    XDG_CONFIG_HOME=str(folder / "config"),
                    XDG_DATA_HOME=str(folder / "data"),
                )
                desks.append(
                    stack.enter_context(
                        _process(
                            [
                                sys.executable,
                                "-m",
                                "benchmarks.team_desk",
                                "--server",
                                base,
                                "--sim",
                                sim.base_url,
                                "--data",
                                str(folder),
                                "--desk",
                                str(d),
                                "--recipients",
                                str(n),
                                "--final-code",
                                str(CODES[-1]),
                            ],
                            folder / "desk.err",
                            env,
                        )
                    )
                )
            campaigns = [_expect(p, "ready") for p in desks]
            _progress(f"{DESKS} desks ready, {n:,} recipients each")
            go = time.time()
            for p in desks:
                _tell(p, "go")
            sent = [json.loads(_expect(p, "sent")) for p in desks]
            sending = time.time() - go
            ids = [np.load(s["ids"]) for s in sent]
            _progress(f"sent in {sending:.1f} s; the callbacks begin")
            callback_base = _callback_base(base, keys_by_desk[0])
            parts = urlsplit(callback_base)
            storm = Storm(
                parts.hostname or "127.0.0.1",
                int(parts.port or 80),
                parts.path,
                campaigns,
                [i["keys"] for i in ids],
                [i["platform_ids"] for i in ids],
                CODES,
            )
            spy = None
            if os.environ.get("KUPON_BENCH_PYSPY"):  # a profile of the server under load
                spy = subprocess.Popen(
                    [
                        "py-spy",
                        "record",
                        "-f",
                        "raw",
                        "--gil",
                        "-o",
                        os.environ["KUPON_BENCH_PYSPY"],
                        "--pid",
                        str(server.pid),
                        "-r",
                        "200",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            cpu_before = (cpu_seconds(server.pid), _postgres_cpu(), sum(os.times()[:2]))
            start, end = asyncio.run(run_storm(storm, CONNECTIONS))
            cpu = [
                after - before
                for after, before in zip(
                    (cpu_seconds(server.pid), _postgres_cpu(), sum(os.times()[:2])),
                    cpu_before,
                    strict=True,
                )
            ]
            if spy is not None:
                spy.send_signal(2)
                spy.wait(60)
            total = sum(a.size for a in storm.acked)
            acked = int(sum(np.isfinite(a).sum() for a in storm.acked))
            rate = acked / (end - start)
            _progress(f"{acked:,} callbacks acknowledged, {rate:,.0f}/s")
            current_at = []
            for p in desks:
                with contextlib.suppress(RuntimeError):
                    current_at.append(float(_expect(p, "current", max(5, end + 60 - time.time()))))
            _progress(f"{len(current_at)} desks current")
            for p in desks:
                _tell(p, "stop")
            for p in desks:
                _expect(p, "done", 120)
            seen = [dict(np.load(work / f"desk{d}" / "seen.npz")) for d in range(DESKS)]
        stored, final_rows = _server_counts(url, campaigns)
        per_desk = [
            _lags(storm.acked[d], np.asarray(ids[d]["keys"]), seen[d]) for d in range(DESKS)
        ]
        lags = np.concatenate([lag.ravel() for lag in per_desk])
        if os.environ.get("KUPON_BENCH_KEEP"):  # every callback's ack and lag, to look into
            np.savez(
                work / "lags.npz",
                **{f"acked{d}": storm.acked[d] for d in range(DESKS)},
                **{f"lag{d}": per_desk[d] for d in range(DESKS)},
            )
        acked_at = np.concatenate([storm.acked[d].ravel() for d in range(DESKS)])
        never = int(np.isinf(lags).sum())
        finite = lags[np.isfinite(lags)]
        worst = float(finite.max()) if finite.size else float("inf")
        slow = lags > TARGET_LAG
        # when the slow ones were acknowledged, in seconds into the storm
        slow_at = acked_at[slow & np.isfinite(lags)] - start
        slow_span = (
            f"{float(slow_at.min()):.0f}–{float(slow_at.max()):.0f} s into the storm"
            if slow_at.size
            else "none"
        )
        lost = max(0, acked - stored) + never
        base_rate, base_cpu = _baseline(
            cluster.new_database(),
            CODES,
            QUICK_BASELINE_CALLBACKS if quick else BASELINE_CALLBACKS,
            work / "naive.err",
        )
    finally:
        cluster.stop()
        import shutil

        if not os.environ.get("KUPON_BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    load_after = load_average()
    size = total
    common = (
        f"{DESKS} desks × {n:,} messages, {ROUNDS} callbacks each ({total:,}) on "
        f"{CONNECTIONS} connections; PostgreSQL durable (fsync on); load "
        f"{load_before} before, {load_after} after"
    )
    return [
        row(
            "team: callbacks acknowledged by the server on PostgreSQL",
            size,
            "msg/s",
            rate,
            baseline=base_rate,
            target=f"≥ {TARGET_RATE:,.0f}/s",
            passed=rate >= TARGET_RATE and acked == total,
            note=(
                f"{common}; the desks sent in {sending:.1f} s (all five at once); the storm "
                f"took {end - start:.1f} s; CPU µs per callback: server "
                f"{cpu[0] / acked * 1e6:.0f}, PostgreSQL {cpu[1] / acked * 1e6:.0f}, load "
                f"generator {cpu[2] / acked * 1e6:.0f}; answers other than 200: "
                f"{storm.refused}, connections lost: {storm.lost_connections}; baseline: "
                f"aiohttp + one INSERT committed per callback (pool of 16), "
                f"{QUICK_BASELINE_CALLBACKS if quick else BASELINE_CALLBACKS:,} callbacks, "
                f"its CPU {base_cpu:.0f} µs per callback"
            ),
        ),
        row(
            "team: callbacks lost (acked but not stored, or never in a desk's grid)",
            size,
            "callbacks",
            lost,
            target="0",
            passed=lost == 0,
            note=(
                f"acknowledged {acked:,} of {total:,}; in the server's status_events "
                f"{stored:,}; recipients whose latest status on the server is the last "
                f"round's: {final_rows:,} of {DESKS * n:,}; callbacks whose status never "
                f"reached the desk's grid: {never:,}"
            ),
        ),
        row(
            "team: grid lag, callback's 200 to the desk's grid (worst of 5 desks)",
            size,
            "s",
            worst,
            target=f"≤ {TARGET_LAG:.0f} s",
            passed=worst <= TARGET_LAG and never == 0,
            note=(
                f"median {float(np.median(finite)):.2f} s, p99 "
                f"{float(np.percentile(finite, 99)):.2f} s, p99.9 "
                f"{float(np.percentile(finite, 99.9)):.2f} s, worst {worst:.2f} s over "
                f"{finite.size:,} callbacks; over {TARGET_LAG:.0f} s: {int(slow.sum()):,} "
                f"({slow_span}); the window's cadence: poll {POLL_MS} ms, team "
                f"sync every {TEAM_EVERY_TICKS} polls, every poll while statuses come, "
                "and a poll at once after a sync that brought some; desks current (every "
                "recipient at "
                "the last round) "
                f"{', '.join(f'{max(0.0, t - end):.1f}' for t in current_at)} s after the "
                "last 200"
            ),
        ),
    ]


def _callback_base(base: str, key: str) -> str:
    import httpx

    answer = httpx.get(base + "/api/v1/me", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    return str(answer.json()["callback_base"])


def _server_counts(url: str, campaigns: list[str]) -> tuple[int, int]:
    """(the storm's callbacks in status_events, recipients whose latest status is the
    last round's)."""
    import psycopg

    with psycopg.connect(url) as conn:
        # the storm's own callbacks (the simulator sends a first status of its own)
        events = conn.execute(
            "SELECT count(*) FROM status_events WHERE raw LIKE '%&load=1'"
        ).fetchone()
        final = conn.execute(
            "SELECT count(*) FROM team_statuses WHERE code = %s AND campaign = ANY(%s)",
            (CODES[-1], campaigns),
        ).fetchone()
    assert events is not None and final is not None
    return int(events[0]), int(final[0])


if __name__ == "__main__":
    raise SystemExit(module_main("bench_team", lambda quick: run(quick)))

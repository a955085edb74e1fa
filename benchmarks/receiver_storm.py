"""The receiver alone under a callback storm: its rate and CPU per callback, with the
fast path and without it (every request through aiohttp), one after the other.

``python -m benchmarks.receiver_storm [-n 50000] [--connections 64]``: a receiver on a
fresh SQLite log in its own process, ``n`` callbacks from ``callback_load`` (five
campaigns, two rounds) on keep-alive connections. Prints one line per mode. Not a row of
the suite's table: the team benchmark (``bench_team``) is the one with targets.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

from benchmarks.callback_load import Storm, run_storm
from benchmarks.common import cpu_seconds

SECRET = "storm-secret-0123456789"


def _serve(db: str, port: int, fast: bool) -> None:
    from kupon_desktop.receiver.runner import ReceiverThread

    with ReceiverThread(db, port=port, secret=SECRET, fast=fast):
        sys.stdin.read()  # until the parent closes it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _one(n: int, connections: int, fast: bool, folder: Path) -> str:
    port = _free_port()
    db = str(folder / f"log-{'fast' if fast else 'aiohttp'}.sqlite3")
    code = f"from benchmarks.receiver_storm import _serve; _serve({db!r}, {port}, {fast})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        campaigns = [str(uuid.uuid4()) for _ in range(5)]
        per = n // (len(campaigns) * 2)
        keys = [np.arange(per) for _ in campaigns]
        storm = Storm("127.0.0.1", port, f"/callback/{SECRET}", campaigns, keys, keys, (1, 2))
        before = cpu_seconds(proc.pid)
        start, end = asyncio.run(run_storm(storm, connections))
        used = cpu_seconds(proc.pid) - before
        total = per * len(campaigns) * 2
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(30)
    return (
        f"{'fast path' if fast else 'aiohttp  '}: {total:,} callbacks, "
        f"{total / (end - start):,.0f} /s, receiver CPU {used / total * 1e6:.0f} µs per "
        f"callback, answers other than 200: {storm.refused}, connections lost: "
        f"{storm.lost_connections}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50_000)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kupon-storm-") as folder:
        for fast in (False, True):
            print(_one(args.n, args.connections, fast, Path(folder)), flush=True)


if __name__ == "__main__":
    main()

"""``kupon-desktop receiver`` as its own process (how the window starts it): prints its
callback base URL, stores callbacks, stops cleanly on SIGINT and SIGTERM, and says in one
line why it cannot start."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from kupon_desktop.store import open_log

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

SECRET = "command-secret-0123456789"


@contextmanager
def receiver_process(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kupon_desktop", "receiver", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(60, proc.kill)  # never hang the suite on a stuck child
    watchdog.start()
    try:
        assert proc.stdout is not None
        yield proc, proc.stdout.readline().strip()
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def test_runs_stores_and_stops_on_sigint(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    with receiver_process(
        "--port", "0", "--db", str(db), "--secret", SECRET, "--feed-key", "k" * 20
    ) as (proc, base):
        assert base.startswith("http://127.0.0.1:") and base.endswith(f"/callback/{SECRET}")
        with httpx.Client(timeout=30) as http:
            assert http.get(f"{base}?id=123&status=1").status_code == 200
            feed = base.replace(f"/callback/{SECRET}", "/events")
            events = http.get(feed, headers={"Authorization": f"Bearer {'k' * 20}"}).json()
            assert [e["platform_id"] for e in events["events"]] == [123]
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0
        assert "1 statuses stored" in err
        assert SECRET not in err and "k" * 20 not in err  # no secret in the log file
    with open_log(db) as log:
        assert [e.platform_id for e in log.events_after(0)] == [123]


def test_stops_on_sigterm_and_uses_the_installations_secret(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        secret, key = log.receiver_secret(), log.feed_key()
    with receiver_process("--port", "0", "--db", str(db)) as (proc, base):
        assert base.endswith(f"/callback/{secret}")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0
        assert key not in err and secret not in err


def test_a_busy_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    taken = socket.create_server(("127.0.0.1", 0))
    try:
        port = str(taken.getsockname()[1])
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "kupon_desktop",
                "receiver",
                "--port",
                port,
                "--db",
                str(tmp_path / "log.sqlite3"),
                "--secret",
                SECRET,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        taken.close()
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and f"Port {port}" in done.stderr


def test_a_bad_secret_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kupon_desktop",
            "receiver",
            "--port",
            "0",
            "--db",
            str(tmp_path / "log.sqlite3"),
            "--secret",
            "a/b",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "secret" in done.stderr

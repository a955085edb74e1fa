"""The status receiver as its own process, started by the window.

The platform reports statuses only by calling the receiver, and it may call hours after a
campaign was sent. Running the receiver in a process of its own (detached from the
window) means statuses keep arriving and are stored while the window is closed; the
window finds them in the log when it opens again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from kupon_desktop import paths


def without_password(db: str | Path) -> tuple[str, str | None]:
    """A log's target for a command line: a database URL loses its password, returned
    apart (the child gets it as ``PGPASSWORD``, which libpq reads: a command line is
    readable by every user of the computer)."""
    from kupon_desktop.store.connection import is_url, split_password

    text = str(db)
    return split_password(text) if is_url(text) else (text, None)


def receiver_command(db_path: str | Path, port: int, host: str = "127.0.0.1") -> list[str]:
    """How to start ``kupon-desktop receiver`` from this installation (a checkout, a wheel,
    or a PyInstaller bundle, whose executable takes the subcommand directly). A database
    URL is given without its password (see ``without_password``)."""
    db, _ = without_password(db_path)
    args = ["receiver", "--port", str(port), "--db", db, "--host", host]
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "kupon_desktop", *args]


def healthy(base_url: str, timeout: float = 1.0) -> bool:
    try:
        with httpx.Client(trust_env=False, timeout=timeout) as http:
            answer = http.get(base_url + "/health")
        return answer.status_code == 200 and answer.json().get("status") == "ok"
    except (httpx.HTTPError, ValueError):
        return False


@dataclass(frozen=True)
class ReceiverProcess:
    callback_base: str
    #: the process started now, or None when one was already running (keep it: it
    #: outlives the window on purpose)
    process: subprocess.Popen[bytes] | None = field(default=None, compare=False)

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid


def ensure_running(
    db_path: str | Path, port: int, secret: str, *, host: str = "127.0.0.1", timeout: float = 15.0
) -> ReceiverProcess:
    """Start the receiver process unless one already answers on ``port``. The callback
    base URL carries the installation's ``secret``. Raises ``RuntimeError`` with a
    message for the user when it cannot be started (the port taken by another program,
    say)."""
    base = f"http://{host}:{port}"
    if healthy(base):
        return ReceiverProcess(f"{base}/callback/{secret}", None)
    log_file = paths.log_dir() / "receiver.log"
    flags = 0
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
        flags = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
    env = dict(os.environ)
    password = without_password(db_path)[1]
    if password is not None:
        env["PGPASSWORD"] = password
    with open(log_file, "ab") as err:
        process = subprocess.Popen(
            receiver_command(db_path, port, host),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            creationflags=flags,
            start_new_session=sys.platform != "win32",
            env=env,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(base, timeout=0.5):
            return ReceiverProcess(f"{base}/callback/{secret}", process)
        if process.poll() is not None:
            break
        time.sleep(0.1)  # polling a process we just started; nothing to wait on instead
    raise RuntimeError(
        f"Приёмник статусов не запустился на порту {port} (см. {log_file}) / the status "
        f"receiver did not start on port {port} (see {log_file})"
    )

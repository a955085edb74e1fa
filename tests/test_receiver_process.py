"""The window's receiver runs as its own process: started once, found again by the next
window, and it stores statuses while no window is open."""

from __future__ import annotations

import signal
import socket

import httpx

from kupon_desktop.receiver.process import ensure_running, healthy
from kupon_desktop.store.log import Log


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_receiver_process_starts_once_and_stores_statuses(tmp_path):
    db = tmp_path / "log.sqlite3"
    log = Log(db)
    secret = log.receiver_secret()
    port = _free_port()
    started = ensure_running(db, port, secret)
    try:
        assert started.pid is not None
        assert started.callback_base == f"http://127.0.0.1:{port}/callback/{secret}"
        again = ensure_running(db, port, secret)  # the next window finds it running
        assert again.pid is None and again.callback_base == started.callback_base
        with httpx.Client(trust_env=False) as http:
            answer = http.get(
                started.callback_base, params={"id": "100001", "status": "1"}, timeout=10
            )
        assert answer.status_code == 200
        assert log.apply_status_events().events == 1
    finally:
        started.process.send_signal(signal.SIGTERM)
        started.process.wait(timeout=30)
        log.close()
    assert not healthy(f"http://127.0.0.1:{port}")

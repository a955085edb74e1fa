"""A desk whose log is on PostgreSQL starts its built-in receiver like a desk on a file:
in its own process (the window's way) and as a thread (the demo's), both writing the
callbacks into that database, and no password on the receiver's command line."""

from __future__ import annotations

import asyncio
import signal
import socket
from typing import Any

import httpx
import pytest

from kupon_desktop.campaign.session import CampaignSession, Platform, Receiving
from kupon_desktop.receiver.process import receiver_command, without_password
from kupon_desktop.store.log import open_log


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _callback(base: str, pid: int) -> int:
    with httpx.Client(trust_env=False) as http:
        answer = http.get(base, params={"id": str(pid), "status": "1"}, timeout=10)
    return answer.status_code


@pytest.mark.parametrize("in_process", [True, False], ids=["thread", "own process"])
def test_a_desk_on_postgresql_receives_statuses_through_its_builtin_receiver(
    pg_url: str, in_process: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kupon_desktop.receiver import process

    started: list[process.ReceiverProcess] = []

    def keep(*args: Any, **kw: Any) -> process.ReceiverProcess:
        # the real start; its process kept so that this test can wait for it to end
        started.append(real(*args, **kw))
        return started[-1]

    real = process.ensure_running
    monkeypatch.setattr(process, "ensure_running", keep)
    log = open_log(pg_url)
    receiving = Receiving(in_process=in_process, port=_free_port())
    session = CampaignSession(log, Platform("http://127.0.0.1:9", lambda: "t"), receiving)
    try:
        base = asyncio.run(session.callback_base())
        assert base is not None and base.endswith("/callback/" + log.receiver_secret())
        root = base.split("/callback/")[0]
        if not in_process:
            # its own process (it outlives the window on purpose): stopped by this test
            assert started and started[0].pid is not None
            assert httpx.get(root + "/health", timeout=10).json()["pid"] == started[0].pid
        assert _callback(base, 700001) == 200
        assert log.apply_status_events().events == 1
    finally:
        for found in started:
            if found.process is not None:
                found.process.send_signal(signal.SIGTERM)
                found.process.wait(timeout=30)
        asyncio.run(session.aclose())
        log.close()


def test_a_database_password_stays_off_the_receivers_command_line() -> None:
    url = "postgresql://kupon:s%40cret@db.example:5432/team"
    bare, password = without_password(url)
    assert bare == "postgresql://kupon@db.example:5432/team" and password == "s@cret"
    command = receiver_command(url, 8080)
    assert "s%40cret" not in " ".join(command) and "s@cret" not in " ".join(command)
    assert command[command.index("--db") + 1] == bare
    # a file, or a URL without a password, is given as it is
    assert without_password("/home/anna/log.sqlite3") == ("/home/anna/log.sqlite3", None)
    assert without_password("postgresql://kupon@db/team") == ("postgresql://kupon@db/team", None)

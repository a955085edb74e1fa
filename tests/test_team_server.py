"""The team server (``kupon-desktop server``) and two desks working through it.

The server runs as its own process (the real command line) on a real store file; each
desk has its own log file and its own client; messages go out through the simulator,
whose callbacks reach the server's receiver over loopback. Waiting is always for a
condition with a deadline, never a sleep that hopes.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

from kupon_desktop.audience import AudienceRules, SendWindow
from kupon_desktop.campaign.errors import NotApproved, StopListStale, pause_reason
from kupon_desktop.campaign.session import CampaignSession, ContactList, Platform, RunSettings
from kupon_desktop.compose import Draft
from kupon_desktop.store.log import Log, open_log
from kupon_desktop.store.models import StopEntry
from kupon_desktop.team.client import TeamClient
from kupon_desktop.team.desk import TeamDesk
from kupon_desktop.team.errors import TeamError
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator

DRAFT = Draft(type=MessageType.SMS, sender="KUPON", text="Скидка 10% до воскресенья")
RULES = AudienceRules(window=SendWindow.parse("00:00-23:59"), advertising=False)


def _cli(db: Path, *args: str, check: bool = True, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kupon_desktop", "server", *args, "--database", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        check=check,
        **kw,
    )


def _add_user(db: Path, name: str, role: str) -> str:
    return _cli(db, "users", "add", name, "--role", role).stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``kupon-desktop server`` as its own process; ``base`` is the URL it printed."""

    def __init__(self, db: Path, port: int, log_path: Path, *extra: str) -> None:
        self.db, self.port, self.log_path, self.extra = db, port, log_path, extra
        self.proc: subprocess.Popen[str] | None = None
        self.base = ""

    def start(self) -> str:
        with open(self.log_path, "a") as err:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kupon_desktop",
                    "server",
                    "--database",
                    str(self.db),
                    "--port",
                    str(self.port),
                    *self.extra,
                ],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        assert self.proc.stdout is not None
        self.base = self.proc.stdout.readline().strip()
        assert self.base.startswith(("http://", "https://")), self.log_path.read_text()
        return self.base

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc.stdout.close()  # type: ignore[union-attr]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    # the team's database: a SQLite file, and PostgreSQL as a team runs it in production
    db: Any = (
        tmp_path / "team.sqlite3"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    srv = ServerProcess(db, _free_port(), tmp_path / "server.err")
    yield srv
    srv.stop()


def _phones(numbers: list[str]) -> ContactList:
    n = len(numbers)
    contacts = pd.DataFrame(
        {
            "row": range(2, n + 2),
            "phone": pd.array(numbers, dtype="string"),
            "email": pd.array([None] * n, dtype="string"),
            "push_token": pd.array([None] * n, dtype="string"),
        }
    )
    return ContactList(contacts, pd.DataFrame({"Имя": ["Анна"] * n}), name="list")


class Desk:
    """One desk: its own log file, its own client of the team server, its session."""

    def __init__(self, tmp_path: Path, name: str, base: str, key: str, sim_url: str, **kw: Any):
        self.log = Log(tmp_path / f"{name}.sqlite3")
        self.client = TeamClient(base, key)
        self.team = TeamDesk(self.client, self.log, desk=name, **kw)
        self.session = CampaignSession(self.log, Platform(sim_url, lambda: TOKEN), team=self.team)

    def create(self, numbers: list[str], name: str, **run: Any) -> str:
        plan = self.session.plan(DRAFT, _phones(numbers), RULES)
        return self.session.create(plan, name=name, run=RunSettings(**run))

    async def close(self) -> None:
        await self.session.aclose()
        await self.client.aclose()
        self.log.close()


async def _until(what: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not await what():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        await asyncio.sleep(0.05)


def _numbers(start: int, n: int) -> list[str]:
    return [f"7900{start + i:07d}" for i in range(n)]


def test_a_number_stop_listed_on_desk_a_is_never_sent_by_desk_b_and_both_see_everything(
    tmp_path: Path, server: ServerProcess
) -> None:
    key_a = _add_user(server.db, "anna", "sender")
    key_b = _add_user(server.db, "boris", "sender")
    base = server.start()
    stopped = "79000000005"
    with running_simulator(quick_config()) as sim:

        async def main() -> None:
            a = Desk(tmp_path, "desk-a", base, key_a, sim.base_url)
            b = Desk(tmp_path, "desk-b", base, key_b, sim.base_url)
            try:
                a.log.stop_list_add([StopEntry(stopped, "phone", "typed", "просил не писать")])
                await a.team.refresh_stop_list()
                # desk B planned before it heard of it: the number is in its plan
                plan = b.session.plan(DRAFT, _phones(_numbers(0, 10)), RULES)
                assert plan.sendable == 10
                camp_b = b.session.create(plan, name="Рассылка Б")
                progress_b = await b.session.run(camp_b)
                assert progress_b.excluded == 1 and progress_b.accepted == 9
                camp_a = a.create(_numbers(100, 5), "Рассылка А")
                await a.session.run(camp_a)

                # both see both campaigns, with the desk and user that registered them
                for desk in (a, b):
                    listed = {c["id"]: c for c in await desk.client.campaigns()}
                    assert listed[camp_a]["user"] == "anna" and listed[camp_a]["desk"] == "desk-a"
                    assert listed[camp_b]["user"] == "boris"
                    assert listed[camp_b]["recipients"] == 10

                # the platform's callbacks reached the server; desk A reads B's statuses
                async def all_reported() -> bool:
                    rows = (await a.client.statuses(camp_b, 0))["statuses"]
                    return len(rows) == 9

                await _until(all_reported)
                counted = {c["id"]: c for c in await a.client.campaigns()}[camp_b]["statuses"]
                assert sum(counted.values()) == 9
                # and desk B's own grid gets them through its log
                await b.session.team_sync(camp_b)
                assert b.log.counts(camp_b).statuses == {int(k): n for k, n in counted.items()}
            finally:
                await a.close()
                await b.close()

        asyncio.run(main())
        sent = inspect(sim)["sends_per_recipient"]
    assert stopped not in sent
    assert set(sent) == set(_numbers(0, 10)) - {stopped} | set(_numbers(100, 5))
    assert all(n == 1 for n in sent.values())


def test_a_campaign_needing_approval_is_not_sent_until_an_approver_approves(
    tmp_path: Path, server: ServerProcess
) -> None:
    key_a = _add_user(server.db, "anna", "sender")
    key_v = _add_user(server.db, "vera", "approver")
    key_z = _add_user(server.db, "zoya", "viewer")
    shown = _cli(server.db, "policy", "--approve-over", "3").stdout
    assert "over 3 recipients" in shown
    base = server.start()
    with running_simulator(quick_config()) as sim:

        async def main() -> None:
            a = Desk(tmp_path, "desk-a", base, key_a, sim.base_url)
            approver = TeamClient(base, key_v)
            viewer = TeamClient(base, key_z)
            try:
                small = a.create(_numbers(0, 3), "Малая")
                big = a.create(_numbers(10, 4), "Большая")
                with pytest.raises(NotApproved) as refused:
                    await a.session.run(big)
                assert "согласующий" in refused.value.message("ru")
                # kept as the reason of a pause, so that the window offers Resume
                held = a.log.campaign(big)
                assert held.state.value == "paused"
                assert isinstance(pause_reason(held.state_reason), NotApproved)
                assert a.log.campaign(big).counts.states  # nothing left the desk
                assert inspect(sim)["sends_per_recipient"] == {}
                # a campaign of 3 is within the policy
                await a.session.run(small)
                # a sender cannot approve, nor a viewer; both told why in both languages
                for who in (a.client, viewer):
                    with pytest.raises(TeamError) as denied:
                        await who.approve(big)
                    assert denied.value.status == 403
                    assert "нельзя" in denied.value.message_ru
                    assert "may not" in denied.value.message_en
                assert (await approver.approve(big))["approval"] == "approved"
                progress = await a.session.run(big)
                assert progress.accepted == 4
            finally:
                await approver.aclose()
                await viewer.aclose()
                await a.close()

        asyncio.run(main())
        sent = inspect(sim)["sends_per_recipient"]
    assert set(sent) == set(_numbers(0, 3)) | set(_numbers(10, 4))
    audit = [json.loads(line) for line in _cli(server.db, "audit", "--json").stdout.splitlines()]
    approvals = [e for e in audit if e["action"] == "campaign.approve"]
    assert len(approvals) == 1 and approvals[0]["user"] == "vera"
    assert {e["action"] for e in audit} >= {"user.add", "policy.set", "campaign.register"}


def test_an_approver_cannot_approve_own_campaign(tmp_path: Path, server: ServerProcess) -> None:
    key = _add_user(server.db, "vera", "approver")
    _cli(server.db, "policy", "--approve-advertising")
    base = server.start()

    async def main() -> None:
        async with TeamClient(base, key) as client:
            found = await client.register(
                "c-1", name="Реклама", type="sms", recipients=1, advertising=True, desk="d"
            )
            assert found["approval"] == "needed"
            with pytest.raises(TeamError) as own:
                await client.approve("c-1")
            assert own.value.status == 403 and own.value.code == "own_campaign"

    asyncio.run(main())


def test_a_revoked_or_unknown_key_is_refused_and_the_desk_does_not_send(
    tmp_path: Path, server: ServerProcess
) -> None:
    key = _add_user(server.db, "anna", "sender")
    listed = _cli(server.db, "users", "list").stdout
    assert "anna\tsender\tactive" in listed
    base = server.start()
    # the key is never stored: only its hash
    if isinstance(server.db, Path):
        assert key.encode() not in server.db.read_bytes()
    else:
        with open_log(server.db, readonly=True) as stored:
            for table in ("team_users", "team_audit"):
                assert key not in repr(stored._query(f"SELECT * FROM {table}"))
    with running_simulator(quick_config()) as sim:

        async def main() -> None:
            a = Desk(tmp_path, "desk-a", base, key, sim.base_url)
            try:
                assert (await a.client.me())["user"] == "anna"
                campaign = a.create(_numbers(0, 2), "После отзыва")
                _cli(server.db, "users", "revoke", "anna")
                with pytest.raises(TeamError) as refused:
                    await a.client.me()
                assert refused.value.status == 401
                assert "отозван" in refused.value.message_ru
                assert key not in str(refused.value) and key not in refused.value.message_ru
                with pytest.raises(TeamError):
                    await a.session.run(campaign)
            finally:
                await a.close()
            async with TeamClient(base, "kt_" + "x" * 43) as stranger:
                with pytest.raises(TeamError) as unknown:
                    await stranger.campaigns()
                assert unknown.value.status == 401

        asyncio.run(main())
        assert inspect(sim)["sends_per_recipient"] == {}
    answer = httpx.get(base + "/api/v1/me", trust_env=False)
    assert answer.status_code == 401
    assert set(answer.json()["error"]) == {"code", "message_en", "message_ru"}
    assert "anna\tsender\trevoked" in _cli(server.db, "users", "list").stdout


def test_the_server_killed_mid_campaign_and_restarted_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, server: ServerProcess
) -> None:
    key = _add_user(server.db, "anna", "sender")
    base = server.start()
    numbers = _numbers(0, 120)
    # the platform tries a callback again after half a second and after one
    config = quick_config(callback_retry_delays=(0.5, 1.0, 2.0, 4.0))
    with running_simulator(config) as sim:

        async def main() -> None:
            a = Desk(tmp_path, "desk-a", base, key, sim.base_url, freshness=1.0)
            try:
                a.log.stop_list_add([StopEntry(numbers[100], "phone", "typed")])
                campaign = a.create(numbers, "Через сервер", rate=40.0, batch_size=5)
                killed: list[int] = []

                def on_progress(progress: Any) -> None:
                    if not killed and progress.accepted >= 20:
                        server.kill()
                        killed.append(progress.accepted)

                first = await a.session.run(campaign, on_progress=on_progress)
                # with the server gone the stop list went stale: the campaign paused
                assert killed and first.state == "paused"
                assert isinstance(pause_reason(first.reason), StopListStale)
                assert first.queued > 0
                with pytest.raises(StopListStale):
                    await a.session.run(campaign)
                server.start()
                second = await a.session.run(campaign)
                assert second.state == "finished"
                assert second.accepted == 119 and second.excluded == 1

                async def every_status_in() -> bool:
                    await a.session.team_sync(campaign)
                    return sum(a.log.counts(campaign).statuses.values()) == 119

                await _until(every_status_in)
                # the team's data survived the kill: the stop list and the campaign
                listed = {c["id"]: c for c in await a.client.campaigns()}
                assert listed[campaign]["recipients"] == 119  # the stop-listed one left out
                pulled = await a.client.stop_list(0)
                assert numbers[100] in {e["address"] for e in pulled["entries"]}
            finally:
                await a.close()

        asyncio.run(main())
        sent = inspect(sim)["sends_per_recipient"]
    assert numbers[100] not in sent
    assert len(sent) == 119 and all(n == 1 for n in sent.values())


def test_https_with_a_certificate_and_the_key_written_to_a_descriptor(
    tmp_path: Path,
) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    pem = tmp_path / "server.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(pem))
    db = tmp_path / "team.sqlite3"
    read, write = os.pipe()
    done = _cli(
        db, "users", "add", "anna", "--role", "viewer", "--key-fd", str(write), pass_fds=(write,)
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        key = pipe.read().strip()
    assert key and key not in done.stdout and key not in done.stderr
    srv = ServerProcess(
        db, _free_port(), tmp_path / "server.err", "--cert", str(pem), "--key", str(pem)
    )
    try:
        base = srv.start()
        assert base.startswith("https://")
        context = ssl.create_default_context()
        ca.configure_trust(context)

        async def main() -> None:
            async with TeamClient(base, key, verify=context) as client:
                assert (await client.me())["role"] == "viewer"
                # a viewer reads but does not write
                with pytest.raises(TeamError) as denied:
                    await client.change_stop_list(add=[{"address": "79001234567"}])
                assert denied.value.status == 403
            async with TeamClient(base, key) as untrusting:
                with pytest.raises(TeamError) as refused:
                    await untrusting.me()
                assert refused.value.status == 0

        asyncio.run(main())
    finally:
        srv.stop()


def test_a_bad_request_names_the_field_in_both_languages(
    tmp_path: Path, server: ServerProcess
) -> None:
    key = _add_user(server.db, "anna", "sender")
    base = server.start()

    async def main() -> None:
        async with TeamClient(base, key) as client:
            with pytest.raises(TeamError) as bad:
                await client.change_stop_list(add=[{"address": "79001234567"}, {"address": "x"}])
            assert "add[1].address" in bad.value.message_en
            assert "add[1].address" in bad.value.message_ru
            assert bad.value.status == 400
            # nothing of the refused request was kept
            assert (await client.stop_list(0))["entries"] == []

    asyncio.run(main())


def test_behind_a_proxy_the_desks_are_given_the_public_callback_address(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite3"
    key = _add_user(db, "anna", "sender")
    srv = ServerProcess(
        db, _free_port(), tmp_path / "server.err", "--public-url", "https://team.example.ru/"
    )
    try:
        base = srv.start()

        async def main() -> str:
            async with TeamClient(base, key) as client:
                return str((await client.me())["callback_base"])

        callback = asyncio.run(main())
    finally:
        srv.stop()
    assert callback.startswith("https://team.example.ru/callback/")
    assert "plain HTTP" in (tmp_path / "server.err").read_text()


def test_the_command_line_sends_through_the_team_server_once_approved(
    tmp_path: Path, server: ServerProcess
) -> None:
    key = _add_user(server.db, "anna", "sender")
    key_v = _add_user(server.db, "vera", "approver")
    _cli(server.db, "policy", "--approve-over", "2")
    base = server.start()
    contacts = tmp_path / "list.csv"
    contacts.write_text("Имя,Телефон\nАнна,+79001110001\nБорис,+79001110002\nВера,+79001110003\n")
    desk_db = tmp_path / "desk.sqlite3"
    env = {**os.environ, "KUPON_TEAM_KEY": key, "SIM_TOKEN": TOKEN}
    with running_simulator(quick_config()) as sim:
        common = [
            "--api-url",
            sim.base_url,
            "--token-env",
            "SIM_TOKEN",
            "--db",
            str(desk_db),
            "--team-server",
            base,
        ]
        first = subprocess.run(
            [
                sys.executable,
                "-m",
                "kupon_desktop",
                "--lang",
                "ru",
                "send",
                "--contacts",
                str(contacts),
                "--type",
                "sms",
                "--sender",
                "KUPON",
                "--text",
                "Скидка {Имя}",
                "--service",
                *common,
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert first.returncode == 1
        assert "согласующий" in first.stderr
        assert key not in first.stderr + first.stdout
        campaign = first.stdout.strip()
        assert inspect(sim)["sends_per_recipient"] == {}

        async def approve() -> None:
            async with TeamClient(base, key_v) as approver:
                await approver.approve(campaign)

        asyncio.run(approve())
        second = subprocess.run(
            [sys.executable, "-m", "kupon_desktop", "send", "--resume", campaign, "--yes", *common],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert second.returncode == 0, second.stderr
        sent = inspect(sim)["sends_per_recipient"]
    assert sorted(sent) == ["79001110001", "79001110002", "79001110003"]


def test_a_large_campaigns_ids_and_a_large_stop_list_reach_the_server_and_its_statuses_the_desk(
    tmp_path: Path, server: ServerProcess
) -> None:
    # a few hundred recipients' platform ids, or an imported stop list, is a request body
    # far over the callbacks' few KiB: the team's routes must take it
    key_a = _add_user(server.db, "anna", "sender")
    key_b = _add_user(server.db, "boris", "sender")
    base = server.start()
    numbers = _numbers(0, 600)
    with running_simulator(quick_config()) as sim:

        async def main() -> None:
            a = Desk(tmp_path, "desk-a", base, key_a, sim.base_url)
            b = Desk(tmp_path, "desk-b", base, key_b, sim.base_url)
            try:
                stopped = _numbers(5000, 1000)
                a.log.stop_list_add([StopEntry(n, "phone", "import", "") for n in stopped])
                await a.team.refresh_stop_list()
                await b.team.pull_stop_list()
                assert b.log.stopped_among(stopped) == set(stopped)

                campaign = a.create(numbers, "Большая")
                progress = await a.session.run(campaign)
                assert progress.accepted == 600
                # every id was reported (the run's last sync did it): nothing new now
                assert await a.team.report_messages(campaign) == 0

                async def every_status_in() -> bool:
                    await a.session.team_sync(campaign)
                    return sum(a.log.counts(campaign).statuses.values()) == 600

                await _until(every_status_in)
                assert a.session.team_trouble is None
            finally:
                await a.close()
                await b.close()

        asyncio.run(main())
        sent = inspect(sim)["sends_per_recipient"]
    assert len(sent) == 600 and all(n == 1 for n in sent.values())

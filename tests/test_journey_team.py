"""A team's journey in the real event loop (``journeyhelpers``): a campaign the team's
policy holds for approval, approved from History by an approver, sent, while a
colleague's stop-listed number is left out and the team server is killed and restarted
in the middle of it; every real dialog answered on the way."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kupon_desktop.compose import Draft
from kupon_desktop.team.client import TeamClient
from kupon_desktop.team.desk import TeamDesk
from kupon_desktop.vocabulary import MessageType
from tests.journeyhelpers import journey_app, keeps_updating
from tests.test_journey_campaign import _csv, _import, _sending_stopped
from tests.test_team_server import ServerProcess, _add_user, _cli, _free_port

pytestmark = pytest.mark.journey

N = 6_000
#: in ``_csv``'s numbering: client 7's number, stop-listed by a colleague
STOPPED = "79160000007"


def _run(qtbot, loop: asyncio.AbstractEventLoop, coro):  # type: ignore[no-untyped-def]
    task = loop.create_task(coro)
    qtbot.waitUntil(task.done, timeout=30000)
    return task.result()


def test_approved_from_history_sent_past_a_colleagues_stop_list_through_a_server_restart(
    qtbot, qasync_loop, tmp_path: Path
) -> None:
    server = ServerProcess(tmp_path / "team.sqlite3", _free_port(), tmp_path / "server.err")
    key_a = _add_user(server.db, "anna", "sender")
    key_b = _add_user(server.db, "boris", "sender")
    key_v = _add_user(server.db, "vera", "approver")
    _cli(server.db, "policy", "--approve-over", "1000")
    base = server.start()
    csv = tmp_path / "clients.csv"
    _csv(csv, N)
    try:
        with journey_app(qtbot, qasync_loop, tmp_path) as journey:
            window, answer = journey.window, journey.answerer
            page, control = window.campaign_page, window.control
            # the program's start made its session (the team server is set on that one)
            qtbot.waitUntil(lambda: control.existing_session is not None, timeout=30000)
            anna = TeamDesk(TeamClient(base, key_a), control.log, desk="anna-pc")
            vera = TeamDesk(TeamClient(base, key_v), control.log, desk="vera-pc")
            control.session.team = anna

            # boris, on his own desk, stop-lists one of anna's clients
            async def boris_stops() -> None:
                async with TeamClient(base, key_b) as boris:
                    await boris.change_stop_list(add=[{"address": STOPPED, "note": "жалоба"}])

            _run(qtbot, qasync_loop, boris_stops())

            _import(qtbot, journey, csv)
            window.show_page(1)
            window.message_page.set_draft(
                Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, -20%!")
            )
            # Send: the confirmation counts the team's stop list already; then the
            # team's policy holds the campaign, said once, as a pause with Resume
            answer.expect("Send campaign", "Send")
            answer.expect("Campaign paused", "Ok")
            qtbot.mouseClick(window.message_page.send_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: page.state == "paused" and not answer.pending, timeout=60000)
            confirm = next(a for a in answer.answered if a.title == "Send campaign")
            assert f"{N - 1:,}".replace(",", "\u00a0") in confirm.text or str(N - 1) in (
                confirm.text.replace("\u00a0", "").replace(",", "")
            )
            held = next(a for a in answer.answered if a.title == "Campaign paused")
            assert "approver" in held.text and "Resume" in held.text
            assert page.resume_button.isEnabled()
            assert journey.sent_at_simulator() == 0

            # vera approves it from History, answering the question
            control.session.team = vera
            history = window.history_page
            window.show_page(3)
            qtbot.waitUntil(lambda: history.team_role == "approver", timeout=30000)
            qtbot.waitUntil(lambda: history.team_model.rowCount() == 1, timeout=30000)
            history.team_view.selectRow(0)
            answer.expect("Approve campaign", "Yes")
            qtbot.mouseClick(history.approve_button, Qt.MouseButton.LeftButton)
            model = history.team_model
            qtbot.waitUntil(
                lambda: (
                    "approved by vera"
                    in [model.index(0, c).data() for c in range(model.columnCount())]
                ),
                timeout=30000,
            )
            question = next(a for a in answer.answered if a.title == "Approve campaign")
            assert "anna" in question.text
            _run(qtbot, qasync_loop, vera.client.aclose())

            # anna resumes; the team server is killed in the middle of the sending
            control.session.team = anna
            window.show_page(2)
            qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: journey.sent_at_simulator() > 1000, timeout=60000)
            server.kill()
            killed_at = journey.sent_at_simulator()
            assert killed_at < N - 1, "the campaign ended before the kill: nothing to prove"
            label = window.team_label
            qtbot.waitUntil(lambda: "does not answer" in label.text(), timeout=30000)
            # sending goes on with the stop list it has (fresh enough)
            qtbot.waitUntil(lambda: journey.sent_at_simulator() > killed_at, timeout=30000)

            server.start()
            qtbot.waitUntil(lambda: label.text() == "Team server: connected", timeout=30000)
            qtbot.waitUntil(lambda: _sending_stopped(window), timeout=120000)
            keeps_updating(qtbot, journey)

            # every recipient's status came through the server: none lost
            def all_in() -> bool:
                return sum(control.log.counts(control.current).statuses.values()) == N - 1

            qtbot.waitUntil(all_in, timeout=180000)
            assert page.state == "finished"
            # and each was sent once; the colleague's stop-listed number never
            sent = _sends(journey)
            assert STOPPED not in sent
            assert len(sent) == N - 1 and all(n == 1 for n in sent.values())
    finally:
        server.stop()


def _sends(journey) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Sends per recipient, as the simulator counted them."""
    import httpx

    with httpx.Client(trust_env=False) as http:
        response = http.get(journey.sim.inspection_url, params={"after_id": str(10**15)})
    response.raise_for_status()
    return dict(response.json()["sends_per_recipient"])

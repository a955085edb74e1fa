"""The window with a team server: a campaign the team's policy holds for approval shows
as paused with the reason and Resume, and Resume sends it once an approver approved it;
its statuses reach the grid through the server."""

from __future__ import annotations

from pathlib import Path

import httpx

from kupon_desktop.campaign.errors import NotApproved, pause_reason
from kupon_desktop.team.client import TeamClient
from kupon_desktop.team.desk import TeamDesk
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator
from tests.test_reliability_helpers import make_campaign
from tests.test_team_server import ServerProcess, _add_user, _cli, _free_port
from tests.uihelpers import make_window


def test_a_held_campaign_pauses_with_resume_and_sends_once_approved(
    qtbot, qasync_loop, tmp_path: Path
) -> None:
    server = ServerProcess(tmp_path / "team.sqlite3", _free_port(), tmp_path / "server.err")
    key = _add_user(server.db, "anna", "sender")
    key_v = _add_user(server.db, "vera", "approver")
    _cli(server.db, "policy", "--approve-over", "2")
    base = server.start()
    try:
        with running_simulator(quick_config()) as sim:
            window = make_window(qtbot, demo=True)
            window.ctx.settings.set("audience/window", "off")
            window.ctx.api_url = sim.base_url
            window.ctx.session_token = TOKEN
            window.control.db_path = tmp_path / "desk.sqlite3"
            control = window.control
            control.session.team = TeamDesk(TeamClient(base, key), control.log, desk="d")
            notices: list[str] = []
            window.ctx.runner.failed.connect(lambda what, text: notices.append(text))
            try:
                cid = make_campaign(control.log, 3)
                window.resume_campaign(cid)
                page = window.campaign_page
                qtbot.waitUntil(lambda: page.state == "paused", timeout=30000)
                assert page.resume_button.isEnabled() and not page.pause_button.isEnabled()
                assert isinstance(pause_reason(control.log.campaign(cid).state_reason), NotApproved)
                # told once, as a pause (not as a failure of the task)
                assert not notices
                assert inspect(sim)["sends_per_recipient"] == {}

                approved = httpx.post(
                    f"{base}/api/v1/campaigns/{cid}/approve",
                    headers={"Authorization": f"Bearer {key_v}"},
                    trust_env=False,
                )
                assert approved.json()["approval"] == "approved"
                page.resume_button.click()
                qtbot.waitUntil(
                    lambda: control.engine is None and page.state == "finished", timeout=30000
                )
                assert len(inspect(sim)["sends_per_recipient"]) == 3
                # the platform called the team server; the grid's poll brings them in
                qtbot.waitUntil(
                    lambda: sum(control.log.counts(cid).statuses.values()) == 3, timeout=30000
                )
                # History shows the team's campaigns, who sent them and who approved
                window.refresh_history()
                history = window.history_page
                qtbot.waitUntil(lambda: history.team_model.rowCount() == 1, timeout=20000)
                row = [
                    history.team_model.index(0, col).data()
                    for col in range(history.team_model.columnCount())
                ]
                assert "anna" in row and "d" in row
                assert "approved by vera" in row
                assert history.team_view.isVisibleTo(history)
            finally:
                done = qasync_loop.create_task(window.shutdown())
                qtbot.waitUntil(done.done, timeout=20000)
    finally:
        server.stop()

"""The window with a team server: a campaign the team's policy holds for approval shows
as paused with the reason and Resume, and Resume sends it once an approver approved it;
its statuses reach the grid through the server."""

from __future__ import annotations

from pathlib import Path

import httpx

from kupon_desktop.campaign.errors import NotApproved, pause_reason
from kupon_desktop.team.client import TeamClient
from kupon_desktop.team.desk import TeamDesk
from tests.simhelpers import inspect, quick_config, running_simulator
from tests.test_reliability_helpers import make_campaign
from tests.test_team_server import ServerProcess, _add_user, _cli, _free_port
from tests.uihelpers import make_window, simulator_window


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
            window = simulator_window(qtbot, sim, tmp_path / "desk.sqlite3")
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


def _yes_to(qtbot, words: str) -> None:
    """Answer Yes in the question box whose text holds ``words`` (as the user does)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    def box() -> QMessageBox | None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible() and words in w.text():
                return w
        return None

    qtbot.waitUntil(lambda: box() is not None, timeout=10000)
    found = box()
    assert found is not None
    found.button(QMessageBox.StandardButton.Yes).click()


def _team_row(history, row: int) -> list[str]:
    model = history.team_model
    return [model.index(row, col).data() for col in range(model.columnCount())]


def test_an_approver_approves_from_history_and_the_sender_then_sends(
    qtbot, qasync_loop, tmp_path: Path
) -> None:
    server = ServerProcess(tmp_path / "team.sqlite3", _free_port(), tmp_path / "server.err")
    key = _add_user(server.db, "anna", "sender")
    key_v = _add_user(server.db, "vera", "approver")
    _cli(server.db, "policy", "--approve-over", "2")
    base = server.start()
    try:
        with running_simulator(quick_config()) as sim:
            window = simulator_window(qtbot, sim, tmp_path / "desk.sqlite3")
            control = window.control
            anna = TeamDesk(TeamClient(base, key), control.log, desk="d")
            control.session.team = anna
            try:
                cid = make_campaign(control.log, 3)
                window.resume_campaign(cid)
                qtbot.waitUntil(lambda: window.campaign_page.state == "paused", timeout=30000)
                history = window.history_page
                window.show_page(window.PAGES.index("history"))
                qtbot.waitUntil(lambda: history.team_model.rowCount() == 1, timeout=20000)
                qtbot.waitUntil(lambda: history.team_role == "sender", timeout=20000)
                # a sender is not offered the approval
                assert not history.approve_button.isVisibleTo(history)
                assert "waiting for an approver" in _team_row(history, 0)

                # the approver's desk: History offers Approve for the selected campaign
                vera = TeamDesk(TeamClient(base, key_v), control.log, desk="v")
                control.session.team = vera
                window.refresh_history()
                qtbot.waitUntil(lambda: history.team_role == "approver", timeout=20000)
                assert history.approve_button.isVisibleTo(history)
                assert not history.approve_button.isEnabled()  # nothing selected yet
                history.team_view.selectRow(0)
                assert history.approve_button.isEnabled()
                history.approve_button.click()
                _yes_to(qtbot, "Approve campaign")
                qtbot.waitUntil(lambda: "approved by vera" in _team_row(history, 0), timeout=20000)
                assert not history.approve_button.isEnabled()  # approved: nothing to do
                assert inspect(sim)["sends_per_recipient"] == {}

                # the sender's Resume now sends
                control.session.team = anna
                closed = qasync_loop.create_task(vera.client.aclose())
                qtbot.waitUntil(closed.done, timeout=10000)
                window.campaign_page.resume_button.click()
                qtbot.waitUntil(
                    lambda: control.engine is None and window.campaign_page.state == "finished",
                    timeout=30000,
                )
                assert len(inspect(sim)["sends_per_recipient"]) == 3
            finally:
                done = qasync_loop.create_task(window.shutdown())
                qtbot.waitUntil(done.done, timeout=20000)
    finally:
        server.stop()


def test_history_keeps_the_approvers_pick_by_campaign_when_the_list_changes(qtbot) -> None:
    from kupon_desktop.ui.pages.history import HistoryPage

    page = HistoryPage()
    qtbot.addWidget(page)

    def campaign(cid: str, at: int) -> dict[str, object]:
        return {
            "id": cid,
            "name": cid,
            "type": "sms",
            "recipients": 9,
            "user": "anna",
            "desk": "d",
            "approval": "needed",
            "created_at": at,
            "statuses": {},
        }

    page.show_team([campaign("old", 1000)])
    page.show_team_user("vera", "approver")
    page.team_view.selectRow(0)
    picked: list[str] = []
    page.approve_requested.connect(lambda cid, _name: picked.append(cid))
    # a colleague's new campaign comes first at the next refresh
    page.show_team([campaign("new", 2000), campaign("old", 1000)])
    page.approve_button.click()
    assert picked == ["old"]


async def _team_stop_list(base: str, key: str) -> set[str]:
    async with TeamClient(base, key) as client:
        return {e["address"] for e in (await client.stop_list(0))["entries"]}


def test_a_number_added_on_the_stop_list_page_reaches_the_team_at_once(
    qtbot, qasync_loop, tmp_path: Path
) -> None:
    server = ServerProcess(tmp_path / "team.sqlite3", _free_port(), tmp_path / "server.err")
    key = _add_user(server.db, "anna", "sender")
    key_b = _add_user(server.db, "boris", "sender")
    base = server.start()
    try:
        window = make_window(qtbot, demo=True)
        window.control.db_path = tmp_path / "desk.sqlite3"
        control = window.control
        control.session.team = TeamDesk(TeamClient(base, key), control.log, desk="d")
        page = window.stoplist_page
        page.attach(control.log, window.ctx.runner, "RU")
        try:
            page.address.setText("+7 (916) 555-12-34")
            page.add_button.click()
            # the page says when it has synchronised with the team
            qtbot.waitUntil(lambda: not page.team_note.isHidden(), timeout=20000)
            assert "Shared with the team" in page.team_note.text()
            # boris's desk sees it without anna sending anything
            task = qasync_loop.create_task(_team_stop_list(base, key_b))
            qtbot.waitUntil(task.done, timeout=20000)
            assert "79165551234" in task.result()
        finally:
            done = qasync_loop.create_task(window.shutdown())
            qtbot.waitUntil(done.done, timeout=20000)
    finally:
        server.stop()


def test_settings_apply_the_platform_address_without_a_restart(qtbot, qasync_loop) -> None:
    window = make_window(qtbot)
    try:
        before = window.control.session.platform  # made with the address at start
        assert before.api_url != "http://127.0.0.1:8750/api/v1/bulk/"
        dialog = window.open_settings()
        dialog.api_url.editor.setText("http://127.0.0.1:8750/api/v1/bulk/")
        dialog.token.editor.setText("a-new-token")
        dialog.accept()
        platform = window.control.session.platform
        assert platform.api_url == "http://127.0.0.1:8750/api/v1/bulk/"
        assert platform.token() == "a-new-token"
        assert "127.0.0.1:8750" in window.platform_label.text()
    finally:
        done = qasync_loop.create_task(window.shutdown())
        qtbot.waitUntil(done.done, timeout=20000)


def _desk_window(qtbot, tmp_path: Path, base: str, key: str):  # type: ignore[no-untyped-def]
    """A demo window whose log is in ``tmp_path`` and whose session works through the
    team server at ``base`` as the user of ``key``; (window, its team desk)."""
    window = make_window(qtbot, demo=True)
    window.control.db_path = tmp_path / "desk.sqlite3"
    desk = TeamDesk(TeamClient(base, key), window.control.log, desk="d")
    window.control.session.team = desk
    return window, desk


def test_the_status_bar_says_when_the_team_server_stops_answering_and_when_it_is_back(
    qtbot, qasync_loop, tmp_path: Path
) -> None:
    server = ServerProcess(tmp_path / "team.sqlite3", _free_port(), tmp_path / "server.err")
    key = _add_user(server.db, "anna", "sender")
    base = server.start()
    try:
        window, _anna = _desk_window(qtbot, tmp_path, base, key)
        control = window.control
        session = control.session
        label = window.team_label

        def run(coro):
            task = qasync_loop.create_task(coro)
            qtbot.waitUntil(task.done, timeout=20000)
            return task.result()

        try:
            cid = make_campaign(control.log, 3)
            run(session.team.register(cid))
            run(session.team_sync(cid))
            window.show_team_state()
            assert not label.isHidden() and label.text() == "Team server: connected"

            server.kill()
            run(session.team_sync(cid))
            window.show_team_state()
            assert "does not answer since" in label.text()
            assert "Statuses come when it is back" in label.toolTip()
            assert "does not answer" in label.toolTip()  # what the desk was told

            server.start()
            run(session.team_sync(cid))
            window.show_team_state()
            assert label.text() == "Team server: connected"
        finally:
            done = qasync_loop.create_task(window.shutdown())
            qtbot.waitUntil(done.done, timeout=20000)
    finally:
        server.stop()


def test_closing_the_window_mid_refresh_leaves_no_connection_open(
    qtbot, qasync_loop, tmp_path: Path
) -> None:
    """The window closes while History asks the team server: the request is cancelled
    before the client closes, so nothing opens a new connection behind the close."""
    server = ServerProcess(tmp_path / "team.sqlite3", _free_port(), tmp_path / "server.err")
    key = _add_user(server.db, "anna", "sender")
    base = server.start()
    try:
        window, anna = _desk_window(qtbot, tmp_path, base, key)
        window.refresh_history()
        assert window.ctx.runner.running
        done = qasync_loop.create_task(window.shutdown())
        qtbot.waitUntil(done.done, timeout=20000)
        assert done.exception() is None
        assert window.ctx.runner.running == 0
        assert anna.client._http.is_closed
    finally:
        server.stop()

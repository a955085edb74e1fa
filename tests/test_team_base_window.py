"""The window's Base page with a team server in Settings: it shows the team's base (a
file imported on the page goes to the server, not into this desk's log), another desk
sees the list at once and its consent withdrawal shows on this desk's card; with the
server taken out of Settings the page shows this desk's own base again."""

from __future__ import annotations

from pathlib import Path

from kupon_desktop.base.consent import withdraw_consent
from kupon_desktop.store.log import open_log
from kupon_desktop.team.base import RemoteBase
from tests.test_contact_base_page import FIRST, _file, _run, _table
from tests.test_team_server import ServerProcess, _add_user, _free_port
from tests.uihelpers import make_window


def test_the_base_page_shows_and_imports_into_the_teams_base(
    qtbot, qasync_loop, tmp_path: Path
) -> None:
    server = ServerProcess(tmp_path / "team.sqlite3", _free_port(), tmp_path / "server.err")
    key_a = _add_user(server.db, "anna", "sender")
    key_b = _add_user(server.db, "boris", "sender")
    base = server.start()
    try:
        window = make_window(qtbot, lang="ru")
        failures: list = []
        window.ctx.runner.failed.connect(lambda *a: failures.append(a))
        window.ctx.runner.crashed.connect(lambda exc: failures.append(exc))
        window.ctx.settings.set("team/server_url", base)
        window.ctx.team_keys.set(key_a)
        hub, page = window.base, window.base_page
        desk_a = tmp_path / "desk-a.sqlite3"
        _run(qtbot, qasync_loop, hub.open(desk_a))
        assert not page.team_label.isHidden()
        assert base in page.team_label.text() and "База команды" in page.team_label.text()

        # a file imported on the page goes into the team's base
        report = _run(
            qtbot, qasync_loop, page.import_file(_file(tmp_path, "a.csv", FIRST), "Клиенты")
        )
        assert (report.added, len(report.rejected)) == (3, 1)
        page.dialog.close()
        assert page.selected == ("list", "Клиенты")
        assert sorted(r[0] for r in _table(qtbot, page)) == ["", "79161234567", "79161234568"]
        with open_log(desk_a) as own:
            assert own.base_size() == 0
        # the audience picker offers the team's list for a campaign
        qtbot.waitUntil(lambda: "Клиенты" in hub.picker.lists, timeout=10000)

        # desk B sees the list at once and withdraws Иван's consent
        with RemoteBase(base, key_b) as desk_b:
            assert [(x.name, x.size) for x in desk_b.base_lists()] == [("Клиенты", 3)]
            withdraw_consent(desk_b, "+7 916 123-45-67", note="звонил на горячую линию")
        # desk A's card of Иван shows the withdrawal, its table too
        contact = page.log.base_find("79161234567")
        _run(qtbot, qasync_loop, page.show_card(contact))
        assert "отозвано" in page.card_view.toPlainText()
        _run(qtbot, qasync_loop, page.reload())
        rows = {r[0]: r for r in _table(qtbot, page)}
        assert rows["79161234567"][-2] == "отозвано"

        # the server taken out of Settings: this desk's own (empty) base again
        window.ctx.settings.set("team/server_url", "")
        task = hub.reload_team()
        qtbot.waitUntil(task.done, timeout=10000)
        assert page.team_label.isHidden()
        assert page.log is hub.local and page.overview.total == 0
        assert not failures
        hub.close()
    finally:
        server.stop()

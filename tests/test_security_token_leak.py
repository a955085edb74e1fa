"""The API token never leaves the credential store: after a real campaign, its exports, a
crash report that quoted the token and the Settings dialog, no file the program wrote
(log, database and its WAL, QSettings, exports) and no output holds the token's bytes.

The campaign runs headless against the simulator, which accepts only this test's
distinctive token, exactly as in ``test_kill_and_resume``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kupon_desktop.campaign.results_export import export_into_source, export_results
from kupon_desktop.logsetup import SecretRedactor, setup_logging
from kupon_desktop.store.log import Log
from kupon_desktop.ui.crash import CrashDialog, CrashHandler
from tests.keyring_memory import MemoryKeyring
from tests.simhelpers import inspect, quick_config, running_simulator
from tests.uihelpers import make_window

TOKEN = "KpnLeakCanary-3c9f27e1b5d84a06"
RECIPIENTS = 60


def _leaks(root: Path) -> list[str]:
    """Every file under ``root`` holding the token, in any of the forms it could take."""
    forms = [TOKEN.encode("utf-8"), TOKEN.encode("utf-16-le"), TOKEN.encode("utf-16-be")]
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path} ({i})" for i, form in enumerate(forms) if form in data]
    return found


def _campaign(tmp_path: Path, home: Path) -> tuple[Path, str, str]:
    """A finished headless campaign; its database, id and everything it printed."""
    contacts = tmp_path / "list.csv"
    contacts.write_text(
        "Имя;Телефон\n" + "".join(f"Клиент {i};+7 916 {i:07d}\n" for i in range(RECIPIENTS)),
        encoding="utf-8",
    )
    db = tmp_path / "db" / "log.sqlite3"
    db.parent.mkdir()
    env = dict(os.environ, KUPON_LEAK_TOKEN=TOKEN, KUPON_DESKTOP_HOME=str(home))
    with running_simulator(quick_config(tokens=frozenset({TOKEN}))) as sim:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "kupon_desktop",
                "send",
                "--contacts",
                str(contacts),
                "--type",
                "sms",
                "--sender",
                "Shop",
                "--text",
                "Здравствуйте, {Имя}!",
                "--api-url",
                sim.base_url,
                "--token-env",
                "KUPON_LEAK_TOKEN",
                "--db",
                str(db),
                "--batch-size",
                "20",
            ],
            capture_output=True,
            text=True,
            timeout=180,
            env=env,
        )
        assert run.returncode == 0, run.stderr
        seen = inspect(sim)
    # the simulator knows no other token: these were really sent with this one
    assert len(seen["sends_per_recipient"]) == RECIPIENTS
    campaign_id = run.stdout.strip().splitlines()[0]
    return db, campaign_id, run.stdout + run.stderr


def test_no_file_or_output_holds_the_token(qtbot, tmp_path, _private_home):
    home = _private_home
    db, campaign_id, printed = _campaign(tmp_path, home)
    assert TOKEN not in printed

    # the log file, as the window sets it up, with the token known to its redactor the
    # way TokenStore tells it (on_secret)
    redactor = SecretRedactor()
    redactor.add(TOKEN)
    log_path = setup_logging(redactor)  # under KUPON_DESKTOP_HOME, as the window does
    assert log_path.parent == home / "log"
    root = logging.getLogger()
    handler = next(h for h in root.handlers if getattr(h, "_kupon", False))
    try:
        logging.getLogger("kupon_desktop.test").error(
            "request failed: token=%s&type=sms, again %s", TOKEN, TOKEN
        )

        # exports, both kinds, into the program's own folders
        exports = home / "exports"
        exports.mkdir()
        with Log(db) as log:
            assert export_results(log, campaign_id, exports / "results.xlsx") == RECIPIENTS
            assert export_results(log, campaign_id, exports / "results.csv", "ru") == RECIPIENTS
            export_into_source(log, campaign_id, exports / "into-source.xlsx")

        # a crash whose exception text quotes the token
        crash = CrashHandler(redactor)
        try:
            raise RuntimeError(f"platform said: bad token {TOKEN}")
        except RuntimeError as exc:
            crash.report(exc)
        qtbot.waitUntil(
            lambda: any(
                isinstance(w, CrashDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
            ),
            timeout=5000,
        )
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, CrashDialog) and w.isVisible()
        )
        shown = dialog.details.toPlainText()
        assert "RuntimeError: platform said: bad token ***" in shown
        assert TOKEN not in shown and TOKEN not in crash.reports[0]
        dialog.copy_details()
        assert TOKEN not in QApplication.clipboard().text()
        dialog.close()

        # the Settings dialog: the token typed in, every other setting written to QSettings
        window = make_window(qtbot, keyring=MemoryKeyring())
        settings_dialog = window.open_settings()
        settings_dialog.token.editor.setText(TOKEN)
        settings_dialog.api_url.editor.setText("https://api.example.com/api/v1/bulk/")
        settings_dialog.port.editor.setText("8799")
        settings_dialog.accept()
        assert not settings_dialog.isVisible()
        assert window.ctx.tokens.get() == TOKEN
        window.ctx.settings.sync()
        window.close()
    finally:
        root.removeHandler(handler)
        handler.close()

    assert (home / "config" / "settings.ini").is_file()
    assert "8799" in (home / "config" / "settings.ini").read_text(encoding="utf-8")
    written = log_path.read_text(encoding="utf-8")
    assert "request failed: token=***" in written and "uncaught exception" in written
    assert db.exists() and any(db.parent.iterdir())
    assert _leaks(home) == [] and _leaks(tmp_path) == []


def test_the_scan_would_find_a_leak(tmp_path):
    """The scan is not blind: a token written in any of its forms is found."""
    (tmp_path / "a.ini").write_text(f"token={TOKEN}\n", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"\0\1" + TOKEN.encode("utf-16-le"))
    assert len(_leaks(tmp_path)) == 2

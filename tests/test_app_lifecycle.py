"""The program as it really starts: one qasync loop, a coroutine helper that never loses an
exception, a crash dialog with the details, and a quiet shutdown."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import threading

from PySide6.QtWidgets import QApplication

from kupon_desktop.errors import KuponError
from kupon_desktop.logsetup import SecretRedactor
from kupon_desktop.ui.crash import CrashDialog, CrashHandler
from kupon_desktop.ui.tasks import TaskRunner


class Expected(KuponError):
    def __init__(self) -> None:
        super().__init__("The platform rejected the token.", "Платформа не приняла токен.")


def test_task_runner_routes_failures(qtbot, qasync_loop):
    runner = TaskRunner()
    results = []

    async def ok():
        await asyncio.sleep(0)
        return 42

    async def expected():
        raise Expected()

    async def bug():
        raise ZeroDivisionError("bug")

    with qtbot.waitSignal(runner.failed, timeout=5000) as failed:
        runner.start(expected(), what="Sending")
    assert failed.args == ["Sending", "The platform rejected the token."]
    with qtbot.waitSignal(runner.crashed, timeout=5000) as crashed:
        runner.start(bug())
    assert isinstance(crashed.args[0], ZeroDivisionError)
    runner.start(ok(), on_done=results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)

    async def forever():
        await asyncio.Event().wait()

    runner.start(forever())
    assert runner.running == 1
    shutdown = asyncio.ensure_future(runner.shutdown())
    qtbot.waitUntil(shutdown.done, timeout=5000)
    assert runner.running == 0


def test_exception_in_a_thread_reaches_the_dialog_redacted(qtbot):
    redactor = SecretRedactor()
    redactor.add("tok-secret-123456")
    handler = CrashHandler(redactor, show_dialogs=False)
    old_hook = threading.excepthook
    handler.install()
    try:

        def work():
            raise RuntimeError("failed with tok-secret-123456")

        t = threading.Thread(target=work)
        t.start()
        t.join()
        qtbot.waitUntil(lambda: bool(handler.reports), timeout=5000)
    finally:
        threading.excepthook = old_hook
        sys.excepthook = sys.__excepthook__
    assert "RuntimeError: failed with ***" in handler.reports[0]
    dialog = CrashDialog(handler.reports[0])
    qtbot.addWidget(dialog)
    dialog.copy_details()
    assert "RuntimeError" in QApplication.clipboard().text()


def test_window_opens_and_quits_without_noise(tmp_path):
    script = textwrap.dedent(
        """
        from PySide6.QtCore import QTimer
        from kupon_desktop.ui.app import run_app

        def shown(window):
            QTimer.singleShot(200, window.close)

        raise SystemExit(run_app(lang="ru", on_shown=shown))
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KUPON_DESKTOP_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    noise = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert noise == [], result.stderr
    log = (tmp_path / "log" / "kupon-desktop.log").read_text(encoding="utf-8")
    assert "starting" in log and "closed" in log

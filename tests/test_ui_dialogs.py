"""Dialogs from async code and supervised tasks, in the real qasync loop.

A dialog asked from a coroutine must leave the loop running (other tasks keep stepping
while the user reads), open in front of the window, and close when its task is
cancelled; no modal ``exec()`` may be reachable inside an ``async def`` in ``ui/``. A
long-lived task that dies is started again, and its failure shown once."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from kupon_desktop.ui.dialogs import active_dialogs, confirm, notify, pick_file
from kupon_desktop.ui.tasks import Supervisor, TaskRunner

UI = Path(__file__).resolve().parent.parent / "kupon_desktop" / "ui"
#: calls that start a nested event loop (or are the static dialogs that do)
NESTING = {
    "exec",
    "exec_",
    "question",
    "warning",
    "information",
    "critical",
    "about",
    "getText",
    "getItem",
    "getInt",
    "getDouble",
    "getOpenFileName",
    "getOpenFileNames",
    "getSaveFileName",
    "getExistingDirectory",
}
LOGGERS = {"log", "logger", "logging"}


def nested_loop_calls(root: Path) -> list[str]:
    hits = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                receiver = node.func.value
                if isinstance(receiver, ast.Name) and receiver.id in LOGGERS:
                    continue
                if node.func.attr in NESTING:
                    hits.append(f"{path.relative_to(root)}:{node.lineno} {fn.name}")
    return hits


def test_no_nested_event_loop_inside_a_coroutine_in_ui():
    assert nested_loop_calls(UI) == []


def test_the_scan_finds_a_nested_loop(tmp_path):
    (tmp_path / "bad.py").write_text(
        "async def f(box):\n    log.warning('x')\n    box.exec()\n"
        "async def g(w):\n    QMessageBox.question(w, 't', 'q')\n",
        encoding="utf-8",
    )
    assert nested_loop_calls(tmp_path) == ["bad.py:3 f", "bad.py:5 g"]


def _box(title: str) -> QMessageBox | None:
    for w in active_dialogs():
        if isinstance(w, QMessageBox) and w.windowTitle() == title:
            return w
    return None


def test_a_question_leaves_the_loop_running_and_opens_in_front(qtbot, qasync_loop):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    ticks: list[int] = []

    async def ticker() -> None:
        while True:
            ticks.append(1)
            await asyncio.sleep(0.01)

    other = qasync_loop.create_task(ticker())
    asked = qasync_loop.create_task(confirm(window, "Stop?", "Stop the campaign?"))
    qtbot.waitUntil(lambda: _box("Stop?") is not None, timeout=5000)
    box = _box("Stop?")
    assert box.parentWidget() is window
    assert box.windowModality() == Qt.WindowModality.WindowModal
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > before + 5, timeout=5000)
    assert not asked.done()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(asked.done, timeout=5000)
    assert asked.result() is True
    other.cancel()


def test_escape_is_no_and_a_cancelled_question_closes_its_box(qtbot, qasync_loop):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    asked = qasync_loop.create_task(confirm(window, "Q1", "?"))
    qtbot.waitUntil(lambda: _box("Q1") is not None, timeout=5000)
    qtbot.keyClick(_box("Q1"), Qt.Key.Key_Escape)
    qtbot.waitUntil(asked.done, timeout=5000)
    assert asked.result() is False

    told = qasync_loop.create_task(notify(window, "N1", "Notice"))
    qtbot.waitUntil(lambda: _box("N1") is not None, timeout=5000)
    told.cancel()
    qtbot.waitUntil(lambda: _box("N1") is None, timeout=5000)
    assert told.cancelled()


def test_file_dialog_remembers_the_folder(qtbot, qasync_loop, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    folder = tmp_path / "lists"
    folder.mkdir()
    target = folder / "clients.csv"
    target.write_text("a\n", encoding="utf-8")

    def dialog() -> QFileDialog | None:
        found = [w for w in active_dialogs() if isinstance(w, QFileDialog)]
        return found[0] if found else None

    chosen: list[Path] = []
    pick_file(window, "Open", "CSV (*.csv)", chosen.append, key="t")
    qtbot.waitUntil(lambda: dialog() is not None, timeout=5000)
    assert Path(dialog().directory().absolutePath()) == Path.home()
    # what Qt's own accept() does once a file is chosen (the offscreen file system
    # model fills in too late for selectFile here)
    dialog().fileSelected.emit(str(target))
    dialog().done(QDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: dialog() is None, timeout=5000)
    assert chosen == [target]

    pick_file(window, "Open", "CSV (*.csv)", chosen.append, key="t")
    qtbot.waitUntil(lambda: dialog() is not None, timeout=5000)
    assert Path(dialog().directory().absolutePath()) == folder
    dialog().reject()
    qtbot.waitUntil(lambda: dialog() is None, timeout=5000)
    assert chosen == [target]


class Boom(Exception):
    pass


def test_a_supervised_task_is_restarted_and_its_failure_shown_once(qtbot, qasync_loop):
    runner = TaskRunner()
    keeper = Supervisor(runner, backoff=(0.01,))
    crashes: list[BaseException] = []
    runner.crashed.connect(crashes.append)
    runs: list[int] = []

    async def job() -> str:
        runs.append(1)
        if len(runs) < 4:
            raise Boom(f"failure {len(runs)}")
        return "done"

    results: list[str] = []
    keeper.keep("job", job, on_done=results.append)
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)
    assert len(runs) == 4
    assert [str(e) for e in crashes] == ["failure 1"]  # once for the streak
    assert keeper.jobs["job"].restarts == 3


def test_a_supervised_task_may_refuse_to_restart(qtbot, qasync_loop):
    runner = TaskRunner()
    keeper = Supervisor(runner, backoff=(0.01,))
    crashes: list[BaseException] = []
    runner.crashed.connect(crashes.append)
    runs: list[int] = []

    async def job() -> None:
        runs.append(1)
        raise Boom("always")

    task = keeper.keep("job", job, max_restarts=2)
    qtbot.waitUntil(task.done, timeout=5000)
    assert len(runs) == 3
    # shown when it first died, and when it died for good
    assert [str(e) for e in crashes] == ["always", "always"]


@pytest.mark.parametrize("stop", ["stop", "shutdown"])
def test_a_stopped_supervised_task_is_not_restarted(qtbot, qasync_loop, stop):
    runner = TaskRunner()
    keeper = Supervisor(runner, backoff=(0.01,))
    started: list[int] = []

    async def job() -> None:
        started.append(1)
        await asyncio.sleep(3600)

    task = keeper.keep("job", job)
    qtbot.waitUntil(lambda: started == [1], timeout=5000)
    if stop == "stop":
        keeper.stop("job")
    else:
        qasync_loop.create_task(keeper.shutdown())
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.cancelled() and started == [1] and not keeper.running("job")

"""Journeys: the whole program in the real event loop, driven as a marketer drives it.

``journey_app`` builds the program exactly as ``run_app`` does (``ui.app.assemble``: the
demo simulator, the crash handler, the window) and runs ``ui.app.serve`` as a task on the
qasync loop; the test drives it through pytest-qt, which runs that same loop. Dialogs are
real: ``Answerer`` is a timer that finds the open dialog by its title and clicks the named
button, as a user would. ``Heartbeat`` records the longest time the loop went without
running a timer (the window not answering). After each step, ``keeps_updating`` proves
the grid, its filter counts and the progress bar still move.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractButton, QDialog, QMessageBox

from kupon_desktop.ui.app import Assembled, assemble, serve
from kupon_desktop.ui.dialogs import active_dialogs
from kupon_desktop.ui.models.status_grid import Filter
from tests.keyring_memory import MemoryKeyring


class Heartbeat(QObject):
    """A 10 ms timer on the GUI thread. Since ``reset``: ``longest`` is the longest gap
    between two ticks (how long the window went without answering), ``busiest`` the
    most CPU the GUI thread itself spent within one gap (work done on the GUI thread,
    whatever else the machine is doing: on a shared CI machine a gap also holds the
    time the process was not scheduled at all)."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.reset()

    def start(self) -> None:
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self.longest = 0.0
        self.busiest = 0.0

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.longest = max(self.longest, now - self._last)
        self.busiest = max(self.busiest, cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu


@dataclass
class Answered:
    title: str
    text: str
    button: str
    modality: Any
    parent: Any


class Answerer(QObject):
    """Answers real dialogs: ``expect(title, button)`` arms it; a 20 ms timer finds the
    visible dialog with that title and clicks the button whose text (or standard button
    name: "Yes", "No", "Ok", "Cancel") is given."""

    def __init__(self) -> None:
        super().__init__()
        self.answered: list[Answered] = []
        self._wanted: list[tuple[str, str]] = []
        self.timer = QTimer(self)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def expect(self, title: str, button: str) -> None:
        self._wanted.append((title, button))

    @property
    def pending(self) -> int:
        return len(self._wanted)

    def open_titles(self) -> list[str]:
        return [d.windowTitle() for d in active_dialogs()]

    def _look(self) -> None:
        if not self._wanted:
            return
        title, button_names = self._wanted[0]
        for dialog in active_dialogs():
            if dialog.windowTitle() != title:
                continue
            found = [(n, _button(dialog, n)) for n in button_names.split("|")]
            found = [(n, b) for n, b in found if b is not None]
            if not found:
                continue
            button_name, button = found[0]
            text = dialog.text() if isinstance(dialog, QMessageBox) else ""
            self.answered.append(
                Answered(title, text, button_name, dialog.windowModality(), dialog.parentWidget())
            )
            self._wanted.pop(0)
            button.click()
            return


def _button(dialog: QDialog, name: str) -> QAbstractButton | None:
    if isinstance(dialog, QMessageBox):
        standard = getattr(QMessageBox.StandardButton, name, None)
        if standard is not None and dialog.button(standard) is not None:
            return dialog.button(standard)
        for b in dialog.buttons():
            if b.text().replace("&", "") == name:
                return b
        return None
    for b in dialog.findChildren(QAbstractButton):
        if b.text().replace("&", "") == name and b.isVisible():
            return b
    return None


@dataclass
class Journey:
    parts: Assembled
    answerer: Answerer
    heartbeat: Heartbeat
    serving: asyncio.Task[None]

    @property
    def window(self) -> Any:
        return self.parts.window

    @property
    def sim(self) -> Any:
        return self.parts.demo_platform

    def sent_at_simulator(self) -> int:
        """How many messages the simulator accepted (counted there, not by the window)."""
        with httpx.Client(trust_env=False) as http:
            response = http.get(
                self.sim.inspection_url, params={"after_id": str(10**15)}, timeout=10
            )
        response.raise_for_status()
        return sum(response.json()["sends_per_recipient"].values())

    def live(self) -> tuple[Any, ...]:
        """What a user sees change as statuses arrive: the filter counts, the progress
        bar, the chart's newest sample."""
        page = self.window.campaign_page
        counts = tuple(sorted((f.value, n) for f, n in page.model.counts().items()))
        buttons = tuple(b.text() for b in page.filter_buttons.values())
        chart = page.chart.samples[-1][1] if page.chart.samples else {}
        return counts, buttons, page.progress.value(), tuple(sorted(chart.items()))


def keeps_updating(qtbot: Any, journey: Journey, timeout: int = 30000) -> None:
    """The grid, its counts and the progress bar change again (statuses still arrive and
    reach the window), and what they show agrees with itself."""
    before = journey.live()
    qtbot.waitUntil(lambda: journey.live() != before, timeout=timeout)
    consistent(journey)


def consistent(journey: Journey) -> None:
    page = journey.window.campaign_page
    counts = page.model.counts()
    total = counts[Filter.ALL]
    assert total == page.model.rowCount() or page.model._filter is not Filter.ALL
    assert sum(n for f, n in counts.items() if f is not Filter.ALL) == total
    for f, button in page.filter_buttons.items():
        assert button.text().endswith(f"({_number(counts[f])})"), button.text()
    assert journey.parts.ctx.keeper().running("poll"), "the status poll must be alive"
    assert not journey.parts.crash.reports, journey.parts.crash.reports


def _number(n: int) -> str:
    from kupon_desktop.ui.pages.base import number

    return number(n)


@contextmanager
def journey_app(
    qtbot: Any, loop: asyncio.AbstractEventLoop, home: Path, *, db_path: Path | None = None
) -> Iterator[Journey]:
    """The program as ``run_app`` builds and runs it (demo platform), on the test's
    qasync loop; closed (Quit) and checked for a clean end afterwards."""
    hooks = (sys.excepthook, threading.excepthook)
    parts = assemble(
        demo=True,
        lang="en",
        keyring_backend=MemoryKeyring(),
        db_path=db_path or home / "demo.sqlite3",
    )
    # the send window would hold every message till morning in a night-time run
    parts.ctx.settings.set("audience/window", "off")
    qtbot.addWidget(parts.window)
    heartbeat = Heartbeat()
    heartbeat.start()
    answerer = Answerer()
    shown: list[object] = []
    serving = loop.create_task(serve(parts, on_shown=shown.append))
    try:
        qtbot.waitUntil(lambda: bool(shown), timeout=10000)
        yield Journey(parts, answerer, heartbeat, serving)
    finally:
        answerer.timer.stop()
        heartbeat.timer.stop()
        for dialog in active_dialogs():
            dialog.reject()
        if not serving.done():
            parts.window.close()
            qtbot.waitUntil(serving.done, timeout=30000)
        sys.excepthook, threading.excepthook = hooks
        loop.set_exception_handler(None)
        if parts.demo_platform is not None:
            parts.demo_platform.stop()

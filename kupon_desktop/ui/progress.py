"""Progress from worker threads, delivered on the GUI thread.

A worker calls the relay like a function; the queued signal carries the call to the GUI
thread, so no widget is ever touched off it. ``cancel`` is a plain ``threading.Event``
the worker polls.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal


class ProgressRelay(QObject):
    progressed = Signal(float, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()

    def __call__(self, fraction: float, message: str = "") -> None:
        self.progressed.emit(float(fraction), message)

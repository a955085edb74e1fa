"""Search as you type, without filtering a million rows on every keystroke."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit

#: how long typing must pause before the search runs
SEARCH_DELAY_MS = 250


def search_as_you_type(
    edit: QLineEdit, apply: Callable[[str], None], delay_ms: int = SEARCH_DELAY_MS
) -> QTimer:
    """Run ``apply(text)`` once typing in ``edit`` pauses for ``delay_ms``, at once on
    Enter or when the box is cleared. Returns the timer (a child of ``edit``)."""
    timer = QTimer(edit)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)

    def now() -> None:
        timer.stop()
        apply(edit.text())

    def typed(text: str) -> None:
        if text:
            timer.start()
        else:
            now()

    timer.timeout.connect(now)
    edit.textChanged.connect(typed)
    edit.returnPressed.connect(now)
    return timer

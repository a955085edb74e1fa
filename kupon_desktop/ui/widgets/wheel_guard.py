"""Scrolling a long form must not change its fields.

Qt gives a wheel turn to the combo box or spin box under the pointer, focused or not:
scrolling down the Settings dialog past «Язык» switched the language, and on the
Message page the channel or the charset could change the same way, unseen. In a form
that scrolls, a field that does not have the focus passes the wheel to the form's
scroll bar; once the user has clicked into it (or tabbed to it), the wheel changes it
as before.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget


class _WheelGuard(QObject):
    def __init__(self, scroll: QAbstractScrollArea) -> None:
        super().__init__(scroll)
        self._scroll = scroll

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            QCoreApplication.sendEvent(self._scroll.verticalScrollBar(), event)
            return True
        return False


def guard_wheel(scroll: QAbstractScrollArea, form: QWidget) -> None:
    """The combo boxes and spin boxes (dates and times too) of ``form``, shown in
    ``scroll``, take the wheel only when they have the focus."""
    guard = _WheelGuard(scroll)
    for kind in (QComboBox, QAbstractSpinBox):
        for field in form.findChildren(kind):
            # a combo box takes the focus from a wheel turn (WheelFocus), and Qt gives it
            # before any filter sees the turn: the focus comes from a click or Tab only
            field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            field.installEventFilter(guard)

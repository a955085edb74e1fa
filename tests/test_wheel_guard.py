"""Scrolling a long form with the wheel moves the form, not the field under the pointer:
the Settings dialog's language and the Message page's channel stay as the user set
them; a field the user clicked into still takes the wheel."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from tests.uihelpers import make_window


def _wheel_down(widget: QWidget) -> None:
    at = QPointF(widget.rect().center())
    event = QWheelEvent(
        at,
        QPointF(widget.mapToGlobal(at.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120),  # one notch down
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_scrolling_the_settings_past_the_language_keeps_it(qtbot) -> None:
    window = make_window(qtbot)
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    # active, as on a desk: Qt then gives a wheel-focus field the focus before the turn
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    language = dialog.language.editor
    scroll = dialog.findChild(QScrollArea)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the form is longer than the dialog
    # a real turn of the wheel (from the window system) would give a wheel-focus field
    # the focus before the turn reaches it: only a click or Tab may
    assert language.focusPolicy() == Qt.FocusPolicy.StrongFocus
    before, top = language.currentIndex(), bar.value()
    _wheel_down(language)
    assert language.currentIndex() == before
    assert bar.value() > top  # the wheel scrolled the form instead
    # clicked into, the field takes the wheel
    language.setFocus()
    qtbot.waitUntil(language.hasFocus)
    _wheel_down(language)
    assert language.currentIndex() != before
    dialog.reject()


def test_scrolling_the_message_form_keeps_the_channel(qtbot) -> None:
    window = make_window(qtbot)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.message_page
    channel = page.type_combo
    assert channel.focusPolicy() == Qt.FocusPolicy.StrongFocus
    before = channel.currentIndex()
    _wheel_down(channel)
    assert channel.currentIndex() == before

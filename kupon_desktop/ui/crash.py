"""What happens to an exception nobody caught: it is logged with its traceback and shown
in a dialog with "Copy details", and the program keeps running where it can.

Exceptions from other threads are marshalled to the GUI thread through a queued signal;
no widget is touched off the GUI thread.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("kupon_desktop.crash")


def format_exception(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class CrashDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unexpected error"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Something went wrong inside Kupon Desktop. Your data is safe: the campaign "
                "log is kept on disk. You can keep working; if this repeats, send the "
                "details below to support."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("Copy details"))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class CrashHandler(QObject):
    """Installs the hooks and shows one dialog per uncaught exception."""

    _raised = Signal(str)

    def __init__(
        self,
        redact: Callable[[str], str],
        parent: QObject | None = None,
        *,
        show_dialogs: bool = True,
    ) -> None:
        super().__init__(parent)
        self._redact = redact
        self._show = show_dialogs
        self._open: CrashDialog | None = None
        #: the main window: the dialog opens in front of it, never behind
        self.window: QWidget | None = None
        self.reports: list[str] = []
        self._raised.connect(self._present, Qt.ConnectionType.QueuedConnection)

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook
        if loop is not None:
            loop.set_exception_handler(self._loop_handler)

    def report(self, exc: BaseException) -> None:
        """Log and show ``exc``; callable from any thread."""
        self._handle(type(exc), exc, exc.__traceback__)

    def _excepthook(
        self, etype: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        self._handle(etype, value, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self._handle(args.exc_type, args.exc_value, args.exc_traceback)

    def _loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self._handle(type(exc), exc, exc.__traceback__)
        else:
            log.error("event loop: %s", context.get("message"))

    def _handle(
        self, etype: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        text = self._redact("".join(traceback.format_exception(etype, value, tb)))
        log.error("uncaught exception:\n%s", text)
        self.reports.append(text)
        self._raised.emit(text)

    @Slot(str)
    def _present(self, details: str) -> None:
        if not self._show:
            return
        if self._open is not None and self._open.isVisible():
            # one dialog at a time: a burst of the same error adds to the open one
            self._open.details.appendPlainText("\n" + details)
            return
        self._open = CrashDialog(details, self.window)
        self._open.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # shown, not exec(): a nested loop here would stall the tasks of the window
        self._open.show()
        self._open.raise_()
        self._open.activateWindow()

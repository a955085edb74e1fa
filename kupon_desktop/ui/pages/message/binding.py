"""The draft bound to its autosave: saved a few seconds after each edit (so a crash loses
at most that), restored when the page opens."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kupon_desktop.compose import AUTOSAVE, Draft, drafts

log = logging.getLogger(__name__)

AUTOSAVE_MS = 2000


class DraftBinding(QObject):
    def __init__(
        self,
        read: Callable[[], Draft],
        write: Callable[[Draft], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.read = read
        self.write = write
        self.store = drafts()
        self.timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self.timer.timeout.connect(self.save)

    def edited(self) -> None:
        self.timer.start()

    def save(self) -> None:
        try:
            self.store.save(AUTOSAVE, self.read())
        except (OSError, ValueError) as exc:
            log.warning("autosave failed: %s", exc)

    def restore(self) -> None:
        try:
            if self.store.exists(AUTOSAVE):
                self.write(self.store.load(AUTOSAVE).draft)
        except Exception as exc:  # an unreadable autosave must not stop the page
            log.warning("could not restore the autosaved draft: %s", exc)

"""The History page: every campaign sent from this computer."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kupon_desktop.ui.pages.base import Page


class HistoryPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("History"),
            self.tr("Every campaign sent from this computer, with its counts. Open one to "
                    "see its recipients."),
            parent,
        )
        self.layout_.addWidget(self.empty_state(self.tr("No campaigns yet.")), 1)

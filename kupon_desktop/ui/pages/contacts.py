"""The Contacts page: import a list and see what was understood."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from kupon_desktop.ui.pages.base import Page


class ContactsPage(Page):
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Contacts"),
            self.tr("Import the list you already have: Excel (.xlsx, .xls), OpenDocument "
                    "(.ods) or CSV. Phones are recognised however they are written."),
            parent,
        )
        row = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import contacts…"))
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.import_requested)
        row.addWidget(self.import_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.empty = self.empty_state(
            self.tr("No contacts yet.\nDrop a file here or press Ctrl+O to import one."))
        self.layout_.addWidget(self.empty, 1)

"""The Message page: what each recipient will receive."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kupon_desktop.ui.pages.base import Page


class MessagePage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Message"),
            self.tr("Choose the channel, write the text with {placeholders} from your "
                    "list, and check it before sending."),
            parent,
        )
        self.layout_.addWidget(
            self.empty_state(self.tr("Import contacts first, then compose the message here.")),
            1,
        )

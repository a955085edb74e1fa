"""The Campaign page: every recipient's status, live."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kupon_desktop.ui.pages.base import Page


class CampaignPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Campaign"),
            self.tr("Statuses arrive here as the platform reports them: filter, search, "
                    "resend and export."),
            parent,
        )
        self.layout_.addWidget(
            self.empty_state(self.tr("No campaign is running. Compose a message and press "
                                     "Send.")),
            1,
        )

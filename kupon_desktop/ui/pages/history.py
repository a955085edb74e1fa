"""The History page: every campaign sent from this computer, with its counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QWidget

from kupon_desktop.api.models import MessageType, StatusGroup
from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.pages.base import Page
from kupon_desktop.ui.pages.contacts import make_table


class HistoryPage(Page):
    #: campaign id to open in the Campaign page
    open_requested = Signal(str)

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("History"),
            self.tr(
                "Every campaign sent from this computer, with its counts. Open one to "
                "see its recipients."
            ),
            parent,
        )
        self.language = language
        self.ids: list[str] = []
        self.empty = self.empty_state(self.tr("No campaigns yet."))
        self.layout_.addWidget(self.empty, 1)
        self.model = FrameTableModel()
        self.view = make_table(self.model)
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        self.view.hide()
        self.layout_.addWidget(self.view, 1)

    def show_campaigns(self, campaigns: list[Any]) -> None:
        import pandas as pd  # here, not at start-up (the window must appear first)

        ru = self.language == "ru"
        states = {
            "draft": self.tr("draft"),
            "running": self.tr("sending"),
            "paused": self.tr("paused"),
            "cancelled": self.tr("cancelled"),
            "finished": self.tr("finished"),
            "interrupted": self.tr("interrupted"),
        }
        rows = []
        self.ids = []
        for c in sorted(campaigns, key=lambda c: c.created_at, reverse=True):
            try:
                t = MessageType(c.type)
                type_label = t.label_ru if ru else t.label_en
            except ValueError:
                type_label = c.type
            groups = c.counts.groups()
            states_count = {s.value: n for s, n in c.counts.states.items()}
            rows.append(
                {
                    "date": c.created_at.astimezone().strftime("%d.%m.%Y %H:%M"),
                    "name": c.name,
                    "type": type_label,
                    "state": states.get(c.state.value, c.state.value),
                    "total": c.counts.total,
                    "accepted": states_count.get("accepted", 0),
                    "delivered": groups[StatusGroup.DELIVERED] + groups[StatusGroup.ENGAGED],
                    "failed": groups[StatusGroup.FAILED] + states_count.get("rejected", 0),
                    "unconfirmed": states_count.get("unconfirmed", 0),
                }
            )
            self.ids.append(c.id)
        headers = [
            self.tr("Date"),
            self.tr("Name"),
            self.tr("Channel"),
            self.tr("State"),
            self.tr("Recipients"),
            self.tr("Accepted"),
            self.tr("Delivered"),
            self.tr("Failed"),
            self.tr("Unconfirmed"),
        ]
        frame = pd.DataFrame(
            rows,
            columns=[
                "date",
                "name",
                "type",
                "state",
                "total",
                "accepted",
                "delivered",
                "failed",
                "unconfirmed",
            ],
        )
        self.model.set_frame(frame, headers)
        self.empty.setVisible(not rows)
        self.view.setVisible(bool(rows))
        self.view.resizeColumnsToContents()

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.ids[self.model.source_row(index.row())])

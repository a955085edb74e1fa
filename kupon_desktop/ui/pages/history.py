"""The History page: every campaign sent from this computer, with its counts, and with a
team server, the team's campaigns (whoever sent them) below."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QWidget

from kupon_desktop.campaign.counts import GROUPS, CampaignCounts, Group
from kupon_desktop.campaign.session import CampaignSummary
from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.pages.base import Page, moment, number
from kupon_desktop.ui.pages.contacts import make_table
from kupon_desktop.vocabulary import MessageType


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
        self.team_title = QLabel(self.tr("Team campaigns"))
        bold = self.team_title.font()
        bold.setBold(True)
        self.team_title.setFont(bold)
        self.team_note = QLabel()
        self.team_note.setObjectName("pageHint")
        self.team_note.setWordWrap(True)
        self.team_model = FrameTableModel()
        self.team_view = make_table(self.team_model)
        for widget in (self.team_title, self.team_note, self.team_view):
            widget.hide()
        self.layout_.addWidget(self.team_title)
        self.layout_.addWidget(self.team_note)
        self.layout_.addWidget(self.team_view, 1)

    def group_headers(self) -> dict[Group, str]:
        """The groups' names, as the Campaign page's filter buttons name them."""
        return {
            Group.PENDING: self.tr("Pending"),
            Group.DELIVERED: self.tr("Delivered"),
            Group.ENGAGED: self.tr("Read / clicked"),
            Group.FAILED: self.tr("Failed"),
            Group.UNCONFIRMED: self.tr("Unconfirmed"),
            Group.NOT_SENT: self.tr("Not sent"),
        }

    def show_campaigns(self, campaigns: list[CampaignSummary]) -> None:
        """One row a campaign, newest first, with the session's counts: the same numbers
        the Campaign page shows for it."""
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
        ordered = sorted(campaigns, key=lambda s: s.campaign.created_at, reverse=True)
        for summary in ordered:
            c = summary.campaign
            try:
                t = MessageType(c.type)
                type_label = t.label_ru if ru else t.label_en
            except ValueError:
                type_label = c.type
            row = {
                "date": c.created_at,
                "name": c.name,
                "type": type_label,
                "state": states.get(c.state.value, c.state.value),
            }
            row.update(self._count_cells(summary.counts))
            rows.append(row)
            self.ids.append(c.id)
        headers = [
            self.tr("Date"),
            self.tr("Name"),
            self.tr("Channel"),
            self.tr("State"),
            self.tr("Recipients"),
            self.tr("Sent"),
            *self.group_headers().values(),
        ]
        columns = ["date", "name", "type", "state", "total", "sent", *(g.value for g in GROUPS)]
        frame = pd.DataFrame(rows, columns=columns)
        # the cells keep numbers and times (sorting orders 1 000 after 999, not before it)
        formats = {c: number for c in columns[4:]}
        formats["date"] = moment
        self.model.set_frame(frame, headers, formats)
        self.empty.setVisible(not rows)
        self.view.setVisible(bool(rows))
        self.view.resizeColumnsToContents()

    @staticmethod
    def _count_cells(counts: CampaignCounts) -> dict[str, Any]:
        cells: dict[str, Any] = {"total": counts.total, "sent": counts.sent}
        cells.update({g.value: counts.groups[g] for g in GROUPS})
        return cells

    def update_counts(self, campaign_id: str, counts: CampaignCounts) -> None:
        """The open campaign's counts after a poll: its row changes in place."""
        if campaign_id in self.ids:
            self.model.update_row(self.ids.index(campaign_id), self._count_cells(counts))

    def show_team(self, campaigns: list[dict[str, Any]] | None, problem: str = "") -> None:
        """The team server's campaigns, newest first (None: no team server; ``problem``:
        why it could not be asked, the last list staying as it was)."""
        import pandas as pd

        shown = campaigns is not None or bool(problem)
        self.team_title.setVisible(shown)
        self.team_note.setVisible(bool(problem))
        self.team_note.setText(problem)
        if campaigns is None:
            self.team_view.setVisible(shown and self.team_model.rowCount() > 0)
            return
        from datetime import UTC, datetime

        ru = self.language == "ru"
        approval = {
            "not_needed": self.tr("not needed"),
            "needed": self.tr("waiting for an approver"),
        }
        rows = []
        for c in campaigns:
            try:
                t = MessageType(str(c.get("type")))
                type_label = t.label_ru if ru else t.label_en
            except ValueError:
                type_label = str(c.get("type"))
            state = str(c.get("approval"))
            if state == "approved":
                state_text = self.tr("approved by %1").replace("%1", str(c.get("approved_by")))
            else:
                state_text = approval.get(state, state)
            at = datetime.fromtimestamp(int(c.get("created_at") or 0) / 1000, UTC)
            rows.append(
                {
                    "date": at,
                    "name": str(c.get("name") or ""),
                    "user": str(c.get("user") or ""),
                    "desk": str(c.get("desk") or ""),
                    "type": type_label,
                    "total": int(c.get("recipients") or 0),
                    "approval": state_text,
                    "statuses": sum(int(n) for n in (c.get("statuses") or {}).values()),
                }
            )
        headers = [
            self.tr("Date"),
            self.tr("Name"),
            self.tr("User"),
            self.tr("Computer"),
            self.tr("Channel"),
            self.tr("Recipients"),
            self.tr("Approval"),
            self.tr("Statuses received"),
        ]
        columns = ["date", "name", "user", "desk", "type", "total", "approval", "statuses"]
        # values in the cells, words on the screen: sorting orders numbers and times
        formats = {"date": moment, "total": number, "statuses": number}
        self.team_model.set_frame(pd.DataFrame(rows, columns=columns), headers, formats)
        self.team_view.setVisible(True)
        self.team_view.resizeColumnsToContents()

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.ids[self.model.source_row(index.row())])

"""The History page: every campaign sent from this computer, with its counts, and with a
team server, the team's campaigns (whoever sent them) below."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kupon_desktop.campaign.counts import GROUPS, CampaignCounts, Group, status_group
from kupon_desktop.campaign.session import CampaignSummary
from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.pages.base import Page, moment, number
from kupon_desktop.ui.pages.contacts import make_table
from kupon_desktop.vocabulary import MessageType

#: how often the team's campaigns are asked again while History is on screen, ms
TEAM_REFRESH_MS = 5000


class HistoryPage(Page):
    #: campaign id to open in the Campaign page
    open_requested = Signal(str)
    #: an approver approves a team campaign: (campaign id, what it is, in words)
    approve_requested = Signal(str, str)
    #: the team's campaigns are due to be asked again (History is on screen)
    team_refresh_wanted = Signal()

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
        self.team_view.selectionModel().selectionChanged.connect(self._team_selected)
        #: the team table's campaign ids and approval states, in the frame's order
        self.team_ids: list[str] = []
        self.team_names: list[str] = []
        self.team_states: list[str] = []
        #: this desk's user and role on the team server ("" until it answered)
        self.team_user = ""
        self.team_role = ""
        self.team_who = QLabel()
        self.team_who.setObjectName("pageHint")
        self.approve_button = QPushButton(self.tr("Approve…"))
        self.approve_button.setObjectName("primary")
        self.approve_button.setToolTip(
            self.tr("Approve the selected campaign: its sender can then send it.")
        )
        self.approve_button.clicked.connect(self._approve)
        self.approve_button.setEnabled(False)
        team_row = QHBoxLayout()
        team_row.addWidget(self.team_title)
        team_row.addWidget(self.team_who, 1)
        team_row.addWidget(self.approve_button)
        for widget in (
            self.team_title,
            self.team_who,
            self.approve_button,
            self.team_note,
            self.team_view,
        ):
            widget.hide()
        self.layout_.addLayout(team_row)
        self.layout_.addWidget(self.team_note)
        self.layout_.addWidget(self.team_view, 1)
        # other desks send and approve meanwhile: asked again while the page is shown
        self.team_timer = QTimer(self)
        self.team_timer.setInterval(TEAM_REFRESH_MS)
        self.team_timer.timeout.connect(self._team_due)

    def _team_due(self) -> None:
        if self.isVisible() and self.team_title.isVisible():
            self.team_refresh_wanted.emit()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.team_timer.start()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        self.team_timer.stop()

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

    def show_team_user(self, user: str, role: str) -> None:
        """Who this desk is on the team server; an approver gets the Approve button."""
        self.team_user, self.team_role = user, role
        roles = {
            "sender": self.tr("sender"),
            "approver": self.tr("approver"),
            "viewer": self.tr("viewer"),
        }
        self.team_who.setText(
            self.tr("you are %1 (%2)").replace("%1", user).replace("%2", roles.get(role, role))
            if user
            else ""
        )
        self.approve_button.setVisible(not self.team_title.isHidden() and role == "approver")
        self._team_selected()

    def show_team(self, campaigns: list[dict[str, Any]] | None, problem: str = "") -> None:
        """The team server's campaigns, newest first (None: no team server; ``problem``:
        why it could not be asked, the last list staying as it was)."""
        import pandas as pd

        shown = campaigns is not None or bool(problem)
        self.team_title.setVisible(shown)
        self.team_who.setVisible(shown)
        self.approve_button.setVisible(shown and self.team_role == "approver")
        self.team_note.setVisible(bool(problem))
        self.team_note.setText(problem)
        if campaigns is None:
            self.team_view.setVisible(shown and self.team_model.rowCount() > 0)
            self._team_selected()
            return
        from datetime import UTC, datetime

        ru = self.language == "ru"
        approval = {
            "not_needed": self.tr("not needed"),
            "needed": self.tr("waiting for an approver"),
        }
        # the approver's pick, by campaign, before the rows change under it
        selected = self._selected_team_id()
        rows = []
        self.team_ids, self.team_names, self.team_states = [], [], []
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
            # the last status of each recipient the team server holds, grouped as the
            # Campaign page groups them
            statuses = {int(k): int(n) for k, n in (c.get("statuses") or {}).items()}
            groups = {g: 0 for g in GROUPS}
            for code, n in statuses.items():
                groups[status_group(code)] += n
            rows.append(
                {
                    "date": at,
                    "name": str(c.get("name") or ""),
                    "user": str(c.get("user") or ""),
                    "desk": str(c.get("desk") or ""),
                    "type": type_label,
                    "total": int(c.get("recipients") or 0),
                    "approval": state_text,
                    "statuses": sum(statuses.values()),
                    "delivered": groups[Group.DELIVERED] + groups[Group.ENGAGED],
                    "failed": groups[Group.FAILED],
                }
            )
            self.team_ids.append(str(c.get("id")))
            # what the approver is asked about: the name, who sent it, to how many
            self.team_names.append(
                self.tr("«%1» by %2, %3 recipient(s)")
                .replace("%1", str(c.get("name") or c.get("id")))
                .replace("%2", str(c.get("user") or ""))
                .replace("%3", number(int(c.get("recipients") or 0)))
            )
            self.team_states.append(state)
        headers = [
            self.tr("Date"),
            self.tr("Name"),
            self.tr("User"),
            self.tr("Computer"),
            self.tr("Channel"),
            self.tr("Recipients"),
            self.tr("Approval"),
            self.tr("Statuses received"),
            self.tr("Delivered"),
            self.tr("Failed"),
        ]
        columns = [
            "date",
            "name",
            "user",
            "desk",
            "type",
            "total",
            "approval",
            "statuses",
            "delivered",
            "failed",
        ]
        # values in the cells, words on the screen: sorting orders numbers and times
        formats = {c: number for c in ("total", "statuses", "delivered", "failed")}
        formats["date"] = moment
        self.team_model.set_frame(pd.DataFrame(rows, columns=columns), headers, formats)
        self.team_view.setVisible(True)
        self.team_view.resizeColumnsToContents()
        # a refresh every few seconds must not lose the row the approver picked
        if selected in self.team_ids:
            source = self.team_ids.index(selected)
            for row in range(self.team_model.rowCount()):
                if self.team_model.source_row(row) == source:
                    self.team_view.selectRow(row)
                    break
        self._team_selected()

    def _selected_team_row(self) -> int | None:
        """The frame row of the team campaign selected (None: none)."""
        rows = self.team_view.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.team_model.source_row(rows[0].row())
        return source if 0 <= source < len(self.team_ids) else None

    def _selected_team_id(self) -> str | None:
        row = self._selected_team_row()
        return None if row is None else self.team_ids[row]

    def _team_selected(self, *_: Any) -> None:
        row = self._selected_team_row()
        self.approve_button.setEnabled(
            self.team_role == "approver" and row is not None and self.team_states[row] == "needed"
        )

    def _approve(self) -> None:
        row = self._selected_team_row()
        if row is not None and self.team_states[row] == "needed":
            self.approve_requested.emit(self.team_ids[row], self.team_names[row])

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.ids[self.model.source_row(index.row())])

"""The Campaign page: every recipient's status, live, with filters, search, a chart,
and the actions a marketer takes on the result (resend, resend through another channel,
skip, copy, export)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop.campaign.counts import CampaignCounts, Group
from kupon_desktop.ui.dialogs import pick_file
from kupon_desktop.ui.models.status_grid import Filter, StatusGridModel
from kupon_desktop.ui.pages.base import Page, number
from kupon_desktop.ui.pages.campaign_ab import ABPanel
from kupon_desktop.ui.widgets.flow_layout import FlowLayout
from kupon_desktop.ui.widgets.search_box import search_as_you_type
from kupon_desktop.ui.widgets.status_chart import StatusChart
from kupon_desktop.vocabulary import MessageType


class CampaignPage(Page):
    pause_requested = Signal()
    resume_requested = Signal(str)
    cancel_requested = Signal()
    #: (campaign id, keys)
    resend_requested = Signal(str, list)
    skip_requested = Signal(str, list)
    #: (campaign id, keys, MessageType)
    resend_via_requested = Signal(str, list, object)
    #: (campaign id, path)
    export_requested = Signal(str, str)
    export_into_requested = Signal(str, str)
    #: (campaign id) add the wrong recipients and the blocked (22, 23) to the stop list
    stop_failed_requested = Signal(str)
    #: (campaign id, group, "list" or "segment"): save a group of recipients in the base
    #: (group: sent, delivered, read, clicked, undelivered)
    retarget_requested = Signal(str, str, str)
    #: (A/B group, variant name): the user's pick of the winner
    winner_picked = Signal(str, str)

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Campaign"),
            self.tr(
                "Statuses arrive here as the platform reports them: filter, search, "
                "resend and export."
            ),
            parent,
        )
        self.language = language
        self.campaign_id: str | None = None
        #: the file the open campaign's list came from ("Export into my file" offers it)
        self.source_path: str | None = None
        self.campaign_type = MessageType.SMS
        self.running = False
        self.state = ""
        self.counts: CampaignCounts | None = None
        self.reason = ""
        #: recipients still waiting for a final status (the session's counts)
        self.pending = 0

        self.empty = self.empty_state(
            self.tr(
                "No campaign is open. Compose a message and press Send, or open one from History."
            )
        )
        self.layout_.addWidget(self.empty, 1)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)

        # a row that wraps: seven buttons, long in Russian, in a window of any width
        controls = FlowLayout()
        self.state_label = QLabel()
        self.state_label.setObjectName("pageHint")
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.clicked.connect(self.pause_requested)
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.setObjectName("primary")
        self.resume_button.clicked.connect(
            lambda: self.campaign_id and self.resume_requested.emit(self.campaign_id)
        )
        self.cancel_button = QPushButton(self.tr("Cancel campaign"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(self.choose_export)
        self.export_into_button = QPushButton(self.tr("Export into my file…"))
        self.export_into_button.clicked.connect(self.choose_export_into)
        self.stop_failed_button = QPushButton(self.tr("Wrong numbers to stop list…"))
        self.stop_failed_button.setToolTip(
            self.tr(
                'Add every recipient whose final status was "wrong recipient" (22) or '
                '"blocked by a filter" (23) to the stop list'
            )
        )
        self.stop_failed_button.clicked.connect(
            lambda: self.campaign_id and self.stop_failed_requested.emit(self.campaign_id)
        )
        self.retarget_button = QPushButton(self.tr("Save as list or segment"))
        self.retarget_button.setToolTip(
            self.tr("Save who clicked, read, got or did not get this campaign in the base")
        )
        self.retarget_menu = QMenu(self.retarget_button)
        self.retarget_menu.aboutToShow.connect(self._fill_retarget_menu)
        self.retarget_button.setMenu(self.retarget_menu)
        # the state (with a pause reason that can be long) on a line of its own
        self.state_label.setWordWrap(True)
        body.addWidget(self.state_label)
        # the run's controls, then the actions on the result (the filter row has no
        # room for them)
        for button in (
            self.pause_button,
            self.resume_button,
            self.cancel_button,
            self.retarget_button,
            self.stop_failed_button,
            self.export_button,
            self.export_into_button,
        ):
            controls.addWidget(button)
        body.addLayout(controls)

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        body.addWidget(self.progress)
        self.summary = QLabel()
        self.summary.setObjectName("pageHint")
        self.summary.setWordWrap(True)
        body.addWidget(self.summary)
        self.chart = StatusChart()
        self.chart.setFixedHeight(120)
        body.addWidget(self.chart)
        self.ab_panel = ABPanel(language)
        self.ab_panel.winner_picked.connect(self.winner_picked)
        body.addWidget(self.ab_panel)

        # the filter buttons (their counts grow) and the search wrap in a narrow window
        filters = FlowLayout()
        self.filter_group = QButtonGroup(self)
        self.filter_buttons: dict[Filter, QPushButton] = {}
        for f in Filter:
            button = QPushButton()
            button.setCheckable(True)
            button.setFlat(True)
            button.clicked.connect(lambda _=False, which=f: self.set_filter(which))
            self.filter_group.addButton(button)
            self.filter_buttons[f] = button
            filters.addWidget(button)
        self.filter_buttons[Filter.ALL].setChecked(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by number, address or name"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.setMaximumWidth(300)
        search_as_you_type(self.search, self._search)
        filters.addWidget(self.search)
        body.addLayout(filters)

        self.model = StatusGridModel(language)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((150, 160, 110, 110, 260, 150)):
            self.view.setColumnWidth(column, width)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        copy = QAction(self.tr("Copy"), self.view)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.view.addAction(copy)
        body.addWidget(self.view, 1)
        self.body.hide()
        self.layout_.addWidget(self.body, 1)

    # -- loading and live updates ----------------------------------------------------

    def show_campaign(self, loaded: Any) -> None:
        another = loaded.id != self.campaign_id
        if another:
            self.chart.clear()  # a resumed or reloaded campaign keeps its chart
        self.campaign_id = loaded.id
        self.source_path = getattr(loaded, "source", None)
        self.campaign_type = MessageType(loaded.type)
        # loading shows every row as stored: the buttons, the search box and the sort
        # arrow must say so, or a filter chosen on the last campaign stays pressed over
        # a grid it no longer filters; the same campaign reloaded (resumed) keeps what
        # the user chose
        self.model.load_columns(loaded.columns, self.campaign_type)
        header = self.view.horizontalHeader()
        if another:
            self.filter_buttons[Filter.ALL].setChecked(True)
            with QSignalBlocker(self.search):
                self.search.clear()
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        else:
            if self.search.text().strip():
                self.model.set_search(self.search.text())
            if self.current_filter() is not Filter.ALL:
                self.model.set_filter(self.current_filter())
            if header.sortIndicatorSection() >= 0:
                self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        label = (
            self.campaign_type.label_ru if self.language == "ru" else self.campaign_type.label_en
        )
        self.title.setText(self.tr("Campaign: %1").replace("%1", loaded.name or label))
        self.empty.hide()
        self.body.show()
        self.show_counts(loaded.id, loaded.counts)

    def show_ab(self, status: Any) -> None:
        """The open campaign's A/B test side by side (None: it is a plain campaign)."""
        self.ab_panel.show_status(status)

    def apply_changes(self, columns: dict[str, Any]) -> None:
        self.model.apply_columns(columns)

    def filter_labels(self) -> dict[Filter, str]:
        return {
            Filter.ALL: self.tr("All"),
            Filter.PENDING: self.tr("Pending"),
            Filter.DELIVERED: self.tr("Delivered"),
            Filter.ENGAGED: self.tr("Read / clicked"),
            Filter.FAILED: self.tr("Failed"),
            Filter.UNCONFIRMED: self.tr("Unconfirmed"),
            Filter.NOT_SENT: self.tr("Not sent"),
        }

    def show_counts(self, campaign_id: str, counts: CampaignCounts) -> None:
        """The session's counts of the open campaign: the filter buttons, the progress
        bar and the chart show the same numbers as History."""
        if campaign_id != self.campaign_id:
            return
        self.counts = counts
        self.refresh_counts()
        self.chart.add({g.value: n for g, n in counts.groups.items()})
        planned = counts.planned
        self.progress.setRange(0, max(1, planned))
        self.progress.setValue(min(planned, counts.sent + counts.skipped))
        text = self.tr("%1 of %2 sent").replace("%1", number(counts.sent))
        text = text.replace("%2", number(planned))
        if counts.skipped:
            text += " · " + self.tr("%1 not sent").replace("%1", number(counts.skipped))
        self.progress.setFormat(text)
        self.pending = counts.groups[Group.PENDING]
        self.state_label.setText(self._state_text())

    def set_progress(self, progress: Any) -> None:
        rate = progress.rate
        eta = progress.eta_seconds
        parts = [
            self.tr("accepted %1").replace("%1", number(progress.accepted)),
            self.tr("rejected %1").replace("%1", number(progress.rejected)),
            self.tr("unconfirmed %1").replace("%1", number(progress.unconfirmed)),
            self.tr("remaining %1").replace("%1", number(progress.remaining)),
        ]
        if rate > 0:
            parts.append(self.tr("%1 msg/s").replace("%1", number(round(rate))))
        if eta is not None and progress.remaining:
            parts.append(self.tr("about %1 left").replace("%1", self.duration(eta)))
        self.summary.setText(" · ".join(parts))

    def duration(self, seconds: float) -> str:
        """ "1 h 05 min", "4 min 10 s", "35 s": a time left, in the interface language."""
        total = max(0, round(seconds))
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            return (
                self.tr("%1 h %2 min").replace("%1", number(hours)).replace("%2", f"{minutes:02d}")
            )
        if minutes:
            return self.tr("%1 min %2 s").replace("%1", str(minutes)).replace("%2", f"{secs:02d}")
        return self.tr("%1 s").replace("%1", str(secs))

    def set_running(self, running: bool, state: str = "", reason: str = "") -> None:
        self.running = running
        self.state = state
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        self.resume_button.setEnabled(not running and state in ("paused", "interrupted"))
        self.reason = reason
        self.state_label.setText(self._state_text())

    def _state_text(self) -> str:
        settled = self.pending == 0
        texts = {
            "running": self.tr("Sending…"),
            "paused": self.tr("Paused"),
            "interrupted": self.tr("Interrupted: press Resume to continue"),
            "finished": self.tr("All sent; every status has arrived")
            if settled
            else self.tr("All sent; statuses keep arriving"),
            "cancelled": self.tr("Cancelled"),
            "held": self.tr("The A/B test waits for your choice of the winner"),
        }
        text = texts.get(self.state, self.state)
        if self.reason:
            text += " — " + self.reason
        return text

    # -- filters, search, actions ----------------------------------------------------

    def set_filter(self, which: Filter) -> None:
        self.filter_buttons[which].setChecked(True)
        self.model.set_filter(which)

    def _search(self, text: str) -> None:
        self.model.set_search(text)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """The filter buttons with their counts: the campaign's (the session's, the same
        as History), or of the rows the search finds while searching."""
        labels = self.filter_labels()
        if self.search.text().strip() or self.counts is None:
            found = self.model.counts(searched=True)
        else:
            counts = self.counts
            found = {
                f: counts.total if f is Filter.ALL else counts.groups[Group(f.value)]
                for f in Filter
            }
        for f, button in self.filter_buttons.items():
            button.setText(f"{labels[f]} ({number(found[f])})")

    def selected_keys(self) -> list[int]:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        return sorted(self.model.source_row(r) for r in rows)

    def _menu(self, pos: Any) -> None:
        keys = self.selected_keys()
        if not keys or self.campaign_id is None:
            return
        menu = QMenu(self)
        cid = self.campaign_id
        menu.addAction(
            self.tr("Resend (%1)").replace("%1", number(len(keys))),
            lambda: self.resend_requested.emit(cid, keys),
        )
        via = menu.addMenu(self.tr("Resend through another channel"))
        for t in MessageType:
            if t is self.campaign_type:
                continue
            action = via.addAction(t.label_ru if self.language == "ru" else t.label_en)
            action.setData(t.value)
        via.triggered.connect(
            lambda action: self.resend_via_requested.emit(cid, keys, MessageType(action.data()))
        )
        menu.addAction(self.tr("Skip (do not send)"), lambda: self.skip_requested.emit(cid, keys))
        menu.addSeparator()
        self.add_retarget_actions(menu)
        menu.addSeparator()
        menu.addAction(self.tr("Copy"), self.copy_selection)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # -- retargeting -------------------------------------------------------------------

    def retarget_groups(self) -> list[tuple[str, str]]:
        """(group, label) to save, the current filter's own group first."""
        labels = {
            "clicked": self.tr("Who clicked"),
            "read": self.tr("Who read"),
            "delivered": self.tr("Who got it (delivered)"),
            "undelivered": self.tr("Undelivered"),
            "sent": self.tr("Everyone sent"),
        }
        first = {
            Filter.ENGAGED: "read",
            Filter.DELIVERED: "delivered",
            Filter.FAILED: "undelivered",
        }.get(self.current_filter())
        order = ["clicked", "read", "delivered", "undelivered", "sent"]
        if first is not None:
            order.remove(first)
            order.insert(0, first)
        return [(g, labels[g]) for g in order]

    def current_filter(self) -> Filter:
        return next((f for f, b in self.filter_buttons.items() if b.isChecked()), Filter.ALL)

    def add_retarget_actions(self, menu: QMenu) -> None:
        if self.campaign_id is None:
            return
        cid = self.campaign_id
        for kind, title in (
            ("list", self.tr("Save as list…")),
            ("segment", self.tr("Save as segment…")),
        ):
            sub = menu.addMenu(title)
            for group, label in self.retarget_groups():
                action = sub.addAction(label)
                action.setObjectName(f"retarget_{kind}_{group}")
                action.triggered.connect(
                    lambda _=False, g=group, k=kind: self.retarget_requested.emit(cid, g, k)
                )

    def _fill_retarget_menu(self) -> None:
        self.retarget_menu.clear()
        self.add_retarget_actions(self.retarget_menu)

    @Slot()
    def copy_selection(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        lines = []
        for r in rows:
            cells = [
                self.model.data(self.model.index(r, c)) or ""
                for c in range(self.model.columnCount())
            ]
            lines.append("\t".join(cells))
        QGuiApplication.clipboard().setText("\n".join(lines))

    @Slot()
    def choose_export(self) -> None:
        cid = self.campaign_id
        if cid is None:
            return
        pick_file(
            self,
            self.tr("Export results"),
            self.export_filter(),
            lambda path: self.export_requested.emit(cid, str(path)),
            save=True,
            key="results",
            suggested=self.export_file_name(),
        )

    @Slot()
    def choose_export_into(self) -> None:
        cid = self.campaign_id
        if cid is None:
            return
        pick_file(
            self,
            self.tr("Choose the workbook to fill with the results"),
            self.export_into_filter(),
            lambda path: self.export_into_requested.emit(cid, str(path)),
            key="results",
            suggested=self.export_into_start_path(),
        )

    def export_file_name(self) -> str:
        """ "результаты.xlsx" (in the interface language)."""
        from kupon_desktop.campaign.results_export import default_file_name

        return default_file_name(self.language)

    def export_filter(self) -> str:
        return self.tr("Excel workbook (*.xlsx);;CSV table (*.csv)")

    def export_into_start_path(self) -> str:
        """The workbook the campaign's list was imported from, when it is still there
        and can be filled ("" otherwise: the folder last used)."""
        source = self.source_path
        if source and Path(source).suffix.lower() in (".xlsx", ".xlsm") and Path(source).is_file():
            return str(source)
        return ""

    def export_into_filter(self) -> str:
        return self.tr("Excel workbook (*.xlsx *.xlsm)")

    def current_index(self) -> QModelIndex:
        return self.view.currentIndex()

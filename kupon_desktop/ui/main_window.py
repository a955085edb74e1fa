"""The main window: navigation on the left, one page at a time, menus and a status bar."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QLocale, QMimeData, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from kupon_desktop import APP_NAME, __version__
from kupon_desktop.ui.base_hub import BaseHub
from kupon_desktop.ui.campaign_control import CampaignControl
from kupon_desktop.ui.context import AppContext
from kupon_desktop.ui.dialogs import confirm, notify, run_dialog, show_notice
from kupon_desktop.ui.pages.base import number
from kupon_desktop.ui.pages.campaign import CampaignPage
from kupon_desktop.ui.pages.contacts import ContactsPage
from kupon_desktop.ui.pages.history import HistoryPage
from kupon_desktop.ui.pages.message import MessagePage, estimate_text
from kupon_desktop.ui.pages.stoplist import StopListPage
from kupon_desktop.ui.resources import icon
from kupon_desktop.ui.settings_dialog import SettingsDialog
from kupon_desktop.ui.tasks import is_expected

ENGINE_TASK = "engine"
log = logging.getLogger(__name__)

CONTACT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")


class MainWindow(QMainWindow):
    PAGES = ("contacts", "message", "campaign", "history", "stoplist", "base", "analytics")
    #: the user closed the window (Quit): the program ends
    quitting = Signal()

    def __init__(self, ctx: AppContext, db_path: Path | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME + (self.tr(" — demo") if ctx.demo else ""))
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(QSize(760, 520))
        self.setAcceptDrops(True)

        self.contacts_page = ContactsPage()
        self.message_page = MessagePage(ctx.language, runner=ctx.runner)
        self.campaign_page = CampaignPage(ctx.language)
        self.history_page = HistoryPage(ctx.language)
        self.stoplist_page = StopListPage(ctx.language)
        self.control = CampaignControl(ctx, db_path)
        self.base = BaseHub(ctx, self)
        self.base_page = self.base.page
        self.analytics_page = self.base.analytics
        # who the campaign goes to (the file, a list or a segment), above the draft
        self.message_page.layout_.insertWidget(2, self.base.picker)
        #: Cancel or Quit paused the engine: its "paused" is not a notice of its own
        self._quiet_pause = False
        #: the team's campaigns being asked (History's timer waits for it)
        self._team_refresh: Any = None
        self._apply_settings_to_pages()
        self.contacts_page.import_requested.connect(self.import_contacts)
        self.contacts_page.contacts_loaded.connect(
            lambda result, _path: self.base.from_base or self.message_page.set_contacts(result)
        )

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(200)
        self.navigation.setIconSize(QSize(22, 22))
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        titles = (
            self.tr("Contacts"),
            self.tr("Message"),
            self.tr("Campaign"),
            self.tr("History"),
            self.tr("Stop list"),
            self.tr("Base"),
            self.tr("Analytics"),
        )
        pages = (
            self.contacts_page,
            self.message_page,
            self.campaign_page,
            self.history_page,
            self.stoplist_page,
            self.base_page,
            self.analytics_page,
        )
        for name, title, page in zip(self.PAGES, titles, pages, strict=True):
            item = QListWidgetItem(icon(name), title)
            item.setSizeHint(QSize(180, 44))
            self.navigation.addItem(item)
            self.stack.addWidget(page)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self._restore_layout()
        self._wire_campaigns()

    # -- menus -----------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Any,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.import_action = self._action(
            self.tr("&Import contacts…"), self.import_contacts, QKeySequence.StandardKey.Open
        )
        self.export_action = self._action(
            self.tr("&Export results…"), self.export_results, "Ctrl+E"
        )
        self.export_action.setEnabled(False)
        self.settings_action = self._action(
            self.tr("&Settings…"), self.open_settings, QKeySequence.StandardKey.Preferences
        )
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.quit_action = self._action(self.tr("&Quit"), self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.import_base_action = self._action(
            self.tr("Import into the &base…"), self.import_into_base, "Ctrl+Shift+O"
        )
        for action in (self.import_action, self.import_base_action, self.export_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        # Edit actions act on whichever text field has the focus
        for text, key, method in (
            (self.tr("&Undo"), QKeySequence.StandardKey.Undo, "undo"),
            (self.tr("&Redo"), QKeySequence.StandardKey.Redo, "redo"),
            (None, None, None),
            (self.tr("Cu&t"), QKeySequence.StandardKey.Cut, "cut"),
            (self.tr("&Copy"), QKeySequence.StandardKey.Copy, "copy"),
            (self.tr("&Paste"), QKeySequence.StandardKey.Paste, "paste"),
            (self.tr("Select &All"), QKeySequence.StandardKey.SelectAll, "selectAll"),
        ):
            if text is None:
                edit_menu.addSeparator()
                continue
            action = QAction(text, self)
            assert key is not None
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, m=method: self._edit(m))
            edit_menu.addAction(action)

        view_menu = bar.addMenu(self.tr("&View"))
        self.page_actions: list[QAction] = []
        titles = (
            self.tr("&Contacts"),
            self.tr("&Message"),
            self.tr("C&ampaign"),
            self.tr("&History"),
            self.tr("&Stop list"),
            self.tr("&Base"),
            self.tr("&Analytics"),
        )
        for index, title in enumerate(titles):
            action = self._action(
                title, lambda _=False, i=index: self.show_page(i), f"Ctrl+{index + 1}"
            )
            view_menu.addAction(action)
            self.page_actions.append(action)
            self.addAction(action)

        help_menu = bar.addMenu(self.tr("&Help"))
        self.about_action = self._action(self.tr("&About Kupon Desktop"), self.about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.about_action)

    def _edit(self, method: str) -> None:
        widget = QApplication.focusWidget()
        if widget is not None and hasattr(widget, method):
            getattr(widget, method)()

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.platform_label = QLabel(self._platform_text())
        status.addWidget(self.platform_label, 1)
        # the team server's connection, as the session last found it
        self.team_label = QLabel()
        self.team_label.hide()
        status.addPermanentWidget(self.team_label)
        self._team_shown: tuple[Any, ...] = ()
        self.team_timer = QTimer(self)
        self.team_timer.setInterval(1000)
        self.team_timer.timeout.connect(self.show_team_state)
        self.team_timer.start()
        self.token_label = QLabel()
        status.addPermanentWidget(self.token_label)
        self.refresh_token_label()

    @Slot()
    def show_team_state(self) -> None:
        """The status bar says whether the team server answers: while it does not, the
        statuses wait on it, and sending stops once the stop list is too old."""
        session = self.control.existing_session
        team = None if session is None else session.team
        trouble = None if session is None else session.team_trouble
        since = None if session is None else session.team_trouble_since
        state = (team is not None, trouble is not None, since)
        if state == self._team_shown:
            return
        self._team_shown = state
        if team is None:
            self.team_label.hide()
            return
        if trouble is None or since is None:
            self.team_label.setObjectName("")
            self.team_label.setText(self.tr("Team server: connected"))
            self.team_label.setToolTip("")
        else:
            from datetime import datetime

            at = QLocale().toString(datetime.fromtimestamp(since).time(), "HH:mm:ss")
            self.team_label.setObjectName("fieldError")
            self.team_label.setText(
                self.tr("The team server does not answer since %1").replace("%1", at)
            )
            self.team_label.setToolTip(
                trouble.message(self.ctx.language)
                + "\n"
                + self.tr(
                    "Statuses come when it is back. Sending goes on with the stop list this "
                    "desk has, and pauses once it is older than %1 s."
                ).replace("%1", number(int(team.freshness)))
            )
        self.team_label.style().unpolish(self.team_label)
        self.team_label.style().polish(self.team_label)
        self.team_label.show()

    def _platform_text(self) -> str:
        host = urlsplit(self.ctx.api_url or self.ctx.settings.get("api/base_url")).netloc
        if self.ctx.demo:
            return self.tr("Demo platform (simulator at %1): nothing leaves this computer").replace(
                "%1", host
            )
        return self.tr("Platform: %1").replace("%1", host)

    def refresh_token_label(self) -> None:
        if self.ctx.demo:
            self.token_label.setText(self.tr("Demo token"))
        elif self.ctx.tokens.get():
            self.token_label.setText(self.tr("Token set"))
        else:
            self.token_label.setText(self.tr("No token: File → Settings"))

    # -- pages -----------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    @property
    def current_page(self) -> str:
        return self.PAGES[self.stack.currentIndex()]

    @Slot()
    def import_contacts(self) -> None:
        self.show_page(0)
        if self.contacts_page.busy:
            return
        self.contacts_page.choose_file(self.open_contacts)

    def open_contacts(self, path: Path) -> None:
        """Import ``path`` (menu, button or a dropped file)."""
        self.show_page(0)
        if self.contacts_page.busy:
            return
        self.contacts_page.region = self.ctx.settings.get("contacts/region")
        self.ctx.runner.start(
            self.contacts_page.import_with_mapping(path),
            what=self.tr("Importing %1").replace("%1", path.name),
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.open_contacts(path)

    @staticmethod
    def _dropped_file(mime: QMimeData) -> Path | None:
        for url in mime.urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() in CONTACT_SUFFIXES:
                    return path
        return None

    @Slot()
    def import_into_base(self) -> None:
        self.show_page(self.PAGES.index("base"))
        self.base_page.choose_import()

    @Slot()
    def export_results(self) -> None:
        self.show_page(2)
        self.campaign_page.choose_export()

    @Slot()
    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(
            self.ctx.settings,
            self.ctx.tokens,
            self,
            demo=self.ctx.demo,
            feed_keys=self.ctx.feed_keys,
            team_keys=self.ctx.team_keys,
        )
        dialog.finished.connect(lambda _r: self._settings_closed(dialog))
        dialog.open()
        return dialog

    def _apply_settings_to_pages(self) -> None:
        """What the Message page takes from Settings: the default spend cap (and, in the
        demo, which A/B variant the simulator favours)."""
        from kupon_desktop.audience.settings import SPEND_CAP

        self.message_page.spend_cap.set_default(self.ctx.settings.get(SPEND_CAP))
        if self.ctx.demo:
            from kupon_desktop.ui.app import DEMO_FAVOURED_WORD

            self.message_page.ab.set_demo(DEMO_FAVOURED_WORD)

    def _settings_closed(self, dialog: SettingsDialog) -> None:
        if dialog.result() != SettingsDialog.DialogCode.Accepted:
            return
        self.ctx.settings.sync()
        if not self.ctx.demo:  # the demo keeps its simulator whatever Settings say
            self.ctx.api_url = self.ctx.settings.get("api/base_url")
            self.platform_label.setText(self._platform_text())
        self._apply_settings_to_pages()
        self.refresh_token_label()
        self.control.reload_team()
        self.base.reload_team()
        if dialog.language_changed:
            self.statusBar().showMessage(
                self.tr("The new language takes effect when you restart the program."), 8000
            )

    @Slot()
    def about(self) -> None:
        show_notice(
            self,
            self.tr("About Kupon Desktop"),
            self.tr(
                "<h3>Kupon Desktop %1</h3><p>Campaign manager for the Kupon.mobi "
                "messaging platform: import a list, compose, send, and watch every "
                "recipient's status.</p>"
            ).replace("%1", __version__),
            icon=QMessageBox.Icon.Information,
        )

    # -- campaigns -------------------------------------------------------------------

    def _wire_campaigns(self) -> None:
        c, page = self.control, self.campaign_page
        self.message_page.send_requested.connect(self.send_campaign)
        self.message_page.test_send_requested.connect(self.send_test)
        c.loaded.connect(page.show_campaign)
        c.changed.connect(page.apply_changes)
        c.counted.connect(page.show_counts)
        c.counted.connect(self.history_page.update_counts)
        c.progressed.connect(page.set_progress)
        c.run_ended.connect(self._run_ended)
        c.campaigns_changed.connect(self.refresh_history)
        c.ab_counted.connect(page.show_ab)
        page.winner_picked.connect(
            lambda group, name: self._start(self._pick_winner(group, name), self.tr("A/B test"))
        )
        page.pause_requested.connect(c.pause)
        page.cancel_requested.connect(self.cancel_campaign)
        page.resume_requested.connect(self.resume_campaign)
        page.resend_requested.connect(
            lambda cid, keys: self._start(self._resend(cid, keys), self.tr("Resend"))
        )
        page.skip_requested.connect(
            lambda cid, keys: self._start(c.skip(cid, keys), self.tr("Skip"))
        )
        page.resend_via_requested.connect(
            lambda cid, keys, t: self._start(self._resend_via(cid, keys, t), self.tr("Resend"))
        )
        page.export_requested.connect(
            lambda cid, path: self._start(self._export(cid, path, into=False), self.tr("Export"))
        )
        page.export_into_requested.connect(
            lambda cid, path: self._start(self._export(cid, path, into=True), self.tr("Export"))
        )
        page.stop_failed_requested.connect(
            lambda cid: self._start(self._stop_failed(cid), self.tr("Stop list"))
        )
        self.history_page.open_requested.connect(
            lambda cid: self._start(self.open_campaign(cid), self.tr("Open campaign"))
        )
        self.history_page.approve_requested.connect(
            lambda cid, name: self._start(self.approve_team_campaign(cid, name), self.tr("History"))
        )
        self.history_page.team_refresh_wanted.connect(self._refresh_team_soon)
        self.stoplist_page.team_of = lambda: self.control.session.team
        page.retarget_requested.connect(self.base.ask_retarget)
        self.base.said.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.base.audience_loaded.connect(self._audience_loaded)
        self.navigation.currentRowChanged.connect(
            lambda i: self.PAGES[i] == "analytics" and self.analytics_page.start_reload()
        )
        # statuses keep arriving for campaigns that are not open, and the team's campaigns
        # change on other desks: the list is asked again whenever History is shown (once
        # the start-up has read it a first time)
        self.navigation.currentRowChanged.connect(
            lambda i: (
                self.PAGES[i] == "history"
                and self.control.existing_session is not None
                and self.refresh_history()
            )
        )

    def _start(self, coro: Any, what: str) -> Any:
        return self.ctx.runner.start(coro, what=what)

    async def startup(self) -> None:
        """Find campaigns a crash left running, say so, and list every campaign."""
        await self.control.start()
        recovered = await asyncio.to_thread(self.control.session.recover)
        self.refresh_history()
        self.stoplist_page.attach(
            self.control.log, self.ctx.runner, self.ctx.settings.get("contacts/region")
        )
        self.message_page.planner = self.plan_for
        await self.base.open(self.control.log.path)
        await self.stoplist_page.reload()
        if recovered:
            latest = max(recovered, key=lambda c: c.created_at)
            await self.open_campaign(latest.id)
            self.campaign_page.set_running(False, "interrupted")
            await notify(
                self,
                self.tr("Interrupted campaign"),
                self.tr(
                    "%1 campaign(s) were interrupted when the program last closed. Messages "
                    'whose sending was under way are marked "unconfirmed": check them in '
                    "the grid before resending. Press Resume to send the rest."
                ).replace("%1", str(len(recovered))),
            )
        lost = self.control.log.lost_recovered
        if lost:
            await notify(
                self,
                self.tr("The log lost its last writes"),
                self.tr(
                    "The campaign log's last writes were lost after a crash (its -wal file "
                    "was removed). %1 recipient(s) whose message may have gone out are marked "
                    '"unconfirmed": check them in the grid before resending. Nothing is sent '
                    "to them again by itself."
                ).replace("%1", number(lost)),
            )
        await self._resume_after_quit()

    async def _resume_after_quit(self) -> None:
        """The campaign the program was closed during (Quit pauses it) continues now."""
        from kupon_desktop.campaign.errors import ProgramClosed, pause_reason

        summaries = await asyncio.to_thread(self.control.campaigns)
        closed = [
            s.campaign
            for s in summaries
            if s.campaign.state.value == "paused"
            and isinstance(pause_reason(s.campaign.state_reason), ProgramClosed)
        ]
        if not closed or self.control.busy:
            return
        latest = max(closed, key=lambda c: c.created_at)
        self.statusBar().showMessage(
            self.tr("The campaign the program was closed during continues."), 8000
        )
        self.start_engine(latest.id)

    @Slot()
    def refresh_history(self) -> None:
        self._start(self._refresh_history(), self.tr("History"))

    async def _refresh_history(self) -> None:
        campaigns = await asyncio.to_thread(self.control.campaigns)
        self.history_page.show_campaigns(campaigns)
        await self._refresh_team()

    def _refresh_team_soon(self) -> None:
        """History's timer: the team's campaigns asked again, unless a request is still
        out (a slow or absent server must not pile requests up)."""
        task = self._team_refresh
        if task is None or task.done():
            self._team_refresh = self._start(self._refresh_team(), self.tr("History"))

    async def _refresh_team(self) -> None:
        """The team server's campaigns in History, and who this desk is there."""
        team = self.control.session.team
        if team is None:
            self.history_page.show_team(None)
            return
        from kupon_desktop.team.errors import TeamError

        try:
            me = await team.client.me()
            listed = await team.client.campaigns()
        except TeamError as exc:
            self.history_page.show_team(
                None,
                self.tr(
                    "The team server cannot be asked now: %1 The list below is as it was."
                ).replace("%1", exc.message(self.ctx.language)),
            )
            return
        self.history_page.show_team(listed)
        self.history_page.show_team_user(str(me.get("user") or ""), str(me.get("role") or ""))

    async def approve_team_campaign(self, campaign_id: str, name: str) -> None:
        """An approver approves a team campaign (asked first): its sender may then send."""
        team = self.control.session.team
        if team is None:
            return
        if not await confirm(
            self,
            self.tr("Approve campaign"),
            self.tr(
                "Approve campaign %1? Its sender can then send it; the approval is "
                "recorded in the team's audit log under your name."
            ).replace("%1", name),
        ):
            return
        from kupon_desktop.team.errors import TeamError

        try:
            await team.client.approve(campaign_id)
        except TeamError as exc:
            await notify(
                self,
                self.tr("Approve campaign"),
                exc.message(self.ctx.language),
                icon=QMessageBox.Icon.Warning,
            )
        else:
            self.statusBar().showMessage(self.tr("Campaign %1 approved.").replace("%1", name), 8000)
        await self._refresh_team()

    async def open_campaign(self, campaign_id: str) -> None:
        await self.control.open(campaign_id)
        self.show_page(2)
        self.export_action.setEnabled(True)
        if self.control.sending != campaign_id:
            campaign = await asyncio.to_thread(self.control.log.campaign, campaign_id)
            self.campaign_page.set_running(False, campaign.state.value, campaign.state_reason or "")
        await self._chart_history(campaign_id)

    async def _chart_history(self, campaign_id: str) -> None:
        """The chart's whole span so far, read back from the log."""
        from kupon_desktop.campaign.timeline import campaign_timeline

        samples = await asyncio.to_thread(campaign_timeline, self.control.log, campaign_id)
        if samples and self.campaign_page.campaign_id == campaign_id:
            self.campaign_page.chart.set_history([(s.at.timestamp(), s.counts) for s in samples])

    def contact_list(self) -> Any:
        """The session's contact list: the list or segment picked on the Message page as
        it was read at the last Check or Send, or the file loaded (None: nothing)."""
        from kupon_desktop.ui.campaign_control import contact_list

        if self.base.from_base:
            return self.base.frozen
        return contact_list(self.contacts_page.result, self.contacts_page.path)

    async def audience(self, draft: Any) -> Any:
        """The contact list to plan with now: a list or segment is read again (its
        members and their consent as they are this moment)."""
        if self.base.from_base:
            await self.base.read_audience(draft.type)
        return self.contact_list()

    def _audience_loaded(self, frames: Any) -> None:
        """The Message page previews the list or segment picked (or the file again)."""
        result = frames if frames is not None else self.contacts_page.result
        if result is not None:
            self.message_page.set_contacts(result)
        else:
            self.message_page.contacts = self.message_page.fields = None
            self.message_page.update_preview()

    async def plan_for(self, draft: Any, advertising: bool) -> Any:
        """The Message page's Check: the session's plan of the draft for the loaded list."""
        await self._team_stop_list_fresh()
        return await self.control.plan(draft, await self.audience(draft), advertising)

    async def _team_stop_list_fresh(self) -> None:
        """With a team server: its stop list brought here before a plan counts who is
        left out (a colleague's addition of a minute ago included). When the server
        cannot be reached the plan uses the copy here, and Send's own check decides."""
        team = self.control.session.team
        if team is None:
            return
        from kupon_desktop.team.errors import TeamError

        try:
            await team.refresh_stop_list()
        except TeamError as exc:
            log.info("team stop list not refreshed before the plan: %s", exc)

    @Slot(object)
    def send_campaign(self, draft: Any) -> None:
        if self.control.busy:
            show_notice(
                self,
                self.tr("Send"),
                self.tr("A campaign is being sent. Pause it or wait until it ends."),
                icon=QMessageBox.Icon.Information,
            )
            return
        self._start(self._send_campaign(draft), self.tr("Send"))

    async def _send_campaign(self, draft: Any) -> None:
        await self._team_stop_list_fresh()
        plan = await self.control.plan(
            draft, await self.audience(draft), self.message_page.advertising
        )
        if plan.blocking:
            self.message_page.show_plan(plan)
            self.show_page(1)
            return
        if not plan.sendable:
            from kupon_desktop.campaign.errors import NoAddressee

            raise NoAddressee()
        page = self.message_page
        cap = page.spend_cap.cap(self.ctx.language)
        ab = page.ab.request(plan.draft)
        if not await self._confirm_send(plan, cap=cap, ab=ab):
            return
        if ab is None:
            campaign_id = await self.control.create(plan, spend_cap=cap)
            self.start_engine(campaign_id)
            return
        group = await self.control.create_ab(plan, ab.variants, ab.settings, spend_cap=cap)
        status = await asyncio.to_thread(self.control.session.ab_status, group)
        self.start_engine(status.variants[0].campaign_id)

    def _cap_text(self, estimate: Any, cap: Any) -> str:
        """ "Estimate: 12,000.00 RUB · cap: 6,000.00 RUB — sending stops at ~50 %"."""
        from kupon_desktop.ui.pages.base import money

        text = (
            self.tr("Estimate: %1 · cap: %2")
            .replace("%1", money(estimate.cost))
            .replace("%2", money(cap))
        )
        if estimate.cost > cap:
            share = int(cap * 100 / estimate.cost) if estimate.cost else 0
            text += " — " + self.tr("sending stops at ~%1 %").replace("%1", str(share))
        else:
            text += " — " + self.tr("within the cap")
        return text

    def _ab_text(self, plan: Any, ab: Any) -> str:
        """The A/B test in one paragraph: who gets what, when the winner is chosen."""
        settings = ab.settings
        k = len(ab.variants)
        test = round(plan.sendable * settings.share)
        metric = {
            "delivered": self.tr("delivered"),
            "read": self.tr("read"),
            "clicked": self.tr("clicked"),
        }[settings.metric]
        minutes = int(settings.decide_after)
        when = (
            self.tr("%1 h").replace("%1", number(minutes // 60))
            if minutes and minutes % 60 == 0
            else self.tr("%1 min").replace("%1", number(minutes))
        )
        then = (
            self.tr("the rest (%1) gets the winner automatically")
            if settings.auto
            else self.tr("the rest (%1) waits for your choice of the winner")
        ).replace("%1", number(plan.sendable - test))
        return (
            self.tr(
                "A/B test: %1 variants, %2 recipients (%3 %) split evenly; winner by %4 "
                "%5 after the test; %6."
            )
            .replace("%1", str(k))
            .replace("%2", number(test))
            .replace("%3", str(round(settings.share * 100)))
            .replace("%4", metric)
            .replace("%5", when)
            .replace("%6", then)
        )

    async def _confirm_send(self, plan: Any, *, cap: Any = None, ab: Any = None) -> bool:
        """The plan shown is the plan stored and sent: its count and cost."""
        draft = plan.draft
        label = draft.type.label_ru if self.ctx.language == "ru" else draft.type.label_en
        lines = [
            self.tr("Send %1 message(s) through %2?")
            .replace("%1", number(plan.sendable))
            .replace("%2", label)
        ]
        lines.append(estimate_text(plan.estimate))
        if cap is not None and plan.estimate is not None:
            lines.append(self._cap_text(plan.estimate, cap))
        if ab is not None:
            lines.append(self._ab_text(plan, ab))
        details = []
        stopped = plan.excluded_count("stop list")
        if stopped:
            details.append(self.tr("%1 on the stop list left out").replace("%1", number(stopped)))
        no_consent = plan.excluded_count("no consent")
        if no_consent:
            details.append(self.tr("%1 without consent left out").replace("%1", number(no_consent)))
        if plan.duplicates:
            details.append(
                self.tr("%1 duplicate(s) of the same address left out").replace(
                    "%1", number(len(plan.duplicates))
                )
            )
        if plan.deferred:
            details.append(
                self.tr(
                    "%1 scheduled for later: the send window %2 in each recipient's own time zone"
                )
                .replace("%1", number(plan.deferred))
                .replace("%2", str(plan.rules.window))
            )
        if details:
            lines.append("\n".join("• " + d for d in details))
        # the same message to the same people a moment ago: said first, and Enter cancels
        again = [p for p in plan.problems if p.code == "sent_recently"]
        for problem in again:
            lines.insert(1, "⚠ " + problem.message(self.ctx.language))
        if self.ctx.demo:
            lines.append(self.tr("Demo mode: the messages go to the built-in simulator."))
        box = QMessageBox(
            QMessageBox.Icon.Warning if again else QMessageBox.Icon.Question,
            self.tr("Send campaign"),
            "\n\n".join(lines),
            parent=self,
        )
        send = box.addButton(self.tr("Send"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel if again else send)
        self.confirm_box = box
        await run_dialog(box)
        return box.clickedButton() is send

    def start_engine(
        self, campaign_id: str, *, cancel: bool = False, expected: bool = False
    ) -> Any:
        """Run (or resume) a campaign as a supervised task: a run that dies of a bug is
        resumed (crash-safe: nobody is sent twice) after a back-off, a few times, and
        its failure shown once; an expected failure (the log, the platform) pauses it
        for the user to Resume. ``expected``: the run was announced already (a pause or
        cancel asked since then is kept for its engine)."""
        self.campaign_page.set_running(True, "running")
        if not expected:
            self.control.expect_run()
        return self.ctx.keeper().keep(
            ENGINE_TASK,
            lambda: self._run(campaign_id, cancel=cancel),
            what=self.tr("Send"),
            restart=lambda exc: not is_expected(exc),
            max_restarts=3,
        )

    async def _run(self, campaign_id: str, *, cancel: bool = False) -> None:
        try:
            # a campaign of an A/B test is taken forward with its whole test (the
            # remainder waits for the winner); a cancel ends only the one campaign
            group = None if cancel else await self.control.ab_group_of(campaign_id)
            await self.control.open(campaign_id)
        except BaseException:
            self.control.run_not_started()
            raise
        self.show_page(2)
        self.campaign_page.set_running(True, "running")
        if len(self.campaign_page.chart.samples) < 2:
            await self._chart_history(campaign_id)  # a resumed campaign: its span so far
        if group is not None:
            await self.control.run_ab(group)
        else:
            await self.control.run(campaign_id, cancel=cancel)

    async def _pick_winner(self, group: str, name: str) -> None:
        """The user's choice of an A/B test's winner: the rest is sent that variant."""
        if self.control.busy:
            return
        await self.control.decide(group, name)
        status = await asyncio.to_thread(self.control.session.ab_status, group)
        self.start_engine(status.remainder_id)

    @Slot(object, str)
    def send_test(self, draft: Any, address: str) -> None:
        self._start(self._send_test(draft, address), self.tr("Test send"))

    async def _send_test(self, draft: Any, address: str) -> None:
        plan = await self.control.plan_test(
            draft, address, await self.audience(draft), self.message_page.advertising
        )
        if plan.blocking:
            self.message_page.show_plan(plan)
            return
        if not plan.sendable:
            from kupon_desktop.campaign.errors import NoAddressee

            raise NoAddressee()
        campaign_id = await self.control.create(plan, name=self.tr("Test"))
        self.start_engine(campaign_id)

    @Slot(str)
    def resume_campaign(self, campaign_id: str) -> None:
        if not self.control.busy and not self.ctx.keeper().running(ENGINE_TASK):
            # announced now: a Pause or Cancel clicked before the engine exists waits
            # for it instead of being lost while the campaign is read
            self.control.expect_run()
            self.campaign_page.set_running(True, "running")
            self._start(self._resume(campaign_id), self.tr("Resume"))

    async def _resume(self, campaign_id: str) -> None:
        """Resume; a campaign the spend cap paused asks for a higher cap first."""
        from kupon_desktop.campaign.errors import SpendCapReached, pause_reason

        started = False
        campaign = None
        try:
            campaign = await asyncio.to_thread(self.control.log.campaign, campaign_id)
            if isinstance(pause_reason(campaign.state_reason), SpendCapReached):
                kept = await asyncio.to_thread(self.control.session.run_settings, campaign_id)
                cap = await self.ask_spend_cap(None if kept is None else kept.spend_cap)
                if cap is False:
                    return
                await self.control.set_spend_cap(campaign_id, cap)
            if not self.ctx.keeper().running(ENGINE_TASK):
                self.start_engine(campaign_id, expected=True)
                started = True
        finally:
            if not started:
                self.control.run_not_started()
                if campaign is not None and campaign_id == self.campaign_page.campaign_id:
                    self.campaign_page.set_running(
                        False, campaign.state.value, describe_reason_of(campaign, self)
                    )

    async def ask_spend_cap(self, current: Any) -> Any:
        """A new spend cap typed by the user: an amount, None (no cap: the field left
        empty), or False (cancelled)."""
        from PySide6.QtWidgets import QInputDialog

        from kupon_desktop.audience.settings import spend_cap_of
        from kupon_desktop.ui.pages.base import decimal_number, money

        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Raise the spend cap"))
        label = self.tr(
            "The campaign stopped at its spend cap (%1). A new cap, RUB (empty: no cap):"
        ).replace("%1", "—" if current is None else money(current))
        dialog.setLabelText(label)
        dialog.setTextValue("" if current is None else decimal_number(current * 2))
        self.cap_dialog = dialog
        while True:
            if await run_dialog(dialog) != QInputDialog.DialogCode.Accepted.value:
                return False
            try:
                return spend_cap_of(dialog.textValue())
            except ValueError as exc:
                message = getattr(exc, "message", None)
                dialog.setLabelText(
                    label + "\n" + (message(self.ctx.language) if callable(message) else str(exc))
                )

    @Slot()
    def cancel_campaign(self) -> None:
        """Sending pauses the instant Cancel is clicked, then the question: "No"
        resumes, "Yes" cancels. Nothing is sent while it is asked."""
        campaign_id = self.campaign_page.campaign_id
        if campaign_id is None:
            return
        if self.control.busy:
            self._quiet_pause = True
            self.control.pause()
        self._start(self._confirm_cancel(campaign_id), self.tr("Cancel campaign"))

    async def _confirm_cancel(self, campaign_id: str) -> None:
        try:
            yes = await confirm(
                self,
                self.tr("Cancel campaign"),
                self.tr(
                    "Stop the campaign? Messages already sent stay sent; the rest will not be sent."
                ),
            )
            if yes and self.control.busy:
                # batches already out still finishing: the run then skips the rest
                self.control.cancel()
                return
            await self._engine_stopped()
        finally:
            self._quiet_pause = False
        campaign = await asyncio.to_thread(self.control.log.campaign, campaign_id)
        if campaign.state.value not in ("paused", "interrupted"):
            return  # it ended before the pause reached it: nothing to resume or cancel
        self.start_engine(campaign_id, cancel=yes)

    async def _engine_stopped(self, timeout: float = 60.0) -> None:
        """Wait until the paused run has returned (its batches in flight answered)."""
        job = self.ctx.keeper().jobs.get(ENGINE_TASK)
        if job is not None and job.task is not None and not job.task.done():
            await asyncio.wait({job.task}, timeout=timeout)

    def _run_ended(self, campaign_id: str, state: str, reason: str) -> None:
        from kupon_desktop.campaign.errors import PausedByUser, describe_reason, pause_reason

        text = describe_reason(reason, self.ctx.language)
        if campaign_id == self.campaign_page.campaign_id:
            self.campaign_page.set_running(False, state, text)
        paused_by = pause_reason(reason)
        if (
            state == "paused"
            and paused_by is not None
            and not isinstance(paused_by, PausedByUser)
            and not self._quiet_pause
        ):
            # not awaited: this runs inside the engine's task, and a dialog that waited
            # here (or exec()) would stall every other task of the window
            show_notice(self, self.tr("Campaign paused"), text)

    async def _resend(self, campaign_id: str, keys: list[int]) -> None:
        outcome = await self.control.resend(campaign_id, keys)
        self.statusBar().showMessage(outcome.message(self.ctx.language), 10000)
        if self.control.busy:
            return  # the running campaign takes its re-queued rows itself
        if outcome.requeued:
            self.start_engine(campaign_id)
        elif outcome.new_campaign is not None:
            self.start_engine(outcome.new_campaign)

    async def _resend_via(self, campaign_id: str, keys: list[int], message_type: Any) -> None:
        new_id = await self.control.resend_via(campaign_id, keys, message_type)
        self.start_engine(new_id)

    async def _export(self, campaign_id: str, path: str, *, into: bool) -> None:
        count = await (self.control.export_into if into else self.control.export)(
            campaign_id, Path(path), self.ctx.language
        )
        self.statusBar().showMessage(
            self.tr("%1 row(s) exported to %2").replace("%1", number(count)).replace("%2", path),
            8000,
        )

    async def _stop_failed(self, campaign_id: str) -> None:
        from kupon_desktop.audience import stop_failed_recipients, stoppable_count

        count = await asyncio.to_thread(stoppable_count, self.control.log, campaign_id)
        if not count:
            await notify(
                self,
                self.tr("Stop list"),
                self.tr("No recipient of this campaign ended as a wrong recipient or blocked."),
            )
            return
        if not await confirm(
            self,
            self.tr("Stop list"),
            self.tr(
                'Add %1 recipient(s) whose final status was "wrong recipient" or "blocked by '
                'a filter" to the stop list? Later campaigns will leave them out.'
            ).replace("%1", number(count)),
        ):
            return
        added = await asyncio.to_thread(stop_failed_recipients, self.control.log, campaign_id)
        await self.stoplist_page.reload()
        self.statusBar().showMessage(
            self.tr("%1 added to the stop list").replace("%1", number(added)), 6000
        )

    async def prepare_quit(self) -> None:
        """Quit during a campaign pauses it (batches out finish, so nothing is left
        unconfirmed); the next start resumes it."""
        if not self.control.busy:
            return
        from kupon_desktop.campaign.errors import ProgramClosed

        self._quiet_pause = True
        self.control.pause(ProgramClosed())
        await self._engine_stopped(timeout=10.0)  # then cancelled by the runner's shutdown

    async def shutdown(self) -> None:
        """Stop the window's background work, then close its clients and the log. The
        tasks go first: one still in flight (a History refresh, a stop list sync) would
        open a new connection to a client closed under it, and leave it open."""
        for step in (self.ctx.keeper().shutdown, self.ctx.runner.shutdown):
            try:
                await step()
            except Exception:
                log.exception("shutdown step %s failed", step.__name__)
        self.base.close()
        await self.control.aclose()

    # -- layout persistence ----------------------------------------------------------

    def _restore_layout(self) -> None:
        qs = self.ctx.settings.qsettings
        geometry = qs.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = qs.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        page = int(str(qs.value("window/page", 0) or 0))
        self.show_page(page if 0 <= page < len(self.PAGES) else 0)

    def save_layout(self) -> None:
        qs = self.ctx.settings.qsettings
        qs.setValue("window/geometry", self.saveGeometry())
        qs.setValue("window/state", self.saveState())
        qs.setValue("window/page", self.stack.currentIndex())
        qs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
        # the program ends even when another window (a dialog) is still open
        self.quitting.emit()


def describe_reason_of(campaign: Any, window: MainWindow) -> str:
    """A campaign's stored state reason in the window's language."""
    from kupon_desktop.campaign.errors import describe_reason

    return describe_reason(campaign.state_reason, window.ctx.language)

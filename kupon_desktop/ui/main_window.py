"""The main window: navigation on the left, one page at a time, menus and a status bar."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QSize, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
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
from kupon_desktop.ui.context import AppContext
from kupon_desktop.ui.pages.campaign import CampaignPage
from kupon_desktop.ui.pages.contacts import ContactsPage
from kupon_desktop.ui.pages.history import HistoryPage
from kupon_desktop.ui.pages.message import MessagePage
from kupon_desktop.ui.resources import icon
from kupon_desktop.ui.settings_dialog import SettingsDialog


class MainWindow(QMainWindow):
    PAGES = ("contacts", "message", "campaign", "history")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME + (self.tr(" — demo") if ctx.demo else ""))
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(QSize(760, 520))

        self.contacts_page = ContactsPage()
        self.message_page = MessagePage()
        self.campaign_page = CampaignPage()
        self.history_page = HistoryPage()
        self.contacts_page.import_requested.connect(self.import_contacts)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(200)
        self.navigation.setIconSize(QSize(22, 22))
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        titles = (self.tr("Contacts"), self.tr("Message"), self.tr("Campaign"),
                  self.tr("History"))
        pages = (self.contacts_page, self.message_page, self.campaign_page, self.history_page)
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

    # -- menus -----------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.import_action = self._action(self.tr("&Import contacts…"), self.import_contacts,
                                          QKeySequence.StandardKey.Open)
        self.export_action = self._action(self.tr("&Export results…"), self.export_results,
                                          "Ctrl+E")
        self.export_action.setEnabled(False)
        self.settings_action = self._action(self.tr("&Settings…"), self.open_settings,
                                            QKeySequence.StandardKey.Preferences)
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.quit_action = self._action(self.tr("&Quit"), self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        for action in (self.import_action, self.export_action):
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
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, m=method: self._edit(m))
            edit_menu.addAction(action)

        view_menu = bar.addMenu(self.tr("&View"))
        self.page_actions: list[QAction] = []
        titles = (self.tr("&Contacts"), self.tr("&Message"), self.tr("C&ampaign"),
                  self.tr("&History"))
        for index, title in enumerate(titles):
            action = self._action(title, lambda _=False, i=index: self.show_page(i),
                                  f"Ctrl+{index + 1}")
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
        host = urlsplit(self.ctx.api_url or self.ctx.settings.get("api/base_url")).netloc
        if self.ctx.demo:
            text = self.tr("Demo platform (simulator at %1): nothing leaves this computer"
                           ).replace("%1", host)
        else:
            text = self.tr("Platform: %1").replace("%1", host)
        self.platform_label = QLabel(text)
        status.addWidget(self.platform_label, 1)
        self.token_label = QLabel()
        status.addPermanentWidget(self.token_label)
        self.refresh_token_label()

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
        self.statusBar().showMessage(self.tr("Contact import arrives in the next version."),
                                     5000)

    @Slot()
    def export_results(self) -> None:
        self.show_page(2)

    @Slot()
    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.ctx.settings, self.ctx.tokens, self, demo=self.ctx.demo)
        dialog.finished.connect(lambda _r: self._settings_closed(dialog))
        dialog.open()
        return dialog

    def _settings_closed(self, dialog: SettingsDialog) -> None:
        if dialog.result() != SettingsDialog.DialogCode.Accepted:
            return
        self.ctx.settings.sync()
        self.refresh_token_label()
        if dialog.language_changed:
            self.statusBar().showMessage(
                self.tr("The new language takes effect when you restart the program."), 8000)

    @Slot()
    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Kupon Desktop"),
            self.tr("<h3>Kupon Desktop %1</h3><p>Campaign manager for the Kupon.mobi "
                    "messaging platform: import a list, compose, send, and watch every "
                    "recipient's status.</p>").replace("%1", __version__),
        )

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
        page = int(qs.value("window/page", 0) or 0)
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

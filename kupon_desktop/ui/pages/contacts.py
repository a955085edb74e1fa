"""The Contacts page: import a list, see what was understood and what was rejected.

Reading and normalising run in a worker thread (``asyncio.to_thread``) with a progress
bar and Cancel; the window never freezes. The result is shown in models that read the
imported frame column by column (fine with a million rows).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop.ui.dialogs import pick_file, run_dialog, show_notice
from kupon_desktop.ui.import_dialog import ImportDialog
from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.pages.base import Page, number
from kupon_desktop.ui.progress import ProgressRelay
from kupon_desktop.ui.widgets.search_box import search_as_you_type

#: rows measured to size a column to its contents
RESIZE_ROWS = 100
#: the share of the progress bar the importer fills; the rest is the page showing the list
SHOWING = 0.95


def file_filter() -> str:
    """The file dialogs' filter for contact and stop lists, in the interface language."""
    return QCoreApplication.translate(
        "Files", "Tables (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt)"
    )


def stage_text(stage: str) -> str:
    """The importer's progress stages (English sentences) in the interface language."""
    known = {
        "Opening the file": QCoreApplication.translate("Import", "Opening the file"),
        "Reading the file": QCoreApplication.translate("Import", "Reading the file"),
        "Checking phone numbers": QCoreApplication.translate("Import", "Checking phone numbers"),
        "Checking e-mail addresses": QCoreApplication.translate(
            "Import", "Checking e-mail addresses"
        ),
        "Looking for duplicates": QCoreApplication.translate("Import", "Looking for duplicates"),
        "Done": QCoreApplication.translate("Import", "Done"),
    }
    return known.get(stage, stage)


def interface_language() -> Literal["ru", "en"]:
    return "ru" if QLocale().language() == QLocale.Language.Russian else "en"


def make_table(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    # column widths from the first rows only: measuring 1,000 rows per column held the
    # window for a tenth of a second after each import
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    return view


class ContactsPage(Page):
    import_requested = Signal()
    #: (ImportResult, path) once a list has been imported
    contacts_loaded = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Contacts"),
            self.tr(
                "Import the list you already have: Excel (.xlsx, .xls), OpenDocument "
                "(.ods) or CSV. Phones are recognised however they are written."
            ),
            parent,
        )
        self.result: Any = None
        #: default phone region for numbers without a country code (from Settings)
        self.region = "RU"
        self.path: Path | None = None
        # the import options of the list shown (to import it again with extra rows)
        self.options: dict[str, Any] = {}
        self._relay: ProgressRelay | None = None

        row = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import contacts…"))
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.import_requested)
        row.addWidget(self.import_button)
        self.export_rejected_button = QPushButton(self.tr("Export rejected rows…"))
        self.export_rejected_button.setEnabled(False)
        self.export_rejected_button.clicked.connect(self.export_rejected)
        row.addWidget(self.export_rejected_button)
        row.addStretch(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search contacts"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(280)
        search_as_you_type(self.search, self._search)
        row.addWidget(self.search)
        self.layout_.addLayout(row)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_import)
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        self.progress_box.hide()
        self.layout_.addWidget(self.progress_box)

        self.summary = QLabel()
        self.summary.setObjectName("pageHint")
        self.summary.hide()
        self.layout_.addWidget(self.summary)

        self.empty = self.empty_state(
            self.tr("No contacts yet.\nDrop a file here or press Ctrl+O to import one.")
        )
        self.layout_.addWidget(self.empty, 1)

        self.contacts_model = FrameTableModel()
        self.rejected_model = FrameTableModel()
        self.duplicates_model = FrameTableModel()
        self.remarks_model = FrameTableModel()
        self.tabs = QTabWidget()
        self.contacts_view = make_table(self.contacts_model)
        self.rejected_view = make_table(self.rejected_model)
        self.duplicates_view = make_table(self.duplicates_model)
        self.remarks_view = make_table(self.remarks_model)
        remarks = QWidget()
        remarks_layout = QVBoxLayout(remarks)
        remarks_layout.setContentsMargins(0, 6, 0, 0)
        extra_row = QHBoxLayout()
        self.extra_rows_button = QPushButton()
        self.extra_rows_button.clicked.connect(self.import_extra_rows)
        self.extra_rows_button.hide()
        extra_row.addWidget(self.extra_rows_button)
        extra_row.addStretch(1)
        remarks_layout.addLayout(extra_row)
        remarks_layout.addWidget(self.remarks_view, 1)
        self.tabs.addTab(self.contacts_view, self.tr("Contacts"))
        self.tabs.addTab(self.rejected_view, self.tr("Rejected"))
        self.tabs.addTab(self.duplicates_view, self.tr("Duplicates"))
        self.tabs.addTab(remarks, self.tr("Remarks"))
        self.tabs.hide()
        self.layout_.addWidget(self.tabs, 1)

    # -- import ----------------------------------------------------------------------

    def choose_file(self, on_chosen: Callable[[Path], None]) -> None:
        """Ask for a contact file (from the folder last imported from)."""
        pick_file(self, self.tr("Import contacts"), file_filter(), on_chosen, key="contacts")

    @property
    def busy(self) -> bool:
        return self._relay is not None

    async def import_with_mapping(self, path: Path) -> Any:
        """Show the mapping step for ``path``, then import with the user's choices. A
        file that cannot be imported raises the importer's error, its message in the
        interface language (``shown``, which the task runner shows); the list shown stays."""
        from kupon_desktop.contacts.errors import ContactsError

        try:
            return await self._import_with_mapping(path)
        except ContactsError as exc:
            self._explain(exc)
            raise

    def _explain(self, exc: Any) -> None:
        from kupon_desktop.contacts.errors import NoDataRows

        if getattr(exc, "shown", None):
            return
        message = exc.message(interface_language())
        if isinstance(exc, NoDataRows) and self.result is not None:
            message += ". " + self.tr("The list loaded before is kept.")
        exc.shown = message

    async def _import_with_mapping(self, path: Path) -> Any:
        from kupon_desktop.contacts.importer import preview

        async def load(sheet: str | None) -> Any:
            return await asyncio.to_thread(preview, path, sheet)

        first = await load(None)
        dialog = ImportDialog(first, self.window(), load_preview=load)
        if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return None
        options = dialog.options()
        options["region"] = self.region
        return await self.import_path(path, options)

    async def import_path(self, path: Path, options: dict[str, Any] | None = None) -> Any:
        """Import ``path`` in a worker thread, showing progress; returns the result, or
        None if the user cancelled. A file that cannot be read raises the importer's
        ``FileUnreadable`` (a calm message, through the task runner)."""
        from kupon_desktop.contacts.errors import ContactsError, ImportCancelled
        from kupon_desktop.contacts.importer import import_file

        relay = ProgressRelay(self)
        relay.progressed.connect(self._on_progress)
        self._relay = relay
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("Reading %1…").replace("%1", path.name))
        self.progress_box.show()
        self.import_button.setEnabled(False)
        try:
            result = await asyncio.to_thread(
                import_file, path, progress=relay, cancel=relay.cancel, **(options or {})
            )
            self.options = dict(options or {})
            # the importer is done, the page is not: "Done" only once the list is shown
            self._on_progress(SHOWING, "")
            self.progress_label.setText(self.tr("Showing the list…"))
            await asyncio.sleep(0)  # let the label paint before the work below
            self.show_result(result, path)
        except ImportCancelled:
            return None
        except ContactsError as exc:
            self._explain(exc)
            raise
        finally:
            self._relay = None
            self.progress_box.hide()
            self.import_button.setEnabled(True)
        return result

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self._relay is None and message:
            return  # a late signal from a finished import
        # the importer's own 100% leaves the page's part to do: at most SHOWING here
        value = int(max(0.0, min(SHOWING, fraction)) * 1000)
        self.progress.setValue(max(value, self.progress.value()))
        if message and message != "Done":
            self.progress_label.setText(stage_text(message))

    @Slot()
    def cancel_import(self) -> None:
        if self._relay is not None:
            self._relay.cancel.set()

    # -- result ----------------------------------------------------------------------

    def show_result(self, result: Any, path: Path) -> None:
        import pandas as pd  # here, not at start-up (the window must appear first)

        from kupon_desktop.contacts.reasons import REASONS, reason_text, remark_text

        self.result = result
        self.path = path
        lang = interface_language()
        contacts = result.contacts
        table = pd.concat([contacts[["row", "phone", "email"]], result.fields], axis=1)
        headers = [self.tr("Row"), self.tr("Phone"), self.tr("E-mail"), *result.field_names]
        if contacts["push_token"].notna().any():
            table.insert(3, "push_token", contacts["push_token"])
            headers.insert(3, self.tr("Push token"))
        self.contacts_model.set_frame(table, headers)
        self.contacts_model.set_filter_text(self.search.text())

        def reason(r: Any) -> str:
            return reason_text(r.code, lang) if r.code in REASONS else str(r.reason)

        fields = {
            "phone": self.tr("Phone"),
            "email": self.tr("E-mail"),
            "push_token": self.tr("Push token"),
            "row": self.tr("Row"),
        }
        # a row that loaded nothing is rejected; a value rejected in a row that loaded
        # by another address is a remark
        loaded = set(contacts["row"].tolist())
        rejected = [r for r in result.rejected if r.row not in loaded]
        partly = [r for r in result.rejected if r.row in loaded]
        self.rejected_model.set_frame(
            pd.DataFrame(
                {
                    "row": [r.row for r in rejected],
                    "field": [fields.get(r.field, r.field) for r in rejected],
                    "value": [r.value for r in rejected],
                    "reason": [reason(r) for r in rejected],
                }
            ),
            [self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Reason")],
        )
        dropped = self.tr("left out: the same phone, e-mail and token as row %1")
        repeated = self.tr("kept: one message to this address, as row %1 has it too")
        doubles = [*result.duplicates, *result.repeated]
        doubles.sort(key=lambda d: d.row)
        self.duplicates_model.set_frame(
            pd.DataFrame(
                {
                    "row": [d.row for d in doubles],
                    "same_as": [d.same_as for d in doubles],
                    "field": [fields.get(d.field, "") for d in doubles],
                    "what": [
                        (repeated if d.field else dropped).replace("%1", str(d.same_as))
                        for d in doubles
                    ],
                }
            ),
            [self.tr("Row"), self.tr("Same as row"), self.tr("Column"), self.tr("What happens")],
        )
        loaded_anyway = self.tr("%1; the row loaded by its other address")
        notes = [(m.row, m.field, m.value, remark_text(m, lang)) for m in result.remarks]
        notes += [(r.row, r.field, r.value, loaded_anyway.replace("%1", reason(r))) for r in partly]
        notes.sort(key=lambda n: n[0])
        self.remarks_model.set_frame(
            pd.DataFrame(
                {
                    "row": [n[0] for n in notes],
                    "field": [fields.get(n[1], n[1]) for n in notes],
                    "value": [n[2] for n in notes],
                    "remark": [n[3] for n in notes],
                }
            ),
            [self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Remark")],
        )
        extra = int(getattr(result, "extra_addresses", 0))
        self.extra_rows_button.setText(
            self.tr("Import the other %1 address(es) in these cells as rows of their own").replace(
                "%1", number(extra)
            )
        )
        self.extra_rows_button.setVisible(extra > 0)
        self._count_tabs()
        self.tabs.setTabText(
            1, self.tr("Rejected (%1)").replace("%1", number(result.rejected_rows))
        )
        self.tabs.setTabText(2, self.tr("Duplicates (%1)").replace("%1", number(len(doubles))))
        self.tabs.setTabText(3, self.tr("Remarks (%1)").replace("%1", number(len(notes))))
        self.summary.setText(
            self.tr(
                "%1: %2 rows read · %3 imported · %4 rejected · %5 duplicates · "
                "%6 blank rows skipped"
            )
            .replace("%1", path.name)
            .replace("%2", number(result.rows_read))
            .replace("%3", number(len(contacts)))
            .replace("%4", number(result.rejected_rows))
            .replace("%5", number(len(doubles)))
            .replace("%6", number(result.skipped_blank))
        )
        self.summary.show()
        self.empty.hide()
        self.tabs.show()
        self.export_rejected_button.setEnabled(result.rejected_rows > 0)
        for view in (
            self.contacts_view,
            self.rejected_view,
            self.duplicates_view,
            self.remarks_view,
        ):
            view.resizeColumnsToContents()
        self.contacts_loaded.emit(result, str(path))

    def _count_tabs(self) -> None:
        if self.result is None:
            return
        total = len(self.result.contacts)
        shown = self.contacts_model.shown()
        if self.search.text().strip() and shown != total:
            text = (
                self.tr("Contacts (%1 of %2)")
                .replace("%1", number(shown))
                .replace("%2", number(total))
            )
        else:
            text = self.tr("Contacts (%1)").replace("%1", number(total))
        self.tabs.setTabText(0, text)

    @Slot()
    def import_extra_rows(self) -> None:
        """Import the list shown again, each further address in a cell as a row."""
        if self.path is None or self.busy:
            return
        options = {**self.options, "extra_rows": True}
        window = self.window()
        runner = getattr(getattr(window, "ctx", None), "runner", None)
        if runner is not None:
            runner.start(self.import_path(self.path, options), what=self.tr("Import contacts"))

    def _search(self, text: str) -> None:
        self.contacts_model.set_filter_text(text)
        self._count_tabs()

    @Slot()
    def export_rejected(self) -> None:
        if self.result is None or not self.result.rejected_rows:
            return
        suggested = (
            self.path.with_name(self.path.stem + " — rejected.xlsx")
            if self.path
            else "rejected.xlsx"
        )
        pick_file(
            self,
            self.tr("Export rejected rows"),
            "Excel (*.xlsx)",
            self._write_rejected,
            save=True,
            key="rejected",
            suggested=str(suggested),
        )

    def _write_rejected(self, path: Path) -> None:
        from kupon_desktop.contacts.rejected_export import export_rejected

        name = str(path)
        try:
            export_rejected(self.result, self.path, path, lang=interface_language())
        except OSError as exc:
            show_notice(
                self,
                self.tr("Export rejected rows"),
                self.tr("Could not write the file: %1").replace("%1", exc.strerror or str(exc)),
            )
            return
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(
                self.tr("Rejected rows saved to %1").replace("%1", name), 6000
            )

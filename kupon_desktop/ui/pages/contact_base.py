"""The Base page: the contact base kept on this computer. Lists and segments on the left,
the contacts of the one selected in the middle (a table that reads its rows from the log
page by page: a million contacts open as fast as ten), the selected contact's card on
the right (fields, every change with its date and source, consent events; withdraw or
record consent, export the proof for a lawyer).

Every read and write runs in a worker thread (``asyncio.to_thread``) through
``kupon_desktop.base``; the page only shows what comes back.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop.ui.dialogs import pick_file
from kupon_desktop.ui.models.contact_base import ContactTableModel
from kupon_desktop.ui.pages.base import Page, number
from kupon_desktop.ui.pages.contacts import file_filter
from kupon_desktop.ui.segment_dialog import SegmentDialog
from kupon_desktop.ui.widgets.search_box import search_as_you_type

#: what a tree item stands for (Qt.UserRole): ("all", ""), ("list", name),
#: ("deleted", name), ("segment", name) or ("group", "")
_ROLE = Qt.ItemDataRole.UserRole


def when(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000).strftime("%d.%m.%Y %H:%M")


def ask_text(
    parent: QWidget,
    title: str,
    label: str,
    done: Callable[[str], None],
    *,
    text: str = "",
    items: list[str] | None = None,
) -> QInputDialog:
    """A one-line question opened with ``open()`` (no nested event loop): ``done`` gets
    the answer when the user presses OK. ``items``: an editable list to pick from."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    if items:
        dialog.setComboBoxItems(items)
        dialog.setComboBoxEditable(True)
    dialog.setTextValue(text)
    dialog.setMinimumWidth(420)
    dialog.textValueSelected.connect(lambda value: done(str(value)))
    dialog.finished.connect(lambda _r: dialog.deleteLater())
    dialog.open()
    return dialog


class ContactBasePage(Page):
    #: lists or segments were created, renamed or deleted (the audience picker reloads)
    changed = Signal()
    #: a message for the status bar
    said = Signal(str)

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Base"),
            self.tr(
                "Every contact you have imported, once per person: lists, segments and "
                "consent. Import a file into a list; a person already known is updated, "
                "not added twice."
            ),
            parent,
        )
        self.language = language
        self.log: Any = None
        self.runner: Any = None
        self.region = "RU"
        self.selection: dict[str, Any] = {}
        self.selected: tuple[str, str] = ("all", "")
        self.fields: list[str] = []
        self.overview: Any = None
        self.card: Any = None
        #: the last dialog opened (tests answer it)
        self.dialog: Any = None
        self._reading = 0

        #: which base this is, when it is the team's on a server
        self.team_label = QLabel()
        self.team_label.setObjectName("teamBase")
        self.team_label.setWordWrap(True)
        self.team_label.hide()
        self.layout_.addWidget(self.team_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.layout_.addWidget(splitter, 1)
        splitter.addWidget(self._build_left())
        splitter.addWidget(self._build_middle())
        splitter.addWidget(self._build_card())
        splitter.setSizes([250, 640, 340])
        self._enable()

    # -- building --------------------------------------------------------------------

    def _build_left(self) -> QWidget:
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 6, 0)
        self.tree = QTreeWidget()
        self.tree.setObjectName("baseTree")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # a segment's name is often a sentence ("Москва, доставлено, без перехода"):
        # shortened in its middle, so its start and end both show, and whole in its
        # tooltip (the splitter widens the tree)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.currentItemChanged.connect(self._picked)
        layout.addWidget(self.tree, 1)
        self.new_list_button = QPushButton(self.tr("New list…"))
        self.new_list_button.clicked.connect(self.ask_new_list)
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.rename_button.clicked.connect(self.ask_rename)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.new_segment_button = QPushButton(self.tr("New segment…"))
        self.new_segment_button.clicked.connect(self.open_segment_editor)
        rows = (
            (self.new_list_button, self.rename_button),
            (self.delete_button, self.restore_button),
            (self.new_segment_button,),
        )
        for buttons in rows:
            row = QHBoxLayout()
            for b in buttons:
                row.addWidget(b)
            layout.addLayout(row)
        return left

    def _build_middle(self) -> QWidget:
        middle = QWidget()
        layout = QVBoxLayout(middle)
        layout.setContentsMargins(6, 0, 6, 0)
        top = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import into a list…"))
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(self.choose_export)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by phone, e-mail or any field"))
        self.search.setClearButtonEnabled(True)
        search_as_you_type(self.search, lambda _t: self.start_reload_contacts())
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        top.addStretch(1)
        top.addWidget(self.search, 2)
        layout.addLayout(top)
        self.count = QLabel()
        self.count.setObjectName("pageHint")
        self.count.setWordWrap(True)
        layout.addWidget(self.count)
        self.model = ContactTableModel(self)
        self.model.consent_labels = {1: self.tr("yes"), 0: self.tr("withdrawn"), None: ""}
        self.view = QTableView()
        self.view.setObjectName("baseContacts")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_card_of_row(current.row())
        )
        layout.addWidget(self.view, 1)
        return middle

    def _build_card(self) -> QWidget:
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(6, 0, 0, 0)
        self.card_view = QTextBrowser()
        self.card_view.setObjectName("contactCard")
        self.card_view.setOpenLinks(False)
        self.card_view.setPlaceholderText(self.tr("Select a contact to see its card."))
        layout.addWidget(self.card_view, 1)
        self.withdraw_button = QPushButton(self.tr("Withdraw consent"))
        self.withdraw_button.setToolTip(
            self.tr("No advertising to this person from now on, on any channel")
        )
        self.withdraw_button.clicked.connect(self.withdraw_consent)
        self.give_button = QPushButton(self.tr("Record consent…"))
        self.give_button.clicked.connect(self.ask_consent)
        self.proof_button = QPushButton(self.tr("Export consent proof…"))
        self.proof_button.clicked.connect(self.choose_proof)
        row = QHBoxLayout()
        row.addWidget(self.withdraw_button)
        row.addWidget(self.give_button)
        layout.addLayout(row)
        layout.addWidget(self.proof_button)
        return right

    def _enable(self) -> None:
        kind = self.selected[0]
        attached = self.log is not None
        self.rename_button.setEnabled(attached and kind in ("list", "segment"))
        self.delete_button.setEnabled(attached and kind in ("list", "segment"))
        self.restore_button.setEnabled(attached and kind == "deleted")
        for b in (self.new_list_button, self.new_segment_button, self.import_button):
            b.setEnabled(attached)
        self.export_button.setEnabled(attached and kind != "deleted")
        has_card = self.card is not None
        for b in (self.withdraw_button, self.give_button, self.proof_button):
            b.setEnabled(attached and has_card)

    def attach(self, log: Any, runner: Any, region: str = "RU") -> None:
        self.log, self.runner, self.region = log, runner, region
        self.model.attach(self._read_page, lambda coro: runner.start(coro, what=self.tr("Base")))
        self._enable()

    def set_team(self, address: str | None) -> None:
        """Say that the base shown is the team's on the server at ``address`` (None:
        this computer's own)."""
        self.team_label.setVisible(address is not None)
        if address is not None:
            self.team_label.setText(
                self.tr(
                    "The team's base on the server %1: every desk of the team sees these "
                    "lists, segments and consents, and a file imported here goes there."
                ).replace("%1", address)
            )

    def _start(self, coro: Any) -> Any:
        if self.runner is None:
            coro.close()
            return None
        return self.runner.start(coro, what=self.tr("Base"))

    async def _read_page(self, ids: list[int]) -> Any:
        from kupon_desktop.base.ui_queries import page_rows

        return await asyncio.to_thread(page_rows, self.log, ids)

    # -- the left pane ---------------------------------------------------------------

    async def reload(self, select: tuple[str, str] | None = None) -> None:
        """Read the lists and segments again (with their sizes) and show the one
        selected (or ``select``)."""
        from kupon_desktop.base.ui_queries import overview

        # the segments' sizes are counted after the contacts are shown: each is a query
        # over the whole base (about a second at a million contacts)
        found = await asyncio.to_thread(overview, self.log, count_segments=False)
        self.overview = found
        self.fields = found.fields
        want = select or self.selected
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            everyone = QTreeWidgetItem([self.tr("All contacts"), number(found.total)])
            everyone.setData(0, _ROLE, ("all", ""))
            self.tree.addTopLevelItem(everyone)
            lists = QTreeWidgetItem([self.tr("Lists"), ""])
            lists.setData(0, _ROLE, ("group", ""))
            lists.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(lists)
            for name, size, deleted in found.lists:
                label = name + (" " + self.tr("(deleted)") if deleted else "")
                item = QTreeWidgetItem([label, number(size)])
                item.setToolTip(0, label)
                item.setData(0, _ROLE, ("deleted" if deleted else "list", name))
                if deleted:
                    item.setForeground(0, self.palette().placeholderText())
                lists.addChild(item)
            segments = QTreeWidgetItem([self.tr("Segments"), ""])
            segments.setData(0, _ROLE, ("group", ""))
            segments.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(segments)
            for name, _size, _definition in found.segments:
                item = QTreeWidgetItem([name, "…"])
                item.setToolTip(0, name)
                item.setData(0, _ROLE, ("segment", name))
                segments.addChild(item)
            self.tree.expandAll()
            current = self._find(want) or everyone
            self.tree.setCurrentItem(current)
        finally:
            self.tree.blockSignals(False)
        self._select(tuple(current.data(0, _ROLE)), start=False)  # type: ignore[arg-type]
        await self.reload_contacts()
        await self._count_segments(found)

    async def _count_segments(self, found: Any) -> None:
        """Each segment's size beside its name ("?" for one naming a list or campaign
        since deleted); the overview keeps them for the next time."""
        from kupon_desktop.base.errors import BaseError

        def count(name: str) -> int:
            try:
                return int(self.log.base_count({"segment": name}))
            except BaseError:
                return -1

        sizes = []
        for name, _size, definition in found.segments:
            size = await asyncio.to_thread(count, name)
            sizes.append((name, size, definition))
            item = self._find(("segment", name))
            if item is not None:
                item.setText(1, number(size) if size >= 0 else "?")
        if self.overview is found:
            found.segments[:] = sizes

    def _find(self, what: tuple[str, str]) -> QTreeWidgetItem | None:
        for item in self._items():
            data = item.data(0, _ROLE)
            if data and tuple(data) == tuple(what):
                return item
        return None

    def _items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out.append(top)
            out += [top.child(k) for k in range(top.childCount())]
        return out

    def select(self, kind: str, name: str = "") -> None:
        """Show a list ("list"), segment ("segment") or everyone ("all")."""
        item = self._find((kind, name))
        if item is not None:
            self.tree.setCurrentItem(item)

    def _picked(self, current: QTreeWidgetItem | None, _previous: Any) -> None:
        if current is None:
            return
        data = current.data(0, _ROLE)
        if not data or data[0] == "group":
            return
        self._select(tuple(data))  # type: ignore[arg-type]

    def _select(self, what: tuple[str, str], *, start: bool = True) -> None:
        kind, name = what
        self.selected = (kind, name)
        self.selection = {"list": name} if kind in ("list", "deleted") else {}
        if kind == "segment":
            self.selection = {"segment": name}
        self._enable()
        if start:
            self.start_reload_contacts()

    # -- the contacts ----------------------------------------------------------------

    def start_reload_contacts(self) -> Any:
        return self._start(self.reload_contacts())

    async def reload_contacts(self) -> None:
        """The ids of the selection (narrowed by the search) from the log; the table
        reads their rows as they come into view."""
        from kupon_desktop.base.ui_queries import select_ids

        if self.log is None:
            return
        self._reading += 1
        mine = self._reading
        kind, name = self.selected
        if kind == "deleted":
            self.model.clear()
            self.count.setText(
                self.tr("The list «%1» is deleted: press Restore to see and use it again.").replace(
                    "%1", name
                )
            )
            return
        self.count.setText(self.tr("Reading…"))
        ids = await asyncio.to_thread(select_ids, self.log, self.selection, self.search.text())
        if mine != self._reading:
            return  # another list or search was asked for meanwhile
        headers = [
            self.tr("Phone"),
            self.tr("E-mail"),
            *self.fields,
            self.tr("Consent (phone)"),
            self.tr("Consent (e-mail)"),
        ]
        self.model.set_ids(ids, self.fields, headers)
        for column in range(len(headers)):
            self.view.setColumnWidth(column, 150 if column < 2 else 120)
        where = {
            "all": self.tr("All contacts"),
            "list": self.tr("List «%1»").replace("%1", name),
            "segment": self.tr("Segment «%1»").replace("%1", name),
        }[kind]
        text = where + ": " + self.tr("%1 contact(s)").replace("%1", number(len(ids)))
        if self.search.text().strip():
            text += " · " + self.tr("found by the search")
        if kind == "segment" and self.overview is not None:
            for seg_name, _size, definition in self.overview.segments:
                if seg_name == name:
                    text += "\n" + describe(definition)
        self.count.setText(text)
        self.card = None
        self.card_view.clear()
        self._enable()
        # the first screen read now: a segment's count after this would hold the log
        await self.model.prefetch(0)

    def show_card_of_row(self, row: int) -> Any:
        contact = self.model.contact_id(row)
        if contact is None:
            return None
        return self._start(self.show_card(contact))

    async def show_card(self, contact: int) -> None:
        from kupon_desktop.base.ui_queries import contact_card

        card = await asyncio.to_thread(contact_card, self.log, contact)
        self.card = card
        self.card_view.setHtml(self.card_html(card))
        self._enable()

    def card_html(self, card: Any) -> str:
        e = html.escape
        out = []
        title = card.fields.get(self._name_field() or "", "") or card.phone or card.email
        out.append(f"<h3>{e(title)}</h3>")
        out.append("<table cellspacing='0' cellpadding='2'>")
        rows = [(self.tr("Phone"), card.phone), (self.tr("E-mail"), card.email)]
        rows += list(card.fields.items())
        rows.append((self.tr("Lists"), ", ".join(card.lists)))
        rows.append((self.tr("Added"), when(card.created_at)))
        for k, v in rows:
            out.append(f"<tr><td><b>{e(str(k))}</b></td><td>{e(str(v))}</td></tr>")
        out.append("</table>")
        if card.stopped:
            out.append(
                "<p><b>"
                + e(self.tr("On the stop list: %1").replace("%1", ", ".join(card.stopped)))
                + "</b></p>"
            )
        consent_title = self.tr("Consent")
        out.append(f"<h4>{e(consent_title)}</h4>")
        if not card.consent:
            nothing = self.tr("No consent recorded.")
            out.append(f"<p>{e(nothing)}</p>")
        else:
            out.append("<ul>")
            for ev in card.consent:
                verb = self.tr("given") if ev.given else self.tr("withdrawn")
                channel = self.tr("phone") if ev.channel == "phone" else self.tr("e-mail")
                how = self._how(ev)
                detail = f" «{e(ev.wording)}»" if ev.wording else ""
                out.append(
                    f"<li>{e(when(ev.at))} — {e(channel)}: <b>{e(verb)}</b> ({e(how)}){detail}</li>"
                )
            out.append("</ul>")
        history_title, added = self.tr("History"), self.tr("added to the base")
        out.append(f"<h4>{e(history_title)}</h4>")
        out.append("<ul>")
        out.append(f"<li>{e(when(card.created_at))} — {e(added)}</li>")
        for change in card.history:
            source = self._source(change.kind, change.source)
            diffs = "; ".join(
                f"{e(k)}: {e(old) or '—'} → {e(new) or '—'}"
                for k, (old, new) in change.changed.items()
            )
            out.append(f"<li>{e(when(change.at))} — {e(source)}<br/>{diffs}</li>")
        out.append("</ul>")
        return "".join(out)

    def _name_field(self) -> str | None:
        return None if self.overview is None else self.overview.name_field

    def _source(self, kind: str, name: str) -> str:
        if kind == "file":
            return self.tr("file %1").replace("%1", Path(name).name)
        if kind == "campaign":
            return self.tr("campaign %1").replace("%1", name[:8])
        if kind == "typed":
            return self.tr("typed")
        return f"{kind} {name}".strip()

    def _how(self, ev: Any) -> str:
        if ev.how == "file":
            where = Path(ev.detail).name if ev.detail else ""
            row = self.tr(", row %1").replace("%1", str(ev.row)) if ev.row else ""
            return self.tr("file %1").replace("%1", where) + row
        return {
            "typed": self.tr("typed"),
            "manual": self.tr("withdrawn by the user"),
            "reply": self.tr("a reply"),
            "stop list": self.tr("stop list"),
        }.get(ev.how, ev.how)

    # -- lists and segments ----------------------------------------------------------

    @Slot()
    def ask_new_list(self) -> None:
        self.dialog = ask_text(
            self,
            self.tr("New list"),
            self.tr("Name of the list:"),
            lambda name: self._start(self.create_list(name)),
        )

    async def create_list(self, name: str) -> None:
        await asyncio.to_thread(self.log.base_create_list, name.strip())
        await self.reload(("list", name.strip()))
        self.changed.emit()

    @Slot()
    def ask_rename(self) -> None:
        kind, name = self.selected
        if kind == "list":
            self.dialog = ask_text(
                self,
                self.tr("Rename list"),
                self.tr("New name of «%1»:").replace("%1", name),
                lambda new: self._start(self.rename_list(name, new)),
                text=name,
            )
        elif kind == "segment":
            self.dialog = ask_text(
                self,
                self.tr("Rename segment"),
                self.tr("New name of «%1»:").replace("%1", name),
                lambda new: self._start(self.rename_segment(name, new)),
                text=name,
            )

    async def rename_list(self, old: str, new: str) -> None:
        from kupon_desktop.base.ui_queries import rename_list

        await asyncio.to_thread(rename_list, self.log, old, new)
        await self.reload(("list", new.strip()))
        self.changed.emit()

    async def rename_segment(self, old: str, new: str) -> None:
        def move() -> None:
            definition = self.log.base_segment(old)
            self.log.base_save_segment(new.strip(), definition)
            if new.strip() != old:
                self.log.base_delete_segment(old)

        await asyncio.to_thread(move)
        await self.reload(("segment", new.strip()))
        self.changed.emit()

    @Slot()
    def delete_selected(self) -> Any:
        kind, name = self.selected
        if kind == "list":
            return self._start(self.delete_list(name))
        if kind == "segment":
            return self._start(self.delete_segment(name))
        return None

    async def delete_list(self, name: str) -> None:
        await asyncio.to_thread(self.log.base_delete_list, name)
        await self.reload(("deleted", name))
        self.said.emit(
            self.tr("List «%1» deleted: select it and press Restore to undo.").replace("%1", name)
        )
        self.changed.emit()

    async def delete_segment(self, name: str) -> None:
        await asyncio.to_thread(self.log.base_delete_segment, name)
        await self.reload(("all", ""))
        self.said.emit(self.tr("Segment «%1» deleted.").replace("%1", name))
        self.changed.emit()

    @Slot()
    def restore_selected(self) -> Any:
        kind, name = self.selected
        if kind == "deleted":
            return self._start(self.restore_list(name))
        return None

    async def restore_list(self, name: str) -> None:
        await asyncio.to_thread(self.log.base_restore_list, name)
        await self.reload(("list", name))
        self.changed.emit()

    def choices(self) -> dict[str, Any]:
        o = self.overview
        if o is None:
            return {}
        return {
            "fields": o.fields,
            "lists": [n for n, _s, deleted in o.lists if not deleted],
            "tags": o.tags,
            "campaigns": o.campaigns,
        }

    @Slot()
    def open_segment_editor(self) -> SegmentDialog:
        dialog = SegmentDialog(self.choices(), self, counter=self._count_definition)
        # read at once: the dialog is deleted when it closes
        dialog.accepted.connect(
            lambda: self._start(self.save_segment(dialog.name(), dialog.definition() or {}))
        )
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()
        return dialog

    def _count_definition(self, definition: dict[str, Any], done: Callable[[str], None]) -> None:
        async def count() -> None:
            from kupon_desktop.errors import KuponError

            try:
                n = await asyncio.to_thread(self.log.base_count, {"segment_definition": definition})
            except KuponError as exc:
                done(exc.message(self.language))
                return
            done(self.tr("%1 contact(s) now").replace("%1", number(n)))

        self._start(count())

    async def save_segment(self, name: str, definition: dict[str, Any]) -> None:
        await asyncio.to_thread(self.log.base_save_segment, name, definition)
        await self.reload(("segment", name))
        self.changed.emit()

    # -- import and export -----------------------------------------------------------

    @Slot()
    def choose_import(self) -> None:
        pick_file(
            self,
            self.tr("Import contacts into the base"),
            file_filter(),
            self.ask_list_for,
            key="contacts",
        )

    def ask_list_for(self, path: Path) -> QInputDialog:
        """Which list the file goes into (an existing one or a new name)."""
        lists = [] if self.overview is None else [n for n, _s, d in self.overview.lists if not d]
        kind, current = self.selected
        default = current if kind == "list" else (lists[0] if lists else path.stem)
        ordered = [default, *[n for n in lists if n != default]]
        self.dialog = ask_text(
            self,
            self.tr("Import into a list"),
            self.tr("%1 goes into the list (pick one or type a new name):").replace(
                "%1", path.name
            ),
            lambda list_name: self._start(self.import_file(path, list_name)),
            text=default,
            items=ordered,
        )
        return self.dialog

    async def import_file(self, path: Path, list_name: str) -> Any:
        """Merge ``path`` into the base and the list; say what it did."""
        from kupon_desktop.base.importing import import_into_base

        name = list_name.strip()
        self.count.setText(self.tr("Importing %1…").replace("%1", path.name))
        self.import_button.setEnabled(False)
        try:
            report = await asyncio.to_thread(
                import_into_base, self.log, path, name, region=self.region
            )
        finally:
            self.import_button.setEnabled(True)
        await self.reload(("list", name))
        self.show_report(report)
        self.changed.emit()
        return report

    def report_text(self, report: Any) -> str:
        text = (
            self.tr("%1 → list «%2»: added %3, updated %4, unchanged %5, rejected %6.")
            .replace("%1", Path(report.path).name)
            .replace("%2", report.list_name or "")
            .replace("%3", number(report.added))
            .replace("%4", number(report.updated))
            .replace("%5", number(report.unchanged))
            .replace("%6", number(len(report.rejected)))
        )
        return text

    def show_report(self, report: Any) -> QMessageBox:
        text = self.report_text(report)
        self.said.emit(text)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Import into the base"), text)
        box.setParent(self, box.windowFlags())
        if report.rejected:
            lang = "ru" if self.language == "ru" else "en"
            lines = [
                self.tr("row %1").replace("%1", str(r.row))
                + (f" «{r.value}»" if r.value else "")
                + ": "
                + r.reason(lang)
                for r in report.rejected[:200]
            ]
            box.setDetailedText("\n".join(lines))
        box.finished.connect(lambda _r: box.deleteLater())
        self.dialog = box
        box.open()
        return box

    @Slot()
    def choose_export(self) -> None:
        pick_file(
            self,
            self.tr("Export contacts"),
            self.tr("Excel (*.xlsx);;CSV (*.csv)"),
            lambda path: self._start(self.export_file(path)),
            save=True,
            key="base-export",
            suggested=self.tr("contacts.xlsx", "default file name"),
        )

    async def export_file(self, path: Path) -> int:
        from kupon_desktop.base.export import export_contacts

        count = await asyncio.to_thread(
            export_contacts, self.log, self.selection, path, lang=self.language
        )
        self.said.emit(
            self.tr("%1 contact(s) exported to %2")
            .replace("%1", number(count))
            .replace("%2", str(path))
        )
        return int(count)

    # -- consent ---------------------------------------------------------------------

    def _address(self) -> str:
        return "" if self.card is None else (self.card.phone or self.card.email)

    @Slot()
    def withdraw_consent(self) -> Any:
        if self.card is None:
            return None
        return self._start(self.withdraw(self.card.contact))

    async def withdraw(self, contact: int) -> None:
        from kupon_desktop.base.consent import withdraw_consent

        card = self.card
        assert card is not None and card.contact == contact
        note = self.tr("withdrawn in the Base page")
        # "all": both channels of the contact, whichever address finds it
        await asyncio.to_thread(
            withdraw_consent,
            self.log,
            card.phone or card.email,
            channel="all",
            note=note,
            region=self.region,
        )
        await self.show_card(contact)
        self.model.refresh()
        self.said.emit(
            self.tr("Consent of %1 withdrawn: no advertising from now on.").replace(
                "%1", self._address()
            )
        )

    @Slot()
    def ask_consent(self) -> None:
        if self.card is None:
            return
        contact = self.card.contact
        self.dialog = ask_text(
            self,
            self.tr("Record consent"),
            self.tr("What did the person agree to (the wording)?"),
            lambda wording: self._start(self.give(contact, wording)),
        )

    async def give(self, contact: int, wording: str) -> None:
        from kupon_desktop.base.consent import give_consent

        card = self.card
        assert card is not None and card.contact == contact
        for address in [a for a in (card.phone, card.email) if a]:
            await asyncio.to_thread(give_consent, self.log, address, wording, region=self.region)
        await self.show_card(contact)
        self.model.refresh()

    @Slot()
    def choose_proof(self) -> None:
        if self.card is None:
            return
        address = self._address()
        safe = "".join(ch if ch.isalnum() else "_" for ch in address)
        pick_file(
            self,
            self.tr("Export consent proof"),
            "Excel (*.xlsx)",
            lambda path: self._start(self.export_proof(address, path)),
            save=True,
            key="consent-proof",
            suggested=self.tr("consent-%1.xlsx", "default file name").replace("%1", safe),
        )

    async def export_proof(self, address: str, path: Path) -> Any:
        from kupon_desktop.base.consent import consent_proof

        proof = await asyncio.to_thread(
            consent_proof, self.log, address, path, lang=self.language, region=self.region
        )
        self.said.emit(
            self.tr("Consent proof written to %1: %2 consent event(s), %3 message(s)")
            .replace("%1", str(proof.path))
            .replace("%2", number(proof.events))
            .replace("%3", number(proof.messages))
        )
        return proof


def describe(definition: dict[str, Any]) -> str:
    """A segment's definition in words (the interface language)."""
    if "all" in definition:
        return (" " + QCoreApplication.translate("Segment", "and") + " ").join(
            describe(d) for d in definition["all"]
        )
    if "any" in definition:
        return (
            "("
            + (" " + QCoreApplication.translate("Segment", "or") + " ").join(
                describe(d) for d in definition["any"]
            )
            + ")"
        )
    if "not" in definition:
        return QCoreApplication.translate("Segment", "not") + " " + describe(definition["not"])
    if "field" in definition:
        op = definition.get("op")
        name = definition["field"]
        if op == "equals":
            return f"{name} = «{definition.get('value', '')}»"
        if op == "not_equals":
            return f"{name} ≠ «{definition.get('value', '')}»"
        if op == "contains":
            return (
                QCoreApplication.translate("Segment", "%1 contains «%2»")
                .replace("%1", name)
                .replace("%2", str(definition.get("value", "")))
            )
        if op == "empty":
            return QCoreApplication.translate("Segment", "%1 is empty").replace("%1", name)
        if op == "not_empty":
            return QCoreApplication.translate("Segment", "%1 is not empty").replace("%1", name)
        if op == "date":
            return _describe_date(name, definition)
        return f"{name} {op}"
    if "list" in definition:
        return QCoreApplication.translate("Segment", "in list «%1»").replace(
            "%1", str(definition["list"])
        )
    if "tag" in definition:
        return QCoreApplication.translate("Segment", "tagged «%1»").replace(
            "%1", str(definition["tag"])
        )
    if "consent" in definition:
        if definition.get("state") == "withdrawn":
            return QCoreApplication.translate("Segment", "consent withdrawn (%1)").replace(
                "%1", str(definition["consent"])
            )
        return QCoreApplication.translate("Segment", "consent given (%1)").replace(
            "%1", str(definition["consent"])
        )
    if "outcome" in definition:
        outcome = {
            "sent": QCoreApplication.translate("Segment", "sent"),
            "delivered": QCoreApplication.translate("Segment", "delivered"),
            "read": QCoreApplication.translate("Segment", "read"),
            "clicked": QCoreApplication.translate("Segment", "clicked"),
            "undelivered": QCoreApplication.translate("Segment", "undelivered"),
        }.get(str(definition["outcome"]), str(definition["outcome"]))
        if "days" in definition:
            return (
                QCoreApplication.translate("Segment", "%1 in the last %2 days")
                .replace("%1", outcome)
                .replace("%2", str(definition["days"]))
            )
        campaign = str(definition.get("campaign", ""))
        where = (
            QCoreApplication.translate("Segment", "the last campaign")
            if campaign == "last"
            else campaign[:8]
        )
        return (
            QCoreApplication.translate("Segment", "%1 in %2")
            .replace("%1", outcome)
            .replace("%2", where)
        )
    return str(definition)


def _describe_date(name: str, definition: dict[str, Any]) -> str:
    span = definition.get("range")
    words = {
        "today": QCoreApplication.translate("Segment", "%1 is today"),
        "this_week": QCoreApplication.translate("Segment", "%1 is this week"),
        "this_month": QCoreApplication.translate("Segment", "%1 is this month"),
        "next_days": QCoreApplication.translate("Segment", "%1 is in the next %2 days"),
        "last_days": QCoreApplication.translate("Segment", "%1 is in the last %2 days"),
        "between": QCoreApplication.translate("Segment", "%1 is from %2 to %3"),
    }
    text = (
        words.get(str(span), f"%1 {span}")
        .replace("%1", name)
        .replace("%2", str(definition.get("days", definition.get("from", ""))))
        .replace("%3", str(definition.get("to", "")))
    )
    if definition.get("every_year"):
        text += QCoreApplication.translate("Segment", " (every year)")
    return text

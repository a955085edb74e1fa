"""The Stop list page: the people who must never be written to (refused, wrong number,
blocked), kept in the local log and applied to every campaign, even one already running."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from kupon_desktop.ui.dialogs import pick_file
from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.pages.base import Page, moment, number
from kupon_desktop.ui.pages.contacts import file_filter, make_table
from kupon_desktop.ui.widgets.search_box import search_as_you_type


class StopListPage(Page):
    #: (title, message) of a refusal the user should read
    refused = Signal(str, str)

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Stop list"),
            self.tr(
                "Numbers and addresses that never receive a message: people who "
                "refused, wrong numbers, blocked directions. Every campaign leaves "
                "them out, even one already running."
            ),
            parent,
        )
        self.language = language
        self.log: Any = None
        self.region = "RU"
        self.runner: Any = None

        add_row = QHBoxLayout()
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("phone or e-mail, written any way"))
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("note (why)"))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_typed)
        self.address.returnPressed.connect(self.add_typed)
        add_row.addWidget(self.address, 2)
        add_row.addWidget(self.note, 2)
        add_row.addWidget(self.add_button)
        self.layout_.addLayout(add_row)
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.hide()
        self.layout_.addWidget(self.message)
        #: the team server's desk (None: this desk works alone), asked at each use:
        #: Settings may change it
        self.team_of: Callable[[], Any] = lambda: None
        self.team_note = QLabel()
        self.team_note.setObjectName("pageHint")
        self.team_note.setWordWrap(True)
        self.team_note.hide()
        self.layout_.addWidget(self.team_note)
        self._team_task: asyncio.Task[Any] | None = None

        actions = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("pageHint")
        self.remove_button = QPushButton(self.tr("Remove selected"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = QPushButton(self.tr("Import from file…"))
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(self.choose_export)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(240)
        search_as_you_type(self.search, self._search)
        actions.addWidget(self.count, 1)
        for w in (self.search, self.remove_button, self.import_button, self.export_button):
            actions.addWidget(w)
        self.layout_.addLayout(actions)

        self.model = FrameTableModel()
        self.view = make_table(self.model)
        self.layout_.addWidget(self.view, 1)

    def _search(self, text: str) -> None:
        self.model.set_filter_text(text)

    def attach(self, log: Any, runner: Any, region: str) -> None:
        self.log, self.runner, self.region = log, runner, region

    # -- reading ---------------------------------------------------------------------

    async def reload(self) -> None:
        import pandas as pd  # here, not at start-up (the window must appear first)

        from kupon_desktop.audience.stoplist import note_text, source_text

        entries = await asyncio.to_thread(lambda: list(self.log.iter_stop_list()))
        lang = self.language
        frame = pd.DataFrame(
            {
                "address": [e.address for e in entries],
                "kind": [
                    self.tr("phone") if e.kind == "phone" else self.tr("e-mail") for e in entries
                ],
                "added": [moment(e.added_at) for e in entries],
                "source": [source_text(e.source, lang) for e in entries],
                "note": [note_text(e.note, lang) for e in entries],
            }
        )
        self.model.set_frame(
            frame,
            [
                self.tr("Address"),
                self.tr("Kind"),
                self.tr("Added"),
                self.tr("Source"),
                self.tr("Note"),
            ],
        )
        self.model.set_filter_text(self.search.text())  # the search typed stays applied
        self.count.setText(self.tr("%1 entries").replace("%1", number(len(entries))))
        self.view.resizeColumnsToContents()

    # -- editing ---------------------------------------------------------------------

    def add_typed(self) -> None:
        from kupon_desktop.audience import NotAnAddress, add_address

        raw = self.address.text()
        if not raw.strip():  # Enter in an empty field: nothing to add, nothing wrong
            return
        try:
            add_address(self.log, raw, note=self.note.text(), region=self.region)
        except NotAnAddress:
            self.message.setText(
                self.tr("«%1» is neither a phone number nor an e-mail address.").replace(
                    "%1", raw.strip()[:80]
                )
            )
            self.message.show()
            return
        self.message.hide()
        self.address.clear()
        self.note.clear()
        self._refresh()

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        addresses = [self.model.frame["address"].iloc[self.model.source_row(r)] for r in rows]
        if addresses:
            self.log.stop_list_remove(addresses)
            self._refresh(addresses)

    def _refresh(self, removed: Sequence[str] = ()) -> None:
        if self.runner is not None:
            self.runner.start(self._changed(list(removed)), what=self.tr("Stop list"))

    async def _changed(self, removed: list[str]) -> None:
        await self.reload()
        # a colleague's desk must not write to an address added here a moment ago
        await self.sync_team(removed)

    # -- the team's shared list ------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        # the team's additions since the last look come in when the page is opened
        running = self._team_task is not None and not self._team_task.done()
        if self.runner is not None and self.team_of() is not None and not running:
            self._team_task = self.runner.start(self.sync_team(), what=self.tr("Stop list"))

    async def sync_team(self, removed: Sequence[str] = ()) -> bool:
        """With a team server: send it this desk's additions (and ``removed``), then bring
        the team's list here. False when there is no server or it could not be reached
        (the page says so)."""
        team = self.team_of()
        if team is None:
            self.team_note.hide()
            return False
        from kupon_desktop.team.errors import TeamError

        try:
            if removed:
                await team.client.change_stop_list(remove=list(removed))
            await team.refresh_stop_list()
        except TeamError as exc:
            self.team_note.setText(
                self.tr(
                    "The team's shared stop list could not be synchronised: %1 What you "
                    "add here goes to the team server at the next connection; no campaign "
                    "is sent while the copy here is older than Settings allow."
                ).replace("%1", exc.message(self.language))
            )
            self.team_note.setObjectName("fieldError")
            self._restyle(self.team_note)
            self.team_note.show()
            return False
        self.team_note.setText(
            self.tr(
                "Shared with the team through its server: what is added here reaches every "
                "desk. Synchronised at %1."
            ).replace("%1", moment(datetime.now().astimezone(), seconds=True))
        )
        self.team_note.setObjectName("pageHint")
        self._restyle(self.team_note)
        self.team_note.show()
        await self.reload()
        return True

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def choose_import(self) -> None:
        pick_file(
            self,
            self.tr("Import a stop list"),
            file_filter(),
            lambda path: (
                self.runner is not None
                and self.runner.start(self.import_file(path), what=self.tr("Stop list"))
            ),
            key="stoplist",
        )

    async def import_file(self, path: Path) -> int:
        """Every phone and e-mail the contacts importer finds in ``path`` (the same
        readers, detection and report as a contact list)."""
        from kupon_desktop.audience import import_stop_list

        done = await asyncio.to_thread(import_stop_list, self.log, path, region=self.region)
        await self.reload()
        await self.sync_team()
        self.count.setText(
            self.count.text()
            + " · "
            + self.tr("%1 added from %2").replace("%1", number(done.added)).replace("%2", path.name)
        )
        return int(done.added)

    def choose_export(self) -> None:
        pick_file(
            self,
            self.tr("Export the stop list"),
            self.tr("Excel (*.xlsx);;CSV (*.csv)"),
            lambda path: (
                self.runner is not None
                and self.runner.start(self.export_file(path), what=self.tr("Stop list"))
            ),
            save=True,
            key="stoplist",
            suggested=self.tr("stop-list.xlsx", "default file name"),
        )

    async def export_file(self, path: Path) -> None:
        from kupon_desktop.audience import export_stop_list

        await asyncio.to_thread(export_stop_list, self.log, path, lang=self.language)

"""The window's side of the contact base, in one object the main window holds: the Base
and Analytics pages, the audience picker on the Message page, retargeting from the
Campaign page, and the base's own connection to the log.

The base reads on a ``Log`` of its own (the same file): a segment counted over a million
contacts or a file merged into the base never holds the lock the sending engine's log
calls take, and SQLite's WAL lets its reads run beside the engine's writes.

With a team server in Settings (its address and the user key), the Base page and the
audience picker use the team's base on the server instead (``team.base.RemoteBase``,
the same calls over HTTPS, in a worker thread like the log's); Analytics stays on this
desk's own campaigns.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QObject, Signal

from kupon_desktop.ui.pages.analytics import AnalyticsPage
from kupon_desktop.ui.pages.base import number
from kupon_desktop.ui.pages.contact_base import ContactBasePage, ask_text
from kupon_desktop.ui.widgets.audience_picker import FILE, LIST, AudiencePicker


class BaseHub(QObject):
    #: a message for the status bar
    said = Signal(str)
    #: (frames like an import's: contacts, fields, field_names) the picked list or segment
    #: read for the Message page's preview; None when the file is picked again
    audience_loaded = Signal(object)

    def __init__(self, ctx: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # the base the pages use: this desk's log, or the team's base on the server
        self.log: Any = None
        # this desk's own log (the campaigns, what only this desk holds)
        self.local: Any = None
        self._own_log = False
        self.page = ContactBasePage(ctx.language)
        self.analytics = AnalyticsPage(ctx.language)
        self.picker = AudiencePicker()
        #: the picked list or segment as the session plans with it, read at the last
        #: Check or Send (None: the file is picked, or nothing read yet)
        self.frozen: Any = None
        self.page.changed.connect(self.names_changed)
        self.page.said.connect(self.said)
        self.analytics.said.connect(self.said)
        self.picker.picked.connect(self._picked)
        #: the last dialog opened (tests answer it)
        self.dialog: Any = None

    # -- the log ---------------------------------------------------------------------

    async def open(self, path: Path | str) -> None:
        """Open the base's own connection to the log at ``path`` and fill the pages."""
        from kupon_desktop.store.log import Log

        if self.local is None:
            self.local = await asyncio.to_thread(Log, path)
            self._own_log = True
        self.attach(self.local)
        await self.page.reload()
        await self._names()

    def attach(self, log: Any) -> None:
        """Use ``log`` (this desk's), or the team's base when Settings name a server."""
        self._close_team()
        self.local = log
        team = self._team_base(log)
        self.log = team or log
        region = self.ctx.settings.get("contacts/region")
        self.page.attach(self.log, self.ctx.runner, region)
        self.page.set_team(None if team is None else team.base_url)
        self.analytics.attach(log, self.ctx.runner)

    def _team_base(self, local: Any) -> Any:
        """The team server's base of Settings (None: no address or no key, or the demo)."""
        ctx = self.ctx
        url = ctx.settings.get("team/server_url")
        keys = getattr(ctx, "team_keys", None)
        key = keys.get() if keys is not None else None
        if ctx.demo or not url or not key:
            return None
        from kupon_desktop.team.base import RemoteBase

        return RemoteBase(url, key, local=local)

    def reload_team(self) -> Any:
        """Settings changed: the team's base (or this desk's) shown from now on."""
        if self.local is None:
            return None
        self.frozen = None
        self.attach(self.local)
        return self.ctx.runner.start(self._reload(), what=self.tr("Base"))

    async def _reload(self) -> None:
        await self.page.reload()
        await self._names()

    def _close_team(self) -> None:
        if self.log is not None and self.log is not self.local:
            self.log.close()  # a RemoteBase: its connections (this desk's log stays)

    def close(self) -> None:
        self._close_team()
        if self.local is not None and self._own_log:
            self.local.close()
        self.log = self.local = None

    # -- the audience ----------------------------------------------------------------

    def names_changed(self) -> None:
        if self.log is not None:
            self.ctx.runner.start(self._names(), what=self.tr("Base"))

    async def _names(self) -> None:
        def read() -> tuple[list[str], list[str]]:
            lists = [x.name for x in self.log.base_lists()]
            return lists, [s.name for s in self.log.base_segments()]

        lists, segments = await asyncio.to_thread(read)
        self.picker.set_names(lists, segments)

    def _picked(self, kind: str, name: str) -> None:
        self.frozen = None
        if kind == FILE:
            self.picker.status.clear()
            self.audience_loaded.emit(None)
            return
        if not name or self.log is None:
            return
        self.ctx.runner.start(self.read_audience(), what=self.tr("Audience"))

    @property
    def from_base(self) -> bool:
        return self.picker.kind != FILE

    async def read_audience(self, message_type: Any = "sms") -> Any:
        """Read the picked list or segment now (consent as the ledger has it this
        moment, for the channel of ``message_type``): the ContactList the session plans
        and sends to. Returns None when the file is picked."""
        from kupon_desktop.base.audience import CONSENT_COLUMN
        from kupon_desktop.campaign.from_base import contact_list_from_base

        kind, name = self.picker.kind, self.picker.name
        if kind == FILE:
            self.frozen = None
            return None
        if not name:
            from kupon_desktop.base.errors import BaseError

            raise BaseError(
                "pick a list or a segment to send to", "выберите список или сегмент для отправки"
            )
        self.picker.status.setText(self.tr("Reading…"))
        found = await asyncio.to_thread(
            contact_list_from_base,
            self.log,
            message_type,
            list_name=name if kind == LIST else None,
            segment=name if kind != LIST else None,
        )
        if (self.picker.kind, self.picker.name) != (kind, name):
            return self.frozen  # another one was picked meanwhile
        self.frozen = found
        self.picker.status.setText(
            self.tr("%1 contact(s), read %2")
            .replace("%1", number(len(found.contacts)))
            .replace("%2", _now())
        )
        self.audience_loaded.emit(
            SimpleNamespace(
                contacts=found.contacts,
                fields=found.fields,
                field_names=[c for c in found.fields.columns if c != CONSENT_COLUMN],
            )
        )
        return found

    # -- retargeting -----------------------------------------------------------------

    def ask_retarget(self, campaign_id: str, group: str, kind: str) -> Any:
        """Ask the name, then save the campaign's ``group`` as a list or segment."""
        groups = {
            "sent": self.tr("sent"),
            "delivered": self.tr("delivered"),
            "read": self.tr("read"),
            "clicked": self.tr("clicked"),
            "undelivered": self.tr("undelivered"),
        }
        title = self.tr("Save as list") if kind == LIST else self.tr("Save as segment")
        label = (
            self.tr("Name of the list of who %1:")
            if kind == LIST
            else self.tr("Name of the segment of who %1:")
        ).replace("%1", groups.get(group, group))
        self.dialog = ask_text(
            self.page,
            title,
            label,
            lambda name: self.ctx.runner.start(
                self.retarget(campaign_id, group, kind, name), what=title
            ),
            text=groups.get(group, group).capitalize(),
        )
        return self.dialog

    async def retarget(self, campaign_id: str, group: str, kind: str, name: str) -> Any:
        from kupon_desktop.base.retarget import save_group

        name = name.strip()
        done = await asyncio.to_thread(
            save_group,
            self.log,
            campaign_id,
            group,
            as_list=name if kind == LIST else None,
            as_segment=name if kind != LIST else None,
        )
        await self.page.reload((done.kind, done.name))
        await self._names()
        text = (
            self.tr("List «%1»: %2 contact(s); %3 new in the base")
            if done.kind == LIST
            else self.tr("Segment «%1»: %2 contact(s); %3 new in the base")
        )
        self.said.emit(
            text.replace("%1", done.name)
            .replace("%2", number(done.contacts))
            .replace("%3", number(done.added_to_base))
        )
        return done


def _now() -> str:
    from datetime import datetime

    return datetime.now().strftime("%H:%M:%S")

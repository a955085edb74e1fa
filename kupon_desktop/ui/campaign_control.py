"""The window's side of sending: one log, one API client, the status receiver, the
engine runs, and the 500 ms poll that brings status changes into the grid.

Everything heavy runs off the GUI thread (the log's calls go through
``asyncio.to_thread``); the grid gets one batch of changes per poll.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from kupon_desktop.ui.context import AppContext

log = logging.getLogger(__name__)

POLL_MS = 500
POLL_TASK = "poll"
#: the poll's restarts after a failure: soon, so the grid catches up once the cause goes
POLL_BACKOFF = (0.5, 1.0, 2.0, 5.0)
GRID_COLUMNS = [
    "key",
    "state",
    "status",
    "platform_id",
    "error",
    "status_at",
    "sent_at",
    "scheduled_at",
]


@dataclass
class LoadedCampaign:
    id: str
    type: str
    name: str
    columns: dict[str, list[Any]]


class CampaignControl(QObject):
    #: a campaign's rows were (re)loaded: LoadedCampaign
    loaded = Signal(object)
    #: rows changed: dict of column lists for the changed keys
    changed = Signal(object)
    #: engine progress: kupon_desktop.campaign.engine.Progress
    progressed = Signal(object)
    #: a run ended: (campaign id, state, reason)
    run_ended = Signal(str, str, str)
    #: the list of campaigns changed (History)
    campaigns_changed = Signal()

    def __init__(
        self, ctx: AppContext, db_path: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db_path = db_path
        self._log: Any = None
        self._client: Any = None
        self._receiver: Any = None
        self._receiver_process: Any = None
        self._feed_http: Any = None
        self.engine: Any = None
        self.current: str | None = None
        self._cursor = 0

    # -- resources -------------------------------------------------------------------

    @property
    def log(self) -> Any:
        if self._log is None:
            from kupon_desktop import paths
            from kupon_desktop.store.log import Log

            self._log = Log(self.db_path or paths.default_db_path())
        return self._log

    def recover(self) -> list[Any]:
        """At start-up: campaigns a crash left running become interrupted."""
        return self.log.recover_interrupted()

    def _token(self) -> str:
        token = self.ctx.session_token or self.ctx.tokens.get()
        if not token:
            from kupon_desktop.campaign.errors import TokenRejected

            raise TokenRejected("no token: File → Settings")
        return token

    def client(self) -> Any:
        if self._client is None:
            from kupon_desktop.api.client import KuponClient

            self._client = KuponClient(
                self.ctx.api_url or self.ctx.settings.get("api/base_url"), self._token()
            )
        return self._client

    async def callback_base(self) -> str:
        """Where the platform reports statuses: the address set in Settings (a server
        receiver), else the built-in receiver: a thread in demo mode, otherwise its own
        process, so that statuses keep arriving while the window is closed."""
        configured = self.ctx.settings.get("receiver/callback_url")
        if configured and not self.ctx.demo:
            return str(configured)
        if self.ctx.demo:
            if self._receiver is None:
                from kupon_desktop.receiver.runner import ReceiverThread

                self._receiver = ReceiverThread(self.log.path, port=0)
                await asyncio.to_thread(self._receiver.start)
            return str(self._receiver.callback_base)
        from kupon_desktop.receiver.process import ensure_running

        secret = await asyncio.to_thread(self.log.receiver_secret)
        started = await asyncio.to_thread(
            ensure_running, self.log.path, int(self.ctx.settings.get("receiver/port")), secret
        )
        if started.process is not None:
            self._receiver_process = started.process  # it outlives the window on purpose
        return started.callback_base

    async def aclose(self) -> None:
        self.stop_polling()
        if self._feed_http is not None:
            await self._feed_http.aclose()
            self._feed_http = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._receiver is not None:
            await asyncio.to_thread(self._receiver.stop)
            self._receiver = None
        if self._log is not None:
            self._log.close()
            self._log = None

    # -- campaigns -------------------------------------------------------------------

    def rules(self, advertising: bool = True) -> Any:
        """The audience rules of Settings for a campaign (advertising or service)."""
        from kupon_desktop.audience.settings import rules_from_settings

        return rules_from_settings(self.ctx.settings.get, advertising=advertising)

    async def prepare(
        self, draft: Any, result: Any, *, advertising: bool = True
    ) -> tuple[Any, Any]:
        """Apply the audience rules (stop list, consent, send window, cost), then render
        and de-duplicate (``campaign.build.prepare``), in a worker thread. Returns
        ``(prepared, plan)``."""
        from datetime import datetime

        from kupon_desktop.audience import apply_rules
        from kupon_desktop.campaign.build import prepare

        name_column = result.roles.get("name") if getattr(result, "roles", None) else None
        rules = self.rules(advertising)

        def work() -> tuple[Any, Any]:
            plan = apply_rules(
                draft,
                result.contacts,
                result.fields,
                rules=rules,
                stop_list=self.log,
                now=datetime.now().astimezone(),
            )
            prepared = prepare(
                draft,
                result.contacts,
                result.fields,
                name_column=name_column,
                scheduled=plan.scheduled,
                excluded=plan.excluded,
            )
            return prepared, plan

        return await asyncio.to_thread(work)

    async def create(
        self,
        draft: Any,
        prepared: Any,
        *,
        name: str = "",
        source: dict[str, Any] | None = None,
        plan: Any = None,
    ) -> str:
        """Store a prepared campaign; returns its id. ``source`` (the imported file's
        path, sheet and header row) is kept with the draft for "Export into my file",
        the audience rules for the send-time window check."""
        snapshot = draft.to_dict()
        if source:
            snapshot["_source"] = source
        if plan is not None:
            snapshot["_audience"] = plan.rules.to_dict()
        campaign_id = await asyncio.to_thread(
            self.log.create_campaign,
            snapshot,
            draft.type.value,
            prepared.recipients,
            name=name,
            kannel=draft.kannel_status,
        )
        self.campaigns_changed.emit()
        return campaign_id

    async def resend_via(self, campaign_id: str, keys: list[int], message_type: Any) -> str:
        """A new campaign of the same texts to these recipients through another channel
        (e.g. SMS for undelivered Viber)."""
        from dataclasses import replace

        from kupon_desktop.campaign.build import Prepared
        from kupon_desktop.compose import Draft
        from kupon_desktop.store.models import NewRecipient

        def work() -> str:
            draft = Draft.from_dict(self.log.campaign_draft(campaign_id))
            draft = replace(draft, type=message_type)
            rows = self.log.recipients_by_keys(campaign_id, keys)
            recipients = [
                NewRecipient(r.address, r.text, r.row, r.name, r.fields_json) for r in rows
            ]
            return self.log.create_campaign(
                draft.to_dict(),
                message_type.value,
                Prepared(recipients).recipients,
                name=f"{message_type.value} ← {campaign_id[:8]}",
                kannel=draft.kannel_status,
            )

        new_id = await asyncio.to_thread(work)
        self.campaigns_changed.emit()
        return new_id

    async def export(self, campaign_id: str, path: Path, language: str = "en") -> int:
        from kupon_desktop.campaign.results_export import export_results

        return await asyncio.to_thread(export_results, self.log, campaign_id, path, language)

    async def export_into(self, campaign_id: str, path: Path, language: str = "en") -> int:
        from kupon_desktop.campaign.results_export import export_into_source

        return await asyncio.to_thread(export_into_source, self.log, campaign_id, path, language)

    async def create_test(self, draft: Any, address: str) -> str:
        """A one-recipient campaign to a typed number or address (shown like any other)."""
        import pandas as pd

        from kupon_desktop.contacts import normalize_email, normalize_phone

        phone = normalize_phone(address, self.ctx.settings.get("contacts/region"))
        email = normalize_email(address) if "@" in address else None
        if phone is None and email is None:
            from kupon_desktop.campaign.errors import CampaignError

            raise CampaignError(
                f"«{address}»: не номер телефона и не e-mail / not a phone "
                "number or an e-mail address"
            )
        contacts = pd.DataFrame(
            {"row": [0], "phone": [phone], "email": [email], "push_token": [None]}
        )
        fields = pd.DataFrame(index=contacts.index)

        class _Result:
            pass

        fake = _Result()
        fake.contacts, fake.fields, fake.roles = contacts, fields, {}  # type: ignore[attr-defined]
        prepared, plan = await self.prepare(draft, fake)
        return await self.create(draft, prepared, name="test", plan=plan)

    async def run(self, campaign_id: str, *, cancel: bool = False) -> Any:
        """Send (or resume) ``campaign_id`` until it is settled, paused or cancelled.
        With ``cancel`` (a paused campaign the user cancels), nothing is sent: the run
        only marks the rest skipped and the campaign cancelled."""
        from kupon_desktop.campaign.build import envelope_for, message_factory, send_time_guard
        from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions
        from kupon_desktop.compose import Draft

        snapshot = await asyncio.to_thread(self.log.campaign_draft, campaign_id)
        draft = Draft.from_dict(snapshot)
        engine = CampaignEngine(
            self.log,
            self.client(),
            campaign_id,
            envelope_for(draft),
            options=EngineOptions(),
            callback_base=await self.callback_base(),
            message_for=message_factory(draft, send_time_guard(snapshot, draft)),
            on_progress=self.progressed.emit,
            stop_check=self.stop_check,
        )
        if cancel:
            engine.cancel()
        self.engine = engine
        try:
            progress = await engine.run()
        except Exception:
            # the task runner shows the error; the page must not stay "sending". When
            # the engine stopped on it (the log failed mid-run) the campaign is paused
            # and Resume continues it; when it never started (another window sends it)
            # there is nothing to resume here
            state = "paused" if engine.progress.state == "paused" else ""
            self.run_ended.emit(campaign_id, state, "")
            raise
        finally:
            self.engine = None
            self.campaigns_changed.emit()
        self.run_ended.emit(campaign_id, progress.state, progress.reason)
        return progress

    def stop_check(self, addresses: Sequence[str]) -> dict[str, str]:
        """Checked just before each request: an entry added to the stop list while the
        campaign runs still keeps that recipient out."""
        return dict.fromkeys(self.log.stopped_among(addresses), "stop list")

    def pause(self, reason: Any = None) -> None:
        if self.engine is not None:
            self.engine.pause(reason)

    def cancel(self) -> None:
        if self.engine is not None:
            self.engine.cancel()

    async def resend(self, campaign_id: str, keys: list[int]) -> int:
        moved = await asyncio.to_thread(self.log.mark_queued, campaign_id, keys)
        return len(moved)

    async def skip(self, campaign_id: str, keys: list[int]) -> int:
        moved = await asyncio.to_thread(
            self.log.mark_skipped, campaign_id, keys, "skipped by the user"
        )
        return len(moved)

    # -- the grid's data -------------------------------------------------------------

    async def open(self, campaign_id: str) -> LoadedCampaign:
        """Load a whole campaign for the grid and start polling its changes."""

        from kupon_desktop.ui.models.status_grid import import_arrays

        def work() -> LoadedCampaign:
            import_arrays()  # before the rows are read: see its docstring
            cursor = self.log.change_cursor()
            campaign = self.log.campaign(campaign_id)
            columns = self.log.read_columns(campaign_id, ["address", "name", *GRID_COLUMNS])
            self._cursor = cursor
            return LoadedCampaign(campaign_id, campaign.type, campaign.name, columns)

        loaded = await asyncio.to_thread(work)
        self.current = campaign_id
        self.loaded.emit(loaded)
        if not self.ctx.keeper().running(POLL_TASK):
            # supervised: a poll that dies (the log locked, a bug) is started again with
            # a short back-off, and its failure shown once, not every 500 ms
            self.ctx.keeper().keep(
                POLL_TASK, self._poll_forever, what=POLL_TASK, backoff=POLL_BACKOFF
            )
        return loaded

    def stop_polling(self) -> None:
        self.ctx.keeper().stop(POLL_TASK)

    async def _poll_forever(self) -> None:
        while True:
            if self.current is not None:
                await self._poll_once(self.current)
            await asyncio.sleep(POLL_MS / 1000)

    async def _poll_once(self, campaign_id: str) -> None:
        def work() -> tuple[bool, list[dict[str, Any]]]:
            # apply the new events and get the changed rows in one call: the rows
            # the apply changed come back from it, not read again (issue 9)
            polled = self.log.poll_changes(campaign_id, self._cursor, GRID_COLUMNS)
            self._cursor = polled.cursor
            return polled.reset, polled.updates

        reset, updates = await asyncio.to_thread(work)
        if campaign_id != self.current:
            return
        if reset:
            await self.open(campaign_id)
        else:
            for columns in updates:  # in order: a later dict holds newer values
                self.changed.emit(columns)

    def campaigns(self) -> list[Any]:
        return self.log.list_campaigns()

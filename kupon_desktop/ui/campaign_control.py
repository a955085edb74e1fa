"""The window's adapter onto the campaign session: it turns the session's calls into
signals for the pages and polls the log every 500 ms while a campaign is open.

No workflow lives here (``kupon_desktop.campaign.session`` has it all): this module runs
the session's blocking calls off the GUI thread (``asyncio.to_thread``), emits what they
return, and keeps the poll alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from kupon_desktop.campaign.session import (
    CampaignSession,
    ContactList,
    Loaded,
    Plan,
    Platform,
    Receiving,
    ResendOutcome,
    RunSettings,
)
from kupon_desktop.config import PLATFORM_TIMEZONE
from kupon_desktop.ui.context import AppContext

log = logging.getLogger(__name__)

POLL_MS = 500
#: with a team server, the open campaign's statuses are asked from it every second, and
#: at every tick while they keep coming: a status shown within 2 s of its callback needs
#: the ask, the answer and a poll (the one right after an answer that brought statuses)
TEAM_EVERY_TICKS = 2
POLL_TASK = "poll"
#: the poll's restarts after a failure: soon, so the grid catches up once the cause goes
POLL_BACKOFF = (0.5, 1.0, 2.0, 5.0)


class CampaignControl(QObject):
    #: a campaign's rows were (re)loaded: session.Loaded
    loaded = Signal(object)
    #: rows changed: dict of column lists for the changed keys
    changed = Signal(object)
    #: the open campaign's counts: (campaign id, counts.CampaignCounts)
    counted = Signal(str, object)
    #: engine progress: kupon_desktop.campaign.engine.Progress
    progressed = Signal(object)
    #: a run ended: (campaign id, state, stored reason)
    run_ended = Signal(str, str, str)
    #: the list of campaigns changed (History)
    campaigns_changed = Signal()
    #: the open campaign's A/B test: campaign.ab.ABStatus, or None (not part of one)
    ab_counted = Signal(object)

    def __init__(
        self, ctx: AppContext, db_path: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db_path = db_path
        self._log: Any = None
        self._session: CampaignSession | None = None
        self.current: str | None = None
        self._cursor = 0
        #: a run asked for but whose engine is not built yet (the session reads the
        #: campaign first): a pause or cancel asked meanwhile waits here for it
        self._starting = False
        self._pending_pause: Any = None
        self._pending_cancel = False
        #: the A/B test the open campaign belongs to (None: a plain campaign)
        self.current_group: str | None = None
        #: an A/B test is being taken forward (also while it waits for its decision)
        self._ab_running = False
        #: the open campaign's statuses being brought from the team server
        self._team_task: asyncio.Future[int] | None = None
        self._closing_team: asyncio.Future[None] | None = None
        #: set when a team sync brought statuses: the poll shows them now, not at its tick
        self._team_brought = asyncio.Event()
        #: the last team sync brought statuses: more are probably on their way
        self._team_flowing = False

    # -- the session -----------------------------------------------------------------

    @property
    def log(self) -> Any:
        if self._log is None:
            from kupon_desktop import paths
            from kupon_desktop.store.log import Log

            self._log = Log(self.db_path or paths.default_db_path())
        return self._log

    async def start(self) -> None:
        """Open the log and the session: the settings read here, on the GUI thread (Qt's
        settings object is not to be used from a worker), the log opened in a worker."""
        if self._session is not None:
            return
        made = self._session_parts()
        await asyncio.to_thread(lambda: self.log)
        if self._session is None:  # not made meanwhile (``session``): that one stays
            self._session = CampaignSession(
                self.log, *made[:2], region=made[2], team=self._team_desk()
            )

    def _session_parts(self) -> tuple[Platform, Receiving, str]:
        settings = self.ctx.settings
        ctx = self.ctx
        platform = Platform(
            ctx.api_url or settings.get("api/base_url"),
            lambda: ctx.session_token or ctx.tokens.get(),
            settings.get(PLATFORM_TIMEZONE),
        )
        receiving = Receiving(
            callback_url=settings.get("receiver/callback_url") or None,
            port=int(settings.get("receiver/port")),
            in_process=ctx.demo,
        )
        return platform, receiving, str(settings.get("contacts/region"))

    def _team_desk(self) -> Any:
        """The team server of Settings (None: no address or no key, or the demo)."""
        ctx = self.ctx
        url = ctx.settings.get("team/server_url")
        key = ctx.team_keys.get() if ctx.team_keys is not None else None
        if ctx.demo or not url or not key:
            return None
        import socket

        from kupon_desktop.team.client import TeamClient
        from kupon_desktop.team.desk import TeamDesk

        return TeamDesk(
            TeamClient(url, key),
            self.log,
            desk=socket.gethostname(),
            freshness=float(ctx.settings.get("team/freshness")),
        )

    def reload_team(self) -> None:
        """Settings changed: the platform (address, token), the receiver and the team
        server (or none) of the new settings from the next Send on; a campaign being sent
        keeps the ones it started with until it stops."""
        session = self._session
        if session is None or session.sending is not None:
            return
        platform, receiving, region = self._session_parts()
        old_client = session.use_platform(platform, receiving, region)
        old, session.team = session.team, self._team_desk()
        closing = [c.aclose() for c in (old_client, old and old.client) if c is not None]
        if not closing:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop runs (tests): the old clients never connected
            for coro in closing:
                coro.close()
            return

        async def close_all() -> None:
            for coro in closing:
                await coro

        self._closing_team = loop.create_task(close_all())

    @property
    def existing_session(self) -> CampaignSession | None:
        """The session if it was made (None before the start: nothing to show yet)."""
        return self._session

    @property
    def session(self) -> CampaignSession:
        """The session (made on first use when ``start`` was not awaited: tests)."""
        if self._session is None:
            platform, receiving, region = self._session_parts()
            self._session = CampaignSession(
                self.log, platform, receiving, region=region, team=self._team_desk()
            )
        return self._session

    @property
    def sending(self) -> str | None:
        return None if self._session is None else self._session.sending

    @property
    def engine(self) -> Any:
        return None if self._session is None else self._session.engine

    def rules(self, advertising: bool = True) -> Any:
        """The audience rules of Settings for a campaign (advertising or service)."""
        from kupon_desktop.audience.settings import rules_from_settings

        return rules_from_settings(self.ctx.settings.get, advertising=advertising)

    # -- the use cases, off the GUI thread ---------------------------------------------

    async def plan(self, draft: Any, contacts: ContactList | None, advertising: bool) -> Plan:
        return await asyncio.to_thread(self.session.plan, draft, contacts, self.rules(advertising))

    async def plan_test(
        self, draft: Any, address: str, contacts: ContactList | None, advertising: bool
    ) -> Plan:
        return await asyncio.to_thread(
            self.session.plan_test, draft, address, contacts, self.rules(advertising)
        )

    async def create(self, plan: Plan, name: str = "", spend_cap: Any = None) -> str:
        campaign_id = await asyncio.to_thread(
            self.session.create, plan, name=name, run=RunSettings(spend_cap=spend_cap)
        )
        self.campaigns_changed.emit()
        return campaign_id

    async def create_ab(
        self, plan: Plan, variants: list[Any], settings: Any, spend_cap: Any = None
    ) -> str:
        """The A/B test's group of campaigns (``session.create_ab``); its group id."""
        group = await asyncio.to_thread(
            self.session.create_ab, plan, variants, settings, run=RunSettings(spend_cap=spend_cap)
        )
        self.campaigns_changed.emit()
        return group

    async def ab_group_of(self, campaign_id: str) -> str | None:
        return await asyncio.to_thread(self.session.ab_group_of, campaign_id)

    async def decide(self, group: str, winner: str) -> Any:
        """The user's pick of an A/B test's winner (``session.decide``)."""
        decision = await asyncio.to_thread(self.session.decide, group, winner)
        await self._emit_ab(group)
        return decision

    async def set_spend_cap(self, campaign_id: str, cap: Any) -> list[str]:
        return await asyncio.to_thread(self.session.set_spend_cap, campaign_id, cap)

    async def _emit_ab(self, group: str) -> None:
        status = await asyncio.to_thread(self.session.ab_status, group)
        if group == self.current_group:
            self.ab_counted.emit(status)

    async def resend(self, campaign_id: str, keys: list[int]) -> ResendOutcome:
        outcome = await asyncio.to_thread(self.session.resend, campaign_id, keys)
        self.campaigns_changed.emit()
        return outcome

    async def resend_via(self, campaign_id: str, keys: list[int], message_type: Any) -> str:
        new_id = await asyncio.to_thread(self.session.resend_via, campaign_id, keys, message_type)
        self.campaigns_changed.emit()
        return new_id

    async def skip(self, campaign_id: str, keys: list[int]) -> int:
        return await asyncio.to_thread(self.session.skip, campaign_id, keys)

    async def export(self, campaign_id: str, path: Path, language: str = "en") -> int:
        from kupon_desktop.campaign.results_export import export_results

        return await asyncio.to_thread(export_results, self.log, campaign_id, path, language)

    async def export_into(self, campaign_id: str, path: Path, language: str = "en") -> int:
        from kupon_desktop.campaign.results_export import export_into_source

        return await asyncio.to_thread(export_into_source, self.log, campaign_id, path, language)

    async def run(self, campaign_id: str, *, cancel: bool = False) -> Any:
        """Send (or resume) ``campaign_id`` until it is settled, paused or cancelled.
        With ``cancel`` (a paused campaign the user cancels) nothing is sent: the run
        only marks the rest not sent and the campaign cancelled."""
        engines: list[Any] = []
        self._starting = True

        def started(engine: Any) -> None:
            engines.append(engine)
            self._starting = False
            if cancel or self._pending_cancel:
                engine.cancel()
            elif self._pending_pause is not None:
                engine.pause(self._pending_pause)  # before its first request: none goes out

        try:
            progress = await self.session.run(
                campaign_id, on_progress=self.progressed.emit, on_engine=started
            )
        except Exception as exc:
            # the task runner shows the error; the page must not stay "sending". When
            # the engine stopped on it (the log failed mid-run: the log may not be
            # readable now) the campaign is paused and Resume continues it; when it never
            # started (another window sends it) there is nothing to resume here, unless
            # the session paused it before the start with a reason (the team server's
            # approval or stop list): that is a pause like the engine's, told once by
            # the page, and Resume tries again
            from kupon_desktop.campaign.errors import CampaignPaused

            if not engines and isinstance(exc, CampaignPaused):
                self.run_ended.emit(campaign_id, "paused", exc.stored())
                return None
            stopped = engines[0].progress if engines else None
            paused = stopped is not None and stopped.state == "paused"
            self.run_ended.emit(campaign_id, "paused" if paused else "", "")
            raise
        finally:
            self._starting = False
            self.campaigns_changed.emit()
        self.run_ended.emit(campaign_id, progress.state, progress.reason)
        return progress

    async def run_ab(self, group: str) -> Any:
        """Take an A/B test forward (``session.run_ab``): each campaign it sends is opened
        on the Campaign page as its engine starts; a pause asked before an engine exists
        (the wait for the decision) stops the test at its next look."""
        self._starting = True
        self._ab_running = True

        def started(engine: Any) -> None:
            self._starting = False
            if self._pending_cancel:
                engine.cancel()
            elif self._pending_pause is not None:
                engine.pause(self._pending_pause)
            if engine.campaign_id != self.current:
                # the grid follows the campaign of the test being sent
                self.ctx.runner.start(self.open(engine.campaign_id), what=POLL_TASK)

        def status(now: Any) -> None:
            self._starting = False
            if self.current_group == group:
                self.ab_counted.emit(now)

        try:
            outcome = await self.session.run_ab(
                group, on_progress=self.progressed.emit, on_engine=started, on_status=status
            )
        except Exception:
            self.run_ended.emit(self.current or group, "paused", "")
            raise
        finally:
            self._starting = False
            self._ab_running = False
            self._pending_pause, self._pending_cancel = None, False
            self.campaigns_changed.emit()
        progress = outcome.progress
        if outcome.state == "paused" and progress is not None:
            state, reason = progress.state, progress.reason
        else:
            state = {"done": "finished", "held": "held", "stopped": "paused"}[outcome.state]
            reason = ""
        await self._emit_ab(group)
        self.run_ended.emit(self.current or group, state, reason)
        return outcome

    def expect_run(self) -> None:
        """A run is asked for (its task not started yet): from now a pause or a cancel
        waits for its engine instead of being lost."""
        self._starting = True
        self._pending_pause, self._pending_cancel = None, False

    def run_not_started(self) -> None:
        self._starting = False

    @property
    def busy(self) -> bool:
        """A run is sending, or about to (its engine is being built), or an A/B test is
        waiting for its decision."""
        return self._starting or self._ab_running or self.sending is not None

    def pause(self, reason: Any = None) -> None:
        """Pause the run (``reason``: a ``CampaignPaused``, the user's by default), also
        one whose engine is still being built."""
        engine = self.engine
        if self._ab_running and self._session is not None:
            self._session.ab_stopping = True  # also between the test and the remainder
        if engine is not None:
            engine.pause(reason)
        elif self._starting:
            from kupon_desktop.campaign.errors import PausedByUser

            self._pending_pause = reason or PausedByUser()

    def cancel(self) -> None:
        if self._session is not None and self._session.engine is not None:
            self._session.cancel()
        elif self._starting:
            self._pending_cancel = True

    # -- the grid's data -------------------------------------------------------------

    async def open(self, campaign_id: str) -> Loaded:
        """Load a whole campaign for the grid and start polling its changes."""
        from kupon_desktop.ui.models.status_grid import import_arrays

        session = self.session  # here, on the GUI thread

        def work() -> tuple[Loaded, Any]:
            import_arrays()  # before the rows are read: see its docstring
            loaded = session.open(campaign_id)
            group = session.ab_group_of(campaign_id)
            return loaded, None if group is None else session.ab_status(group)

        loaded, ab = await asyncio.to_thread(work)
        self._cursor = loaded.cursor
        self.current = campaign_id
        self.current_group = None if ab is None else ab.group
        self.loaded.emit(loaded)
        self.counted.emit(campaign_id, loaded.counts)
        self.ab_counted.emit(ab)
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
        ticks = 0
        woken = False
        while True:
            # statuses a sync brings from now on are not in this poll: they wake the next
            self._team_brought.clear()
            if self.current is not None:
                await self._poll_once(self.current)
                if not woken:  # an extra poll does not move the team's cadence
                    ticks += 1
                    if self._team_flowing or ticks % TEAM_EVERY_TICKS == 0:
                        self._team_sync(self.current)
            try:
                await asyncio.wait_for(self._team_brought.wait(), POLL_MS / 1000)
                woken = True
            except TimeoutError:
                woken = False

    def _team_sync(self, campaign_id: str) -> None:
        """With a team server: bring the open campaign's statuses from it into the log
        (the poll then shows them), beside the poll so a server slow to answer never
        holds the grid; while this window sends it, the session does it itself."""
        session = self._session
        if session is None or session.team is None or session.sending == campaign_id:
            return
        if self._team_task is not None and not self._team_task.done():
            return
        self._team_task = task = asyncio.ensure_future(session.team_sync(campaign_id))

        def brought(done: asyncio.Future[int]) -> None:
            ok = not done.cancelled() and done.exception() is None
            self._team_flowing = ok and done.result() > 0
            if self._team_flowing:
                self._team_brought.set()

        task.add_done_callback(brought)

    async def _poll_once(self, campaign_id: str) -> None:
        session, cursor, group = self.session, self._cursor, self.current_group

        def work() -> tuple[Any, Any, Any]:
            polled, counts = session.poll(campaign_id, cursor)
            # an A/B test's few campaigns' counts: the same for 100 or 100,000 rows
            return polled, counts, None if group is None else session.ab_status(group)

        polled, counts, ab = await asyncio.to_thread(work)
        if campaign_id != self.current:
            return
        self._cursor = polled.cursor
        if polled.reset:
            await self.open(campaign_id)
            return
        for columns in polled.updates:  # in order: a later dict holds newer values
            self.changed.emit(columns)
        self.counted.emit(campaign_id, counts)
        if ab is not None and ab.group == self.current_group:
            self.ab_counted.emit(ab)

    def campaigns(self) -> list[Any]:
        """History's list (on a worker thread): the stored statuses applied first unless
        the open campaign's poll is running, which applies them itself."""
        polling = self.current is not None and self.ctx.keeper().running(POLL_TASK)
        return self.session.history(apply=not polling)

    async def aclose(self) -> None:
        self.stop_polling()
        if self._team_task is not None:
            self._team_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._team_task
            self._team_task = None
        if self._closing_team is not None:
            await self._closing_team
            self._closing_team = None
        if self._session is not None:
            await self._session.aclose()
        if self._log is not None:
            self._log.close()
            self._log = None


def contact_list(result: Any, path: Path | None) -> ContactList | None:
    """The Contacts page's import as the session's contact list (None: nothing loaded)."""
    if result is None:
        return None
    return ContactList.from_import(result, path)


__all__ = ["POLL_MS", "CampaignControl", "contact_list"]

"""The campaign workflow, written once: the window and the command line are two faces of
this session.

One :class:`CampaignSession` owns the log, the platform client, the status receiver and
the engine runs. Its use cases:

* :meth:`~CampaignSession.plan`: a draft checked against a contact list, in one order:
  de-duplicate by the address the message type goes to, the draft's own checks, then
  the audience rules (stop list, consent, send window, cost), then render. The
  :class:`Plan` it returns is what the Message page's Check shows, what the dry run
  prints, what the confirmation counts and prices, and what :meth:`create` stores: the
  plan shown is the plan sent.
* :meth:`create`, :meth:`create_test`, :meth:`resend`, :meth:`resend_via`,
  :meth:`skip`: campaigns in the log. A campaign always keeps everything a resume needs
  (its source, audience rules and send window, callback, rate and batch size).
* :meth:`run` (send or resume), :meth:`pause`, :meth:`cancel`.
* :meth:`open`, :meth:`poll`, :meth:`counts`, :meth:`history`: what the grid, the
  progress bar and History show, from one set of counts (:mod:`.counts`).

Everything but :meth:`run` and :meth:`aclose` is plain blocking code (the log is
SQLite): the window calls it through ``asyncio.to_thread``, the command line directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kupon_desktop.audience.cost import estimate_record, unit_price
from kupon_desktop.campaign.counts import CampaignCounts, Group
from kupon_desktop.campaign.errors import (
    ABUndecided,
    CampaignPaused,
    NeedsContacts,
    NoAddressee,
    NotAnAddress,
    NoToken,
    UnknownCampaign,
)
from kupon_desktop.errors import pick
from kupon_desktop.vocabulary import Address, MessageType

if TYPE_CHECKING:
    import pandas as pd

    from kupon_desktop.audience import AudiencePlan, AudienceRules
    from kupon_desktop.audience.stoplist import StopListLog
    from kupon_desktop.campaign.ab import ABOutcome, ABSettings, ABStatus
    from kupon_desktop.campaign.budget import Budget
    from kupon_desktop.campaign.build import Prepared
    from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions, Progress
    from kupon_desktop.campaign.ports import SessionLog
    from kupon_desktop.compose import Draft, Problem, Rendered
    from kupon_desktop.contacts.result import ImportResult
    from kupon_desktop.store.models import Campaign, PolledChanges
    from kupon_desktop.team.desk import TeamDesk
    from kupon_desktop.team.errors import TeamError

log = logging.getLogger(__name__)

#: with a team server, seconds between two reads of a campaign's statuses from it while
#: the campaign is being sent (the window's poll asks as often once it stopped)
TEAM_STATUS_EVERY = 2.0

#: the grid's columns besides the address and the name
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

#: ``RunSettings.callback`` for "the program's own receiver" (resolved at each run: the
#: built-in receiver's address can change between runs)
BUILTIN_RECEIVER = "builtin"

_DEDUPE_BY = {
    Address.PHONE: "phone",
    Address.EMAIL: "email",
    Address.PUSH_TOKEN: "push_token",
    Address.PHONE_OR_EMAIL: "phone_or_email",
}


# -- what the session is given ------------------------------------------------------------


@dataclass(frozen=True)
class Platform:
    """Where requests go. ``token()`` is asked when the first request is made and never
    kept anywhere but the client (it comes from the credential store). ``timezone``: the
    clock the platform reads a deferred send time in (the setting api/platform_timezone)."""

    api_url: str
    token: Callable[[], str | None]
    timezone: str = "Europe/Moscow"


@dataclass(frozen=True)
class Receiving:
    """How statuses come back when a campaign does not name its own callback address:
    ``callback_url`` a server receiver (Settings); otherwise the built-in receiver, as a
    thread of this process (``in_process``, the demo) or its own process on ``port``, so
    that statuses keep arriving while the window is closed."""

    callback_url: str | None = None
    port: int = 8080
    in_process: bool = False


@dataclass(frozen=True)
class RunSettings:
    """How a campaign is sent, kept with it so that a resume sends the same way.

    ``callback``: a receiver's address (with its secret), :data:`BUILTIN_RECEIVER`, or
    None for no statuses at all. ``rate``: messages per second at most (None: no limit).
    ``spend_cap``: the estimated spend (in the estimate's currency) the campaign never
    passes; it pauses before (None: no cap).
    """

    callback: str | None = BUILTIN_RECEIVER
    rate: float | None = None
    batch_size: int | None = None
    spend_cap: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "callback": self.callback,
            "rate": self.rate,
            "batch_size": self.batch_size,
            "spend_cap": None if self.spend_cap is None else str(self.spend_cap),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RunSettings | None:
        if data is None:
            return None
        rate = data.get("rate")
        batch = data.get("batch_size")
        cap = data.get("spend_cap")
        return cls(
            callback=data.get("callback"),
            rate=None if rate is None else float(rate),
            batch_size=None if batch is None else int(batch),
            spend_cap=None if cap is None else Decimal(str(cap)),
        )

    def differences(self, other: RunSettings) -> list[tuple[str, Any, Any]]:
        """``(name, kept, given)`` for each setting ``other`` would change."""
        out = []
        for name in ("callback", "rate", "batch_size", "spend_cap"):
            kept, given = getattr(self, name), getattr(other, name)
            if kept != given:
                out.append((name, kept, given))
        return out


@dataclass
class ContactList:
    """The contacts a campaign is planned for, as the importer gave them."""

    contacts: pd.DataFrame
    fields: pd.DataFrame
    #: the column shown as the recipient's name in the grid
    name_column: str | None = None
    #: where it came from (path, sheet, header row): "Export into my file" writes there
    source: dict[str, Any] | None = None
    name: str = ""
    #: file rows the importer left out -> ("rejected", reason code) or ("duplicate", row)
    left_out: dict[int, tuple[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_import(cls, result: ImportResult, path: str | Path | None = None) -> ContactList:
        source = None
        if path is not None:
            source = {
                "path": str(Path(path).resolve()),
                "sheet": result.sheet,
                "header_row": result.header_row,
            }
        return cls(
            contacts=result.contacts,
            fields=result.fields,
            name_column=(result.roles or {}).get("name"),
            source=source,
            name=Path(path).stem if path is not None else "",
            left_out=_left_out_at_import(result),
        )


# -- what the session gives back ----------------------------------------------------------


@dataclass
class Plan:
    """A draft checked against a list: every problem, who is sent, left out, scheduled
    later, and at what cost. ``audience`` and ``prepared`` are None when a blocking
    problem stopped the planning before the rules ran."""

    draft: Draft
    rules: AudienceRules
    contacts: ContactList | None
    problems: list[Problem]
    #: every message rendered, in file order (the dry run prints them)
    messages: list[Rendered] = field(default_factory=list)
    audience: AudiencePlan | None = None
    prepared: Prepared | None = None
    #: (row, row it repeats) for each contact left out as a duplicate address
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def blocking(self) -> bool:
        return any(p.blocking for p in self.problems)

    def left_out(self) -> dict[str, list[Any]]:
        """Each file row that gets no recipient, and why: ``{row: ["duplicate", row it
        repeats] | ["no_address", ""] | ["rejected", importer's code]}`` (row as text:
        it is stored as JSON). "Export into my file" writes the reason on that row."""
        out: dict[str, list[Any]] = {}
        if self.contacts is not None:
            for row, (kind, detail) in self.contacts.left_out.items():
                out[str(row)] = [kind, detail]
        for row, same_as in self.duplicates:
            out[str(row)] = ["duplicate", same_as]
        if self.prepared is not None:
            for row, same_as in self.prepared.duplicates:
                out[str(row)] = ["duplicate", same_as]
            for row in self.prepared.unaddressed:
                out[str(row)] = ["no_address", ""]
        return out

    @property
    def sendable(self) -> int:
        if self.prepared is None:
            return 0
        return sum(1 for r in self.prepared.recipients if r.excluded is None)

    @property
    def deferred(self) -> int:
        """Messages the send window (or the send-at) puts later than now."""
        if self.prepared is None:
            return 0
        return sum(
            1 for r in self.prepared.recipients if r.excluded is None and r.scheduled_at is not None
        )

    def excluded_count(self, reason: str | None = None) -> int:
        return 0 if self.audience is None else self.audience.excluded_count(reason)

    @property
    def estimate(self) -> Any:
        return None if self.audience is None else self.audience.estimate

    def summary(self) -> dict[str, Any]:
        """The plan in numbers: what the parity test compares between the faces."""
        est = self.estimate
        return {
            "sendable": self.sendable,
            "excluded": {
                "stop list": self.excluded_count("stop list"),
                "no consent": self.excluded_count("no consent"),
            },
            "duplicates": len(self.duplicates),
            "deferred": self.deferred,
            "cost": None if est is None else str(est.cost),
            "messages": None if est is None else est.messages,
            "segments": None if est is None else est.segments,
            "recipients": []
            if self.prepared is None
            else [
                (r.row, r.address, r.excluded, r.scheduled_at, r.text)
                for r in self.prepared.recipients
            ],
        }


@dataclass(frozen=True)
class ResendOutcome:
    """What a resend did: rows queued again in their campaign, rows whose message ended
    undelivered sent again in a new campaign of the same channel, and rows that cannot be
    resent, by reason."""

    requeued: int
    new_campaign: str | None
    moved: int
    refused: dict[str, int]

    _REASONS = {
        "delivered": ("already delivered", "уже доставлены"),
        "pending": ("still on their way", "ещё в пути"),
        "queued": ("already waiting to be sent", "уже ждут отправки"),
        "excluded": (
            "left out by the audience rules (stop list, consent)",
            "исключены правилами аудитории (стоп-лист, согласие)",
        ),
    }

    def message(self, lang: str) -> str:
        parts = []
        if self.requeued:
            parts.append(
                pick(lang, f"Снова в очереди: {self.requeued}", f"{self.requeued} queued again")
            )
        if self.moved:
            parts.append(
                pick(
                    lang,
                    f"Отправляются повторно новой рассылкой: {self.moved}",
                    f"{self.moved} sent again as a new campaign",
                )
            )
        for reason, n in self.refused.items():
            en, ru = self._REASONS.get(reason, (reason, reason))
            parts.append(pick(lang, f"Не отправлены повторно: {n} — {ru}", f"{n} not resent: {en}"))
        if not parts:
            return pick(lang, "Нечего отправлять повторно.", "Nothing to resend.")
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class CampaignSummary:
    """One row of History."""

    campaign: Campaign
    counts: CampaignCounts


@dataclass(frozen=True)
class Loaded:
    """A campaign's rows for the grid, and the cursor to poll changes from."""

    id: str
    type: str
    name: str
    columns: dict[str, list[Any]]
    cursor: int
    counts: CampaignCounts
    #: the file the contacts were imported from, if known ("Export into my file")
    source: str | None = None


# -- the session --------------------------------------------------------------------------


class CampaignSession:
    def __init__(
        self,
        log_: SessionLog,
        platform: Platform,
        receiving: Receiving | None = None,
        *,
        region: str = "RU",
        options: EngineOptions | None = None,
        client_factory: Callable[[str, str], Any] | None = None,
        team: TeamDesk | None = None,
    ) -> None:
        self.log = log_
        #: the team server this desk works with (None: a desk alone)
        self.team = team
        #: why the team server could not be used just now, and since when (time.time());
        #: None once it answers again (the window shows it)
        self.team_trouble: TeamError | None = None
        self.team_trouble_since: float | None = None
        self.platform = platform
        self.receiving = receiving or Receiving()
        self.region = region
        self._options = options
        self._client_factory = client_factory
        self._client: Any = None
        self._receiver: Any = None
        self._stop_checker: Any = None
        self.engine: CampaignEngine | None = None
        #: Pause pressed while an A/B test waits for its decision (no engine runs then)
        self.ab_stopping = False

    # -- checking ----------------------------------------------------------------------

    def plan(
        self,
        draft: Draft,
        contacts: ContactList | None,
        rules: AudienceRules,
        *,
        now: datetime | None = None,
    ) -> Plan:
        """Check ``draft`` against ``contacts`` under ``rules`` (see :func:`plan_campaign`),
        with this session's stop list."""
        return plan_campaign(draft, contacts, rules, stop_list=self.log, now=now)

    # -- creating ----------------------------------------------------------------------

    def create(self, plan: Plan, *, name: str = "", run: RunSettings | None = None) -> str:
        """Store a planned campaign with everything a resume needs; returns its id.
        Raises :class:`NoAddressee` when nobody would be sent to."""
        if plan.prepared is None or plan.blocking:
            raise ValueError("a plan with blocking problems cannot be sent")
        if not plan.sendable:
            raise NoAddressee()
        snapshot = plan.draft.to_dict()
        if plan.contacts is not None and plan.contacts.source:
            snapshot["_source"] = plan.contacts.source
        snapshot["_audience"] = (plan.audience.rules if plan.audience else plan.rules).to_dict()
        snapshot["_run"] = (run or RunSettings()).to_dict()
        left_out = plan.left_out()
        if left_out:
            snapshot["_left_out"] = left_out
        snapshot["_estimate"] = estimate_record(plan.estimate)
        return self.log.create_campaign(
            snapshot,
            plan.draft.type.value,
            plan.prepared.recipients,
            name=name or (plan.contacts.name if plan.contacts else ""),
            kannel=plan.draft.kannel_status,
        )

    def plan_test(
        self,
        draft: Draft,
        address: str,
        contacts: ContactList | None,
        rules: AudienceRules,
        *,
        now: datetime | None = None,
    ) -> Plan:
        """A plan for one message to a typed number or address, personalised from the
        first contact of the loaded list. The user's own address needs no consent; the
        stop list and the send window still apply."""
        import pandas as pd

        from kupon_desktop.contacts import normalize_email, normalize_phone

        typed = address.strip()
        phone = None if "@" in typed else normalize_phone(typed, self.region)
        email = normalize_email(typed) if "@" in typed else None
        if phone is None and email is None:
            raise NotAnAddress(typed)
        one = pd.DataFrame({"row": [0], "phone": [phone], "email": [email], "push_token": [None]})
        for column in ("phone", "email", "push_token"):
            one[column] = one[column].astype("string")
        if contacts is not None and len(contacts.contacts):
            fields = contacts.fields.iloc[[0]].reset_index(drop=True)
        else:
            names = _placeholder_names(draft)
            if names:
                raise NeedsContacts(names)
            fields = pd.DataFrame(index=one.index)
        test = ContactList(one, fields, contacts.name_column if contacts else None, None, "test")
        return self.plan(draft, test, replace(rules, advertising=False), now=now)

    def resend(self, campaign_id: str, keys: Sequence[int]) -> ResendOutcome:
        """The user's "Resend" on grid rows. A row whose request failed, whose answer was
        lost, or that was skipped or cancelled goes back to the queue of its campaign. A
        row the platform took but could not deliver (a final status that is not a
        delivery) is sent again in a new campaign of the same channel, so that its first
        message keeps its id and status. Delivered, pending and excluded rows are named
        and left alone."""
        rows = self.log.recipients_by_keys(campaign_id, list(keys))
        again: list[int] = []
        undelivered: list[int] = []
        refused: dict[str, int] = {}
        for r in rows:
            state = r.state.value
            if state in ("unconfirmed", "rejected", "skipped"):
                again.append(r.key)
                continue
            if state == "accepted":
                group = _status_of(r.status)
                if group is Group.FAILED:
                    undelivered.append(r.key)
                    continue
                reason = "delivered" if group in (Group.DELIVERED, Group.ENGAGED) else "pending"
            elif state == "excluded":
                reason = "excluded"
            else:
                reason = "queued" if state == "queued" else "pending"
            refused[reason] = refused.get(reason, 0) + 1
        requeued = len(self.log.mark_queued(campaign_id, again)) if again else 0
        new_id = None
        if undelivered:
            campaign = self.log.campaign(campaign_id)
            new_id = self.resend_via(campaign_id, undelivered, MessageType(campaign.type))
        return ResendOutcome(requeued, new_id, len(undelivered), refused)

    def resend_via(self, campaign_id: str, keys: Sequence[int], message_type: MessageType) -> str:
        """A new campaign of the same texts to these recipients through ``message_type``
        (e.g. SMS for undelivered Viber), sent under the original's rules and settings.
        The stop list is checked again when each message goes out."""
        from kupon_desktop.compose import Draft
        from kupon_desktop.store.models import NewRecipient

        snapshot = self.log.campaign_draft(campaign_id)
        draft = replace(Draft.from_dict(snapshot), type=message_type)
        rows = self.log.recipients_by_keys(campaign_id, list(keys))
        recipients = [NewRecipient(r.address, r.text, r.row, r.name, r.fields_json) for r in rows]
        new = draft.to_dict()
        for kept in ("_source", "_audience", "_run", "_estimate"):
            if kept in snapshot:
                new[kept] = snapshot[kept]
        original = self.log.campaign(campaign_id)
        return self.log.create_campaign(
            new,
            message_type.value,
            recipients,
            # "Весна → sms": the campaign it repeats and the channel it goes through now
            name=f"{original.name or original.type} → {message_type.value}",
            kannel=draft.kannel_status,
        )

    def skip(self, campaign_id: str, keys: Sequence[int]) -> int:
        return len(self.log.mark_skipped(campaign_id, list(keys), "skipped by the user"))

    # -- running -----------------------------------------------------------------------

    def run_settings(self, campaign_id: str) -> RunSettings | None:
        """The settings a campaign was created with (None: made by an older version)."""
        return RunSettings.from_dict(self.log.campaign_draft(campaign_id).get("_run"))

    def set_spend_cap(self, campaign_id: str, cap: Decimal | None) -> list[str]:
        """Give a campaign a new spend cap (None: none), kept for its next run; an A/B
        test's campaigns share one cap, so all of them get it. The ids changed."""
        group = self.ab_group_of(campaign_id)
        members = [cid for cid, _ in self.log.ab_members(group)] if group else [campaign_id]
        for member in members:
            kept = self.run_settings(member) or RunSettings()
            self.log.update_campaign_draft(member, {"_run": replace(kept, spend_cap=cap).to_dict()})
        return members

    async def run(
        self,
        campaign_id: str,
        *,
        on_progress: Callable[[Progress], None] | None = None,
        on_engine: Callable[[CampaignEngine], None] | None = None,
    ) -> Progress:
        """Send (or resume) a campaign until it is settled, paused or cancelled, as it
        was created to be sent: its callback, rate, batch size, and its send window
        checked again as each message goes out."""
        from kupon_desktop.campaign.build import envelope_for, message_factory, send_time_guard
        from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions
        from kupon_desktop.compose import Draft

        snapshot = await asyncio.to_thread(self.log.campaign_draft, campaign_id)
        ab = snapshot.get("_ab") or {}
        if ab.get("role") == "remainder" and not ab.get("winner"):
            raise ABUndecided()
        draft = Draft.from_dict(snapshot)
        settings = RunSettings.from_dict(snapshot.get("_run")) or RunSettings()
        if self.team is not None:
            try:
                await self._team_gate(campaign_id)
            except CampaignPaused as reason:
                await asyncio.to_thread(self._pause_before_start, campaign_id, reason)
                raise
        options = self._options or EngineOptions()
        options = replace(
            options,
            rate=settings.rate if settings.rate is not None else options.rate,
            batch_size=settings.batch_size or options.batch_size,
        )
        engine = CampaignEngine(
            self.log,
            await self._client_for_run(),
            campaign_id,
            envelope_for(draft),
            options=options,
            callback_base=await self.callback_base(settings.callback),
            message_for=message_factory(draft, send_time_guard(snapshot, draft)),
            on_progress=on_progress,
            stop_check=await asyncio.to_thread(self._stop_check),
            budget=await asyncio.to_thread(self._budget, campaign_id, snapshot, settings),
        )
        self.engine = engine
        if on_engine is not None:
            on_engine(engine)
        watch = None
        if self.team is not None:
            watch = asyncio.create_task(self._team_watch(engine, campaign_id), name="team-watch")
        try:
            return await engine.run()
        finally:
            self.engine = None
            if watch is not None:
                watch.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watch
                await self.team_sync(campaign_id)

    # -- a team server (kupon_desktop/team) --------------------------------------------

    async def _team_gate(self, campaign_id: str) -> None:
        """Before a campaign is sent or resumed with a team server: the team's stop list
        refreshed (or, offline, pulled within the freshness setting) and the campaign
        registered and approved where the team's policy wants it. Raises the typed
        pause reason otherwise; a key the server refuses raises its answer."""
        from kupon_desktop.campaign.errors import NotApproved
        from kupon_desktop.team.desk import SENDABLE
        from kupon_desktop.team.errors import TeamError

        team = self.team
        assert team is not None
        try:
            await team.refresh_stop_list()
        except TeamError as exc:
            if exc.status in (401, 403):
                raise
            self._team_failed(exc)
            await self._raise_if_stale(exc)
        try:
            state: str | None = await team.register(campaign_id)
        except TeamError as exc:
            if exc.status in (401, 403):
                raise
            self._team_failed(exc)
            state = await team.known_approval(campaign_id)
            if state is None:
                raise NotApproved("the team server cannot be asked") from None
        if state not in SENDABLE:
            raise NotApproved()

    def _pause_before_start(self, campaign_id: str, reason: CampaignPaused) -> None:
        """A campaign refused before its first message keeps the reason as a pause, so
        that the window offers Resume (and says why) instead of leaving a draft that
        only a new campaign could send."""
        from kupon_desktop.store.models import CampaignState

        state = self.log.campaign(campaign_id).state
        with contextlib.suppress(ValueError):
            if state == CampaignState.DRAFT:
                self.log.set_campaign_state(campaign_id, CampaignState.RUNNING)
                state = CampaignState.RUNNING
            if state in (CampaignState.RUNNING, CampaignState.PAUSED, CampaignState.INTERRUPTED):
                self.log.set_campaign_state(campaign_id, CampaignState.PAUSED, reason.stored())

    async def _raise_if_stale(self, why: Exception | None = None) -> None:
        from kupon_desktop.campaign.errors import StopListStale

        assert self.team is not None
        age = await self.team.stop_list_age()
        if age is None or age > self.team.freshness:
            pulled = "never pulled" if age is None else f"pulled {int(age)} s ago"
            raise StopListStale(pulled) from why

    async def _team_watch(self, engine: CampaignEngine, campaign_id: str) -> None:
        """While sending: keep the stop list fresh (pausing the campaign when it cannot
        be), report the platform ids given and bring the team's statuses in (every
        ``TEAM_STATUS_EVERY`` seconds: the grid stays current while sending too)."""
        from kupon_desktop.campaign.errors import StopListStale
        from kupon_desktop.team.errors import TeamError

        team = self.team
        assert team is not None
        loop = asyncio.get_running_loop()
        every = max(0.2, min(team.freshness / 3, 30.0))
        refreshed = loop.time()
        while True:
            await asyncio.sleep(min(every, TEAM_STATUS_EVERY))
            if loop.time() - refreshed >= every:
                try:
                    await team.refresh_stop_list()
                    refreshed = loop.time()
                except TeamError as exc:
                    self._team_failed(exc)
                    try:
                        await self._raise_if_stale(exc)
                    except StopListStale as stale:
                        engine.pause(stale)
                        return
            await self.team_sync(campaign_id)

    def _team_failed(self, exc: TeamError) -> None:
        if 0 < exc.status < 500:  # it answered: a refusal is told where it happens
            return
        if self.team_trouble_since is None:
            self.team_trouble_since = time.time()
        self.team_trouble = exc

    def _team_answered(self) -> None:
        self.team_trouble = self.team_trouble_since = None

    async def team_sync(self, campaign_id: str) -> int:
        """Report a campaign's platform ids to the team server and bring its statuses
        into the log (what the grid shows); returns how many statuses came. Offline it
        does nothing (0), and says why in ``team_trouble``."""
        from kupon_desktop.team.errors import TeamError

        if self.team is None:
            return 0
        try:
            await self.team.report_messages(campaign_id)
            # it answers again: said at once, not after the statuses that piled up
            # meanwhile have all been read
            self._team_answered()
        except TeamError as exc:
            # the statuses are the server's by campaign and recipient whatever it was
            # told of the platform ids: they are asked all the same
            log.info("platform ids not reported for %s: %s", campaign_id, exc)
            self._team_failed(exc)
        try:
            got = await self.team.pull_statuses(campaign_id)
        except TeamError as exc:
            log.info("team server not reached for %s: %s", campaign_id, exc)
            self._team_failed(exc)
            return 0
        self._team_answered()
        return got

    def _budget(
        self, campaign_id: str, snapshot: dict[str, Any], settings: RunSettings
    ) -> Budget | None:
        """The spend cap of a campaign, with what it (and, for an A/B test, the rest of
        its group, which shares the cap) has spent before this run."""
        from kupon_desktop.campaign.budget import Budget

        if settings.spend_cap is None:
            return None
        scope = [campaign_id]
        group = (snapshot.get("_ab") or {}).get("group")
        if group:
            scope = [cid for cid, _ in self.log.ab_members(group)]
        spent = Decimal(0)
        for cid in scope:
            counts = self.log.counts(cid)
            states = {s.value: n for s, n in counts.states.items()}
            sent = sum(
                states.get(k, 0) for k in ("accepted", "rejected", "unconfirmed", "in_flight")
            )
            draft = snapshot if cid == campaign_id else self.log.campaign_draft(cid)
            spent += unit_price(draft) * sent
        return Budget(settings.spend_cap, unit_price(snapshot), spent)

    def pause(self) -> None:
        self.ab_stopping = True
        if self.engine is not None:
            self.engine.pause()

    def cancel(self) -> None:
        if self.engine is not None:
            self.engine.cancel()

    @property
    def sending(self) -> str | None:
        """The id of the campaign this session is sending now, if any."""
        return None if self.engine is None else self.engine.campaign_id

    def _stop_check(self) -> Callable[[Sequence[str]], dict[str, str]]:
        """The stop list as it is at each request, normalized as it is stored (an e-mail
        in any letter case), on a connection of its own so the check never waits for
        the engine's writes."""
        from kupon_desktop.audience import StopListChecker

        if self._stop_checker is None:
            path = getattr(self.log, "path", None)
            try:
                self._stop_checker = StopListChecker.open(path) if path else None
            except Exception:  # a log without a file (tests) or not readable twice
                self._stop_checker = None
            if self._stop_checker is None:
                self._stop_checker = StopListChecker(self.log)
        return self._stop_checker  # type: ignore[no-any-return]

    async def _client_for_run(self) -> Any:
        if self._client is None:
            token = self.platform.token()
            if not token:
                raise NoToken()
            # the log redacts it from every error text it stores (an answer that echoes
            # the request body carries it)
            self.log.add_secret(token)
            if self._client_factory is not None:
                self._client = self._client_factory(self.platform.api_url, token)
            else:
                from kupon_desktop.api.client import KuponClient
                from kupon_desktop.api.wire import platform_zone

                self._client = KuponClient(
                    self.platform.api_url,
                    token,
                    platform_timezone=platform_zone(self.platform.timezone),
                )
        return self._client

    async def callback_base(self, callback: str | None = BUILTIN_RECEIVER) -> str | None:
        """Where the platform reports this campaign's statuses: its own address, a server
        receiver (Settings), or the built-in receiver (started if needed)."""
        if callback is None:
            return None
        if callback != BUILTIN_RECEIVER:
            return callback
        if self.team is not None:
            # a team's statuses arrive at its server, which the desks read them from;
            # never at a receiver of this desk's own that the platform may not reach
            from kupon_desktop.team.errors import TeamUnreachable

            base = await self.team.callback_base()
            if base:
                return base
            raise TeamUnreachable(self.team.client.base_url, "no callback address yet")
        receiving = self.receiving
        if receiving.callback_url and not receiving.in_process:
            return receiving.callback_url
        # the log's file, or its database URL (a log on PostgreSQL): never the name it is
        # shown by, which has no password
        target = self.log.target
        if receiving.in_process:
            if self._receiver is None:
                from kupon_desktop.receiver.runner import ReceiverThread

                receiver = ReceiverThread(target, port=0)
                await asyncio.to_thread(receiver.start)
                self._receiver = receiver
            return str(self._receiver.callback_base)
        from kupon_desktop.receiver.process import ensure_running

        secret = await asyncio.to_thread(self.log.receiver_secret)
        started = await asyncio.to_thread(ensure_running, target, receiving.port, secret)
        return str(started.callback_base)

    # -- A/B tests (campaign/ab.py) ---------------------------------------------------

    def create_ab(
        self,
        plan: Plan,
        variants: Sequence[Draft],
        settings: ABSettings,
        *,
        name: str = "",
        run: RunSettings | None = None,
    ) -> str:
        """Store an A/B test of ``variants`` (the first is the one ``plan`` was made
        with) as its group of campaigns; returns the group's id."""
        from kupon_desktop.campaign.ab import create_group

        return create_group(self, plan, variants, settings, name=name, run=run)

    def ab_status(self, group: str) -> ABStatus:
        from kupon_desktop.campaign.ab import group_status

        return group_status(self.log, group)

    def ab_group_of(self, campaign_or_group: str) -> str | None:
        from kupon_desktop.campaign.ab import group_of

        return group_of(self.log, campaign_or_group)

    def decide(self, group: str, winner: str | None = None) -> dict[str, Any] | None:
        """The A/B test's winner, written with the remainder's texts (``winner``: the
        user's pick). None when it is not time yet."""
        from kupon_desktop.campaign.ab import decide

        return decide(self.log, group, winner=winner)

    async def run_ab(
        self,
        group: str,
        *,
        on_progress: Callable[[Progress], None] | None = None,
        on_engine: Callable[[CampaignEngine], None] | None = None,
        on_status: Callable[[ABStatus], None] | None = None,
    ) -> ABOutcome:
        """Take an A/B test as far as it goes now (see ``campaign.ab.run_group``)."""
        from kupon_desktop.campaign.ab import run_group

        self.ab_stopping = False
        return await run_group(
            self, group, on_progress=on_progress, on_engine=on_engine, on_status=on_status
        )

    # -- reading -----------------------------------------------------------------------

    def recover(self) -> list[Campaign]:
        """At start-up: campaigns a crash left running become interrupted, and an A/B
        test a crash left half-made is cancelled whole (nothing of it was sent)."""
        self.log.cancel_unready_ab_groups()
        return self.log.recover_interrupted()

    def counts(self, campaign_id: str) -> CampaignCounts:
        return CampaignCounts.from_counts(self.log.counts(campaign_id))

    def history(self, *, apply: bool = True) -> list[CampaignSummary]:
        """Every campaign with its counts as of now: the statuses received for any of
        them (the receiver takes callbacks for campaigns nobody has open) applied
        first, as ``kupon-desktop status`` does. ``apply`` False: read only, for a
        window whose poll applies them (it applies every campaign's): a second applier
        beside it would move the log's counts between the poll's read of the grid's
        changes and its read of the counts. A log that cannot be written now (a full
        disk, a lock, read-only) still lists its counts as they are: the statuses stay
        stored for the next apply, and the failure is the run's or the poll's to show,
        not said a third time by History."""
        from kupon_desktop.store.errors import DiskFull, LogLocked, LogReadOnly

        if apply and not getattr(self.log, "readonly", False):
            with contextlib.suppress(DiskFull, LogLocked, LogReadOnly):
                self.log.apply_status_events()
        return [
            CampaignSummary(c, CampaignCounts.from_counts(c.counts))
            for c in self.log.list_campaigns()
        ]

    def open(self, campaign_id: str) -> Loaded:
        """A whole campaign for the grid, with the cursor to poll its changes from."""
        cursor = self.log.change_cursor()
        try:
            campaign = self.log.campaign(campaign_id)
        except KeyError:
            raise UnknownCampaign(campaign_id, str(self.log.path)) from None
        columns = self.log.read_columns(campaign_id, ["address", "name", *GRID_COLUMNS])
        source = (self.log.campaign_draft(campaign_id).get("_source") or {}).get("path")
        return Loaded(
            campaign_id,
            campaign.type,
            campaign.name,
            columns,
            cursor,
            CampaignCounts.from_counts(campaign.counts),
            source,
        )

    def poll(self, campaign_id: str, cursor: int) -> tuple[PolledChanges, CampaignCounts]:
        """Apply the status events that arrived and read what changed since ``cursor``,
        with the campaign's counts as of the same moment: no other thread's apply (the
        engine's) between the two reads, or the filter buttons would count statuses the
        grid does not show yet."""
        with self.log.held():
            polled = self.log.poll_changes(campaign_id, cursor, GRID_COLUMNS)
            return polled, self.counts(campaign_id)

    def use_platform(self, platform: Platform, receiving: Receiving, region: str) -> Any:
        """Settings changed (address, token, receiver): the next run uses them. Returns
        the platform client made for the old ones (to be closed by the caller), or None."""
        old, self._client = self._client, None
        self.platform, self.receiving, self.region = platform, receiving, region
        return old

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._receiver is not None:
            await asyncio.to_thread(self._receiver.stop)
            self._receiver = None
        if self._stop_checker is not None:
            self._stop_checker.close()
            self._stop_checker = None
        if self.team is not None:
            await self.team.client.aclose()


def plan_campaign(
    draft: Draft,
    contacts: ContactList | None,
    rules: AudienceRules,
    *,
    stop_list: StopListLog | None,
    now: datetime | None = None,
) -> Plan:
    """The one way a draft is checked against a list, in one order: de-duplicate by the
    address the message type goes to, the draft's own checks, render, then the audience
    rules (stop list, consent, send window, cost) over what is left, and the recipients
    to store when nothing blocks. Without contacts only the draft's own checks run.
    ``stop_list`` None is an empty stop list (a dry run with no log yet)."""
    from kupon_desktop.audience import apply_rules
    from kupon_desktop.campaign.build import prepare
    from kupon_desktop.campaign.repeat import sent_again
    from kupon_desktop.compose import ComposeError, check, render, rules_for

    now = now or datetime.now(UTC)
    if contacts is None:
        return Plan(draft, rules, None, check(draft, None, None, now), now=now)
    address = rules_for(draft.type).address_for(draft.find_token)
    kept, duplicates, dup_problems = _dedupe(contacts, address)
    problems = check(draft, kept.contacts, kept.fields, now) + dup_problems
    plan = Plan(draft, rules, kept, problems, duplicates=duplicates, now=now)
    try:
        plan.messages = render(draft, kept.contacts, kept.fields)
    except ComposeError:  # a template check() has already reported
        return plan
    plan.audience = apply_rules(
        draft,
        kept.contacts,
        kept.fields,
        plan.messages,
        rules=rules,
        stop_list=stop_list,
        now=now,
    )
    plan.problems += plan.audience.problems
    if not plan.blocking:
        plan.prepared = prepare(
            draft,
            kept.contacts,
            kept.fields,
            name_column=kept.name_column,
            scheduled=plan.audience.scheduled,
            excluded=plan.audience.excluded,
            rendered=plan.messages,
        )
        prepared = plan.prepared
        repeated = sent_again(
            stop_list,
            draft,
            lambda: [r.address for r in prepared.recipients if r.excluded is None],
            now,
        )
        if repeated is not None:
            plan.problems.append(repeated)
    return plan


def _left_out_at_import(result: ImportResult) -> dict[int, tuple[str, Any]]:
    """The rows the importer left out: for want of a usable address (with the code of
    its first reason; a row imported for its other address is not among them), or as
    a duplicate of an earlier row."""
    imported = set(result.contacts["row"].tolist()) if len(result.contacts) else set()
    out: dict[int, tuple[str, Any]] = {}
    for r in result.rejected:
        if r.row not in imported and r.row not in out:
            out[r.row] = ("rejected", r.code or r.reason)
    for d in result.duplicates:
        out.setdefault(d.row, ("duplicate", d.same_as))
    return out


def _placeholder_names(draft: Draft) -> list[str]:
    """The list columns the draft's texts name (the address columns aside: a test send
    has those)."""
    from kupon_desktop.compose import ComposeError
    from kupon_desktop.compose.placeholders import compile_template

    names: list[str] = []
    for text, html in ((draft.text, False), (draft.html_text, True)):
        if text:
            with contextlib.suppress(ComposeError):  # check() names the broken brace
                names += compile_template(text, html=html).names
    return [n for n in dict.fromkeys(names) if n not in ("phone", "email", "push_token")]


def _status_of(code: int | None) -> Group:
    from kupon_desktop.campaign.counts import status_group

    return status_group(code)


def _dedupe(
    contacts: ContactList, address: Address
) -> tuple[ContactList, list[tuple[int, int]], list[Problem]]:
    """The list with each address once (the first occurrence wins), by the address the
    message type is sent to: the one place a campaign's recipients are de-duplicated.
    Returns the list kept, ``(row, same as row)`` pairs, and a warning per duplicate."""
    import numpy as np

    from kupon_desktop.compose import Problem, Severity
    from kupon_desktop.compose.personalize import ADDRESS_WORDS_PLAIN, address_column
    from kupon_desktop.contacts.dedupe import dedupe

    kept_mask, found = dedupe(contacts.contacts, by=_DEDUPE_BY[address])  # type: ignore[arg-type]
    problems = [
        Problem.make(
            Severity.WARNING,
            "duplicate_left_out",
            row=d.row,
            field=address_column(address),
            what=ADDRESS_WORDS_PLAIN[address],
            same_as=d.same_as,
        )
        for d in found
    ]
    kept = np.asarray(kept_mask, dtype=bool)
    if kept.all():
        return contacts, [], problems
    out = replace(
        contacts,
        contacts=contacts.contacts[kept].reset_index(drop=True),
        fields=contacts.fields[kept].reset_index(drop=True),
    )
    return out, [(d.row, d.same_as) for d in found], problems

"""The values the log hands out and takes in. Plain, immutable, no database handles."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from kupon_desktop.vocabulary import StatusGroup, StatusInfo, status_info


class CampaignState(enum.StrEnum):
    DRAFT = "draft"
    RUNNING = "running"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    FINISHED = "finished"
    #: was running when the program stopped (crash, kill, power cut); set by
    #: ``Log.recover_interrupted``, resumed by the engine or left for the user.
    INTERRUPTED = "interrupted"


class RecipientState(enum.StrEnum):
    QUEUED = "queued"  # written before its request goes out
    IN_FLIGHT = "in_flight"  # its request is out
    ACCEPTED = "accepted"  # the platform took it (an id is known) or a status arrived
    REJECTED = "rejected"  # the platform answered with an error
    UNCONFIRMED = "unconfirmed"  # the answer was lost: the user decides (resend or skip)
    SKIPPED = "skipped"  # the user chose not to send it
    EXCLUDED = "excluded"  # the audience rules kept it out (stop list, consent)


#: campaign state -> the states it may move to
CAMPAIGN_TRANSITIONS: dict[CampaignState, frozenset[CampaignState]] = {
    CampaignState.DRAFT: frozenset({CampaignState.RUNNING, CampaignState.CANCELLED}),
    CampaignState.RUNNING: frozenset(
        {
            CampaignState.PAUSED,
            CampaignState.CANCELLED,
            CampaignState.FINISHED,
            CampaignState.INTERRUPTED,
        }
    ),
    CampaignState.PAUSED: frozenset({CampaignState.RUNNING, CampaignState.CANCELLED}),
    CampaignState.INTERRUPTED: frozenset(
        {CampaignState.RUNNING, CampaignState.PAUSED, CampaignState.CANCELLED}
    ),
    # a finished campaign runs again when the user resends some of its recipients
    CampaignState.FINISHED: frozenset({CampaignState.RUNNING}),
    CampaignState.CANCELLED: frozenset(),
}


def from_ms(ms: int | None) -> datetime | None:
    """A stored time (integer milliseconds since the epoch, UTC) as an aware datetime."""
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, UTC)


def to_ms(value: datetime) -> int:
    if value.tzinfo is None:
        raise ValueError("times given to the log must carry a time zone")
    return int(value.timestamp() * 1000)


class NewRecipient(NamedTuple):
    """One recipient handed to ``Log.create_campaign``; its key is its position.

    ``fields`` is the personalization (column -> value) as a dict or as JSON text already
    made (faster for a million rows). ``scheduled_at`` is when the platform is asked to
    deliver it (``sent_date``), as an aware datetime. ``excluded`` gives the reason
    (e.g. "stop list") for a recipient the audience rules keep out: it is stored as
    ``excluded`` with that reason and never sent.
    """

    address: str
    text: str | None = None
    row: int | None = None
    name: str | None = None
    fields: dict[str, Any] | str | None = None
    scheduled_at: datetime | None = None
    excluded: str | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    campaign: str
    key: int
    row: int | None
    address: str
    name: str | None
    fields_json: str | None
    text: str | None
    scheduled_at: datetime | None
    state: RecipientState
    platform_id: int | None
    status: int | None
    status_at: datetime | None
    error: str | None
    sent_at: datetime | None
    attempts: int

    @property
    def fields(self) -> dict[str, Any]:
        return json.loads(self.fields_json) if self.fields_json else {}

    @property
    def status_info(self) -> StatusInfo | None:
        return None if self.status is None else status_info(self.status)

    @property
    def changed_at(self) -> datetime | None:
        """The time of the last thing that happened to it (sent or a status)."""
        times = [t for t in (self.status_at, self.sent_at) if t is not None]
        return max(times) if times else None


@dataclass(frozen=True, slots=True)
class Counts:
    """How a campaign's recipients stand: per state and per last status."""

    total: int
    states: dict[RecipientState, int]  # every state, zeros included
    statuses: dict[int, int]  # last status code -> recipients; those without one omitted

    @property
    def without_status(self) -> int:
        return self.total - sum(self.statuses.values())

    def groups(self) -> dict[StatusGroup, int]:
        """Recipients per status group (the grid's filters); without a status not counted."""
        out = dict.fromkeys(StatusGroup, 0)
        for code, n in self.statuses.items():
            out[status_info(code).group] += n
        return out

    def as_dict(self) -> dict[str, int]:
        """``{"total": N, "queued": …, "in_flight": …, …}`` for JSON output."""
        out = {"total": self.total}
        out.update({state.value: n for state, n in self.states.items()})
        return out


@dataclass(frozen=True, slots=True)
class Campaign:
    id: str
    name: str
    type: str
    state: CampaignState
    state_reason: str | None
    kannel: bool
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    counts: Counts


class NewStatusEvent(NamedTuple):
    """A status callback as received, for ``Log.append_status_events``.

    ``campaign`` (UUID text) and ``recipient`` (key) come from the callback URL when the
    message carried them; ``code`` is the status as the platform sent it (a Kannel code
    for a campaign sent with the Kannel flag). ``raw`` is the request without the secret.
    """

    platform_id: int
    code: int
    campaign: str | None = None
    recipient: int | None = None
    raw: str = ""
    received_at: datetime | None = None  # None: now


@dataclass(frozen=True, slots=True)
class StatusEvent:
    seq: int  # the cursor: strictly increasing, never reused
    received_at: datetime
    campaign: str | None
    recipient: int | None
    platform_id: int
    code: int  # as received
    #: the platform's status code (Kannel codes translated); None while the receiver could
    #: not know the campaign's mode (the event names no campaign of this log). Applying
    #: the event translates it once the recipient is found.
    status: int | None
    raw: str

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "received_at": self.received_at.isoformat(timespec="milliseconds"),
            "campaign": self.campaign,
            "recipient": self.recipient,
            "platform_id": self.platform_id,
            "code": self.code,
            "status": self.status,
            "raw": self.raw,
        }


@dataclass(frozen=True, slots=True)
class Changes:
    """What ``Log.changed_recipients_since`` found: the recipients' keys that changed
    after the cursor, and the cursor to pass next time. ``reset`` means the cursor was
    older than the kept change log (or from another log): reload the whole campaign."""

    cursor: int
    keys: list[int]
    reset: bool = False


@dataclass(frozen=True, slots=True)
class PolledChanges:
    """What ``Log.poll_changes`` found: column dicts ("key" and some of the asked
    columns, as lists or numpy arrays; a column left out did not change) to apply in
    order (a later one holds newer values of a key in both), and the cursor to pass next
    time. ``reset``: reload the whole campaign (see ``Changes``)."""

    cursor: int
    updates: list[dict[str, Any]]
    reset: bool = False


@dataclass(frozen=True, slots=True)
class AppliedEvents:
    """What one ``Log.apply_status_events`` call did."""

    events: int  # events read from the log (including those left pending)
    changed: int  # recipients whose row changed
    pending: int  # events now waiting for their platform id to become known
    cursor: int  # the last event seq applied
    #: campaign id -> {status code: how many recipients took that status now}; lets the
    #: engine react at once (e.g. 24, insufficient funds, pauses the campaign)
    new_statuses: dict[str, dict[int, int]]


@dataclass(frozen=True, slots=True)
class StopEntry:
    address: str  # normalized exactly as contacts are (phone digits without +, e-mail)
    kind: str  # "phone" or "email"
    source: str = ""  # "import", "typed", "status 22", …
    note: str = ""
    added_at: datetime | None = None  # None when adding: now

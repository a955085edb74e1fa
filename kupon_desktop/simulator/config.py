"""How the simulated platform behaves: every undocumented choice is a field here.

Times are in platform seconds; the simulator divides them by ``time_scale`` (60 makes a
minute pass in a second), and that includes the callback retry schedule and deferred
``sent_date``. Everything random is drawn from one ``random.Random(seed)``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from kupon_desktop.vocabulary import MessageType

#: The token the demo mode and the examples use.
DEMO_TOKEN = "demo-token"


class Outcome(enum.Enum):
    """How one channel's delivery attempt ends, with the status it reports."""

    DELIVERED = 1
    READ = 2
    CLICKED = 4
    EXPIRED = 3
    UNDELIVERED = 20
    WRONG_RECIPIENT = 22
    SPAM_FILTER = 23
    OFFLINE = 25

    @property
    def delivered(self) -> bool:
        return self in (Outcome.DELIVERED, Outcome.READ, Outcome.CLICKED)

    @classmethod
    def parse(cls, name: str) -> Outcome:
        key = name.strip().upper().replace("-", "_")
        try:
            return cls[key]
        except KeyError:
            raise ValueError(
                f"unknown outcome {name!r}; use one of " + ", ".join(o.name.lower() for o in cls)
            ) from None


DEFAULT_OUTCOME_WEIGHTS: dict[Outcome, float] = {
    Outcome.DELIVERED: 55,
    Outcome.READ: 15,
    Outcome.CLICKED: 5,
    Outcome.UNDELIVERED: 8,
    Outcome.WRONG_RECIPIENT: 4,
    Outcome.SPAM_FILTER: 2,
    Outcome.EXPIRED: 3,
    Outcome.OFFLINE: 8,
}

#: Channels that cannot report "read" or "clicked": those outcomes end as delivered.
NO_ENGAGEMENT: frozenset[MessageType] = frozenset(
    {MessageType.SMS, MessageType.HLR, MessageType.VOICE, MessageType.MMS}
)

#: Platform status -> Kannel delivery-report code for ``kannel_status=1``; a status
#: missing here (or mapped to None) is not called back in Kannel mode. Kannel codes:
#: 1 delivered to phone, 2 non-delivered to phone, 4 queued on SMSC, 8 delivered to
#: SMSC, 16 non-delivered to SMSC. The vendor does not document this mapping.
DEFAULT_KANNEL_CODES: dict[int, int | None] = {
    -1: None,
    0: 8,
    1: 1,
    2: None,
    4: None,
    3: 2,
    20: 2,
    25: 2,
    22: 16,
    23: 16,
    24: 16,
}

#: Scenario mailings ("рассылки по сценарию") the demo account has.
DEFAULT_SCENARIOS: dict[int, tuple[MessageType, ...]] = {
    101: (MessageType.VIBER, MessageType.SMS),
    102: (MessageType.WHATSAPP, MessageType.TELEGRAM, MessageType.SMS),
}


@dataclass
class FaultRates:
    """Shares of requests (0..1, summing to at most 1) that misbehave on purpose.

    ``http_400``, ``http_429``, ``http_5xx`` and ``error`` are answered without
    accepting anything (unless ``accept_before_5xx``; a 400 as plain text,
    ``http_400_text``, the way a server in front of an API refuses what it cannot
    parse); ``slow``, ``drop`` and ``malformed_json`` accept the request first, so a
    client that retries them blindly sends twice.
    """

    http_400: float = 0.0
    http_500: float = 0.0
    http_502: float = 0.0
    http_503: float = 0.0
    http_429: float = 0.0
    #: answer only after ``slow_seconds`` (real seconds, not scaled)
    slow: float = 0.0
    #: reset the connection after reading and accepting the request
    drop: float = 0.0
    #: accept, then answer HTTP 200 with a body that is not JSON
    malformed_json: float = 0.0
    #: ``type=error`` with a Russian "try later" message
    error: float = 0.0
    slow_seconds: float = 5.0
    http_400_text: str = "Некорректный запрос: параметры сообщения не распознаны"
    retry_after_seconds: int = 1
    accept_before_5xx: bool = False

    KINDS = (
        "http_400",
        "http_500",
        "http_502",
        "http_503",
        "http_429",
        "slow",
        "drop",
        "malformed_json",
        "error",
    )
    #: short names accepted by ``--fault-rate KIND=RATE``
    ALIASES = {
        "400": "http_400",
        "500": "http_500",
        "502": "http_502",
        "503": "http_503",
        "429": "http_429",
        "malformed": "malformed_json",
        "reset": "drop",
    }

    def __post_init__(self) -> None:
        total = 0.0
        for kind in self.KINDS:
            rate = getattr(self, kind)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rate {kind}={rate} is not between 0 and 1")
            total += rate
        if total > 1.0 + 1e-9:
            raise ValueError(f"fault rates add up to {total:g}, more than 1")

    def active(self) -> list[tuple[str, float]]:
        return [(k, getattr(self, k)) for k in self.KINDS if getattr(self, k) > 0]


@dataclass
class SimulatorConfig:
    tokens: frozenset[str] = frozenset({DEMO_TOKEN})
    #: scenario code -> channels tried in order until one delivers
    scenarios: dict[int, tuple[MessageType, ...]] = field(
        default_factory=lambda: dict(DEFAULT_SCENARIOS)
    )
    outcome_weights: dict[Outcome, float] = field(
        default_factory=lambda: dict(DEFAULT_OUTCOME_WEIGHTS)
    )
    #: per-type weights replacing ``outcome_weights`` for that channel
    type_outcome_weights: dict[MessageType, dict[Outcome, float]] = field(default_factory=dict)
    time_scale: float = 1.0
    #: messages the account can pay for; None = unlimited
    balance: int | None = None
    faults: FaultRates = field(default_factory=FaultRates)
    seed: int | None = None
    #: platform seconds from acceptance (-1) to handing over to the operator (0)
    queue_seconds: float = 1.0
    #: platform seconds from 0 (or from the previous channel) to a channel's outcome
    delivery_seconds: float = 5.0
    #: platform seconds from delivered to read, and from read to clicked
    read_seconds: float = 20.0
    click_seconds: float = 10.0
    #: each delay is multiplied by a uniform draw in [1 - jitter, 1 + jitter]
    jitter: float = 0.5
    #: waits before the second and third callback tries (documented: 1 and 10 minutes)
    callback_retry_delays: tuple[float, ...] = (60.0, 600.0)
    #: real seconds one callback try may take
    callback_timeout: float = 10.0
    callback_concurrency: int = 32
    #: call back the pending statuses (-1 and 0) too, not only the final ones
    callback_pending: bool = True
    #: call only loopback callback URLs (127.0.0.0/8, ::1, localhost)
    loopback_callbacks_only: bool = True
    kannel_codes: dict[int, int | None] = field(default_factory=lambda: dict(DEFAULT_KANNEL_CODES))
    first_id: int = 100001
    #: hours east of UTC of the platform's clock, for ``sent_date``
    utc_offset_hours: float = 3.0

    def __post_init__(self) -> None:
        if self.time_scale <= 0:
            raise ValueError("time_scale must be positive")
        if self.balance is not None and self.balance < 0:
            raise ValueError("balance must not be negative")
        if not self.tokens:
            raise ValueError("at least one token must be configured")
        self.tokens = frozenset(self.tokens)
        for code, channels in self.scenarios.items():
            if not channels:
                raise ValueError(f"scenario {code} has no channels")
            if MessageType.BULK in channels:
                raise ValueError(f"scenario {code}: a cascade cannot contain bulk")
        for weights in (self.outcome_weights, *self.type_outcome_weights.values()):
            if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
                raise ValueError("outcome weights must be non-negative and not all zero")

    def scaled(self, seconds: float) -> float:
        return seconds / self.time_scale


__all__ = [
    "DEFAULT_KANNEL_CODES",
    "DEFAULT_OUTCOME_WEIGHTS",
    "DEFAULT_SCENARIOS",
    "DEMO_TOKEN",
    "FaultRates",
    "Outcome",
    "SimulatorConfig",
]

"""The audience rules applied to a composed campaign: who is left out and why, when
each message goes, and what it costs.

:func:`apply_rules` takes what ``compose`` made (a draft, the contacts and, if already
rendered, the messages) and returns an :class:`AudiencePlan`: per message its time zone
and planned send time, the exclusions (stop list, consent), the problems for the Check
report and the cost estimate. ``plan.scheduled`` and ``plan.excluded`` are the two
callables ``campaign.build.prepare`` takes; :class:`SendTimeGuard` checks the window
again when a message actually goes out (a campaign resumed at night).

Work is per distinct value, not per row: the stop list is one set intersection, a
column's zones and consents are read once per distinct cell, and the window is worked
out once per distinct zone, so a million recipients in 11 zones cost 11 window sums.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kupon_desktop.audience.consent import Consent, detect_consent_column
from kupon_desktop.audience.cost import Estimate, Prices, estimate
from kupon_desktop.audience.mobile import (
    FIXED_LINE,
    KIND_NAMES,
    MOBILE,
    NEEDS_MOBILE,
    OTHER,
    TOLL_FREE,
    line_kinds,
)
from kupon_desktop.audience.problems import LINE_KIND_WORDS, AudienceProblem, quote_rows
from kupon_desktop.audience.rules import (
    FROM_COLUMN as FROM_COLUMN,
)
from kupon_desktop.audience.rules import (
    FROM_DEFAULT as FROM_DEFAULT,
)
from kupon_desktop.audience.rules import (
    FROM_NUMBER as FROM_NUMBER,
)
from kupon_desktop.audience.rules import (
    choose_column,
    find_zones,
    read_consent_column,
    stopped_mask,
    strings_at,
    window_times,
)
from kupon_desktop.audience.stoplist import REASON_STOP_LIST, StopListLog
from kupon_desktop.audience.timezones import (
    DEFAULT_ZONE,
    check_zone,
    detect_timezone_column,
    tzinfo_for,
    zone_key,
    zone_of_number,
)
from kupon_desktop.audience.window import SendWindow
from kupon_desktop.compose.problems import Bilingual, Severity
from kupon_desktop.vocabulary import MessageType

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

    from kupon_desktop.compose import Draft, Problem, Rendered

REASON_NO_CONSENT = "no consent"

#: where a recipient's zone came from (``AudiencePlan.zone_sources``: FROM_COLUMN,
#: FROM_NUMBER, FROM_DEFAULT)
ZONE_SOURCES = ("column", "number", "default")
#: recipients whose number is not a mobile listed one by one in the Check report (the
#: total names them all)
NOT_MOBILE_LISTED = 1000


@dataclass(frozen=True)
class AudienceRules:
    """The rules one campaign is sent under: the Settings' window, default zone and
    prices, and the campaign's own choices.

    ``timezone_column`` / ``consent_column``: a column of the list by header name; None
    to detect it from the headers; "" for "the list has none".
    ``advertising``: False marks a service campaign (no consent needed: a warning
    instead of exclusions).
    """

    window: SendWindow = field(default_factory=SendWindow)
    default_zone: str = DEFAULT_ZONE
    timezone_column: str | None = None
    consent_column: str | None = None
    advertising: bool = True
    prices: Prices = field(default_factory=Prices)

    def __post_init__(self) -> None:
        # the canonical key ("europe/moscow" -> "Europe/Moscow"); ValueError when none
        object.__setattr__(self, "default_zone", check_zone(self.default_zone))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, to keep with a campaign (its draft) for the send-time check."""
        return {
            "window": str(self.window),
            "default_zone": self.default_zone,
            "timezone_column": self.timezone_column,
            "consent_column": self.consent_column,
            "advertising": self.advertising,
            "prices": self.prices.as_dict(),
            "example_prices": self.prices.examples,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AudienceRules:
        """The inverse of :meth:`to_dict`; missing keys take their defaults. ValueError
        for a value that cannot be read."""
        prices = Prices.from_mapping(data.get("prices") or {})
        if data.get("example_prices"):
            prices = replace(prices, examples=True)
        return cls(
            window=SendWindow.parse(data.get("window") or str(SendWindow())),
            default_zone=data.get("default_zone") or DEFAULT_ZONE,
            timezone_column=data.get("timezone_column"),
            consent_column=data.get("consent_column"),
            advertising=bool(data.get("advertising", True)),
            prices=prices,
        )


@dataclass(frozen=True, slots=True)
class Exclusion:
    row: int
    address: str
    reason: str  # REASON_STOP_LIST or REASON_NO_CONSENT

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "address": self.address, "reason": self.reason}


@dataclass
class AudiencePlan:
    """The rules' verdict on every addressed message, in the order of ``messages``.

    Per message (index ``i``): ``rows[i]``, ``addresses[i]``, its zone
    ``zone_keys[zone_codes[i]]`` found from ``ZONE_SOURCES[zone_sources[i]]``, its send
    time ``send_times[zone_codes[i]]`` (None: at once), and ``reasons[i]`` (None, or why
    it is excluded). ``rules`` are the rules as applied, the columns resolved (keep
    them with the campaign for :class:`SendTimeGuard`).
    """

    rules: AudienceRules
    rows: NDArray[np.int64]
    addresses: list[str]
    zone_keys: list[str]
    zone_codes: NDArray[np.intp]
    zone_sources: NDArray[np.int8]
    send_times: list[datetime | None]
    #: per zone: True when the window (not the campaign's send-at) set its send time
    deferred: list[bool]
    reasons: NDArray[np.object_]
    exclusions: list[Exclusion]
    problems: list[Problem]
    estimate: Estimate
    #: the moment the plan was made for, and the campaign's own send-at
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    send_at: datetime | None = None
    #: per message, ``mobile.line_kinds`` (0 when the channel needs no mobile)
    line_kinds: NDArray[np.int8] | None = None
    _positions: dict[int, int] | None = field(default=None, repr=False)
    _by_address: dict[str, str | None] | None = field(default=None, repr=False)

    @property
    def timezone_column(self) -> str | None:
        return self.rules.timezone_column or None

    @property
    def consent_column(self) -> str | None:
        return self.rules.consent_column or None

    @property
    def kept(self) -> NDArray[np.bool_]:
        """True for each message that will be sent."""
        kept: NDArray[np.bool_] = self.reasons == None  # noqa: E711 - elementwise
        return kept

    def excluded_count(self, reason: str | None = None) -> int:
        return sum(1 for e in self.exclusions if reason is None or e.reason == reason)

    def zone_counts(self) -> dict[str, int]:
        """How many messages took their zone from the column, the number, the default."""
        import numpy as np

        counts = np.bincount(self.zone_sources, minlength=3)
        return {name: int(counts[i]) for i, name in enumerate(ZONE_SOURCES)}

    def zones_of(self) -> list[str]:
        """Each message's zone key."""
        import numpy as np

        zones: list[str] = np.asarray(self.zone_keys, dtype=object)[self.zone_codes].tolist()
        return zones

    # -- the callables of campaign.build.prepare ---------------------------------------

    def _position(self, row: int) -> int | None:
        if self._positions is None:
            self._positions = {r: i for i, r in enumerate(self.rows.tolist())}
        return self._positions.get(int(row))

    def timezone(self, row: int) -> str:
        i = self._position(row)
        return self.rules.default_zone if i is None else self.zone_keys[self.zone_codes[i]]

    def scheduled(self, row: int) -> datetime | None:
        """``prepare``'s ``scheduled``: the row's own send time, or None for at once (a
        row this plan never saw gets the default zone's)."""
        i = self._position(row)
        if i is not None:
            when: datetime | None = self.send_times[int(self.zone_codes[i])]
            return when
        zone = tzinfo_for(self.rules.default_zone)
        return self.rules.window.send_time(zone, now=self.now, send_at=self.send_at)

    def excluded(self, address: str) -> str | None:
        """``prepare``'s ``excluded``: why the message to ``address`` is left out, or
        None. The first message to an address decides (the one de-duplication keeps)."""
        if self._by_address is None:
            by: dict[str, str | None] = {}
            for a, reason in zip(self.addresses, self.reasons.tolist(), strict=True):
                by.setdefault(_same(a), reason)
            self._by_address = by
        return self._by_address.get(_same(address))

    def guard(self) -> SendTimeGuard:
        """The send-time check for this campaign."""
        return SendTimeGuard(self.rules, send_at=self.send_at)


def _same(address: str) -> str:
    return address.lower() if "@" in address else address


# -- applying the rules -------------------------------------------------------------------


def apply_rules(
    draft: Draft,
    contacts: pd.DataFrame,
    fields: pd.DataFrame | None = None,
    messages: Sequence[Rendered] | None = None,
    *,
    rules: AudienceRules | None = None,
    stop_list: StopListLog | None = None,
    now: datetime | None = None,
) -> AudiencePlan:
    """Apply the stop list, consent, send window and prices to a composed campaign.

    ``messages`` are ``compose.render(draft, contacts, fields)`` if already made (they
    are rendered here otherwise); ``stop_list`` is the log (None: an empty list);
    ``now`` is the moment the campaign would start (default: now). Raises
    :class:`UnknownColumn` for a time-zone or consent column the list does not have.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from kupon_desktop.compose import render

    rules = rules or AudienceRules()
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("apply_rules needs an aware 'now'")
    if messages is None:
        messages = render(draft, contacts, fields)
    msgs = [m for m in messages if m.address is not None]
    n = len(msgs)
    rows = np.fromiter((m.row for m in msgs), dtype=np.int64, count=n)
    addresses: list[str] = [m.address for m in msgs]  # type: ignore[misc]
    segments = np.fromiter((m.segments for m in msgs), dtype=np.int64, count=n)
    positions = pd.Index(contacts["row"].to_numpy()).get_indexer(rows)
    phones = strings_at(contacts.get("phone"), positions)
    emails = strings_at(contacts.get("email"), positions)

    stopped = stopped_mask(stop_list, addresses, phones, emails)
    consent_col = choose_column(rules.consent_column, fields, detect_consent_column, "consent")
    consents = read_consent_column(consent_col, fields, positions)
    tz_col = choose_column(
        rules.timezone_column, fields, detect_timezone_column, "time zone", taken=consent_col
    )
    zones = find_zones(tz_col, fields, positions, rows, phones, rules.default_zone)
    uniques: Any
    codes, uniques = pd.factorize(zones.keys) if n else (np.zeros(0, dtype=np.intp), [])
    zone_keys = [str(k) for k in uniques]
    send_times, deferred = window_times(zone_keys, rules.window, now, draft.send_at)

    # -- exclusions: the stop list first, then consent
    reasons = np.full(n, None, dtype=object)
    reasons[stopped] = REASON_STOP_LIST
    no_consent = np.zeros(n, dtype=bool)
    if consents.values is not None:
        no_consent = (consents.values != Consent.YES) & ~stopped
        if rules.advertising:
            reasons[no_consent] = REASON_NO_CONSENT
    excluded_at = np.flatnonzero(reasons != None)  # noqa: E711
    exclusions = [Exclusion(int(rows[i]), addresses[i], reasons[i]) for i in excluded_at.tolist()]
    kept = reasons == None  # noqa: E711

    # -- numbers that are not mobiles, for the channels that need one (a warning)
    line = np.zeros(n, dtype=np.int8)
    if MessageType(draft.type) in NEEDS_MOBILE and n:
        line = line_kinds(pa.array(addresses, pa.string()))
    not_mobile = (line != MOBILE) & kept

    applied = replace(rules, timezone_column=tz_col or "", consent_column=consent_col or "")
    plan = AudiencePlan(
        rules=applied,
        rows=rows,
        addresses=addresses,
        zone_keys=zone_keys,
        zone_codes=np.asarray(codes, dtype=np.intp),
        zone_sources=zones.sources,
        send_times=send_times,
        deferred=deferred,
        reasons=reasons,
        exclusions=exclusions,
        problems=[],
        estimate=_estimate(draft, segments, kept, not_mobile, rules.prices),
        now=now,
        send_at=draft.send_at,
        line_kinds=line,
    )
    unreadable = (
        np.zeros(n, dtype=bool)
        if consents.values is None
        else consents.values == Consent.UNREADABLE
    )
    plan.problems = _problems(
        plan,
        stopped_rows=rows[stopped].tolist(),
        no_consent_rows=rows[no_consent].tolist(),
        unreadable_rows=rows[unreadable].tolist(),
        unreadable_example=consents.unreadable_example(unreadable),
        unknown_zone_rows=zones.unknown_rows,
        unknown_zone_example=zones.unknown_example,
        kept=kept,
    )
    plan.problems += not_mobile_problems(plan, draft, not_mobile)
    return plan


def _estimate(
    draft: Draft,
    segments: NDArray[np.int64],
    kept: NDArray[np.bool_],
    not_mobile: NDArray[np.bool_],
    prices: Prices,
) -> Estimate:
    """The cost of the kept messages, with those to numbers that are not mobiles (they
    may be billed and never arrive) counted apart inside it."""
    full = estimate(draft.type, segments[kept], prices)
    if not not_mobile.any():
        return full
    part = estimate(draft.type, segments[not_mobile], prices)
    return replace(full, not_mobile=part.messages, not_mobile_cost=part.cost)


def not_mobile_problems(
    plan: AudiencePlan, draft: Draft, not_mobile: NDArray[np.bool_]
) -> list[Problem]:
    """One warning per recipient whose number is not a mobile (up to
    :data:`NOT_MOBILE_LISTED`), and one in total with the counts per kind."""
    import numpy as np

    at = np.flatnonzero(not_mobile)
    if not len(at) or plan.line_kinds is None:
        return []
    t = MessageType(draft.type)
    channel = Bilingual(t.label_en, t.label_ru)
    out: list[Problem] = []
    make = AudienceProblem.make
    for i in at[:NOT_MOBILE_LISTED].tolist():
        kind = KIND_NAMES[int(plan.line_kinds[i])]
        out.append(
            make(
                Severity.WARNING,
                "not_mobile_row",
                row=int(plan.rows[i]),
                address=plan.addresses[i],
                kind=LINE_KIND_WORDS[kind],
                type=channel,
            )
        )
    counts = np.bincount(plan.line_kinds[at], minlength=4)
    out.append(
        make(
            Severity.WARNING,
            "not_mobile",
            count=len(at),
            fixed_line=int(counts[FIXED_LINE]),
            toll_free=int(counts[TOLL_FREE]),
            other=int(counts[OTHER]),
            rows=quote_rows(plan.rows[at].tolist()),
            type=channel,
        )
    )
    return out


def _problems(
    plan: AudiencePlan,
    *,
    stopped_rows: list[int],
    no_consent_rows: list[int],
    unreadable_rows: list[int],
    unreadable_example: str,
    unknown_zone_rows: list[int],
    unknown_zone_example: str,
    kept: NDArray[np.bool_],
) -> list[Problem]:
    import numpy as np

    W = Severity.WARNING
    rules = plan.rules
    out: list[Problem] = []
    make = AudienceProblem.make
    if stopped_rows:
        out.append(
            make(W, "excluded_stop_list", count=len(stopped_rows), rows=quote_rows(stopped_rows))
        )
    column = rules.consent_column
    if column and no_consent_rows:
        code = "excluded_no_consent" if rules.advertising else "no_consent_service"
        out.append(
            make(
                W,
                code,
                field=column,
                count=len(no_consent_rows),
                rows=quote_rows(no_consent_rows),
                column=column,
            )
        )
    if column and unreadable_rows:
        out.append(
            make(
                W,
                "consent_unreadable",
                field=column,
                count=len(unreadable_rows),
                rows=quote_rows(unreadable_rows),
                column=column,
                example=unreadable_example,
            )
        )
    if not column and rules.advertising and len(plan.rows):
        out.append(make(W, "consent_reminder"))
    if unknown_zone_rows:
        out.append(
            make(
                W,
                "timezone_unknown",
                field=rules.timezone_column,
                count=len(unknown_zone_rows),
                rows=quote_rows(unknown_zone_rows),
                column=rules.timezone_column,
                example=unknown_zone_example,
                default=rules.default_zone,
            )
        )
    deferred_zone = np.asarray(plan.deferred, dtype=bool)
    if len(deferred_zone):
        late = deferred_zone[plan.zone_codes] & kept
        if late.any():
            first_code = min(
                (c for c in range(len(plan.zone_keys)) if plan.deferred[c]),
                key=lambda c: plan.send_times[c],  # type: ignore[arg-type, return-value]
            )
            first = plan.send_times[first_code]
            assert first is not None
            out.append(
                make(
                    W,
                    "deferred_by_window",
                    count=int(late.sum()),
                    window=str(rules.window).replace("-", "–"),
                    first=f"{first:%Y-%m-%d %H:%M} {plan.zone_keys[first_code]}",
                )
            )
    if len(plan.rows) and not kept.any():
        out.append(make(Severity.ERROR, "all_excluded"))
    return out


# -- at send time --------------------------------------------------------------------------


class SendTimeGuard:
    """The window checked again when a message goes out, for the engine's message
    factory: ``guard(recipient, now) -> datetime | None`` is the ``send_at`` to give the
    request (None: at once).

    A campaign paused at 21:50 and resumed at 23:30 must not wake anyone: the time
    planned at compose time (``recipient.scheduled_at``) stands if it is still ahead,
    else the window is applied from ``now``. The zone is found as at compose time, from
    the recipient's stored fields (the time-zone column) or its phone number, else the
    default. (A recipient addressed by e-mail whose zone came from the list's phone
    column gets the default here; its compose-time ``scheduled_at`` still applies.)

    ``rules`` are ``AudiencePlan.rules`` (kept with the campaign via ``to_dict``).
    """

    def __init__(self, rules: AudienceRules, *, send_at: datetime | None = None) -> None:
        self.rules = rules
        self.send_at = send_at
        self._column = rules.timezone_column or None

    def zone_of(self, fields: Mapping[str, Any], address: str | None) -> str:
        if self._column is not None:
            value = fields.get(self._column)
            if value is not None and str(value).strip():
                key = zone_key(str(value))
                if key is not None:
                    return key
        if address and address.isdigit():
            key = zone_of_number(address)
            if key is not None:
                return key
        return self.rules.default_zone

    def __call__(self, recipient: Any, now: datetime | None = None) -> datetime | None:
        now = now or datetime.now(UTC)
        own = getattr(recipient, "scheduled_at", None)
        planned = own if own is not None else self.send_at
        fields = getattr(recipient, "fields", None) or {}
        zone = tzinfo_for(self.zone_of(fields, getattr(recipient, "address", None)))
        return self.rules.window.send_time(zone, now=now, send_at=planned)

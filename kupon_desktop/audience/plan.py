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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kupon_desktop.audience.consent import Consent, detect_consent_column, read_consents
from kupon_desktop.audience.cost import Estimate, Prices, estimate
from kupon_desktop.audience.errors import UnknownColumn
from kupon_desktop.audience.problems import AudienceProblem, quote_rows
from kupon_desktop.audience.stoplist import REASON_STOP_LIST, StopListLog, stopped_among
from kupon_desktop.audience.timezones import (
    DEFAULT_ZONE,
    check_zone,
    detect_timezone_column,
    tzinfo_for,
    zone_key,
    zone_of_number,
    zones_from_phones,
    zones_from_values,
)
from kupon_desktop.audience.window import SendWindow
from kupon_desktop.compose.problems import Severity

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from numpy.typing import NDArray

    from kupon_desktop.compose import Draft, Problem, Rendered

REASON_NO_CONSENT = "no consent"

#: where a recipient's zone came from (``AudiencePlan.zone_sources``)
FROM_COLUMN, FROM_NUMBER, FROM_DEFAULT = 0, 1, 2
ZONE_SOURCES = ("column", "number", "default")


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


def _choose_column(
    wanted: str | None,
    fields: pd.DataFrame | None,
    detect: Callable[[Sequence[str]], str | None],
    role: str,
    taken: str | None = None,
) -> str | None:
    names = [] if fields is None else [str(c) for c in fields.columns]
    if wanted == "":
        return None
    if wanted is None:
        found = detect([n for n in names if n != taken])
        return found
    if wanted in names:
        return wanted
    for name in names:
        if name.casefold() == wanted.strip().casefold():
            return name
    raise UnknownColumn(role, wanted, names)


def _strings_at(series: pd.Series | None, positions: NDArray[np.intp]) -> pa.Array:
    """A contact column's values at ``positions`` (-1: none) as an arrow string array,
    null where there is none."""
    import numpy as np
    import pyarrow as pa

    if series is None or len(positions) == 0:
        return pa.nulls(len(positions), pa.string())
    column = pa.array(series, type=pa.string(), from_pandas=True)
    missing = positions < 0
    taken = column.take(pa.array(np.where(missing, 0, positions)))
    if missing.any():
        taken = pa.array(
            np.where(missing, None, taken.to_numpy(zero_copy_only=False)), type=pa.string()
        )
    return taken


def _distinct_at(
    series: pd.Series, positions: NDArray[np.intp]
) -> tuple[NDArray[np.intp], list[str]]:
    """``(codes, values)``: the column's distinct values and, per position, the code of
    its value (-1 for blank or none), so work per value is done once per distinct one."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series)
    at = np.where(positions >= 0, np.asarray(codes)[np.maximum(positions, 0)], -1)
    return at.astype(np.intp), [str(u) for u in uniques]


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
    import pyarrow.compute as pc

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
    phones = _strings_at(contacts.get("phone"), positions)
    emails = _strings_at(contacts.get("email"), positions)

    # -- the stop list: the address sent to, and the row's phone and e-mail too (someone
    # who refused by phone has refused the e-mail campaign as well)
    stopped_mask = np.zeros(n, dtype=bool)
    if stop_list is not None and n:
        sent_to = pa.array(addresses, pa.string())
        # e-mails as written and in lower case: this program stores them lower-cased, an
        # entry made elsewhere may keep the case of the part before "@"
        keyed = [sent_to, pc.utf8_lower(sent_to), phones, emails, pc.utf8_lower(emails)]
        candidates: set[str] = set()
        for k in keyed:
            candidates.update(pc.unique(k).drop_null().to_pylist())
        stopped = stopped_among(stop_list, candidates)
        if stopped:
            value_set = pa.array(sorted(stopped), pa.string())
            for k in keyed:
                hit = pc.fill_null(pc.is_in(k, value_set=value_set), False)
                stopped_mask |= hit.to_numpy(zero_copy_only=False)

    # -- consent: read once per distinct value
    consent_col = _choose_column(rules.consent_column, fields, detect_consent_column, "consent")
    consents = None
    consent_codes = np.full(n, -1, dtype=np.intp)
    consent_distinct: list[str] = []
    if consent_col is not None:
        assert fields is not None
        consent_codes, consent_distinct = _distinct_at(fields[consent_col], positions)
        per_value = [*read_consents(consent_distinct), Consent.EMPTY]  # [-1]: blank
        consents = np.asarray(per_value, dtype=np.int8)[consent_codes]

    # -- time zones: the column, else the number, else the default
    tz_col = _choose_column(
        rules.timezone_column, fields, detect_timezone_column, "time zone", taken=consent_col
    )
    keys = np.full(n, None, dtype=object)
    sources = np.full(n, FROM_DEFAULT, dtype=np.int8)
    unknown_zone_rows: list[int] = []
    unknown_example = ""
    if tz_col is not None and n:
        assert fields is not None
        zone_codes_at, distinct = _distinct_at(fields[tz_col], positions)
        per_key = [*zones_from_values(distinct), None]  # [-1]: blank
        found = np.asarray(per_key, dtype=object)[zone_codes_at]
        have = found != None  # noqa: E711
        keys[have] = found[have]
        sources[have] = FROM_COLUMN
        not_understood = [
            k is None and bool(v.strip()) for v, k in zip(distinct, per_key, strict=False)
        ]
        unknown = np.asarray([*not_understood, False], dtype=bool)[zone_codes_at]
        if unknown.any():
            unknown_zone_rows = rows[unknown].tolist()
            unknown_example = distinct[zone_codes_at[np.flatnonzero(unknown)[0]]]
    missing = np.flatnonzero(keys == None)  # noqa: E711
    if len(missing):
        by_number = zones_from_phones(phones.take(pa.array(missing)))
        got = by_number != None  # noqa: E711
        keys[missing[got]] = by_number[got]
        sources[missing[got]] = FROM_NUMBER
        keys[missing[~got]] = rules.default_zone
    uniques: Any
    codes, uniques = pd.factorize(keys) if n else (np.zeros(0, dtype=np.intp), [])
    zone_keys = [str(k) for k in uniques]
    base = draft.send_at
    send_times: list[datetime | None] = []
    deferred: list[bool] = []
    for key in zone_keys:
        zone = tzinfo_for(key)
        when = rules.window.send_time(zone, now=now, send_at=base)
        send_times.append(when)
        start = base if base is not None and base > now else now
        deferred.append(rules.window.opening_after(start, zone) is not None)

    # -- exclusions: the stop list first, then consent
    reasons = np.full(n, None, dtype=object)
    reasons[stopped_mask] = REASON_STOP_LIST
    no_consent = np.zeros(n, dtype=bool)
    if consents is not None:
        no_consent = (consents != Consent.YES) & ~stopped_mask
        if rules.advertising:
            reasons[no_consent] = REASON_NO_CONSENT
    excluded_at = np.flatnonzero(reasons != None)  # noqa: E711
    exclusions = [Exclusion(int(rows[i]), addresses[i], reasons[i]) for i in excluded_at.tolist()]
    kept = reasons == None  # noqa: E711

    applied = replace(rules, timezone_column=tz_col or "", consent_column=consent_col or "")
    plan = AudiencePlan(
        rules=applied,
        rows=rows,
        addresses=addresses,
        zone_keys=zone_keys,
        zone_codes=np.asarray(codes, dtype=np.intp),
        zone_sources=sources,
        send_times=send_times,
        deferred=deferred,
        reasons=reasons,
        exclusions=exclusions,
        problems=[],
        estimate=estimate(draft.type, segments[kept], rules.prices),
        now=now,
        send_at=draft.send_at,
    )
    unreadable = np.zeros(n, dtype=bool) if consents is None else consents == Consent.UNREADABLE
    plan.problems = _problems(
        plan,
        stopped_rows=rows[stopped_mask].tolist(),
        no_consent_rows=rows[no_consent].tolist(),
        unreadable_rows=rows[unreadable].tolist(),
        unreadable_example=(
            consent_distinct[consent_codes[np.flatnonzero(unreadable)[0]]]
            if unreadable.any()
            else ""
        ),
        unknown_zone_rows=unknown_zone_rows,
        unknown_zone_example=unknown_example,
        kept=kept,
    )
    return plan


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

"""What a campaign will cost, estimated before Send.

The platform documents no price query, so prices are settings: one price per message
for each type, and for SMS a price per segment (a long SMS is billed as the parts it
travels in). The estimate is messages × segments × price: for SMS the segments of each
message, for every other type one unit per message.

Money is kept in ``Decimal`` (no binary rounding in a sum of a million prices) and
shown rounded to kopecks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from kupon_desktop.audience.errors import InvalidRule
from kupon_desktop.vocabulary import MessageType

CURRENCY = "RUB"
_KOPECK = Decimal("0.01")

#: types billed per SMS segment rather than per message
PER_SEGMENT = frozenset({MessageType.SMS})


def to_price(value: Any) -> Decimal:
    """A price the user typed (``4.5``, ``"4,50"``, ``Decimal``) as a Decimal; ValueError
    for anything that is not a number of 0 or more."""
    if isinstance(value, bool):
        raise InvalidRule(f"{value!r} is not a price", f"«{value}» — не цена")
    text = str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    text = text.replace("\u202f", "")  # the narrow space some locales group digits with
    try:
        price = Decimal(text)
    except InvalidOperation:
        raise InvalidRule(
            f"{value!r} is not a price: write a number like 4.50",
            f"«{str(value).strip()}» — не цена: напишите число, например 4,50",
        ) from None
    if not price.is_finite() or price < 0:
        raise InvalidRule(
            f"{value!r} is not a price: it must be a number of 0 or more",
            f"«{str(value).strip()}» — не цена: нужно число не меньше 0",
        )
    return price


@dataclass(frozen=True)
class Prices:
    """Price of one message of each type, in RUB; for ``sms``, of one SMS segment.

    THE DEFAULTS ARE EXAMPLES ONLY, in the range Russian bulk-messaging services charged
    at the time of writing; they are not Kupon.mobi's prices. Each user sets their own
    contract's prices in Settings (the window shows the estimate as "example prices"
    until they do; see :attr:`examples`).
    """

    sms: Decimal = Decimal("4.50")  # per segment
    mms: Decimal = Decimal("9.00")
    viber: Decimal = Decimal("1.50")
    whatsapp: Decimal = Decimal("5.00")
    telegram: Decimal = Decimal("1.00")
    vk: Decimal = Decimal("0.80")
    ok: Decimal = Decimal("0.80")
    email: Decimal = Decimal("0.10")
    push: Decimal = Decimal("0.05")
    bot: Decimal = Decimal("0.05")
    voice: Decimal = Decimal("3.00")
    hlr: Decimal = Decimal("0.30")
    bulk: Decimal = Decimal("4.50")  # a cascade: priced like its first channel, usually SMS
    #: True while these are the defaults above, not the user's own prices
    examples: bool = True

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name != "examples":
                object.__setattr__(self, f.name, to_price(getattr(self, f.name)))

    def price(self, message_type: MessageType | str) -> Decimal:
        """Per message, or per segment for the types in :data:`PER_SEGMENT`."""
        return getattr(self, MessageType(message_type).value)  # type: ignore[no-any-return]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Prices:
        """Prices by type name (``{"sms": "4.2", "viber": 1.1}``) over the examples; any
        price given marks the set as the user's own. ValueError names a bad entry."""
        known = {t.value for t in MessageType}
        clean: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"no message type {name!r}; types: {', '.join(sorted(known))}")
            try:
                clean[name] = to_price(value)
            except ValueError as exc:
                raise ValueError(f"price of {name}: {exc}") from None
        return replace(cls(), examples=not clean, **clean)

    def as_dict(self) -> dict[str, str]:
        return {t.value: str(self.price(t)) for t in MessageType}


@dataclass(frozen=True, slots=True)
class EstimateLine:
    type: MessageType
    messages: int
    #: billed units: SMS segments for SMS, one per message for the rest
    segments: int
    unit_price: Decimal
    cost: Decimal


@dataclass(frozen=True, slots=True)
class Estimate:
    lines: tuple[EstimateLine, ...]
    currency: str = CURRENCY
    examples: bool = False  # made with example prices
    #: of ``messages``, those to numbers that are not mobiles (a landline, toll-free)
    #: on a channel that needs one, and their part of ``cost``: counted apart, since
    #: they may be billed and never arrive
    not_mobile: int = 0
    not_mobile_cost: Decimal = Decimal(0)

    @property
    def messages(self) -> int:
        return sum(line.messages for line in self.lines)

    @property
    def segments(self) -> int:
        return sum(line.segments for line in self.lines)

    @property
    def cost(self) -> Decimal:
        return sum((line.cost for line in self.lines), Decimal(0)).quantize(_KOPECK)

    def as_json(self) -> dict[str, Any]:
        """``{"messages": M, "segments": S, "cost": C, "currency": "RUB"}``; the cost is
        a number rounded to kopecks. With messages to numbers that are not mobiles, also
        ``"not_mobile": N, "not_mobile_cost": C`` (included in the totals)."""
        out: dict[str, Any] = {
            "messages": self.messages,
            "segments": self.segments,
            "cost": float(self.cost),
            "currency": self.currency,
        }
        if self.not_mobile:
            out["not_mobile"] = self.not_mobile
            out["not_mobile_cost"] = float(self.not_mobile_cost.quantize(_KOPECK))
        return out


def estimate(
    message_type: MessageType | str, segments: Sequence[int] | Any, prices: Prices
) -> Estimate:
    """The cost of sending one message of ``message_type`` per entry of ``segments``
    (each message's SMS segments, as :func:`kupon_desktop.compose.render` gives them; a
    numpy array is fine)."""
    t = MessageType(message_type)
    count = len(segments)
    if t not in PER_SEGMENT:
        billed = count
    elif hasattr(segments, "sum"):
        billed = int(segments.sum())
    else:
        billed = sum(int(s) for s in segments)
    unit = prices.price(t)
    line = EstimateLine(t, count, billed, unit, (unit * billed).quantize(_KOPECK))
    return Estimate((line,), examples=prices.examples)


def combine(estimates: Iterable[Estimate]) -> Estimate:
    """One estimate of several (e.g. campaigns sent together), one line per type."""
    by_type: dict[MessageType, EstimateLine] = {}
    examples = False
    for est in estimates:
        examples |= est.examples
        for line in est.lines:
            old = by_type.get(line.type)
            if old is None:
                by_type[line.type] = line
            else:
                by_type[line.type] = EstimateLine(
                    line.type,
                    old.messages + line.messages,
                    old.segments + line.segments,
                    line.unit_price,
                    old.cost + line.cost,
                )
    return Estimate(tuple(by_type.values()), examples=examples)


def estimate_record(estimate: Any) -> dict[str, Any] | None:
    """What a campaign keeps of its plan's estimate (``_estimate`` in its draft): the
    spend cap and the results across campaigns price its messages by it."""
    if estimate is None:
        return None
    return {
        "cost": str(estimate.cost),
        "messages": estimate.messages,
        "currency": estimate.currency,
    }


def unit_price(snapshot: Mapping[str, Any]) -> Decimal:
    """A campaign's estimated price per message, from what it kept of its plan: each
    recipient's own text counted in SMS segments (0 when it kept no estimate)."""
    kept = snapshot.get("_estimate") or {}
    messages = int(kept.get("messages") or 0)
    if not messages:
        return Decimal(0)
    return Decimal(str(kept.get("cost") or 0)) / messages

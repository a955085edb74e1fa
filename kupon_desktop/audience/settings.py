"""The audience rules' settings, declared once for ``kupon_desktop.config.SETTINGS``.

The Settings page shows them (window, default zone, one price per message type);
:func:`rules_from_settings` reads them back as :class:`AudienceRules` for a campaign.
Add them to the table with ``SETTINGS.update({s.name: s for s in AUDIENCE_SETTINGS})``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kupon_desktop.audience.cost import Prices, to_price
from kupon_desktop.audience.plan import AudienceRules
from kupon_desktop.audience.timezones import DEFAULT_ZONE, check_zone
from kupon_desktop.audience.window import SendWindow
from kupon_desktop.config import Setting
from kupon_desktop.vocabulary import MessageType

WINDOW = "audience/window"
DEFAULT_TIMEZONE = "audience/default_zone"
PRICE_PREFIX = "prices/"
#: the spend cap a new campaign starts with ("" for none)
SPEND_CAP = "audience/spend_cap"


def validate_window(value: Any) -> str:
    return str(SendWindow.parse(str(value)))


def validate_zone(value: Any) -> str:
    return check_zone(str(value))


def validate_price(value: Any) -> float:
    return float(to_price(value))


def validate_spend_cap(value: Any) -> str:
    """A cap typed as a price ("6000", "4,50", "4.50"), kept as its plain decimal text;
    empty for no cap."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    return str(to_price(text))


def spend_cap_of(value: Any) -> Decimal | None:
    """The setting's cap as an amount (None: no cap)."""
    text = validate_spend_cap(value)
    return Decimal(text) if text else None


def price_setting(message_type: MessageType) -> str:
    return PRICE_PREFIX + message_type.value


_EXAMPLES = Prices()

AUDIENCE_SETTINGS: tuple[Setting, ...] = (
    Setting(
        WINDOW,
        str,
        str(SendWindow()),
        "Hours of the recipient's day when messages may arrive, e.g. 09:00-22:00 "
        "(21:00-08:00 runs across midnight; off for none)",
        validate_window,
    ),
    Setting(
        DEFAULT_TIMEZONE,
        str,
        DEFAULT_ZONE,
        "Time zone of recipients whose list and number say nothing about it",
        validate_zone,
    ),
    Setting(
        SPEND_CAP,
        str,
        "",
        "The estimated spend a new campaign (or a whole A/B test) never passes, RUB; "
        "empty for no cap",
        validate_spend_cap,
    ),
    *(
        Setting(
            price_setting(t),
            float,
            float(_EXAMPLES.price(t)),
            (
                "Price of one SMS segment"
                if t is MessageType.SMS
                else f"Price of one {t.label_en} message"
            )
            + ", RUB (the default is an example: set your own)",
            validate_price,
        )
        for t in MessageType
    ),
)


def rules_from_settings(
    get: Callable[[str], Any],
    *,
    advertising: bool = True,
    timezone_column: str | None = None,
    consent_column: str | None = None,
) -> AudienceRules:
    """The rules for a campaign from ``Settings.get`` and the campaign's own choices.
    The prices count as examples while every one of them is still the default."""
    values = {t.value: Decimal(str(get(price_setting(t)))) for t in MessageType}
    prices = Prices.from_mapping(values)
    if all(prices.price(t) == _EXAMPLES.price(t) for t in MessageType):
        prices = _EXAMPLES
    return AudienceRules(
        window=SendWindow.parse(str(get(WINDOW))),
        default_zone=str(get(DEFAULT_TIMEZONE)),
        timezone_column=timezone_column,
        consent_column=consent_column,
        advertising=advertising,
        prices=prices,
    )

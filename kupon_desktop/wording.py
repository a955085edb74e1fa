"""Numbers in the words of the interface language, for texts made outside the window
(the command line, pause reasons, an A/B test's verdict). The window formats with
``QLocale`` (``ui/pages/base.py``); these write the same as it does for Russian and
English, without Qt."""

from __future__ import annotations

from decimal import Decimal

NBSP = "\u00a0"


def amount(value: Decimal | float | int, lang: str, currency: str = "RUB") -> str:
    """ "1 234,50 руб." in Russian (no-break spaces between thousands), "1234.50 RUB" in
    English."""
    if lang == "en":
        return f"{value:.2f} {currency}"
    digits = f"{value:,.2f}".replace(",", NBSP).replace(".", ",")
    return digits + NBSP + ("руб." if currency == "RUB" else currency)


def percent(value: float, lang: str, decimals: int = 1) -> str:
    """A share already in percent: "93,6 %" in Russian, "93.6 %" in English. A confidence
    that rounds to 100 is written "> 99,9 %": a test is never certain."""
    limit = 100 - 10**-decimals
    text = f"{min(value, limit):.{decimals}f}"
    if lang != "en":
        text = text.replace(".", ",")
    prefix = "> " if value > limit else ""
    return f"{prefix}{text}{NBSP}%"


__all__ = ["amount", "percent"]

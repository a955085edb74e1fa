"""A campaign's spend cap, as the engine checks it before each claim.

The engine asks :meth:`Budget.take` how many of the recipients it is about to claim fit
under the cap, at the campaign's estimated price per message (the plan's estimate: its
cost over its messages), counting what was sent before this run. It claims only those,
and pauses with :class:`~kupon_desktop.campaign.errors.SpendCapReached` when fewer fit
than it wanted: the rest stays queued, so nothing is sent past the cap. A recipient whose
request surely never reached the platform (queued again) is given back.

The spend is an estimate, as the confirmation's is: an SMS's price is the campaign's
average per message, not each text's own parts.
"""

from __future__ import annotations

from decimal import Decimal

from kupon_desktop.campaign.errors import SpendCapReached


class Budget:
    def __init__(self, cap: Decimal, unit_price: Decimal, spent: Decimal = Decimal(0)) -> None:
        if cap < 0:
            raise ValueError("a spend cap cannot be negative")
        self.cap = cap
        self.unit_price = unit_price
        #: the estimated spend so far: before this run, and claimed in it
        self.spent = spent

    @property
    def left(self) -> Decimal:
        return max(Decimal(0), self.cap - self.spent)

    def take(self, wanted: int) -> int:
        """How many of ``wanted`` messages fit under the cap; those are counted spent."""
        if wanted <= 0:
            return 0
        if self.unit_price <= 0:
            return wanted
        fit = int(self.left // self.unit_price)
        n = min(wanted, fit)
        self.spent += self.unit_price * n
        return n

    def give_back(self, count: int) -> None:
        """``count`` messages taken were not sent after all (queued again)."""
        if count > 0:
            self.spent = max(Decimal(0), self.spent - self.unit_price * count)

    def reached(self) -> SpendCapReached:
        return SpendCapReached(f"{self.cap:.2f} / {self.spent:.2f}")


__all__ = ["Budget"]

"""The status codes a callback may carry, as the log must know them.

A campaign sent with ``kannel_status=1`` gets Kannel's delivery-report codes in its
callbacks. The table from those to the platform's own codes belongs to the wire
(:data:`kupon_desktop.api.kannel.KANNEL_TO_STATUS`); the log only applies the table it
holds, as data. Every way events enter a log passes here first: the receiver when it
starts, the feed client before it appends.
"""

from __future__ import annotations

from typing import Protocol

from kupon_desktop.api.kannel import KANNEL_TO_STATUS


class CodesLog(Protocol):
    def set_kannel_codes(self, table: dict[int, int]) -> None: ...


def store_code_tables(log: CodesLog) -> None:
    """Put the wire's Kannel table in ``log`` (a write only when it differs)."""
    log.set_kannel_codes(dict(KANNEL_TO_STATUS))

"""Kannel delivery-report codes, which the callback carries instead of the platform's own
statuses for a message sent with ``kannel_status=1``: mapped onto the platform's codes so
that one grid shows both."""

from __future__ import annotations

KANNEL_TO_STATUS: dict[int, int] = {1: 1, 2: 20, 4: 0, 8: 0, 16: 20}

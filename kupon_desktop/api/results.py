"""The outcome of one send, as the campaign engine needs to see it.

The four kinds decide what may happen next:

``SUCCESS``   the platform accepted the message and gave it ``platform_id``.
``ERROR``     the platform answered ``type=error``: it did not accept the message;
              ``message`` is its ``msg`` (a description in Russian, as the vendor sends).
``NOT_SENT``  the request never reached the platform or was refused before being
              processed (connection refused, DNS, TLS, pool timeout, HTTP 429, another
              4xx): retrying cannot send the message twice.
``UNKNOWN``   the request may have been processed (read timeout, connection reset
              after the request was written, a 5xx, an answer that is not the
              documented JSON): a blind retry may send the message twice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ResultKind(enum.Enum):
    SUCCESS = "success"
    ERROR = "error"
    NOT_SENT = "not_sent"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SendResult:
    """``platform_id`` is set only for ``SUCCESS`` (kept as text: the vendor does not
    document its form). ``message`` is the vendor's ``msg`` for ``ERROR`` and a
    description of what happened otherwise; it never contains the token.
    ``retry_after`` is the wait in seconds the platform asked for (HTTP 429, or a 503
    with ``Retry-After``). ``http_status`` is ``None`` when no answer arrived."""

    kind: ResultKind
    platform_id: str | None = None
    message: str = ""
    retry_after: float | None = None
    http_status: int | None = None

    @property
    def accepted(self) -> bool:
        return self.kind is ResultKind.SUCCESS

    @property
    def safe_to_retry(self) -> bool:
        """True when sending again cannot deliver the message twice."""
        return self.kind is ResultKind.NOT_SENT


__all__ = ["ResultKind", "SendResult"]

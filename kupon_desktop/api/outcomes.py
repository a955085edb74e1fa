"""What an answer of the platform means for the message it was about.

The client turns every request into a :class:`~kupon_desktop.api.results.SendResult`
(what happened on the wire); this module reads one further and says what the program
should do with the recipient (:class:`Verdict`). It is the one place that knows the
vendor's error texts: the platform does not document them, so they are recognised by
patterns (:class:`AnswerRules`, configurable), and by the HTTP status where the answer
was not the API's JSON.

==================  ==========================================================  =========
verdict             when                                                        then
==================  ==========================================================  =========
``ACCEPTED``        ``type=success`` with an id                                 accepted
``REJECTED``        ``type=error`` about the message, or an HTTP 4xx that        rejected,
                    refuses it (400, 403, 422, ...): the platform answered,     with the
                    and sending the same request again gets the same answer     text
``NO_FUNDS``        an error about money                                        pause
``TOKEN_REFUSED``   an error about the API token, or HTTP 401                   pause
``REQUEST_REFUSED`` the address does not take these requests at all: a           pause
                    redirect (3xx), HTTP 404/405/410, or a request the server
                    will not read (413, 414, 415, 431)
``RETRY_LATER``     surely not processed (connection refused, 408, 429, 5xx      retry
                    refused before processing) or an error asking to try again
``UNCONFIRMED``     may have been processed (timeout after writing, a reset,     never
                    an unreadable answer): a blind retry may send it twice      resent
==================  ==========================================================  =========

"Pause" keeps the recipient queued: nothing was delivered, and the cause (money, the
token, the address) is the user's to fix before anything else can go out.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from kupon_desktop.api.results import ResultKind, SendResult

#: the status the platform reports for "insufficient funds"
STATUS_NO_FUNDS = 24

#: HTTP statuses that refuse the request itself, not the message in it: every other
#: message would get the same answer, so the campaign pauses instead of rejecting them
REQUEST_REFUSED_STATUSES = frozenset({404, 405, 410, 413, 414, 415, 431})


class Verdict(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NO_FUNDS = "no_funds"
    TOKEN_REFUSED = "token_refused"
    REQUEST_REFUSED = "request_refused"
    RETRY_LATER = "retry_later"
    UNCONFIRMED = "unconfirmed"

    @property
    def pauses(self) -> bool:
        """The campaign pauses, the recipient stays queued."""
        return self in _PAUSING


_PAUSING = frozenset({Verdict.NO_FUNDS, Verdict.TOKEN_REFUSED, Verdict.REQUEST_REFUSED})


@dataclass(frozen=True)
class AnswerRules:
    """The patterns (regular expressions, case-insensitive) that recognise the vendor's
    error texts; the vendor documents none of them, so they are settings."""

    #: an error answer about money
    funds: str = r"средств|баланс|funds|balance"
    #: an error answer about the API token (not about a recipient's push token)
    token: str = r"токен|token"
    #: an error answer asking to try again: the platform refused the message, so
    #: sending it again cannot deliver it twice
    retry: str = r"повторите|позже|временн|try again|later|temporar"
    _compiled: tuple[re.Pattern[str], ...] = field(
        init=False, repr=False, compare=False, hash=False, default=()
    )

    def __post_init__(self) -> None:
        compiled = tuple(re.compile(p, re.IGNORECASE) for p in (self.funds, self.token, self.retry))
        object.__setattr__(self, "_compiled", compiled)

    def classify(self, result: SendResult) -> Verdict:
        kind = result.kind
        if kind is ResultKind.SUCCESS:
            return Verdict.ACCEPTED
        status = result.http_status
        if kind is ResultKind.ERROR:
            funds, token, retry = self._compiled
            text = result.message
            if funds.search(text):
                return Verdict.NO_FUNDS
            if status == 401 or (token.search(text) and "push" not in text.lower()):
                return Verdict.TOKEN_REFUSED
            if status in REQUEST_REFUSED_STATUSES:
                return Verdict.REQUEST_REFUSED
            if retry.search(text):
                return Verdict.RETRY_LATER
            return Verdict.REJECTED
        if kind is ResultKind.NOT_SENT:
            if status is not None and 300 <= status < 400:
                return Verdict.REQUEST_REFUSED
            return Verdict.RETRY_LATER
        return Verdict.UNCONFIRMED


__all__ = ["REQUEST_REFUSED_STATUSES", "STATUS_NO_FUNDS", "AnswerRules", "Verdict"]

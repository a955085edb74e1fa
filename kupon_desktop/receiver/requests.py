"""What a valid callback looks like, as pure functions (no aiohttp): limits, numbers,
keys, and the raw text stored without the secret."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence

#: the path and query of a callback may not exceed this (bytes); above it: 414
MAX_TARGET = 2048
#: a POST body (form fields) may not exceed this (bytes); above it: 413
MAX_BODY = 4096
#: callbacks waiting for their commit; above it the receiver answers 503 and the
#: platform retries later (1 and 10 minutes)
MAX_WAITING = 10_000
#: the answers' texts, one for each way of answering (aiohttp's route, the fast path)
ANSWER_BUSY = "busy, try again later"
ANSWER_LOG_DOWN = "the log is unavailable, try again later"
#: seconds a 503 asks the platform to wait (it retries after 1 and 10 minutes anyway)
RETRY_AFTER = "60"
#: a header field may not exceed this (bytes), nor a request have more fields: above
#: either, aiohttp answers 400 (a callback sends a handful of short ones)
MAX_FIELD = 4096
MAX_FIELDS = 32

_PLATFORM_ID = re.compile(r"[0-9]{1,18}")  # fits a signed 64-bit integer
_STATUS = re.compile(r"-?[0-9]{1,9}")
_KEY = re.compile(r"[0-9]{1,10}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,128}")
#: shorter secrets work but are guessable; the command warns
STRONG_SECRET = 16
_KEY_MAX = (1 << 32) - 1
#: a feed cursor or page size: plain ASCII digits (``int()`` would also take ``1_0``,
#: ``" 3"`` and other scripts' digits), at most what a signed 64-bit seq can hold
_FEED_NUMBER = re.compile(r"[0-9]{1,19}")
FEED_NUMBER_MAX = (1 << 63) - 1


class BadCallback(ValueError):
    """A request that is not a valid callback; ``status`` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def valid_secret(secret: str) -> bool:
    return _SECRET.fullmatch(secret) is not None


def _one(name: str, query: Mapping[str, Sequence[str]], form: Mapping[str, Sequence[str]]) -> str:
    values = list(query.get(name, ())) or list(form.get(name, ()))
    if not values:
        raise BadCallback(400, f"the callback has no {name!r}")
    if len(values) > 1:
        raise BadCallback(400, f"the callback has {name!r} more than once")
    return values[0]


def parse_numbers(
    query: Mapping[str, Sequence[str]], form: Mapping[str, Sequence[str]]
) -> tuple[int, int]:
    """(platform id, status code) from the query, or from the form fields when the query
    lacks them. Both must be plain decimal integers."""
    pid = _one("id", query, form)
    status = _one("status", query, form)
    if not _PLATFORM_ID.fullmatch(pid):
        raise BadCallback(400, "the callback's id is not a number")
    if not _STATUS.fullmatch(status):
        raise BadCallback(400, "the callback's status is not a number")
    return int(pid), int(status)


def parse_feed_number(name: str, value: str) -> int:
    """A feed query number (``after``, ``limit``): ASCII digits only, below 2^63;
    anything else is a 400 naming the parameter."""
    if not _FEED_NUMBER.fullmatch(value) or int(value) > FEED_NUMBER_MAX:
        raise BadCallback(
            400, f"{name} must be a whole number from 0 to {FEED_NUMBER_MAX} in plain digits"
        )
    return int(value)


def parse_keys(campaign: str | None, recipient: str | None) -> tuple[str | None, int | None]:
    """The campaign id (canonical UUID text) and recipient key from the callback path."""
    if campaign is None or recipient is None:
        return None, None
    try:
        if len(campaign) > 45:
            raise ValueError
        cid = str(uuid.UUID(campaign))
    except ValueError:
        raise BadCallback(400, "the callback's campaign is not a campaign id") from None
    if not _KEY.fullmatch(recipient) or int(recipient) > _KEY_MAX:
        raise BadCallback(400, "the callback's recipient is not a recipient key")
    return cid, int(recipient)


def raw_text(method: str, path_after_secret: str, query: str, body: str) -> str:
    """The request as stored: everything but the secret."""
    text = f"{method} /callback/***{path_after_secret}"
    if query:
        text += f"?{query}"
    if body:
        text += f"\n\n{body}"
    return text

"""The receiver's HTTP side (aiohttp): the callback routes, the event feed, a health check.

Routes::

    GET|POST /callback/{secret}/{campaign}/{recipient}?id=…&status=…
    GET|POST /callback/{secret}?id=…&status=…          (keyed by platform id only)
    GET      /events?after=N&limit=M                    Authorization: Bearer <feed key>
    GET      /health                                    {"status": "ok", "pid": …}

A callback is answered 200 only after its event is committed; a wrong secret is 403, a
missing or non-numeric id or status (or a malformed campaign or key) 400, an oversized
target 414 and body 413, a body that does not arrive in time 408, and nothing is written
for any of them. When the log cannot be
written (locked, disk full) the answer is 503, and the platform tries again later.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

from kupon_desktop.receiver.requests import (
    ANSWER_BUSY,
    ANSWER_LOG_DOWN,
    MAX_BODY,
    MAX_TARGET,
    RETRY_AFTER,
    BadCallback,
    parse_feed_number,
    parse_keys,
    parse_numbers,
    raw_text,
)
from kupon_desktop.receiver.writer import Busy, EventWriter, LogThread
from kupon_desktop.store.errors import LogError
from kupon_desktop.store.models import NewStatusEvent

log = logging.getLogger(__name__)

FEED_LIMIT_DEFAULT = 1000
FEED_LIMIT_MAX = 10_000

WRITER: web.AppKey[EventWriter] = web.AppKey("writer", EventWriter)
READER: web.AppKey[LogThread] = web.AppKey("reader", LogThread)
SECRET: web.AppKey[bytes] = web.AppKey("secret", bytes)
FEED_KEY: web.AppKey[bytes] = web.AppKey("feed_key", bytes)
BODY_TIMEOUT: web.AppKey[float] = web.AppKey("body_timeout", float)


def create_app(
    writer: EventWriter,
    reader: LogThread,
    secret: str,
    feed_key: str,
    *,
    body_timeout: float = 10.0,
    client_max_size: int = MAX_BODY,
) -> web.Application:
    """``body_timeout``: seconds a POST body may take to arrive (a client trickling it
    would hold the request forever). ``client_max_size``: the largest body of any route
    (the team server's API takes a campaign's ids in one request); a callback's body is
    held to ``MAX_BODY`` whatever it is."""
    # client_max_size makes aiohttp itself refuse a larger body with 413
    app = web.Application(client_max_size=max(client_max_size, MAX_BODY))
    app[BODY_TIMEOUT] = body_timeout
    app[WRITER] = writer
    app[READER] = reader
    app[SECRET] = secret.encode()
    app[FEED_KEY] = feed_key.encode()
    for path in ("/callback/{secret}", "/callback/{secret}/{campaign}/{recipient}"):
        app.router.add_get(path, callback, allow_head=False)
        app.router.add_post(path, callback)
    app.router.add_get("/events", feed, allow_head=False)
    app.router.add_get("/health", health, allow_head=False)
    return app


_RETRY = {"Retry-After": RETRY_AFTER}


def _text(status: int, text: str, **headers: str) -> web.Response:
    return web.Response(status=status, text=text + "\n", headers=headers)


async def callback(request: web.Request) -> web.Response:
    if len(request.raw_path) > MAX_TARGET:
        return _text(414, "request target too long")
    given = request.match_info["secret"].encode()
    # constant time, so the secret cannot be guessed character by character
    if not hmac.compare_digest(given, request.app[SECRET]):
        return _text(403, "forbidden")
    body = ""
    form: dict[str, list[str]] = {}
    if request.method == "POST":
        if request.content_length is not None and request.content_length > MAX_BODY:
            return _text(413, "request body too large")
        try:
            async with asyncio.timeout(request.app[BODY_TIMEOUT]):
                data = await _read_at_most(request, MAX_BODY)
        except (web.HTTPRequestEntityTooLarge, _TooLarge):
            return _text(413, "request body too large")
        except TimeoutError:
            return _text(408, "the request body took too long")
        body = data.decode("utf-8", errors="replace")
        if request.content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
    query = {k: request.query.getall(k) for k in request.query}
    try:
        pid, code = parse_numbers(query, form)
        campaign, key = parse_keys(
            request.match_info.get("campaign"), request.match_info.get("recipient")
        )
    except BadCallback as exc:
        return _text(exc.status, str(exc))
    after_secret = ""
    if campaign is not None:
        after_secret = f"/{request.match_info['campaign']}/{request.match_info['recipient']}"
    event = NewStatusEvent(
        platform_id=pid,
        code=code,
        campaign=campaign,
        recipient=key,
        raw=raw_text(request.method, after_secret, request.rel_url.raw_query_string, body),
    )
    try:
        await request.app[WRITER].store(event)
    except Busy:
        return _text(503, ANSWER_BUSY, **_RETRY)
    except LogError as exc:
        log.warning("a status could not be stored: %s", exc)
        return _text(503, ANSWER_LOG_DOWN, **_RETRY)
    return _text(200, "OK")


class _TooLarge(Exception):
    pass


async def _read_at_most(request: web.Request, limit: int) -> bytes:
    """The body, refused (``_TooLarge``) once past ``limit`` bytes as it arrives: a body
    without a Content-Length is not read to the app's own, larger, limit."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(limit + 1 - size):
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _bearer_ok(request: web.Request) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode(), request.app[FEED_KEY])


def _single(request: web.Request, name: str, default: str) -> str:
    values = request.query.getall(name, [])
    if len(values) > 1:
        raise BadCallback(400, f"{name} is given more than once")
    return values[0] if values else default


async def feed(request: web.Request) -> web.Response:
    if not _bearer_ok(request):
        return _text(401, "a bearer key is required", **{"WWW-Authenticate": "Bearer"})
    try:
        after = parse_feed_number("after", _single(request, "after", "0"))
        limit = parse_feed_number("limit", _single(request, "limit", str(FEED_LIMIT_DEFAULT)))
    except BadCallback as exc:
        return _text(exc.status, str(exc))
    if not 1 <= limit <= FEED_LIMIT_MAX:
        return _text(400, f"limit must be 1 to {FEED_LIMIT_MAX}")
    reader = request.app[READER]
    try:
        events = await reader.run(reader.log.events_after, after, limit)
    except LogError as exc:
        log.warning("the feed could not read the log: %s", exc)
        return _text(503, "the log is unavailable, try again later", **{"Retry-After": "10"})
    payload: dict[str, Any] = {
        "events": [e.as_json() for e in events],
        "cursor": events[-1].seq if events else after,
    }
    return web.Response(
        text=json.dumps(payload, ensure_ascii=False), content_type="application/json"
    )


async def health(request: web.Request) -> web.Response:
    # the pid lets the window that started this receiver as its own process stop it
    return web.json_response({"status": "ok", "pid": os.getpid()})

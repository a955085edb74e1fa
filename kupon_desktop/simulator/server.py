"""The simulated Kupon.mobi HTTP API as an aiohttp application.

Routes (GET and POST each, as the vendor accepts both)::

    /api/v1/bulk/send-message         {"type": "success", "id": N} | {"type": "error", "msg"}
    /api/v1/bulk/send-list-messages   {"type": "success", "messages": [<one of the above>,
                                       ...]} in request order | {"type": "error", "msg"}
    GET /__simulator__/messages       every accepted message with its statuses, and
                                      sends_per_recipient: {address: accepted messages}
                                      (``?after_id=N`` lists only later messages)

A request goes: fault draw → read the form → token, type, sender, charset → funds →
message(s) → accept → answer (or the fault that comes after accepting).
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from functools import partial

from aiohttp import web

from kupon_desktop.simulator.callbacks import CallbackSender
from kupon_desktop.simulator.config import SimulatorConfig
from kupon_desktop.simulator.lifecycle import Platform
from kupon_desktop.simulator.validation import (
    MSG_MULTIPART,
    MSG_TOO_MANY,
    MSG_TRY_LATER,
    Refusal,
    Submission,
    parse_common,
    parse_form,
    parse_list,
    parse_single,
)

API_PREFIX = "/api/v1/bulk/"
INSPECTION_PATH = "/__simulator__/messages"

PLATFORM = web.AppKey("platform", Platform)
CALLBACKS = web.AppKey("callbacks", CallbackSender)
CONFIG = web.AppKey("config", SimulatorConfig)

#: a body this large is a whole campaign in one request; the vendor's limit is unknown
MAX_BODY = 256 * 1024 * 1024

_dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
_REASONS = {"http_500": 500, "http_502": 502, "http_503": 503}


def create_app(config: SimulatorConfig | None = None) -> web.Application:
    """The application; its account state lives from startup to cleanup."""
    app = web.Application(client_max_size=MAX_BODY)
    app[CONFIG] = config or SimulatorConfig()
    for name, handler in (
        ("send-message", _send_message),
        ("send-list-messages", _send_list_messages),
    ):
        app.router.add_route("GET", API_PREFIX + name, handler)
        app.router.add_route("POST", API_PREFIX + name, handler)
    app.router.add_get(INSPECTION_PATH, _inspect)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    return app


async def _start(app: web.Application) -> None:
    platform = Platform(app[CONFIG], asyncio.get_running_loop())
    callbacks = CallbackSender(app[CONFIG], platform.scheduler)
    platform.on_status = callbacks.on_status
    await callbacks.start()
    app[PLATFORM] = platform
    app[CALLBACKS] = callbacks


async def _stop(app: web.Application) -> None:
    app[PLATFORM].close()
    await app[CALLBACKS].close()


# ---------------------------------------------------------------------- handlers


async def _read_fields(request: web.Request) -> dict[str, bytes]:
    fields = parse_form(request.rel_url.raw_query_string.encode("latin-1"))
    if request.method == "POST":
        if request.content_type.startswith("multipart/"):
            raise Refusal(MSG_MULTIPART)
        fields.update(parse_form(await request.read()))
    return fields


def _error(msg: str, status: int = 200) -> web.Response:
    return web.json_response({"type": "error", "msg": msg}, status=status, dumps=_dumps)


def _early_fault(fault: str | None, platform: Platform) -> web.Response | None:
    """A fault answered without accepting anything."""
    if fault is None:
        return None
    faults = platform.config.faults
    if fault == "http_429":
        return web.json_response(
            {"type": "error", "msg": MSG_TOO_MANY},
            status=429,
            dumps=_dumps,
            headers={"Retry-After": str(faults.retry_after_seconds)},
        )
    if fault == "http_400":
        return web.Response(status=400, text=faults.http_400_text, content_type="text/plain")
    if fault in _REASONS and not faults.accept_before_5xx:
        return _server_error(_REASONS[fault], faults.retry_after_seconds)
    if fault == "error":
        return _error(MSG_TRY_LATER)
    return None


def _server_error(status: int, retry_after: int) -> web.Response:
    # what a proxy in front of the platform answers: HTML, not the API's JSON
    headers = {"Retry-After": str(retry_after)} if status == 503 else None
    return web.Response(
        status=status,
        headers=headers,
        content_type="text/html",
        text=f"<html><body><h1>{status}</h1></body></html>",
    )


async def _answer(request: web.Request, fault: str | None, payload: object) -> web.StreamResponse:
    """The answer for accepted work, or the fault that comes after accepting."""
    faults = request.app[CONFIG].faults
    if fault == "slow":
        await asyncio.sleep(faults.slow_seconds)
    elif fault == "drop":
        _reset(request)
        return web.Response()  # never written: the transport is gone
    elif fault == "malformed_json":
        text = _dumps(payload)
        return web.Response(text=text[: len(text) // 2], content_type="application/json")
    elif fault in _REASONS:
        return _server_error(_REASONS[fault], faults.retry_after_seconds)
    return web.json_response(payload, dumps=_dumps)


def _reset(request: web.Request) -> None:
    """Close the connection with a TCP reset, as a crashed proxy would."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def _send_message(request: web.Request) -> web.StreamResponse:
    platform = request.app[PLATFORM]
    fault = platform.draw_fault()
    try:
        fields = await _read_fields(request)
        early = _early_fault(fault, platform)
        if early is not None:
            return early
        common = parse_common(fields, platform.config)
        platform.check_funds()
        sub = parse_single(fields, common)
    except Refusal as refusal:
        return _error(refusal.msg)
    (msg,) = platform.accept(common, [sub])
    return await _answer(request, fault, {"type": "success", "id": msg.id})


async def _send_list_messages(request: web.Request) -> web.StreamResponse:
    platform = request.app[PLATFORM]
    fault = platform.draw_fault()
    try:
        fields = await _read_fields(request)
        early = _early_fault(fault, platform)
        if early is not None:
            return early
        common = parse_common(fields, platform.config)
        platform.check_funds()
        items = parse_list(fields, common)
    except Refusal as refusal:
        return _error(refusal.msg)
    accepted = iter(platform.accept(common, [i for i in items if isinstance(i, Submission)]))
    answers = [
        {"type": "success", "id": next(accepted).id}
        if isinstance(item, Submission)
        else {"type": "error", "msg": item.msg}
        for item in items
    ]
    return await _answer(request, fault, {"type": "success", "messages": answers})


async def _inspect(request: web.Request) -> web.Response:
    after = request.query.get("after_id")
    try:
        after_id = int(after) if after else None
    except ValueError:
        raise web.HTTPBadRequest(text="after_id must be a number") from None
    snapshot = request.app[PLATFORM].snapshot(after_id)
    return web.json_response(snapshot, dumps=_dumps)

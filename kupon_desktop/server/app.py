"""The team's JSON API, added to the receiver's app (same port, same process).

Every route needs ``Authorization: Bearer KEY`` of an active user: an unknown or revoked
key is 401, a role that may not do it 403, both with the body
``{"error": {"code", "message_en", "message_ru"}}``. Roles: a viewer reads; a sender also
writes (stop list, campaigns, platform ids); an approver also approves. ::

    GET  /api/v1/me                        user, role, callback base, server time
    GET  /api/v1/stoplist?since=V          changes after version V (V=0: the whole list)
    POST /api/v1/stoplist                  {"add": [{address, kind, source, note}],
                                            "remove": [address]}
    GET  /api/v1/campaigns                 the team's campaigns with status counts
    POST /api/v1/campaigns                 register {id, name, type, recipients,
                                            advertising, desk}
    GET  /api/v1/campaigns/{id}            one, with its approval state
    POST /api/v1/campaigns/{id}/approve    an approver's approval
    POST /api/v1/campaigns/{id}/messages   {"messages": [[key, platform_id], ...]}
    GET  /api/v1/campaigns/{id}/statuses?after=C&limit=N
                                           recipients whose status changed after C

Writes and approvals go into the audit log with the user's name (``store/team.py``).
The team's contact base has routes of its own under ``/api/v1/base`` (``base_api.py``).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from kupon_desktop.receiver.writer import LogThread
from kupon_desktop.server.errors import (
    BadRequest,
    Forbidden,
    NotFound,
    OwnApproval,
    ServerRefusal,
    Unauthorized,
    Unavailable,
)
from kupon_desktop.store.errors import LogError
from kupon_desktop.store.models import StopEntry
from kupon_desktop.store.team import OwnCampaign, TeamUser

log = logging.getLogger(__name__)

API_LOG: web.AppKey[LogThread] = web.AppKey("team_log", LogThread)
CALLBACK_BASE: web.AppKey[list[str]] = web.AppKey("callback_base", list)
CATCH_UP: web.AppKey[Callable[[], Awaitable[None]]] = web.AppKey("catch_up")

READ = ("viewer", "sender", "approver")
WRITE = ("sender", "approver")
APPROVE = ("approver",)

#: what each set of roles allows, for the 403's text
_ACTIONS = {
    WRITE: ("change the team's data", "изменять данные команды"),
    APPROVE: ("approve campaigns", "одобрять рассылки"),
}

MAX_ITEMS = 100_000
#: bytes of one API request's body
API_MAX_BODY = 64 * 2**20
STATUS_LIMIT_MAX = 10_000

Handler = Callable[[web.Request, TeamUser], Awaitable[web.StreamResponse]]


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(data, ensure_ascii=False), status=status, content_type="application/json"
    )


def _refusal(exc: ServerRefusal) -> web.Response:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return web.Response(
        text=json.dumps(exc.body(), ensure_ascii=False),
        status=exc.status,
        content_type="application/json",
        headers=headers,
    )


def allowed(roles: tuple[str, ...]) -> Callable[[Handler], Callable[[web.Request], Any]]:
    """The handler runs for an active user whose role is in ``roles``."""

    def wrap(handler: Handler) -> Callable[[web.Request], Any]:
        @functools.wraps(handler)
        async def run(request: web.Request) -> web.StreamResponse:
            header = request.headers.get("Authorization", "")
            scheme, _, key = header.partition(" ")
            key = key.strip()
            db = request.app[API_LOG]
            try:
                if scheme.lower() != "bearer" or not key:
                    raise Unauthorized()
                user = await db.run(db.log.team_user_by_key, key)
                if user is None:
                    raise Unauthorized()
                if user.role not in roles:
                    en, ru = _ACTIONS.get(roles, ("do this", "это делать"))
                    raise Forbidden(user.name, user.role, en, ru)
                return await handler(request, user)
            except ServerRefusal as exc:
                return _refusal(exc)
            except LogError as exc:
                log.warning("the team API could not use its store: %s", exc)
                return _refusal(Unavailable())

        return run

    return wrap


async def _body(request: web.Request) -> dict[str, Any]:
    # the app's own bound is the callbacks' (a few kilobytes); an API body (a stop
    # list pushed, a chunk of an import) may be larger, for a user already known
    request = request.clone(client_max_size=API_MAX_BODY)
    try:
        data = await request.json()
    except web.HTTPRequestEntityTooLarge:
        raise BadRequest(
            "body",
            f"is larger than {API_MAX_BODY // 2**20} MB: send it in parts",
            f"больше {API_MAX_BODY // 2**20} МБ: отправляйте частями",
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("body", "is not JSON", "не JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("body", "must be a JSON object", "должно быть объектом JSON")
    return data


def _int_query(request: web.Request, name: str, default: int, top: int | None = None) -> int:
    text = request.query.get(name, str(default))
    if not text.isdigit():
        raise BadRequest(name, "must be a whole number ≥ 0", "должно быть целым числом ≥ 0")
    value = int(text)
    if top is not None and not 1 <= value <= top:
        raise BadRequest(name, f"must be 1 to {top}", f"должно быть от 1 до {top}")
    return value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def add_routes(
    app: web.Application,
    team_log: LogThread,
    callback_base: list[str],
    *,
    catch_up: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """``callback_base`` is filled in once the receiver listens (a one-item list);
    ``catch_up`` sorts the callbacks stored so far into statuses before a read (the
    server's shared sort; by default the read sorts them itself)."""
    app[API_LOG] = team_log
    app[CALLBACK_BASE] = callback_base

    async def sort_here() -> None:
        await team_log.run(team_log.log.team_apply_events)

    app[CATCH_UP] = catch_up or sort_here
    r = app.router
    r.add_get("/api/v1/me", me, allow_head=False)
    r.add_get("/api/v1/stoplist", stoplist_get, allow_head=False)
    r.add_post("/api/v1/stoplist", stoplist_post)
    r.add_get("/api/v1/campaigns", campaigns_get, allow_head=False)
    r.add_post("/api/v1/campaigns", campaigns_post)
    r.add_get("/api/v1/campaigns/{id}", campaign_get, allow_head=False)
    r.add_post("/api/v1/campaigns/{id}/approve", campaign_approve)
    r.add_post("/api/v1/campaigns/{id}/messages", campaign_messages)
    r.add_get("/api/v1/campaigns/{id}/statuses", campaign_statuses, allow_head=False)


@allowed(READ)
async def me(request: web.Request, user: TeamUser) -> web.Response:
    base = request.app[CALLBACK_BASE]
    return _json(
        {
            "user": user.name,
            "role": user.role,
            "callback_base": base[0] if base else None,
            "server_time": _now(),
        }
    )


@allowed(READ)
async def stoplist_get(request: web.Request, user: TeamUser) -> web.Response:
    since = _int_query(request, "since", 0)
    db = request.app[API_LOG]

    def read() -> dict[str, Any]:
        team = db.log
        if since == 0:
            # the whole list as it is: a desk that never pulled, or starts over
            version = team.team_stop_version()
            entries = [
                {
                    "op": "add",
                    "address": e.address,
                    "kind": e.kind,
                    "source": e.source,
                    "note": e.note,
                    "at": None if e.added_at is None else int(e.added_at.timestamp() * 1000),
                }
                for e in team.iter_stop_list()
            ]
            return {"full": True, "version": version, "entries": entries}
        changes = team.team_stop_changes(since)
        version = changes[-1].version if changes else max(since, team.team_stop_version())
        return {"full": False, "version": version, "entries": [c.as_json() for c in changes]}

    # the server's time is taken before the read: a desk's "fresh as of" never claims
    # more than it saw
    at = _now()
    payload = await db.run(read)
    payload["server_time"] = at
    return _json(payload)


def _entries(data: dict[str, Any]) -> tuple[list[StopEntry], list[str]]:
    from kupon_desktop.audience.stoplist import kind_of, stop_key

    add, remove = data.get("add", []), data.get("remove", [])
    if not isinstance(add, list) or len(add) > MAX_ITEMS:
        raise BadRequest("add", "must be a list", "должно быть списком")
    if not isinstance(remove, list) or len(remove) > MAX_ITEMS:
        raise BadRequest("remove", "must be a list", "должно быть списком")
    entries = []
    for i, item in enumerate(add):
        address = item.get("address") if isinstance(item, dict) else None
        kind = kind_of(address) if isinstance(address, str) else None
        if kind is None:
            raise BadRequest(
                f"add[{i}].address",
                "is neither a normalized phone (digits) nor an e-mail address",
                "не нормализованный номер телефона (цифры) и не адрес e-mail",
            )
        entries.append(
            StopEntry(
                stop_key(address),  # type: ignore[arg-type]
                kind,
                str(item.get("source") or ""),
                str(item.get("note") or ""),
            )
        )
    for i, address in enumerate(remove):
        if not isinstance(address, str) or not address:
            raise BadRequest(f"remove[{i}]", "must be an address", "должно быть адресом")
    return entries, remove


@allowed(WRITE)
async def stoplist_post(request: web.Request, user: TeamUser) -> web.Response:
    entries, remove = _entries(await _body(request))
    db = request.app[API_LOG]
    added, removed, version = await db.run(
        functools.partial(db.log.team_stop_change, entries, remove, by=user.name)
    )
    return _json({"added": added, "removed": removed, "version": version})


async def _with_counts(db: LogThread, campaigns: list[Any]) -> list[dict[str, Any]]:
    counts = await db.run(db.log.team_status_counts)
    out = []
    for c in campaigns:
        item = c.as_json()
        item["statuses"] = {str(k): n for k, n in sorted(counts.get(c.id, {}).items())}
        out.append(item)
    return out


@allowed(READ)
async def campaigns_get(request: web.Request, user: TeamUser) -> web.Response:
    db = request.app[API_LOG]
    await request.app[CATCH_UP]()
    campaigns = await db.run(db.log.team_campaigns)
    return _json({"campaigns": await _with_counts(db, campaigns), "server_time": _now()})


def _text_field(data: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = data.get(name, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadRequest(name, "must be a non-empty text", "должно быть непустым текстом")
    return value[:500]


@allowed(WRITE)
async def campaigns_post(request: web.Request, user: TeamUser) -> web.Response:
    data = await _body(request)
    campaign_id = _text_field(data, "id")
    recipients = data.get("recipients")
    if not isinstance(recipients, int) or isinstance(recipients, bool) or recipients < 0:
        raise BadRequest("recipients", "must be a whole number ≥ 0", "должно быть целым ≥ 0")
    advertising = data.get("advertising", False)
    if not isinstance(advertising, bool):
        raise BadRequest("advertising", "must be true or false", "должно быть true или false")
    db = request.app[API_LOG]
    found = await db.run(
        functools.partial(
            db.log.team_register_campaign,
            campaign_id,
            name=_text_field(data, "name", required=False),
            type=_text_field(data, "type"),
            recipients=recipients,
            advertising=advertising,
            desk=_text_field(data, "desk", required=False),
            user=user.name,
        )
    )
    return _json(found.as_json())


async def _campaign(db: LogThread, campaign_id: str) -> Any:
    try:
        return await db.run(db.log.team_campaign, campaign_id)
    except KeyError:
        raise NotFound(campaign_id) from None


@allowed(READ)
async def campaign_get(request: web.Request, user: TeamUser) -> web.Response:
    db = request.app[API_LOG]
    await request.app[CATCH_UP]()
    found = await _campaign(db, request.match_info["id"])
    return _json((await _with_counts(db, [found]))[0])


@allowed(APPROVE)
async def campaign_approve(request: web.Request, user: TeamUser) -> web.Response:
    db = request.app[API_LOG]
    found = await _campaign(db, request.match_info["id"])
    try:
        done = await db.run(functools.partial(db.log.team_approve, found.id, by=user.name))
    except OwnCampaign:
        raise OwnApproval(found.name or found.id) from None
    return _json(done.as_json())


@allowed(WRITE)
async def campaign_messages(request: web.Request, user: TeamUser) -> web.Response:
    db = request.app[API_LOG]
    found = await _campaign(db, request.match_info["id"])
    data = await _body(request)
    messages = data.get("messages")
    if not isinstance(messages, list) or len(messages) > MAX_ITEMS:
        raise BadRequest("messages", "must be a list of [key, id]", "должно быть списком [key, id]")
    pairs = []
    for i, pair in enumerate(messages):
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in pair)
        ):
            raise BadRequest(
                f"messages[{i}]",
                "must be [recipient key, platform id], whole numbers",
                "должно быть [ключ получателя, id платформы], целые числа",
            )
        pairs.append((pair[0], pair[1]))
    new = await db.run(functools.partial(db.log.team_add_messages, found.id, pairs, by=user.name))
    return _json({"new": new})


@allowed(READ)
async def campaign_statuses(request: web.Request, user: TeamUser) -> web.Response:
    db = request.app[API_LOG]
    after = _int_query(request, "after", 0)
    limit = _int_query(request, "limit", STATUS_LIMIT_MAX, STATUS_LIMIT_MAX)
    await request.app[CATCH_UP]()
    found = await _campaign(db, request.match_info["id"])
    rows = await db.run(db.log.team_statuses, found.id, after, limit)
    return _json(
        {
            "statuses": [s.as_json() for s in rows],
            "cursor": rows[-1].cursor if rows else after,
            "server_time": _now(),
        }
    )

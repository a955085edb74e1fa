"""The team's contact base over the JSON API: the port ``base/ports.py`` names, one
route per group of its calls, on the server's own store (PostgreSQL or SQLite).

Same rules as the other routes (``server/app.py``): ``Authorization: Bearer KEY``; a
viewer reads, a sender or an approver also writes; every write goes into the audit log
with the user's name *in the write's own transaction* (``Log.team_audited``); a refusal
is ``{"error": {"code", "message_en", "message_ru"}}``. A selection is the port's:
``{"list": name}``, ``{"segment": name}``, ``{"segment_definition": {...}}``,
``{"ids": [...]}`` or ``{}`` for everyone. ::

    GET  /api/v1/base                      size, fields, the name field, tags
    GET  /api/v1/base/lists?deleted=1      lists with their sizes
    POST /api/v1/base/lists/{action}       create | delete | restore {name};
                                           rename {name, new}; add {name, selection}
    POST /api/v1/base/contacts/remove      {ids, from_list}
    POST /api/v1/base/tags                 {tag, selection, remove}
    GET  /api/v1/base/segments             saved segments with their definitions
    POST /api/v1/base/segments/{action}    save {name, definition}; delete {name}
    POST /api/v1/base/count                {selection}                      (a read)
    POST /api/v1/base/ids                  {selection, search}              (a read)
    POST /api/v1/base/rows                 {selection} or {ids}: contacts as columns
    GET  /api/v1/base/find?address=A       the contact with this phone or e-mail
    GET  /api/v1/base/contacts/{id}        the card: contact, history, lists, consent
    POST /api/v1/base/stopped              {addresses}: those on the team's stop list
    POST /api/v1/base/consent              one consent event {contact, channel, given,
                                           how, source, wording, row, at}
    POST /api/v1/base/imports              start {field_names, name_field, consent}
    POST /api/v1/base/imports/{id}/rows    a chunk of normalized columns
    POST /api/v1/base/imports/{id}/commit  {list, source, tags}: one ``base_merge``

A file is read and normalized on the desk (the importer is the desk's); its columns
arrive in chunks, are held in memory, and are merged at the commit in one transaction,
as a local import is: one source, one history row per changed contact, one audit row.
Base calls run on a log thread of their own, so a merge of a million rows never holds
up the stop list's or the statuses' routes.
"""

from __future__ import annotations

import dataclasses
import functools
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from kupon_desktop.receiver.writer import LogThread
from kupon_desktop.server.app import MAX_ITEMS, READ, WRITE, _body, _json, allowed
from kupon_desktop.server.errors import BadRequest, BaseRefusal, NoContact, NoImport
from kupon_desktop.store.base import BaseNameError, Incoming, SourceRef
from kupon_desktop.store.team import TeamUser

BASE_LOG: web.AppKey[LogThread] = web.AppKey("team_base_log", LogThread)
IMPORTS: web.AppKey[dict[str, Staged]] = web.AppKey("team_base_imports", dict)

#: rows one chunk of an import may carry, and a whole import
CHUNK_ROWS_MAX = 100_000
IMPORT_ROWS_MAX = 5_000_000
#: an import not committed within this many seconds is dropped
IMPORT_TTL = 3600.0
#: imports held at once (per server)
IMPORTS_MAX = 16
#: ids per request of the rows route
ROWS_IDS_MAX = MAX_ITEMS

LIST_ACTIONS = ("create", "delete", "restore", "rename", "add")
SELECTION_KEYS = ("list", "segment", "segment_definition", "ids", "all", "everyone")


@dataclasses.dataclass
class Staged:
    """An import's rows as they arrive, until its commit."""

    user: str
    started: float
    field_names: list[str]
    name_field: str | None
    consent: bool
    rows: list[int] = dataclasses.field(default_factory=list)
    phones: list[str | None] = dataclasses.field(default_factory=list)
    emails: list[str | None] = dataclasses.field(default_factory=list)
    consents: list[int | None] = dataclasses.field(default_factory=list)
    wording: list[str | None] = dataclasses.field(default_factory=list)
    columns: list[list[str | None]] = dataclasses.field(default_factory=list)


def add_base_routes(app: web.Application, base_log: LogThread) -> None:
    app[BASE_LOG] = base_log
    app[IMPORTS] = {}
    r = app.router
    r.add_get("/api/v1/base", summary, allow_head=False)
    r.add_get("/api/v1/base/lists", lists_get, allow_head=False)
    r.add_post("/api/v1/base/lists/{action}", lists_post)
    r.add_post("/api/v1/base/contacts/remove", contacts_remove)
    r.add_post("/api/v1/base/tags", tags_post)
    r.add_get("/api/v1/base/segments", segments_get, allow_head=False)
    r.add_post("/api/v1/base/segments/{action}", segments_post)
    r.add_post("/api/v1/base/count", count)
    r.add_post("/api/v1/base/ids", ids)
    r.add_post("/api/v1/base/rows", rows)
    r.add_get("/api/v1/base/find", find, allow_head=False)
    r.add_get("/api/v1/base/contacts/{id}", card, allow_head=False)
    r.add_post("/api/v1/base/stopped", stopped)
    r.add_post("/api/v1/base/consent", consent)
    r.add_post("/api/v1/base/imports", import_start)
    r.add_post("/api/v1/base/imports/{id}/rows", import_rows)
    r.add_post("/api/v1/base/imports/{id}/commit", import_commit)


async def _run(request: web.Request, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """``fn`` on the base's log thread; the base's refusals as the API's."""
    db = request.app[BASE_LOG]
    try:
        return await db.run(functools.partial(fn, *args, **kw))
    except BaseNameError as exc:
        raise BaseRefusal(exc.message_en, exc.message_ru) from None


async def _write(
    request: web.Request,
    user: TeamUser,
    action: str,
    obj: str,
    detail: Any,
    fn: Callable[..., Any],
    *args: Any,
    **kw: Any,
) -> Any:
    """``fn`` (one write of the base) with its audit row in the same transaction."""
    db = request.app[BASE_LOG]

    def audited() -> Any:
        with db.log.team_audited(user.name, action, obj, detail):
            return fn(*args, **kw)

    return await _run(request, audited)


# -- checking what came ------------------------------------------------------------------


def _text(data: dict[str, Any], name: str, *, empty: bool = False) -> str:
    value = data.get(name)
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise BadRequest(name, "must be a non-empty text", "должно быть непустым текстом")
    return value


def _ints(value: Any, name: str, top: int = MAX_ITEMS) -> list[int]:
    if not isinstance(value, list) or len(value) > top:
        raise BadRequest(
            name, f"must be a list of at most {top} ids", f"должно быть списком до {top} id"
        )
    for i, v in enumerate(value):
        if not isinstance(v, int) or isinstance(v, bool):
            raise BadRequest(f"{name}[{i}]", "must be a whole number", "должно быть целым числом")
    return value


def _selection(value: Any, name: str = "selection") -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > 1 or not set(value) <= set(SELECTION_KEYS):
        raise BadRequest(
            name,
            "must be {} or one of list, segment, segment_definition, ids",
            "должно быть {} или одним из list, segment, segment_definition, ids",
        )
    if "ids" in value:
        return {"ids": _ints(value["ids"], f"{name}.ids")}
    for key in ("list", "segment"):
        if key in value and not isinstance(value[key], str):
            raise BadRequest(f"{name}.{key}", "must be a name", "должно быть именем")
    if "segment_definition" in value and not isinstance(value["segment_definition"], dict):
        raise BadRequest(
            f"{name}.segment_definition", "must be a condition", "должно быть условием"
        )
    if set(value) & {"all", "everyone"}:
        return {}
    return dict(value)


def _source(value: Any) -> SourceRef:
    if not isinstance(value, dict):
        raise BadRequest(
            "source", "must be {kind, name, detail}", "должно быть {kind, name, detail}"
        )
    parts = []
    for key in ("kind", "name", "detail"):
        v = value.get(key, "")
        if not isinstance(v, str):
            raise BadRequest(f"source.{key}", "must be a text", "должно быть текстом")
        parts.append(v[:1000])
    if not parts[0]:
        raise BadRequest("source.kind", "must be a non-empty text", "должно быть непустым текстом")
    return SourceRef(*parts)


# -- reads -------------------------------------------------------------------------------


@allowed(READ)
async def summary(request: web.Request, user: TeamUser) -> web.Response:
    def read() -> dict[str, Any]:
        log = request.app[BASE_LOG].log
        fields, name_field = log.base_fields()
        return {
            "size": log.base_size(),
            "fields": fields,
            "name_field": name_field,
            "tags": log.base_tags(),
        }

    return _json(await _run(request, read))


@allowed(READ)
async def lists_get(request: web.Request, user: TeamUser) -> web.Response:
    deleted = request.query.get("deleted", "0") not in ("", "0", "false")
    log = request.app[BASE_LOG].log
    found = await _run(request, log.base_lists, deleted=deleted)
    return _json({"lists": [dataclasses.asdict(x) for x in found]})


@allowed(READ)
async def segments_get(request: web.Request, user: TeamUser) -> web.Response:
    log = request.app[BASE_LOG].log
    found = await _run(request, log.base_segments)
    return _json({"segments": [dataclasses.asdict(s) for s in found]})


@allowed(READ)
async def count(request: web.Request, user: TeamUser) -> web.Response:
    selection = _selection((await _body(request)).get("selection"))
    log = request.app[BASE_LOG].log
    return _json({"count": await _run(request, log.base_count, selection)})


@allowed(READ)
async def ids(request: web.Request, user: TeamUser) -> web.Response:
    from kupon_desktop.base.ui_queries import select_ids

    data = await _body(request)
    selection = _selection(data.get("selection"))
    search = data.get("search", "")
    if not isinstance(search, str):
        raise BadRequest("search", "must be a text", "должно быть текстом")
    log = request.app[BASE_LOG].log
    found = await _run(request, select_ids, log, selection, search[:200])
    return _json({"ids": found.tolist()})


@allowed(READ)
async def rows(request: web.Request, user: TeamUser) -> web.Response:
    data = await _body(request)
    log = request.app[BASE_LOG].log
    if "ids" in data:
        wanted = _ints(data["ids"], "ids", ROWS_IDS_MAX)
        found = await _run(request, log.base_rows, {}, ids=wanted)
    else:
        selection = _selection(data.get("selection"))
        # a selection's rows in one answer only up to the bound: a desk asks ids, then
        # their rows in parts
        size = await _run(request, log.base_count, selection)
        if size > ROWS_IDS_MAX:
            raise BadRequest(
                "selection",
                f"holds {size} contacts: ask its ids, then rows by ids (≤ {ROWS_IDS_MAX})",
                f"в ней {size} контактов: запросите id, затем строки по id (≤ {ROWS_IDS_MAX})",
            )
        found = await _run(request, log.base_rows, selection)
    return _json(dataclasses.asdict(found))


@allowed(READ)
async def find(request: web.Request, user: TeamUser) -> web.Response:
    address = request.query.get("address", "")
    if not address:
        raise BadRequest(
            "address", "must be a phone or an e-mail", "должно быть телефоном или e-mail"
        )
    log = request.app[BASE_LOG].log
    return _json({"contact": await _run(request, log.base_find, address)})


@allowed(READ)
async def card(request: web.Request, user: TeamUser) -> web.Response:
    text = request.match_info["id"]
    if not text.isdigit():
        raise BadRequest("id", "must be a whole number", "должно быть целым числом")
    contact = int(text)

    def read() -> dict[str, Any] | None:
        log = request.app[BASE_LOG].log
        found = log.base_contact(contact)
        if found is None:
            return None
        return {
            "contact": list(found),
            "history": [list(h) for h in log.base_contact_history(contact)],
            "lists": log.base_contact_lists(contact),
            "consent": [dataclasses.asdict(e) for e in log.base_consent_events(contact)],
        }

    found = await _run(request, read)
    if found is None:
        raise NoContact(contact)
    return _json(found)


@allowed(READ)
async def stopped(request: web.Request, user: TeamUser) -> web.Response:
    addresses = (await _body(request)).get("addresses")
    if (
        not isinstance(addresses, list)
        or len(addresses) > MAX_ITEMS
        or not all(isinstance(a, str) for a in addresses)
    ):
        raise BadRequest("addresses", "must be a list of addresses", "должно быть списком адресов")
    log = request.app[BASE_LOG].log
    return _json({"stopped": sorted(await _run(request, log.stopped_among, addresses))})


# -- writes ------------------------------------------------------------------------------


@allowed(WRITE)
async def lists_post(request: web.Request, user: TeamUser) -> web.Response:
    action = request.match_info["action"]
    if action not in LIST_ACTIONS:
        raise BadRequest(
            "action", "must be " + ", ".join(LIST_ACTIONS), "— одно из " + ", ".join(LIST_ACTIONS)
        )
    data = await _body(request)
    name = _text(data, "name")
    log = request.app[BASE_LOG].log
    if action == "rename":
        new = _text(data, "new")
        await _write(
            request, user, "base.list.rename", name, {"new": new}, log.base_rename_list, name, new
        )
        return _json({"renamed": name, "new": new})
    if action == "add":
        selection = _selection(data.get("selection"))
        added = await _write(
            request,
            user,
            "base.list.add",
            name,
            {"selection": selection},
            log.base_add_to_list,
            name,
            selection,
        )
        return _json({"added": added})
    fn = {
        "create": log.base_create_list,
        "delete": log.base_delete_list,
        "restore": log.base_restore_list,
    }[action]
    await _write(request, user, f"base.list.{action}", name, "", fn, name)
    return _json({action: name})


@allowed(WRITE)
async def contacts_remove(request: web.Request, user: TeamUser) -> web.Response:
    data = await _body(request)
    wanted = _ints(data.get("ids"), "ids")
    from_list = data.get("from_list")
    if from_list is not None and not isinstance(from_list, str):
        raise BadRequest("from_list", "must be a list's name", "должно быть именем списка")
    log = request.app[BASE_LOG].log
    removed = await _write(
        request,
        user,
        "base.contacts.remove",
        from_list or "",
        {"ids": len(wanted)},
        log.base_remove_contacts,
        wanted,
        from_list=from_list,
    )
    return _json({"removed": removed})


@allowed(WRITE)
async def tags_post(request: web.Request, user: TeamUser) -> web.Response:
    data = await _body(request)
    tag = _text(data, "tag")
    selection = _selection(data.get("selection"))
    remove = data.get("remove", False)
    if not isinstance(remove, bool):
        raise BadRequest("remove", "must be true or false", "должно быть true или false")
    log = request.app[BASE_LOG].log
    changed = await _write(
        request,
        user,
        "base.tag.remove" if remove else "base.tag",
        tag,
        {"selection": selection},
        log.base_tag,
        tag,
        selection,
        remove=remove,
    )
    return _json({"changed": changed})


@allowed(WRITE)
async def segments_post(request: web.Request, user: TeamUser) -> web.Response:
    action = request.match_info["action"]
    if action not in ("save", "delete"):
        raise BadRequest("action", "must be save or delete", "— save или delete")
    data = await _body(request)
    name = _text(data, "name")
    log = request.app[BASE_LOG].log
    if action == "delete":
        await _write(request, user, "base.segment.delete", name, "", log.base_delete_segment, name)
        return _json({"deleted": name})
    definition = data.get("definition")
    if not isinstance(definition, dict):
        raise BadRequest("definition", "must be a condition", "должно быть условием")
    await _write(
        request,
        user,
        "base.segment.save",
        name,
        definition,
        log.base_save_segment,
        name,
        definition,
    )
    return _json({"saved": name})


@allowed(WRITE)
async def consent(request: web.Request, user: TeamUser) -> web.Response:
    data = await _body(request)
    contact = data.get("contact")
    if not isinstance(contact, int) or isinstance(contact, bool):
        raise BadRequest("contact", "must be a contact id", "должно быть id контакта")
    channel = data.get("channel")
    if channel not in ("phone", "email"):
        raise BadRequest("channel", "must be phone or email", "должно быть phone или email")
    given = data.get("given")
    if not isinstance(given, bool):
        raise BadRequest("given", "must be true or false", "должно быть true или false")
    how = _text(data, "how")
    wording = _text(data, "wording", empty=True) if "wording" in data else ""
    row, at = data.get("row"), data.get("at")
    for name, v in (("row", row), ("at", at)):
        if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
            raise BadRequest(name, "must be a whole number", "должно быть целым числом")
    log = request.app[BASE_LOG].log
    try:
        await _write(
            request,
            user,
            "base.consent.give" if given else "base.consent.withdraw",
            str(contact),
            {"channel": channel, "how": how},
            log.base_consent_record,
            contact,
            channel,
            given=given,
            how=how,
            source=_source(data.get("source")),
            wording=wording,
            row=row,
            at=at,
        )
    except KeyError:
        raise NoContact(contact) from None
    return _json({"recorded": True})


# -- imports -----------------------------------------------------------------------------


def _expire(imports: dict[str, Staged]) -> None:
    now = time.monotonic()
    for key in [k for k, s in imports.items() if now - s.started > IMPORT_TTL]:
        del imports[key]


@allowed(WRITE)
async def import_start(request: web.Request, user: TeamUser) -> web.Response:
    data = await _body(request)
    names = data.get("field_names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise BadRequest("field_names", "must be a list of names", "должно быть списком имён")
    name_field = data.get("name_field")
    if name_field is not None and name_field not in names:
        raise BadRequest("name_field", "must be one of field_names", "должно быть из field_names")
    with_consent = data.get("consent", False)
    if not isinstance(with_consent, bool):
        raise BadRequest("consent", "must be true or false", "должно быть true или false")
    imports = request.app[IMPORTS]
    _expire(imports)
    if len(imports) >= IMPORTS_MAX:
        raise BadRequest(
            "imports",
            f"{IMPORTS_MAX} imports are under way: try again in a moment",
            f"уже идут {IMPORTS_MAX} загрузок: повторите чуть позже",
        )
    key = secrets.token_hex(12)
    imports[key] = Staged(
        user.name,
        time.monotonic(),
        names,
        name_field,
        with_consent,
        columns=[[] for _ in names],
    )
    return _json({"id": key})


def _staged(request: web.Request, user: TeamUser) -> tuple[str, Staged]:
    key = request.match_info["id"]
    found = request.app[IMPORTS].get(key)
    if found is None or found.user != user.name:
        raise NoImport(key)
    return key, found


def _cells(value: Any, name: str, n: int, check: Callable[[str], bool] | None = None) -> list[Any]:
    if not isinstance(value, list) or len(value) != n:
        raise BadRequest(name, f"must be a list of {n} cells", f"должно быть списком из {n} ячеек")
    for i, v in enumerate(value):
        if v is not None and (not isinstance(v, str) or (check is not None and not check(v))):
            raise BadRequest(
                f"{name}[{i}]", "is not a normalized value", "не нормализованное значение"
            )
    return value


@allowed(WRITE)
async def import_rows(request: web.Request, user: TeamUser) -> web.Response:
    _key, staged = _staged(request, user)
    data = await _body(request)
    numbers = _ints(data.get("rows"), "rows", CHUNK_ROWS_MAX)
    n = len(numbers)
    if len(staged.rows) + n > IMPORT_ROWS_MAX:
        raise BadRequest(
            "rows",
            f"an import holds at most {IMPORT_ROWS_MAX} rows",
            f"в одной загрузке не больше {IMPORT_ROWS_MAX} строк",
        )
    phones = _cells(data.get("phones"), "phones", n, str.isdigit)
    emails = _cells(data.get("emails"), "emails", n, lambda e: "@" in e and e == e.lower())
    columns = data.get("columns")
    if not isinstance(columns, list) or len(columns) != len(staged.field_names):
        raise BadRequest(
            "columns", "must be one column per field name", "должно быть по столбцу на поле"
        )
    columns = [_cells(c, f"columns[{k}]", n) for k, c in enumerate(columns)]
    if staged.consent:
        given = data.get("consent")
        if (
            not isinstance(given, list)
            or len(given) != n
            or not all(v in (None, 0, 1) for v in given)
        ):
            raise BadRequest(
                "consent", "must be 1, 0 or null per row", "должно быть 1, 0 или null на строку"
            )
        staged.consents += given
        staged.wording += _cells(data.get("wording"), "wording", n)
    staged.rows += numbers
    staged.phones += phones
    staged.emails += emails
    for held, more in zip(staged.columns, columns, strict=True):
        held += more
    return _json({"rows": len(staged.rows)})


@allowed(WRITE)
async def import_commit(request: web.Request, user: TeamUser) -> web.Response:
    key, staged = _staged(request, user)
    data = await _body(request)
    list_name = data.get("list")
    if list_name is not None and not isinstance(list_name, str):
        raise BadRequest("list", "must be a list's name", "должно быть именем списка")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        raise BadRequest("tags", "must be a list of tags", "должно быть списком меток")
    source = _source(data.get("source"))
    # taken off before the merge: a commit repeated meanwhile finds nothing to merge twice
    del request.app[IMPORTS][key]
    incoming = Incoming(
        rows=staged.rows,
        phones=staged.phones,
        emails=staged.emails,
        consent=staged.consents if staged.consent else None,
        wording=staged.wording if staged.consent else None,
        field_names=staged.field_names,
        name_field=staged.name_field,
        columns=staged.columns,
    )
    log = request.app[BASE_LOG].log
    counts = await _write(
        request,
        user,
        "base.import",
        list_name or "",
        {"file": source.name, "sheet": source.detail, "rows": len(staged.rows), "tags": tags},
        log.base_merge,
        list_name,
        incoming,
        source,
        tags=tags,
    )
    return _json(dataclasses.asdict(counts))

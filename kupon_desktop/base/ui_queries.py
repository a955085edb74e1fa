"""What the window's Base page reads and does that the base's public calls do not cover:
the ids of a selection as a compact array (a million of them in 8 MB), a search over
phone, e-mail and fields, one page of rows, one contact's card, a list renamed.

These run in a worker thread (the window hands them to ``asyncio.to_thread``); each is
one SQL statement or a few, over the SQLite log's own connection and selection
compiler (``store/base.py``), so a million contacts never pass through Python one by one
except as the ids themselves.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kupon_desktop.base.errors import BaseError


def select_ids(log: Any, selection: dict[str, Any], search: str = "") -> array[int]:
    """The ids of a selection (``{}`` for every contact), in id order, narrowed to the
    contacts whose phone, e-mail or any field holds ``search`` (a phone typed any way:
    "8 916 123", "+7 (916)" find 7916123...)."""
    remote = getattr(log, "remote_select_ids", None)
    if remote is not None:  # the team server's base: it runs this very function
        return remote(selection, search)  # type: ignore[no-any-return]
    found, found_params = search_condition(search)
    if not found and set(selection) == {"list"}:
        return _list_ids(log, str(selection["list"]))
    sql = log._compiled(selection or {"all": True})
    where, params = sql.where, list(sql.params)
    if found:
        where = f"({where}) AND {found}"
        params += found_params
    # one string of ids made in SQLite and parsed by numpy: a million ids in about half
    # a second, where a Python row per id took three times as long
    with log._read() as conn:
        sqlite = getattr(conn, "dialect", "sqlite") == "sqlite"
        if "kupon_fold" in found:
            if sqlite:
                conn.create_function("kupon_fold", 1, _fold, deterministic=True)
            else:  # PostgreSQL's lower() folds every alphabet
                where = where.replace("kupon_fold(", "lower(")
        text = conn.execute(
            "SELECT group_concat(id) FROM (SELECT c.id AS id FROM base_contacts AS c "
            f"WHERE {where} ORDER BY c.id) AS picked",
            params,
        ).fetchone()[0]
    return _ids(text, ordered=sqlite)


def _ids(text: str | None, *, ordered: bool) -> array[int]:
    """Ids written "1,2,3" as an array in id order (``ordered``: they came in it;
    PostgreSQL's string_agg promises no order)."""
    import numpy as np

    ids: array[int] = array("q")
    if text:
        parsed = np.fromstring(text, dtype=np.int64, sep=",")
        ids.frombytes((parsed if ordered else np.sort(parsed)).tobytes())
    return ids


def _list_ids(log: Any, name: str) -> array[int]:
    """A list's members straight from its primary key (list, contact): already in id
    order, without a look at the contacts themselves."""
    log._compiled({"list": name})  # an unknown or deleted list: the log's own error
    with log._read() as conn:
        sqlite = getattr(conn, "dialect", "sqlite") == "sqlite"
        text = conn.execute(
            "SELECT group_concat(m.contact) FROM base_members AS m JOIN base_lists AS l "
            "ON l.id = m.list WHERE l.name = ? AND l.deleted_at IS NULL",
            (name,),
        ).fetchone()[0]
    return _ids(text, ordered=sqlite)


def _fold(text: str | None) -> str:
    return "" if text is None else text.lower()


def search_condition(text: str) -> tuple[str, list[Any]]:
    """A WHERE part (over ``base_contacts AS c``) for what the user typed: digits match
    the phone (a national 8 read as 7), anything matches the e-mail or a field's text."""
    typed = text.strip()
    if not typed:
        return "", []
    # kupon_fold: Python's lower() (SQLite's own folds ASCII only: "Москва" would not
    # find "москва"); registered on the connection by select_ids
    fold = "lower" if typed.isascii() else "kupon_fold"  # SQLite's own is C: faster
    parts = ["instr(coalesce(c.email, ''), ?) > 0", f"instr({fold}(c.fields), ?) > 0"]
    params: list[Any] = [typed.lower(), json.dumps(typed.lower(), ensure_ascii=False)[1:-1]]
    digits = re.sub(r"\D", "", typed)
    if len(digits) >= 3 and re.fullmatch(r"[\d\s()+\-.]+", typed):
        parts.append("instr(coalesce(c.phone, ''), ?) > 0")
        params.append(digits)
        if digits.startswith("8") and len(digits) >= 4:
            parts.append("instr(coalesce(c.phone, ''), ?) = 1")
            params.append("7" + digits[1:])
    return "(" + " OR ".join(parts) + ")", params


@dataclass(frozen=True)
class PageRows:
    """Rows of the table for some ids, in their order: phone, e-mail, each field's
    value (by the base's field names), and the consent per channel (1, 0 or None)."""

    ids: list[int]
    phones: list[str]
    emails: list[str]
    fields: list[dict[str, str]]
    consent_phone: list[int | None]
    consent_email: list[int | None]


def page_rows(log: Any, ids: Sequence[int]) -> PageRows:
    rows = log.base_rows({}, ids=list(ids))
    by_id = {i: k for k, i in enumerate(rows.ids)}
    order = [by_id.get(int(i)) for i in ids]

    def pick(column: list[Any], default: Any) -> list[Any]:
        return [default if k is None else column[k] for k in order]

    return PageRows(
        ids=[int(i) for i in ids],
        phones=[p or "" for p in pick(rows.phones, "")],
        emails=[e or "" for e in pick(rows.emails, "")],
        fields=[json.loads(f) if f else {} for f in pick(rows.fields, "{}")],
        consent_phone=pick(rows.consent_phone, None),
        consent_email=pick(rows.consent_email, None),
    )


@dataclass(frozen=True)
class Change:
    """One change of a contact: when, what made it (a file, a campaign, typed), and the
    fields whose value it changed (old → new)."""

    at: int
    kind: str
    source: str
    changed: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Card:
    contact: int
    phone: str
    email: str
    fields: dict[str, str]
    lists: list[str]
    created_at: int
    updated_at: int
    history: list[Change] = field(default_factory=list)
    consent: list[Any] = field(default_factory=list)  # store.base.ConsentEvent
    stopped: list[str] = field(default_factory=list)


def contact_card(log: Any, contact: int) -> Card:
    """A contact with its lists, every change with its date and source (the values
    each change replaced), its consent events and whether its addresses are stopped."""
    found = log.base_contact(int(contact))
    if found is None:
        raise BaseError(f"contact {contact} is not in the base", f"контакта {contact} нет в базе")
    phone, email, fields_json, created, updated = found
    now: dict[str, Any] = {"phone": phone, "email": email, **json.loads(fields_json or "{}")}
    history = log.base_contact_history(int(contact))
    changes: list[Change] = []
    # each history row holds the contact before the change: the next state (or the
    # contact now) says what the change made of it
    for k, (at, kind, name, before) in enumerate(history):
        after = history[k + 1][3] if k + 1 < len(history) else now
        old = _flat(before)
        new = _flat(after)
        changed = {
            key: (old.get(key, ""), new.get(key, ""))
            for key in [*old, *[n for n in new if n not in old]]
            if old.get(key, "") != new.get(key, "")
        }
        changes.append(Change(at, kind, name, changed))
    addresses = [a for a in (phone, email) if a]
    return Card(
        contact=int(contact),
        phone=phone or "",
        email=email or "",
        fields={str(k): "" if v is None else str(v) for k, v in json.loads(fields_json).items()},
        lists=log.base_contact_lists(int(contact)),
        created_at=int(created),
        updated_at=int(updated),
        history=changes,
        consent=log.base_consent_events(int(contact)),
        stopped=sorted(log.stopped_among(addresses)) if addresses else [],
    )


def _flat(state: dict[str, Any]) -> dict[str, str]:
    """A history state (``{"phone", "email", "fields"}`` or already flat) as one dict."""
    out: dict[str, str] = {}
    for key, value in state.items():
        if key == "fields" and isinstance(value, (dict, str)):
            inner = json.loads(value) if isinstance(value, str) else value
            out.update({str(k): "" if v is None else str(v) for k, v in inner.items()})
        elif key in ("phone", "email"):
            out[key] = "" if value is None else str(value)
        elif key not in ("created_at", "updated_at", "id"):
            out[str(key)] = "" if value is None else str(value)
    return out


def rename_list(log: Any, old: str, new: str) -> None:
    """Give a list another name (its members and history stay)."""
    from kupon_desktop.store.base import BaseNameError

    try:
        log.base_rename_list(old, new)
    except BaseNameError as exc:
        raise BaseError(exc.message_en, exc.message_ru) from None


@dataclass(frozen=True)
class Overview:
    """The left pane: every list (deleted ones too) and segment with its size."""

    total: int
    lists: list[tuple[str, int, bool]]  # name, size, deleted
    segments: list[tuple[str, int, dict[str, Any]]]  # name, size, definition
    fields: list[str]
    name_field: str | None
    tags: list[str]
    campaigns: list[tuple[str, str]]  # id, "date name" newest first


def overview(log: Any, *, count_segments: bool = True) -> Overview:
    segments = []
    for s in log.base_segments():
        size = -1
        if count_segments:
            try:
                size = log.base_count({"segment": s.name})
            except BaseError:
                size = -1  # a segment naming a list or campaign since deleted
        segments.append((s.name, size, s.definition))
    campaigns = []
    for c in sorted(log.list_campaigns(), key=lambda c: c.created_at, reverse=True):
        if c.name == "test":
            continue
        label = f"{c.created_at.astimezone():%d.%m.%Y %H:%M} {c.name or c.type}"
        campaigns.append((str(c.id), label))
    fields, name_field = log.base_fields()
    return Overview(
        total=log.base_size(),
        lists=[(x.name, x.size, x.deleted_at is not None) for x in log.base_lists(deleted=True)],
        segments=segments,
        fields=fields,
        name_field=name_field,
        tags=list(log.base_tags()),
        campaigns=campaigns,
    )

"""Segments: saved conditions over the base, evaluated in SQL when used.

A definition is JSON. Conditions::

    {"field": "Город", "op": "equals", "value": "Москва"}      also not_equals, contains
    {"field": "Email", "op": "empty"}                          also not_empty
    {"field": "День рождения", "op": "date", "range": "this_month", "every_year": true}
        range: today, this_week, this_month, next_days / last_days (with "days": N),
        between (with "from" and "to", YYYY-MM-DD); every_year compares month and day
    {"list": "Клиенты"}   {"tag": "vip"}   {"segment": "another saved segment"}
    {"consent": "phone"}  {"consent": "email", "state": "withdrawn"}   (given, withdrawn, none)
    {"outcome": "clicked", "campaign": "last"}   a campaign's id, its name, or "last"
    {"outcome": "delivered", "days": 30, "channel": "viber"}   any campaign of 30 days
        outcome: sent, delivered (read and clicked included), read (clicked included),
        clicked (status 4), undelivered (refused, or a final status that is not delivery)
    {"not": {...}}   {"all": [...]}   {"any": [...]}

:func:`definition_from_options` builds one from the command line's options, all of
them joined by "and". The SQL is in ``kupon_desktop/store/base_sql.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kupon_desktop.base.errors import BadSegment

OUTCOMES = ("sent", "delivered", "read", "clicked", "undelivered")
DATE_RANGES = ("today", "this_week", "this_month", "next_days", "last_days")


def definition_from_options(
    *,
    where: Sequence[str] = (),
    contains: Sequence[str] = (),
    empty: Sequence[str] = (),
    dates: Sequence[str] = (),
    birthdays: Sequence[str] = (),
    lists: Sequence[str] = (),
    tags: Sequence[str] = (),
    consent: Sequence[str] = (),
    outcomes: Sequence[str] = (),
    not_outcomes: Sequence[str] = (),
    raw: str | None = None,
) -> dict[str, Any]:
    """Options as a definition (see the module's grammar):

    ``--where FIELD=VALUE`` (``FIELD!=VALUE``), ``--contains FIELD=TEXT``,
    ``--empty FIELD`` (``!FIELD``: not empty), ``--date FIELD=RANGE``,
    ``--birthday FIELD=RANGE`` (every year), RANGE one of today, this_week, this_month,
    next_days:N, last_days:N, YYYY-MM-DD..YYYY-MM-DD; ``--list``, ``--tag``,
    ``--consent CHANNEL``; ``--outcome GROUP@CAMPAIGN`` (an id, a name, ``last``, or
    ``days:N`` for any campaign of N days, optionally ``days:N:CHANNEL``) and
    ``--not-outcome`` the same; ``--definition JSON`` adds a condition as JSON."""
    conds: list[dict[str, Any]] = []
    for item in where:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadSegment("--where", item, "write FIELD=VALUE", "пишите ПОЛЕ=ЗНАЧЕНИЕ")
        if name.endswith("!"):
            conds.append({"field": name[:-1].strip(), "op": "not_equals", "value": value})
        else:
            conds.append({"field": name.strip(), "op": "equals", "value": value})
    for item in contains:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value:
            raise BadSegment("--contains", item, "write FIELD=TEXT", "пишите ПОЛЕ=ТЕКСТ")
        conds.append({"field": name.strip(), "op": "contains", "value": value})
    for item in empty:
        if item.startswith("!"):
            conds.append({"field": item[1:].strip(), "op": "not_empty"})
        else:
            conds.append({"field": item.strip(), "op": "empty"})
    for option, items, every_year in (("--date", dates, False), ("--birthday", birthdays, True)):
        for item in items:
            conds.append(_date(option, item, every_year))
    conds += [{"list": name} for name in lists]
    conds += [{"tag": name} for name in tags]
    for channel in consent:
        if channel not in ("phone", "email"):
            raise BadSegment("--consent", channel, "use phone or email", "phone или email")
        conds.append({"consent": channel})
    conds += [_outcome("--outcome", item) for item in outcomes]
    conds += [{"not": _outcome("--not-outcome", item)} for item in not_outcomes]
    if raw:
        try:
            extra = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise BadSegment("--definition", raw, f"not JSON ({exc.msg})", "это не JSON") from None
        conds.append(extra)
    if not conds:
        raise BadSegment("segment", "", "give at least one condition", "нужно хотя бы одно условие")
    return conds[0] if len(conds) == 1 else {"all": conds}


def _date(option: str, item: str, every_year: bool) -> dict[str, Any]:
    name, sep, span = item.partition("=")
    if not sep or not name.strip():
        raise BadSegment(option, item, "write FIELD=RANGE", "пишите ПОЛЕ=ПЕРИОД")
    cond: dict[str, Any] = {"field": name.strip(), "op": "date"}
    if every_year:
        cond["every_year"] = True
    kind, _, days = span.partition(":")
    if ".." in span:
        start, _, end = span.partition("..")
        cond.update({"range": "between", "from": start.strip(), "to": end.strip()})
    elif kind in ("next_days", "last_days") and days.isdigit():
        cond.update({"range": kind, "days": int(days)})
    elif span in ("today", "this_week", "this_month"):
        cond["range"] = span
    else:
        raise BadSegment(
            option,
            item,
            "the range is today, this_week, this_month, next_days:N, last_days:N or "
            "YYYY-MM-DD..YYYY-MM-DD",
            "период — today, this_week, this_month, next_days:N, last_days:N или "
            "ГГГГ-ММ-ДД..ГГГГ-ММ-ДД",
        )
    return cond


def _outcome(option: str, item: str) -> dict[str, Any]:
    group, sep, campaign = item.partition("@")
    if group not in OUTCOMES or not sep or not campaign:
        raise BadSegment(
            option,
            item,
            f"write GROUP@CAMPAIGN, GROUP one of {', '.join(OUTCOMES)}, CAMPAIGN an id, a "
            "name, last or days:N",
            f"пишите ГРУППА@РАССЫЛКА, группа — {', '.join(OUTCOMES)}, рассылка — id, имя, "
            "last или days:N",
        )
    if campaign.startswith("days:"):
        _, _, rest = campaign.partition(":")
        days, _, channel = rest.partition(":")
        if not days.isdigit():
            raise BadSegment(option, item, "days:N needs a whole number", "days:N — целое число")
        cond: dict[str, Any] = {"outcome": group, "days": int(days)}
        if channel:
            cond["channel"] = channel
        return cond
    return {"outcome": group, "campaign": campaign}

"""Results across campaigns: the funnel sent → delivered → read → clicked and the cost,
per channel, per list or segment (or file), and per period; exported to XLSX.

Counts come from the log's per-campaign counters (no recipient is scanned). "Delivered"
counts every message whose last status is a delivery or more (read, clicked), "read"
read or clicked, "clicked" status 4. The cost is what was accepted by the platform at
the campaign's own prices, per message as its plan estimated them (each recipient's own
text in SMS segments: the spend cap's figure too), or by the segments of its template for
a campaign that kept no estimate. It is the estimate, not the invoice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from kupon_desktop.errors import pick
from kupon_desktop.vocabulary import STATUSES, MessageType, StatusGroup

BY = ("channel", "source", "day", "week", "month", "campaign")
_DELIVERED = {
    c for c, s in STATUSES.items() if s.group in (StatusGroup.DELIVERED, StatusGroup.ENGAGED)
}
_READ = {c for c, s in STATUSES.items() if s.group is StatusGroup.ENGAGED}
_CLICKED = {4}


@dataclass
class Funnel:
    key: str
    campaigns: int = 0
    recipients: int = 0
    sent: int = 0
    delivered: int = 0
    read: int = 0
    clicked: int = 0
    cost: Decimal = field(default_factory=lambda: Decimal(0))

    def add(self, other: Funnel) -> None:
        self.campaigns += other.campaigns
        self.recipients += other.recipients
        self.sent += other.sent
        self.delivered += other.delivered
        self.read += other.read
        self.clicked += other.clicked
        self.cost += other.cost

    def rate(self, part: int) -> float | None:
        return None if not self.sent else round(part / self.sent, 4)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "campaigns": self.campaigns,
            "recipients": self.recipients,
            "sent": self.sent,
            "delivered": self.delivered,
            "read": self.read,
            "clicked": self.clicked,
            "delivered_rate": self.rate(self.delivered),
            "read_rate": self.rate(self.read),
            "clicked_rate": self.rate(self.clicked),
            "cost": str(self.cost),
        }


def source_label(draft: dict[str, Any]) -> str:
    source = draft.get("_source") or {}
    if "list" in source:
        return f"list: {source['list']}"
    if "segment" in source:
        return f"segment: {source['segment']}"
    if source.get("path"):
        return f"file: {Path(str(source['path'])).name}"
    return "—"


def _cost(draft: dict[str, Any], type_: str, sent: int) -> Decimal:
    from kupon_desktop.audience.cost import Prices, unit_price
    from kupon_desktop.compose.sms import sms_length

    # the plan's estimate, kept with the campaign: each recipient's own text in SMS
    # segments (what the spend cap counts too); a campaign without one, by its template
    per_message = unit_price(draft)
    if per_message:
        return per_message * sent
    rules = draft.get("_audience") or {}
    try:
        prices = Prices.from_mapping(rules.get("prices") or {})
        price = prices.price(type_)
    except ValueError:
        return Decimal(0)
    segments = 1
    if type_ == "sms":
        segments = max(1, sms_length(str(draft.get("text") or "")).segments)
    return price * segments * sent


def campaign_funnels(
    log: Any, *, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[Any, dict[str, Any], Funnel]]:
    """(campaign, its draft, its funnel) for each campaign created in the period."""
    out = []
    for c in log.list_campaigns():
        if c.name == "test":
            continue
        if since is not None and c.created_at < since:
            continue
        if until is not None and c.created_at >= until:
            continue
        draft = log.campaign_draft(c.id)
        counts = c.counts
        statuses = counts.statuses
        sent = int(sum(n for s, n in counts.states.items() if s.value == "accepted"))
        f = Funnel(
            c.id,
            campaigns=1,
            recipients=counts.total,
            sent=sent,
            delivered=sum(n for code, n in statuses.items() if code in _DELIVERED),
            read=sum(n for code, n in statuses.items() if code in _READ),
            clicked=sum(n for code, n in statuses.items() if code in _CLICKED),
            cost=_cost(draft, c.type, sent),
        )
        out.append((c, draft, f))
    return out


def funnel(
    log: Any,
    by: str = "channel",
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Funnel]:
    """The funnel grouped ``by`` channel, source (list, segment, file), day, week,
    month, or campaign; the groups in order of their key."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}")
    groups: dict[str, Funnel] = {}
    for c, draft, f in campaign_funnels(log, since=since, until=until):
        local = c.created_at.astimezone()
        key = {
            "channel": c.type,
            "source": source_label(draft),
            "day": local.strftime("%Y-%m-%d"),
            "week": local.strftime("%G-W%V"),
            "month": local.strftime("%Y-%m"),
            "campaign": f"{local:%Y-%m-%d %H:%M} {c.name or c.type} ({c.id[:8]})",
        }[by]
        groups.setdefault(key, Funnel(key)).add(f)
    return [groups[k] for k in sorted(groups)]


HEADERS = {
    "en": [
        "Group",
        "Campaigns",
        "Recipients",
        "Sent",
        "Delivered",
        "Read",
        "Clicked",
        "Delivered %",
        "Read %",
        "Clicked %",
        "Cost, RUB",
    ],
    "ru": [
        "Группа",
        "Рассылок",
        "Получателей",
        "Отправлено",
        "Доставлено",
        "Прочитано",
        "Переходов",
        "Доставлено, %",
        "Прочитано, %",
        "Переходов, %",
        "Стоимость, ₽",
    ],
}


def export_funnels(
    path: str | Path, tables: Iterable[tuple[str, list[Funnel]]], lang: str = "ru"
) -> None:
    """One sheet per grouping (``(title, funnels)``) in one XLSX."""
    from kupon_desktop.base.consent import write_workbook

    key = "ru" if lang.lower().startswith("ru") else "en"

    def pct(x: float | None) -> Any:
        return "" if x is None else round(100 * x, 2)

    sheets = []
    for title, funnels in tables:
        rows = [
            [
                key_label(f.key, lang),
                f.campaigns,
                f.recipients,
                f.sent,
                f.delivered,
                f.read,
                f.clicked,
                pct(f.rate(f.delivered)),
                pct(f.rate(f.read)),
                pct(f.rate(f.clicked)),
                float(f.cost),
            ]
            for f in funnels
        ]
        sheets.append((title, HEADERS[key], rows))
    write_workbook(Path(path), sheets)


def key_label(key: str, lang: str) -> str:
    """A group's key as a reader of ``lang`` names it: a channel by its name ("sms" ->
    "SMS", "vk" -> "ВКонтакте"), a source with its kind translated ("list: X" ->
    "список: X"); periods and campaigns stay as they are."""
    try:
        channel = MessageType(key)
    except ValueError:
        pass
    else:
        return pick(lang, channel.label_ru, channel.label_en)
    kind, sep, name = key.partition(": ")
    kinds = {
        "list": ("список", "list"),
        "segment": ("сегмент", "segment"),
        "file": ("файл", "file"),
    }
    if sep and kind in kinds:
        ru, en = kinds[kind]
        return f"{pick(lang, ru, en)}: {name}"
    return key


def by_title(by: str, lang: str) -> str:
    titles = {
        "channel": ("По каналам", "By channel"),
        "source": ("По спискам", "By list"),
        "day": ("По дням", "By day"),
        "week": ("По неделям", "By week"),
        "month": ("По месяцам", "By month"),
        "campaign": ("По рассылкам", "By campaign"),
    }
    ru, en = titles[by]
    return pick(lang, ru, en)

"""From a draft and a contact list to a campaign in the log, and back to requests.

``prepare`` turns the rendered messages of a de-duplicated list into the recipients the
log stores (``CampaignSession.plan`` de-duplicates by the address the message type is
actually sent to: a list holding the same phone twice with different e-mails still gets
one SMS).
``message_factory`` rebuilds each recipient's request from the log at send time, so a
resumed campaign sends exactly what was composed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.compose import Draft, Rendered, render, rules_for
from kupon_desktop.compose.placeholders import compile_template


@dataclass
class Prepared:
    """The recipients of a campaign, ready for ``Log.create_campaign``."""

    recipients: list[Any]  # store.models.NewRecipient
    #: (row, row it duplicates) for the rows left out as duplicates of an earlier one
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    #: rows left out because they have no address of the needed kind
    unaddressed: list[int] = field(default_factory=list)


def _same_address(address: str) -> str:
    return address.lower() if "@" in address else address


def prepare(
    draft: Draft,
    contacts: pd.DataFrame,
    fields: pd.DataFrame | None = None,
    *,
    name_column: str | None = None,
    scheduled: Callable[[int], datetime | None] | None = None,
    excluded: Callable[[str], str | None] | None = None,
    rendered: Sequence[Rendered] | None = None,
) -> Prepared:
    """One recipient per rendered message. ``contacts`` are already de-duplicated by the
    address the message type goes to (``CampaignSession.plan`` does it, and reports each
    duplicate); a second message to an address already taken is still never stored, as
    a last guard. ``name_column`` names the personalization column shown as the
    recipient's name in the grid; ``scheduled(row)`` gives a recipient's own send time
    (the send window), ``excluded(address)`` a reason to keep it out (stop list);
    ``rendered`` are ``render(draft, contacts, fields)`` if already made."""
    from kupon_desktop.store.models import NewRecipient

    if rendered is None:
        rendered = render(draft, contacts, fields)
    field_rows: dict[int, dict[str, Any]] = {}
    if fields is not None and len(fields.columns):
        row_numbers = contacts["row"].to_numpy()
        records: list[dict[str, Any]] = (
            fields.astype(object).where(fields.notna(), None).to_dict("records")  # type: ignore[assignment]
        )
        field_rows = dict(zip(row_numbers.tolist(), records, strict=True))
    seen: dict[str, int] = {}
    recipients = []
    duplicates: list[tuple[int, int]] = []
    addressed_rows = set()
    for message in rendered:
        addressed_rows.add(message.row)
        if message.address is None:
            continue
        key = _same_address(message.address)
        if key in seen:
            duplicates.append((message.row, seen[key]))
            continue
        seen[key] = message.row
        values = field_rows.get(message.row, {})
        name = values.get(name_column) if name_column else None
        recipients.append(
            NewRecipient(
                address=message.address,
                text=message.text,
                row=message.row,
                name=None if name is None else str(name),
                fields=json.dumps(values, ensure_ascii=False) if values else None,
                scheduled_at=scheduled(message.row) if scheduled else None,
                excluded=excluded(message.address) if excluded else None,
            )
        )
    unaddressed = sorted(set(contacts["row"].tolist()) - addressed_rows)
    return Prepared(recipients, duplicates, unaddressed)


def envelope_for(draft: Draft) -> Envelope:
    return Envelope(
        type=draft.type,
        sender=draft.sender,
        charset=draft.charset,
        find_token=draft.find_token,
        kannel_status=draft.kannel_status,
    )


def send_time_guard(snapshot: dict[str, Any], draft: Draft) -> Callable[[Any], Any] | None:
    """The send-window check kept with a campaign (its ``_audience`` rules), applied again
    when each message goes out: a campaign resumed at night waits for the morning."""
    rules = snapshot.get("_audience")
    if not rules:
        return None
    from kupon_desktop.audience import AudienceRules, SendTimeGuard

    return SendTimeGuard(AudienceRules.from_dict(rules), send_at=draft.send_at)


def message_factory(
    draft: Draft, send_time: Callable[[Any], Any] | None = None
) -> Callable[[Any], OutgoingMessage]:
    """``recipient -> OutgoingMessage`` (without the callback, which the engine adds).
    The text was rendered when the campaign was created; the HTML is rendered here from
    the recipient's stored fields (it is not kept per recipient: it can be large).
    ``send_time(recipient)``, when given, decides the send time at the moment of sending
    (the send window checked again)."""
    rules = rules_for(draft.type)
    html_tpl = (
        compile_template(draft.html_text, html=True)
        if draft.html_text and rules.enabled("html_text")
        else None
    )
    button = draft.button if rules.enabled("button") and draft.button else None
    action = draft.action if rules.enabled("action") and draft.action else None
    image = draft.image if rules.enabled("image") and draft.image else None
    ttl = draft.ttl if rules.enabled("ttl") else None

    def build(recipient: Any) -> OutgoingMessage:
        html = None
        if html_tpl is not None:
            values = dict(recipient.fields)
            for column in ("phone", "email", "push_token"):
                values.setdefault(column, recipient.address)
            html = html_tpl.render(values)
        send_at = draft.send_at
        own = getattr(recipient, "scheduled_at", None)
        if own is not None:
            send_at = own if send_at is None else max(own, send_at)
        if send_time is not None:
            now_ok = send_time(recipient)
            if now_ok is not None:
                send_at = now_ok if send_at is None else max(now_ok, send_at)
        return OutgoingMessage(
            address=recipient.address,
            text=recipient.text or "",
            html_text=html or None,
            send_at=send_at,
            ttl=ttl,
            button=button,
            action=action,
            image=image,
        )

    return build

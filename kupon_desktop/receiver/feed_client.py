"""The window's side of a server receiver: pulling its event feed into the local log.

For offices whose desktops the platform cannot reach, ``kupon-desktop receiver`` runs on
a server; the platform calls it, and the window polls ``GET /events?after=N`` with the
feed's bearer key, appending what is new to its own log, where the grid's poll applies
it like any local callback. The cursor is kept in the log, so nothing is fetched twice or
missed across restarts (appending the same event twice would be harmless anyway: a
status never moves a recipient backwards).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from kupon_desktop.receiver.codes import store_code_tables
from kupon_desktop.store.models import NewStatusEvent

PAGE = 5000


def feed_url_for(callback_url: str) -> str:
    """``https://host/callback/<secret>`` → ``https://host/events``."""
    parts = urlsplit(callback_url)
    path = parts.path.split("/callback/")[0].rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path + "/events", "", ""))


def _cursor_key(feed_url: str) -> str:
    return "feed_cursor:" + feed_url


async def pull_feed(http: httpx.AsyncClient, feed_url: str, key: str, log: Any) -> int:
    """Fetch every event after the stored cursor and append it to ``log``; returns how
    many were new. Raises ``httpx.HTTPError`` (the caller shows it and tries later)."""
    await asyncio.to_thread(store_code_tables, log)
    stored = await asyncio.to_thread(log.get_meta, _cursor_key(feed_url))
    cursor = int(stored or 0)
    fetched = 0
    while True:
        answer = await http.get(
            feed_url,
            params={"after": cursor, "limit": PAGE},
            headers={"Authorization": f"Bearer {key}"},
        )
        answer.raise_for_status()
        payload = answer.json()
        events = [
            NewStatusEvent(
                platform_id=int(e["platform_id"]),
                code=int(e["code"]),
                campaign=e.get("campaign"),
                recipient=e.get("recipient"),
                raw=str(e.get("raw") or ""),
                received_at=datetime.fromisoformat(e["received_at"]),
            )
            for e in payload.get("events", [])
        ]
        if events:
            await asyncio.to_thread(log.append_status_events, events)
        cursor = int(payload.get("cursor", cursor))
        await asyncio.to_thread(log.set_meta, _cursor_key(feed_url), str(cursor))
        fetched += len(events)
        if len(events) < PAGE:
            return fetched

"""``TeamDesk``: what a desk does with the team server on its local log.

The local log remembers (its ``meta``): the stop list's version pulled and when
(``team_stop_version``, ``team_stop_pulled_at``: the desk's clock when the pull that
succeeded began, so "fresh" never claims more than was seen), up to when its own
additions were pushed, per campaign the approval last heard and the status cursor, and
the callback address the server gave. Offline, the desk works on what it has; the
campaign workflow refuses to send when the stop list's pull is older than the
freshness setting (``stop_list_age``).

Every log call runs in a thread (``asyncio.to_thread``): it may wait for a commit.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

from kupon_desktop.store.models import NewStatusEvent, StopEntry
from kupon_desktop.team.client import TeamClient

STOP_VERSION = "team_stop_version"
STOP_PULLED_AT = "team_stop_pulled_at"
STOP_PUSHED = "team_stop_pushed"
CALLBACK_BASE = "team_callback_base"
#: per campaign: + campaign id
APPROVAL = "team_approval:"
STATUS_CURSOR = "team_status_cursor:"

#: statuses read per request (the server's most)
STATUS_PAGE = 10_000

#: states a team campaign may be sent in
SENDABLE = ("not_needed", "approved")


def _ms() -> int:
    return time.time_ns() // 1_000_000


def _advertising(draft: dict[str, Any]) -> bool:
    """As the campaign was planned: an advertising campaign unless marked a service one."""
    rules = draft.get("_audience") or {}
    return bool(rules.get("advertising", True)) if isinstance(rules, dict) else True


class TeamDesk:
    """``log`` is the desk's own log (a ``Log``); ``desk`` names this computer to the
    team (shown with its campaigns); ``freshness`` is the setting the campaign workflow
    holds the stop list's age to."""

    def __init__(
        self, client: TeamClient, log: Any, *, desk: str = "", freshness: float = 300.0
    ) -> None:
        self.client = client
        self.log = log
        self.desk = desk
        #: seconds a pulled stop list may be old for a campaign to be sent
        self.freshness = freshness
        #: per campaign, the (key, platform id) pairs the server has (this process; a
        #: resent recipient's new id is reported again)
        self._reported: dict[str, set[tuple[int, int]]] = {}

    async def _meta(self, key: str) -> str | None:
        return await asyncio.to_thread(self.log.get_meta, key)

    async def _set_meta(self, key: str, value: str) -> None:
        await asyncio.to_thread(self.log.set_meta, key, value)

    # -- the stop list ------------------------------------------------------------------

    async def push_stop_additions(self) -> int:
        """Send the local stop list's entries added since the last push (a status 22,
        an import, a typed address) to the team; returns how many were new there."""
        mark = int(await self._meta(STOP_PUSHED) or 0)
        started = _ms()

        def recent() -> list[dict[str, Any]]:
            out = []
            for entry in self.log.iter_stop_list():
                at = entry.added_at
                if at is None or int(at.timestamp() * 1000) >= mark:
                    out.append(
                        {
                            "address": entry.address,
                            "kind": entry.kind,
                            "source": entry.source,
                            "note": entry.note,
                        }
                    )
            return out

        entries = await asyncio.to_thread(recent)
        added = 0
        if entries:
            added = int((await self.client.change_stop_list(add=entries))["added"])
        # an entry written while this ran has a time after ``started``: pushed next time
        await self._set_meta(STOP_PUSHED, str(started))
        return added

    async def pull_stop_list(self) -> int:
        """Bring the local stop list up to the team's; returns the version reached."""
        started = _ms()
        since = int(await self._meta(STOP_VERSION) or 0)
        data = await self.client.stop_list(since)

        def apply() -> None:
            adds, removes = [], []
            for e in data["entries"]:
                if e["op"] == "remove":
                    removes.append(e["address"])
                    continue
                at = e.get("at")
                adds.append(
                    StopEntry(
                        e["address"],
                        e["kind"],
                        e.get("source") or "team",
                        e.get("note") or "",
                        datetime.fromtimestamp(at / 1000).astimezone() if at else None,
                    )
                )
            # in the order the server made them: an address added after its removal stays
            if adds:
                self.log.stop_list_add(adds)
            if removes:
                readded = {a.address for a in adds}
                self.log.stop_list_remove([a for a in removes if a not in readded])
            self.log.set_meta(STOP_VERSION, str(int(data["version"])))
            self.log.set_meta(STOP_PULLED_AT, str(started))

        await asyncio.to_thread(apply)
        return int(data["version"])

    async def refresh_stop_list(self) -> int:
        """Push the local additions, then pull the team's list; returns the version."""
        await self.push_stop_additions()
        return await self.pull_stop_list()

    async def stop_list_age(self) -> float | None:
        """Seconds since the last successful pull began (None: never pulled)."""
        at = await self._meta(STOP_PULLED_AT)
        return None if at is None else max(0.0, (_ms() - int(at)) / 1000)

    # -- campaigns ----------------------------------------------------------------------

    async def register(self, campaign_id: str) -> str:
        """Register a local campaign with the team (again: no change) and return its
        approval state, remembered for when the server cannot be asked."""
        from kupon_desktop.store.models import RecipientState

        def describe() -> dict[str, Any]:
            found = self.log.campaign(campaign_id)
            excluded = found.counts.states.get(RecipientState.EXCLUDED, 0)
            return {
                "name": found.name,
                "type": found.type,
                "recipients": found.counts.total - excluded,
                "advertising": _advertising(self.log.campaign_draft(campaign_id)),
            }

        facts = await asyncio.to_thread(describe)
        answer = await self.client.register(campaign_id, desk=self.desk, **facts)
        state = str(answer["approval"])
        await self._set_meta(APPROVAL + campaign_id, state)
        return state

    async def approval(self, campaign_id: str) -> str:
        """The approval state, asked again (register first)."""
        state = str((await self.client.campaign(campaign_id))["approval"])
        await self._set_meta(APPROVAL + campaign_id, state)
        return state

    async def known_approval(self, campaign_id: str) -> str | None:
        return await self._meta(APPROVAL + campaign_id)

    async def callback_base(self) -> str | None:
        """Where the platform reports statuses: the team server's receiver (asked, or as
        last heard when the server cannot be asked)."""
        try:
            base = (await self.client.me()).get("callback_base")
        except Exception:
            return await self._meta(CALLBACK_BASE)
        if base:
            await self._set_meta(CALLBACK_BASE, str(base))
        return str(base) if base else None

    async def report_messages(self, campaign_id: str) -> int:
        """Tell the team the platform ids this campaign's recipients were given."""
        columns = await asyncio.to_thread(
            self.log.read_columns, campaign_id, ["key", "platform_id"]
        )
        done = self._reported.setdefault(campaign_id, set())
        pairs = [
            (int(k), int(p))
            for k, p in zip(columns["key"], columns["platform_id"], strict=True)
            if p is not None and (int(k), int(p)) not in done
        ]
        if not pairs:
            return 0
        new = await self.client.report_messages(campaign_id, pairs)
        done.update(pairs)
        return new

    async def pull_statuses(self, campaign_id: str) -> int:
        """Bring the statuses the team server received for a local campaign into the
        local log (stored as received events, then applied as the receiver's are);
        returns how many recipients' statuses came."""
        key = STATUS_CURSOR + campaign_id
        cursor = int(await self._meta(key) or 0)
        total = 0
        while True:
            data = await self.client.statuses(campaign_id, cursor, limit=STATUS_PAGE)
            rows = data["statuses"]
            if not rows:
                return total
            events = [
                NewStatusEvent(
                    int(s["platform_id"]),
                    int(s["code"]),
                    campaign_id,
                    int(s["recipient"]),
                    "team",
                    datetime.fromtimestamp(int(s["at"]) / 1000).astimezone(),
                )
                for s in rows
            ]

            def store(events: list[NewStatusEvent] = events, upto: int = data["cursor"]) -> None:
                self.log.append_status_events(events)
                self.log.apply_status_events()
                self.log.set_meta(key, str(int(upto)))

            await asyncio.to_thread(store)
            total += len(rows)
            cursor = int(data["cursor"])
            if len(rows) < STATUS_PAGE:
                # caught up as of this read: while callbacks keep coming, asking again
                # at once would read a few rows a request, as fast as the server answers
                return total

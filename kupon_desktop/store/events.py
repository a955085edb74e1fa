"""Status events: appended by the receiver, applied to recipients, read by cursor."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kupon_desktop.store.apply import KANNEL_KEY, ApplyOutcome, apply_range, kannel_codes
from kupon_desktop.store.connection import KEY_BITS, LogBase, now_ms
from kupon_desktop.store.models import (
    AppliedEvents,
    NewStatusEvent,
    PolledChanges,
    StatusEvent,
    from_ms,
    to_ms,
)

_APPLIED = "applied_seq"
_TIED = ("received_at", "recipient", "platform_id", "code", "status", "raw", "rid")
_OTHER = ("received_at", "campaign", "recipient", "platform_id", "code", "status", "raw", "rid")


class EventsMixin(LogBase):
    def append_status_events(self, events: Iterable[NewStatusEvent | tuple[Any, ...]]) -> int:
        """Store events as received, in one transaction committed with an fsync (the
        receiver answers 200 only after this returns); return the seq of the last one
        (the events got consecutive seqs ending there, in the order given), or the
        current cursor if there were none. An event naming a campaign and key of this log
        is tied to that recipient here (``rid``; its campaign is then not stored again:
        ``events_after`` gives it back from the rid), and its Kannel code translated if
        the campaign was sent with the flag (by the table ``set_kannel_codes`` stored);
        others keep ``status`` NULL and are matched by platform id when applied.
        Nothing is applied here: see ``apply_status_events``."""
        default_at = now_ms()
        with self._write(durable=True) as conn:
            kannel_map = kannel_codes(conn)
            campaigns = self._all_campaigns(conn)
            nowhere = (0, False, 0)
            # Runs of tied events and of the others, in the order given. A tied event's
            # row leaves the campaign's UUID out (the rid names it): 36 bytes less per
            # event to write, 15% of the insert; binding None instead would cost more
            # than the text (Python's sqlite3 looks for an adapter for None).
            runs: list[tuple[bool, list[tuple[object, ...]]]] = []
            rows: list[tuple[object, ...]] = []
            tied_run = True
            for pid, code, campaign, key, raw, received_at in events:
                num, kannel, size = campaigns.get(campaign, nowhere)  # type: ignore[arg-type]
                at = default_at if received_at is None else to_ms(received_at)
                tied = size != 0 and key is not None and 0 <= key < size
                if tied != tied_run:
                    if rows:
                        runs.append((tied_run, rows))
                    rows, tied_run = [], tied
                if tied:
                    status = kannel_map.get(code, code) if kannel else code
                    # tied: key is an int here (mypy cannot see it through ``tied``)
                    rid = (num << KEY_BITS) | key  # type: ignore[operator]
                    rows.append((at, key, pid, code, status, raw, rid))
                elif size:  # a campaign of this log, a key it does not have
                    status = kannel_map.get(code, code) if kannel else code
                    rows.append((at, campaign, key, pid, code, status, raw, None))
                else:
                    rows.append((at, campaign, key, pid, code, None, raw, None))
            if rows:
                runs.append((tied_run, rows))
            for tied, rows in runs:
                self._insert_many(conn, "status_events", _TIED if tied else _OTHER, rows)
            return int(
                conn.execute("SELECT coalesce(max(seq), 0) FROM status_events").fetchone()[0]
            )

    def kannel_codes(self) -> dict[int, int]:
        """The table by which the codes of campaigns sent with the Kannel flag become the
        platform's codes (empty until one is stored)."""
        with self._read() as conn:
            return kannel_codes(conn)

    def set_kannel_codes(self, table: Mapping[int, int]) -> None:
        """Store the Kannel code table (the receiver package does, from the wire's own
        table): events appended or applied from then on are translated by it."""
        value = json.dumps(sorted((int(k), int(v)) for k, v in table.items()))
        if self.get_meta(KANNEL_KEY) != value:
            self.set_meta(KANNEL_KEY, value)

    def apply_status_events(
        self, *, batch_size: int = 200_000, max_events: int | None = None
    ) -> AppliedEvents:
        """Apply every event not yet applied (the rules: ``kupon_desktop.store.apply``),
        ``batch_size`` events per committed transaction so that other writers (the
        receiver, the engine) get the file between batches (a batch holds the write
        lock about half a second at most: a million applied in 2.9 s in batches of
        200,000 or of 50,000, 3.9 s in one batch, whose temporary table outgrows
        the page cache; measured here for issue 9). Safe to call from several
        processes at once; cheap when there is nothing new (two queries). Whoever shows
        or acts on statuses calls it: the grid's poll, the engine, ``kupon-desktop
        status``."""
        total, cursor = self._apply_events(batch_size, max_events)
        by_num: dict[int, str] = {}
        if total.new_statuses:
            with self._read() as conn:
                by_num = {num: cid for cid, (num, _, _) in self._all_campaigns(conn).items()}
        return AppliedEvents(
            events=total.events,
            changed=total.changed_count(),
            pending=self.pending_count(),
            cursor=cursor,
            new_statuses={
                by_num.get(num, str(num)): dict(sorted(counter.items()))
                for num, counter in total.new_statuses.items()
            },
        )

    def _apply_events(
        self, batch_size: int, max_events: int | None, grid: int | None = None
    ) -> tuple[ApplyOutcome, int]:
        """The loop of ``apply_status_events``; ``grid``: a campaign number whose changed
        rows to keep (``ApplyOutcome.rows``)."""
        total = ApplyOutcome()
        cursor = self.applied_cursor()
        while max_events is None or total.events < max_events:
            if self.event_cursor() <= cursor:
                break
            limit = batch_size if max_events is None else min(batch_size, max_events - total.events)
            with self._write() as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = ?", (_APPLIED,)).fetchone()
                cursor = int(row[0]) if row else 0  # another process may have moved it
                newest = conn.execute("SELECT coalesce(max(seq), 0) FROM status_events").fetchone()[
                    0
                ]
                upto = min(newest, cursor + limit)  # seqs have no gaps: never deleted
                if upto <= cursor:
                    break
                total.merge(apply_range(conn, cursor, upto, grid))
                cursor = upto
                conn.execute(
                    "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                    "value = excluded.value",
                    (_APPLIED, str(cursor)),
                )
        return total, cursor

    def poll_changes(self, campaign_id: str, cursor: int, columns: Sequence[str]) -> PolledChanges:
        """The grid's poll in one call: apply the new status events, then return what
        changed in ``campaign_id``'s recipients after ``cursor`` (a change cursor:
        ``change_cursor``, then the returned one), as column dicts to apply in order.

        The rows this call's apply changed come from the apply itself instead of being
        read again (issue 9: reading them back cost as much as applying): dicts of numpy
        arrays holding "key" and those of ``columns`` the apply changed (state, status,
        status_at; NaN for "none"; error, cleared, where the state became accepted); a
        column left out did not change. Rows changed by anyone else (the engine, another
        process's apply) are read after the apply, as ``read_columns(keys=…)`` returns
        them, in a dict that comes later: a key in both gets the newer values.
        """
        wanted = ["key", *(c for c in columns if c != "key")]
        with self._read() as conn:
            num = self._num(conn, campaign_id)
        total, _ = self._apply_events(200_000, None, num)
        changes = self.changed_recipients_since(  # type: ignore[attr-defined]
            campaign_id, cursor, skip=frozenset(total.change_seqs)
        )
        if changes.reset:
            return PolledChanges(changes.cursor, [], reset=True)
        updates: list[dict[str, Any]] = [
            {name: values for name, values in found.items() if name in wanted}
            for found in total.rows
        ]
        if changes.keys:
            updates.append(
                self.read_columns(  # type: ignore[attr-defined]
                    campaign_id, wanted, keys=changes.keys
                )
            )
        return PolledChanges(changes.cursor, updates)

    def events_after(self, cursor: int, limit: int = 1000) -> list[StatusEvent]:
        """Up to ``limit`` events with a seq above ``cursor``, oldest first (the feed,
        the status chart). Pass the last seq seen as the next cursor."""
        rows = self._query(
            "SELECT e.seq, e.received_at, coalesce(e.campaign, c.id), e.recipient, "
            "e.platform_id, e.code, e.status, e.raw FROM status_events e "
            f"LEFT JOIN campaigns c ON e.campaign IS NULL AND c.num = e.rid >> {KEY_BITS} "
            "WHERE e.seq > ? ORDER BY e.seq LIMIT ?",
            (int(cursor), int(limit)),
        )
        return [
            StatusEvent(seq, from_ms(at), camp, key, pid, code, status, raw)  # type: ignore[arg-type]
            for seq, at, camp, key, pid, code, status, raw in rows
        ]

    def event_cursor(self) -> int:
        """The seq of the newest event (0 when there is none)."""
        return int(self._query("SELECT coalesce(max(seq), 0) FROM status_events")[0][0])

    def applied_cursor(self) -> int:
        """The seq up to which events have been applied."""
        value = self.get_meta(_APPLIED)
        return int(value) if value else 0

    def pending_count(self) -> int:
        """Events waiting for their platform id to become known."""
        return int(self._query("SELECT count(*) FROM pending_events")[0][0])

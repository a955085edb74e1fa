"""Recipients: the sending transitions (each batch one committed transaction) and the
readers for the engine, the grid and exports."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kupon_desktop.store.apply import match_pending
from kupon_desktop.store.claims import blocking_owner
from kupon_desktop.store.connection import (
    KEY_BITS,
    KEY_MASK,
    LogBase,
    now_ms,
    rid_of,
    unpack_keys,
)
from kupon_desktop.store.errors import CampaignBusy
from kupon_desktop.store.models import Changes, Recipient, RecipientState, from_ms

Q, F, A, R, U, S, X = (
    "queued",
    "in_flight",
    "accepted",
    "rejected",
    "unconfirmed",
    "skipped",
    "excluded",
)


@dataclass(frozen=True)
class _Move:
    """A sending transition for a batch. ``assign`` is the SQL beyond the new state; a
    ``?`` in it takes each row's value (error text or platform id). ``skip`` leaves out
    rows for which the move would change nothing."""

    allowed: tuple[str, ...]
    to: str
    assign: str
    outcome: str | None = None
    durable: bool = False
    skip: str = ""


_MOVES = {
    "in_flight": _Move(
        (Q,), F, "error = NULL, sent_at = :at, attempts = attempts + 1", durable=True
    ),
    "accepted": _Move(
        (F, U, A),
        A,
        "error = NULL, platform_id = coalesce(platform_id, ?)",
        outcome="accepted",
        skip="AND NOT (state = 'accepted' AND platform_id IS NOT NULL)",
    ),
    "rejected": _Move((F, Q), R, "error = ?", outcome="rejected"),
    "unconfirmed": _Move((F,), U, "error = ?", outcome="unconfirmed"),
    "not_sent": _Move((F,), Q, "error = ?", outcome="not_sent"),
    "queued": _Move((U, R, S), Q, "error = NULL"),
    "skipped": _Move((Q, U, R), S, "error = ?"),
    "excluded": _Move((Q,), X, "error = ?"),
}

#: a JSON list of [rid, value] pairs as rows ``j``: the rows, the rid, the value
_PAIRS = {
    "sqlite": ("json_each(?)", "json_extract(j.value, '$[0]')", "json_extract(j.value, '$[1]')"),
    "postgresql": ("jsonb_array_elements(?::jsonb)", "(j.value->>0)::bigint", "(j.value->>1)"),
}


_RECIPIENT_SQL = (
    "SELECT r.key, r.row, r.address, r.name, r.fields, r.text, r.scheduled_at, d.state, "
    "d.platform_id, d.status, d.status_at, d.error, d.sent_at, d.attempts "
    "FROM recipients r JOIN deliveries d ON d.rid = r.rid "
)

#: the columns ``read_columns`` offers: name -> SQL (times stay integer milliseconds)
COLUMNS: dict[str, str] = {
    "key": "r.key",
    "row": "r.row",
    "address": "r.address",
    "name": "r.name",
    "fields": "r.fields",
    "text": "r.text",
    "scheduled_at": "r.scheduled_at",
    "state": "d.state",
    "platform_id": "d.platform_id",
    "status": "d.status",
    "status_at": "d.status_at",
    "error": "d.error",
    "sent_at": "d.sent_at",
    "attempts": "d.attempts",
}


class RecipientsMixin(LogBase):
    # -- the sending transitions -----------------------------------------------------
    #
    # Each call is one committed transaction for a batch and returns the keys it moved,
    # in the order given. A key whose current state does not allow the move is left as it
    # is (a status callback may have made it accepted meanwhile): send only what
    # mark_in_flight returns.

    def mark_in_flight(self, campaign_id: str, keys: Iterable[int]) -> list[int]:
        """``queued`` → ``in_flight``, before the request goes out (committed with an
        fsync: after a power cut a recipient is never thought unsent when it was sent)."""
        return self._move(campaign_id, "in_flight", dict.fromkeys(keys))

    def mark_accepted(self, campaign_id: str, results: Iterable[tuple[int, int]]) -> list[int]:
        """The platform took these: ``(key, platform id)``. From ``in_flight`` or
        ``unconfirmed``; an ``accepted`` one (a callback came first) only gets its id if
        it had none. Events waiting for these ids are applied in the same transaction."""
        return self._move(campaign_id, "accepted", {k: int(pid) for k, pid in results})

    def mark_rejected(self, campaign_id: str, results: Iterable[tuple[int, str]]) -> list[int]:
        """The platform answered with an error: ``(key, its message)``. From
        ``in_flight`` (or ``queued``, for a request refused before it went out)."""
        return self._move(campaign_id, "rejected", _messages(results))

    def mark_unconfirmed(self, campaign_id: str, results: Iterable[tuple[int, str]]) -> list[int]:
        """The outcome is unknown (answer lost): ``(key, what happened)``. Never resent
        automatically; a callback later makes it accepted."""
        return self._move(campaign_id, "unconfirmed", _messages(results))

    def mark_not_sent(self, campaign_id: str, results: Iterable[tuple[int, str]]) -> list[int]:
        """The request surely did not reach the platform: ``in_flight`` → ``queued`` to be
        retried, ``(key, why)`` kept as the error until it goes out again."""
        return self._move(campaign_id, "not_sent", _messages(results))

    def mark_queued(self, campaign_id: str, keys: Iterable[int]) -> list[int]:
        """The user's resend: ``unconfirmed``, ``rejected`` or ``skipped`` → ``queued``."""
        return self._move(campaign_id, "queued", dict.fromkeys(keys))

    def mark_skipped(
        self, campaign_id: str, keys: Iterable[int], reason: str = "skipped by the user"
    ) -> list[int]:
        """The user's skip: ``queued``, ``unconfirmed`` or ``rejected`` → ``skipped``."""
        return self._move(campaign_id, "skipped", dict.fromkeys(keys, str(reason)))

    def mark_excluded(self, campaign_id: str, results: Iterable[tuple[int, str]]) -> list[int]:
        """The audience rules keep these out (e.g. added to the stop list while the
        campaign runs): ``queued`` → ``excluded``, ``(key, reason)``."""
        return self._move(campaign_id, "excluded", _messages(results))

    def _move(self, campaign_id: str, name: str, items: dict[int, Any]) -> list[int]:
        """The shared body of the transitions: find the rows whose state allows the move,
        record the attempt's outcome, move them, adjust counters, log the change. Set-based
        where it can be (one statement for the batch), one prepared update per row where
        each row has its own value."""
        if not items:
            return []
        move = _MOVES[name]
        if "?" in move.assign and name != "accepted":  # error texts: no secret in them
            redact = self.redact
            items = {k: redact(v) for k, v in items.items()}
        at = now_ms()
        allowed = ", ".join(f"'{state}'" for state in move.allowed)
        with self._write(durable=move.durable) as conn:
            num = self._num(conn, campaign_id)
            base = num << KEY_BITS
            if name == "in_flight":
                # the write that lets requests go out: never while another holds the
                # campaign (through another path, or after taking over a hung sender)
                blocker = blocking_owner(conn, num, self._held_claims.get(num), at)
                if blocker is not None:
                    raise CampaignBusy(self.path, blocker)
            values = {rid_of(num, k): v for k, v in items.items()}
            rids = json.dumps(sorted(values))
            moving = conn.execute(
                "SELECT rid, state FROM deliveries WHERE rid IN (SELECT value FROM "
                f"json_each(?)) AND state IN ({allowed}) {move.skip}",
                (rids,),
            ).fetchall()
            if move.outcome is not None:
                accepted = move.outcome == "accepted"
                pairs, rid, value = _PAIRS[self.dialect]
                value = f"CAST({value} AS INTEGER)" if accepted else value
                conn.execute(
                    "INSERT OR IGNORE INTO send_attempts "
                    "SELECT d.rid, d.attempts, d.sent_at, ?, ?, "
                    f"{value if accepted else 'd.platform_id'}, "
                    f"{'NULL' if accepted else value} "
                    f"FROM {pairs} j JOIN deliveries d ON d.rid = {rid}",
                    (at, move.outcome, json.dumps(list(values.items()), ensure_ascii=False)),
                )
            if moving and name == "in_flight":
                self._note_in_flight(conn, num, [rid & KEY_MASK for rid, _ in moving])
            if moving:
                if "?" in move.assign and self.dialect == "postgresql":
                    # one statement for the batch: a round trip per row costs more there
                    value = "(j.value->>1)" + ("::bigint" if name == "accepted" else "")
                    conn.execute(
                        f"UPDATE deliveries SET state = '{move.to}', "
                        f"{move.assign.replace('?', value)} "
                        "FROM jsonb_array_elements(?::jsonb) AS j "
                        "WHERE deliveries.rid = (j.value->>0)::bigint",
                        (
                            json.dumps(
                                [(rid, values[rid]) for rid, _ in moving], ensure_ascii=False
                            ),
                        ),
                    )
                elif "?" in move.assign:
                    conn.executemany(
                        f"UPDATE deliveries SET state = '{move.to}', {move.assign} WHERE rid = ?",
                        [(values[rid], rid) for rid, _ in moving],
                    )
                else:
                    conn.execute(
                        f"UPDATE deliveries SET state = '{move.to}', {move.assign} "
                        "WHERE rid IN (SELECT value FROM json_each(:rids))",
                        {"rids": json.dumps([rid for rid, _ in moving]), "at": at},
                    )
                deltas: Counter[tuple[int, str]] = Counter()
                for _, state in moving:
                    deltas[(num, f"state:{state}")] -= 1
                deltas[(num, f"state:{move.to}")] += len(moving)
                self._bump(conn, deltas)
                self._record_changes(conn, (rid for rid, _ in moving), at)
            if name == "accepted":
                match_pending(conn, values.values())
        moved = {rid for rid, _ in moving}
        return [k for k in items if base | k in moved]

    # -- readers -------------------------------------------------------------------

    def recipients_to_send(
        self, campaign_id: str, limit: int, after_key: int = -1
    ) -> list[Recipient]:
        """Up to ``limit`` ``queued`` recipients with a key above ``after_key``, in key
        order. Walk forward passing the last key seen; when a call returns nothing, one
        more from -1 picks up recipients queued again (resend, not-sent retries)."""
        with self._read() as conn:
            num = self._num(conn, campaign_id)
            base = num << KEY_BITS
            rows = conn.execute(
                _RECIPIENT_SQL + "WHERE d.rid > ? AND d.rid <= ? AND d.state = 'queued' "
                "ORDER BY d.rid LIMIT ?",
                (base + after_key if after_key >= 0 else base - 1, base | KEY_MASK, limit),
            ).fetchall()
        return [_recipient(campaign_id, row) for row in rows]

    def recipients_by_keys(self, campaign_id: str, keys: Iterable[int]) -> list[Recipient]:
        """The recipients with these keys, in key order (unknown keys are left out)."""
        with self._read() as conn:
            num = self._num(conn, campaign_id)
            rids = json.dumps(sorted({rid_of(num, k) for k in keys}))
            rows = conn.execute(
                _RECIPIENT_SQL + "WHERE r.rid IN (SELECT value FROM json_each(?)) ORDER BY r.rid",
                (rids,),
            ).fetchall()
        return [_recipient(campaign_id, row) for row in rows]

    def recipient(self, campaign_id: str, key: int) -> Recipient:
        found = self.recipients_by_keys(campaign_id, [key])
        if not found:
            raise KeyError(f"campaign {campaign_id} has no recipient {key}")
        return found[0]

    def iter_recipients(
        self,
        campaign_id: str,
        *,
        states: Iterable[RecipientState | str] | None = None,
        statuses: Iterable[int] | None = None,
        batch_size: int = 5000,
    ) -> Iterator[Recipient]:
        """Every recipient in key order (for exports), optionally only those in
        ``states`` or whose last status is in ``statuses``. Reads page by page, so other
        threads and writers are not held up while the caller works."""
        with self._read() as conn:
            num = self._num(conn, campaign_id)
        base = num << KEY_BITS
        where = ""
        extra: list[Any] = []
        if states is not None:
            where += " AND d.state IN (SELECT CAST(value AS TEXT) FROM json_each(?))"
            extra.append(json.dumps([RecipientState(s).value for s in states]))
        if statuses is not None:
            where += " AND d.status IN (SELECT value FROM json_each(?))"
            extra.append(json.dumps([int(s) for s in statuses]))
        last = base - 1
        while True:
            rows = self._query(
                _RECIPIENT_SQL
                + "WHERE r.rid > ? AND r.rid <= ?"
                + where
                + " ORDER BY r.rid LIMIT ?",
                (last, base | KEY_MASK, *extra, batch_size),
            )
            if not rows:
                return
            for row in rows:
                yield _recipient(campaign_id, row)
            last = base | rows[-1][0]

    def read_columns(
        self, campaign_id: str, columns: Sequence[str], *, keys: Iterable[int] | None = None
    ) -> dict[str, list[Any]]:
        """Whole columns of a campaign in key order, as lists: the fast load for a grid
        of a million rows (no object per row). Names are those of ``COLUMNS``; times are
        integer milliseconds since the epoch (UTC). ``keys`` limits it to those rows."""
        unknown = [c for c in columns if c not in COLUMNS]
        if unknown:
            raise ValueError(f"unknown recipient columns {unknown}; known: {list(COLUMNS)}")
        select = ", ".join(COLUMNS[c] for c in columns)
        with self._read() as conn:
            num = self._num(conn, campaign_id)
            base = num << KEY_BITS
            sql = f"SELECT {select} FROM recipients r JOIN deliveries d ON d.rid = r.rid "
            if keys is None:
                cursor = conn.execute(
                    sql + "WHERE r.rid BETWEEN ? AND ? ORDER BY r.rid", (base, base | KEY_MASK)
                )
            else:
                rids = json.dumps(sorted({rid_of(num, k) for k in keys}))
                cursor = conn.execute(
                    sql + "WHERE r.rid IN (SELECT value FROM json_each(?)) ORDER BY r.rid",
                    (rids,),
                )
            out: dict[str, list[Any]] = {c: [] for c in columns}
            lists = [out[c] for c in columns]
            # in chunks: a million row tuples at once would double the peak memory
            while chunk := cursor.fetchmany(20_000):
                for target, values in zip(lists, zip(*chunk, strict=True), strict=True):
                    target.extend(values)
        return out

    def send_attempts(self, campaign_id: str, key: int) -> list[dict[str, Any]]:
        """A recipient's requests and their outcomes, oldest first."""
        with self._read() as conn:
            num = self._num(conn, campaign_id)
            rows = conn.execute(
                "SELECT started_at, finished_at, outcome, platform_id, message "
                "FROM send_attempts WHERE rid = ? ORDER BY attempt",
                (rid_of(num, key),),
            ).fetchall()
        return [
            {
                "started_at": from_ms(s),
                "finished_at": from_ms(f),
                "outcome": o,
                "platform_id": p,
                "message": m,
            }
            for s, f, o, p, m in rows
        ]

    # -- the grid's poll -------------------------------------------------------------

    def change_cursor(self) -> int:
        """The cursor that makes ``changed_recipients_since`` return only later changes
        (take it before a full load of the grid)."""
        return int(self._query("SELECT coalesce(max(seq), 0) FROM changes")[0][0])

    def changed_recipients_since(
        self, campaign_id: str, cursor: int, *, skip: Collection[int] = ()
    ) -> Changes:
        """Keys of ``campaign_id``'s recipients changed after ``cursor`` (sorted, each
        once) and the next cursor. Reads only the change rows written since: cheap to
        call every 500 ms. Then read those rows with ``recipients_by_keys`` or
        ``read_columns(keys=…)``. ``skip``: seqs of change rows the caller already has
        (``poll_changes``: those its own apply wrote)."""
        with self._read() as conn:
            num = self._num(conn, campaign_id)
            top = conn.execute("SELECT coalesce(max(seq), 0), min(seq) FROM changes").fetchone()
            newest, oldest = int(top[0]), top[1]
            if cursor > newest:
                return Changes(newest, [], reset=True)  # a cursor from another log
            if oldest is not None and cursor < oldest - 1:
                return Changes(newest, [], reset=True)  # pruned past it
            keys: set[int] = set()
            for seq, blob in conn.execute(
                "SELECT seq, keys FROM changes WHERE seq > ? AND seq <= ? AND campaign = ?",
                (cursor, newest, num),
            ):
                if seq not in skip:
                    keys.update(unpack_keys(blob))
        return Changes(newest, sorted(keys))


def _messages(results: Iterable[tuple[int, Any]]) -> dict[int, str]:
    return {key: str(message) for key, message in results}


def _recipient(campaign_id: str, row: Sequence[Any]) -> Recipient:
    (
        key,
        file_row,
        address,
        name,
        fields,
        text,
        scheduled,
        state,
        pid,
        status,
        status_at,
        error,
        sent_at,
        attempts,
    ) = row
    return Recipient(
        campaign=campaign_id,
        key=key,
        row=file_row,
        address=address,
        name=name,
        fields_json=fields,
        text=text,
        scheduled_at=datetime.fromisoformat(scheduled) if scheduled else None,
        state=RecipientState(state),
        platform_id=pid,
        status=status,
        status_at=from_ms(status_at),
        error=error,
        sent_at=from_ms(sent_at),
        attempts=attempts,
    )

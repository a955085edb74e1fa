"""Campaigns: creating one with its recipients, its state, counts, and crash recovery."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kupon_desktop.store.claims import (
    CampaignClaim,
    ClaimLock,
    _FileLock,
    blocking_owner,
    describe,
    held_here,
    lock_path,
    this_host,
)
from kupon_desktop.store.connection import KEY_BITS, KEY_MASK, LogBase, now_ms
from kupon_desktop.store.errors import LogReadOnly
from kupon_desktop.store.models import (
    CAMPAIGN_TRANSITIONS,
    Campaign,
    CampaignState,
    Counts,
    NewRecipient,
    RecipientState,
    from_ms,
)

_STATES = tuple(RecipientState)
INTERRUPTED_ERROR = "no answer: the program stopped while this message was being sent"

_CAMPAIGN_COLUMNS = (
    "num, id, name, type, state, state_reason, kannel, created_at, updated_at, "
    "started_at, finished_at"
)


_RECIPIENT_COLUMNS = (
    "rid",
    "campaign",
    "key",
    "row",
    "address",
    "name",
    "fields",
    "text",
    "scheduled_at",
)


class CampaignsMixin(LogBase):
    # -- creating ------------------------------------------------------------------

    def create_campaign(
        self,
        draft: Mapping[str, Any] | str,
        type: str,
        recipients: Iterable[NewRecipient | tuple[Any, ...]],
        *,
        name: str = "",
        kannel: bool = False,
        campaign_id: str | None = None,
    ) -> str:
        """Store a campaign (state ``draft``) and all its recipients (``queued``, or
        ``excluded`` with a reason) in one transaction; return its id (a UUID).

        ``recipients`` yields :class:`NewRecipient` (or 7-tuples in its order); a
        recipient's key is its position, from 0. ``draft`` is the composed draft as a
        JSON-ready mapping (or JSON text); ``kannel`` is whether its messages ask for
        Kannel status codes (the receiver and the apply step translate them).
        """
        cid = str(uuid.UUID(campaign_id)) if campaign_id else str(uuid.uuid4())
        draft_json = draft if isinstance(draft, str) else json.dumps(draft, ensure_ascii=False)
        at = now_ms()
        excluded: list[tuple[str, int]] = []
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO campaigns (id, name, type, state, kannel, draft, created_at, "
                "updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING num",
                (cid, name, str(type), int(bool(kannel)), draft_json, at, at),
            )
            num = int(cur.fetchone()[0])
            base = num << KEY_BITS
            total = self._insert_many(
                conn,
                "recipients",
                _RECIPIENT_COLUMNS,
                _recipient_rows(recipients, num, base, excluded),
                named=False,
            )
            conn.execute("UPDATE campaigns SET size = ? WHERE num = ?", (total, num))
            # the ledger rows in one set-based statement: no Python per row
            conn.execute(
                "INSERT INTO deliveries (rid, state) SELECT rid, 'queued' FROM recipients "
                "WHERE rid BETWEEN ? AND ?",
                (base, base | KEY_MASK),
            )
            if excluded:
                conn.executemany(
                    "UPDATE deliveries SET state = 'excluded', error = ? WHERE rid = ?",
                    ((reason, base | key) for reason, key in excluded),
                )
            counts: Counter[tuple[int, str]] = Counter()
            for state in _STATES:
                counts[(num, f"state:{state.value}")] = 0
            counts[(num, "state:queued")] = total - len(excluded)
            counts[(num, "state:excluded")] = len(excluded)
            conn.executemany(
                "INSERT INTO counts VALUES (?, ?, ?)",
                [(n, name_, v) for (n, name_), v in counts.items()],
            )
        self._campaign_nums[cid] = num
        return cid

    # -- reading -------------------------------------------------------------------

    def campaign(self, campaign_id: str) -> Campaign:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ?", (str(campaign_id),)
            ).fetchone()
            if row is None:
                raise KeyError(f"no campaign {campaign_id!r} in the log {self.path}")
            return self._campaign_from_row(row, _counts_of(conn, row[0]))

    def list_campaigns(self) -> list[Campaign]:
        """Every campaign, newest first, with its counts (the History page)."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns ORDER BY created_at DESC, num DESC"
            ).fetchall()
            all_counts = _counts_all(conn)
        return [
            self._campaign_from_row(row, all_counts.get(row[0]) or _empty_counts()) for row in rows
        ]

    def campaign_draft(self, campaign_id: str) -> dict[str, Any]:
        rows = self._query("SELECT draft FROM campaigns WHERE id = ?", (str(campaign_id),))
        if not rows:
            raise KeyError(f"no campaign {campaign_id!r} in the log {self.path}")
        return dict(json.loads(rows[0][0]))

    def update_campaign_draft(self, campaign_id: str, changes: Mapping[str, Any]) -> None:
        """Merge ``changes`` into a campaign's kept draft (its settings for a resume)."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT draft FROM campaigns WHERE id = ?", (str(campaign_id),)
            ).fetchone()
            if row is None:
                raise KeyError(f"no campaign {campaign_id!r} in the log {self.path}")
            draft = dict(json.loads(row[0]))
            draft.update(changes)
            conn.execute(
                "UPDATE campaigns SET draft = ? WHERE id = ?",
                (json.dumps(draft, ensure_ascii=False), str(campaign_id)),
            )

    def counts(self, campaign_id: str) -> Counts:
        with self._read() as conn:
            num = self._num(conn, campaign_id)
            return _counts_of(conn, num)

    def recount(self, campaign_id: str) -> Counts:
        """Rebuild a campaign's counters from its rows (a check; they are kept exact)."""
        with self._write() as conn:
            num = self._num(conn, campaign_id)
            base = num << KEY_BITS
            conn.execute("DELETE FROM counts WHERE campaign = ?", (num,))
            rows: list[tuple[int, str, int]] = [(num, f"state:{s.value}", 0) for s in _STATES]
            found = dict.fromkeys((r[1] for r in rows), 0)
            for state, n in conn.execute(
                "SELECT state, count(*) FROM deliveries WHERE rid BETWEEN ? AND ? GROUP BY state",
                (base, base | KEY_MASK),
            ):
                found[f"state:{state}"] = n
            for status, n in conn.execute(
                "SELECT status, count(*) FROM deliveries WHERE rid BETWEEN ? AND ? "
                "AND status IS NOT NULL GROUP BY status",
                (base, base | KEY_MASK),
            ):
                found[f"status:{status}"] = n
            conn.executemany(
                "INSERT INTO counts VALUES (?, ?, ?)", [(num, k, v) for k, v in found.items()]
            )
            return _counts_of(conn, num)

    def missing_rows(self, campaign_id: str) -> str | None:
        """What a damaged file lost of this campaign without SQLite noticing (a page of
        rows gone reads as fewer rows, not as an error): its recipients and their
        states counted against its size and its counters. None when all are there."""
        with self._read() as conn:
            num = self._num(conn, campaign_id)
            base = num << KEY_BITS
            size = conn.execute("SELECT size FROM campaigns WHERE num = ?", (num,)).fetchone()[0]
            found = [
                conn.execute(
                    f"SELECT count(*) FROM {table} WHERE rid BETWEEN ? AND ?",
                    (base, base | KEY_MASK),
                ).fetchone()[0]
                for table in ("recipients", "deliveries")
            ]
            counted = _counts_of(conn, num).total
        if found[0] == found[1] == size == counted:
            return None
        return (
            f"campaign {campaign_id} has {size} recipients; {found[0]} are in the file, "
            f"{found[1]} with their state"
        )

    @staticmethod
    def _campaign_from_row(row: tuple[Any, ...], counts: Counts) -> Campaign:
        (_num, cid, name, type_, state, reason, kannel, created, updated, started, finished) = row
        return Campaign(
            id=cid,
            name=name,
            type=type_,
            state=CampaignState(state),
            state_reason=reason,
            kannel=bool(kannel),
            created_at=from_ms(created),  # type: ignore[arg-type]
            updated_at=from_ms(updated),  # type: ignore[arg-type]
            started_at=from_ms(started),
            finished_at=from_ms(finished),
            counts=counts,
        )

    # -- state -------------------------------------------------------------------------

    def set_campaign_state(
        self, campaign_id: str, state: CampaignState | str, reason: str | None = None
    ) -> None:
        """Move a campaign to ``state`` (``reason`` says why, e.g. why it paused).
        Setting the state it already has only updates the reason; a move the state
        machine does not allow (e.g. out of ``cancelled``) raises ValueError."""
        new = CampaignState(state)
        at = now_ms()
        if reason is not None:
            reason = self.redact(reason)
        with self._write() as conn:
            row = conn.execute(
                "SELECT state FROM campaigns WHERE id = ?", (str(campaign_id),)
            ).fetchone()
            if row is None:
                raise KeyError(f"no campaign {campaign_id!r} in the log {self.path}")
            old = CampaignState(row[0])
            if new != old and new not in CAMPAIGN_TRANSITIONS[old]:
                raise ValueError(f"campaign {campaign_id} cannot go from {old} to {new}")
            conn.execute(
                "UPDATE campaigns SET state = ?, state_reason = ?, updated_at = ?, "
                "started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) "
                "ELSE started_at END, "
                "finished_at = CASE WHEN ? IN ('finished', 'cancelled') THEN ? "
                "WHEN ? = 'running' THEN NULL ELSE finished_at END "
                "WHERE id = ?",
                (new.value, reason, at, new.value, at, new.value, at, new.value, str(campaign_id)),
            )

    def claim_campaign(self, campaign_id: str) -> CampaignClaim:
        """Take the right to send ``campaign_id`` for as long as the returned claim is
        held (use it as a context manager). Raises CampaignBusy if a live process holds
        it, through whatever path it opened the file. ``recover_interrupted`` never
        touches a claimed campaign, and ``mark_in_flight`` refuses while another holds
        it."""
        with self._read() as conn:
            self._num(conn, campaign_id)
        if self.readonly:
            raise LogReadOnly(self.path, "opened read-only")
        return CampaignClaim(self, str(campaign_id)).acquire()

    # what CampaignClaim calls: each one short write transaction

    def _claim_lock(self, campaign_id: str) -> ClaimLock:
        if self.dialect == "sqlite":
            return _FileLock(lock_path(Path(self.path).resolve(), campaign_id))
        return _AdvisoryLock(self, campaign_id)

    def _take_claim(self, campaign_id: str, token: str) -> str | None:
        at = now_ms()
        with self._write() as conn:
            num = self._num(conn, campaign_id)
            if self.dialect == "sqlite":
                blocker = blocking_owner(conn, num, None, at)
            else:
                # the advisory lock, taken before, is the answer for every other session:
                # a row left by a holder whose session ended, however it ended, is taken
                # over. The lock is re-entrant, so a claim held in this process (by this
                # very connection, maybe) is found by its token.
                row = conn.execute(
                    "SELECT owner, host, pid FROM claims WHERE campaign = ?", (num,)
                ).fetchone()
                blocker = describe(row[1], int(row[2])) if row and held_here(row[0]) else None
            if blocker is not None:
                return blocker
            conn.execute(
                "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (campaign) DO UPDATE "
                "SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, "
                "taken_at = excluded.taken_at, heartbeat = excluded.heartbeat",
                (num, token, this_host(), os.getpid(), at, at),
            )
        self._held_claims[num] = token
        return None

    def _beat_claim(self, campaign_id: str, token: str) -> bool:
        with self._write() as conn:
            num = self._num(conn, campaign_id)
            return bool(
                conn.execute(
                    "UPDATE claims SET heartbeat = ? WHERE campaign = ? AND owner = ?",
                    (now_ms(), num, token),
                ).rowcount
            )

    def _drop_claim(self, campaign_id: str, token: str) -> None:
        num = self._campaign_nums.get(campaign_id)
        if num is not None and self._held_claims.get(num) == token:
            del self._held_claims[num]
        if self._conn is None:
            return  # closed: the row is free once this process is gone
        with self._write() as conn:
            conn.execute(
                "DELETE FROM claims WHERE campaign = (SELECT num FROM campaigns WHERE id = ?) "
                "AND owner = ?",
                (campaign_id, token),
            )

    def recover_interrupted(self) -> list[Campaign]:
        """Call at start-up. Every campaign left ``running`` by a process that is gone
        (its claim is free) becomes ``interrupted``; its ``in_flight`` recipients become
        ``unconfirmed`` (their request may or may not have reached the platform, so they
        are never resent automatically). Returns those campaigns."""
        if self.readonly:
            raise LogReadOnly(self.path, "opened read-only")
        found = self._query("SELECT id FROM campaigns WHERE state = 'running'")
        recovered: list[str] = []
        for (cid,) in found:
            claim = CampaignClaim(self, cid)
            if not claim.try_acquire():
                continue  # a live window or command is sending it
            try:
                self._recover_one(cid)
                recovered.append(cid)
            finally:
                claim.release()
        return [self.campaign(cid) for cid in recovered]

    def _recover_one(self, campaign_id: str) -> None:
        at = now_ms()
        with self._write(durable=True) as conn:
            row = conn.execute(
                "SELECT num, state FROM campaigns WHERE id = ?", (campaign_id,)
            ).fetchone()
            if row is None or row[1] != CampaignState.RUNNING:
                return
            num = row[0]
            base = num << KEY_BITS
            moved = conn.execute(
                "UPDATE deliveries SET state = 'unconfirmed', error = ? "
                "WHERE rid BETWEEN ? AND ? AND state = 'in_flight' "
                "RETURNING rid, attempts, sent_at, platform_id",
                (INTERRUPTED_ERROR, base, base | KEY_MASK),
            ).fetchall()
            if moved:
                conn.executemany(
                    "INSERT OR IGNORE INTO send_attempts VALUES (?, ?, ?, ?, 'interrupted', ?, ?)",
                    [(rid, n, sent, at, pid, INTERRUPTED_ERROR) for rid, n, sent, pid in moved],
                )
                self._bump(
                    conn,
                    Counter(
                        {
                            (num, "state:in_flight"): -len(moved),
                            (num, "state:unconfirmed"): len(moved),
                        }
                    ),
                )
                self._record_changes(conn, (row[0] for row in moved), at)
            conn.execute(
                "UPDATE campaigns SET state = 'interrupted', state_reason = ?, updated_at = ? "
                "WHERE num = ?",
                ("the program stopped while the campaign was being sent", at, num),
            )


def _recipient_rows(
    recipients: Iterable[NewRecipient | tuple[Any, ...]],
    num: int,
    base: int,
    excluded: list[tuple[str, int]],
) -> Iterator[tuple[Any, ...]]:
    """Rows for ``recipients``: the hot loop of a million-row insert, kept plain."""
    dumps = json.dumps
    for key, item in enumerate(recipients):
        if key > KEY_MASK:
            raise ValueError(f"a campaign holds at most {KEY_MASK + 1} recipients")
        address, text, row, name, fields, scheduled_at, excl = item
        if fields is not None and not isinstance(fields, str):
            fields = dumps(fields, ensure_ascii=False)
        if scheduled_at is not None:
            scheduled_at = scheduled_at.isoformat()
        if excl:
            excluded.append((str(excl), key))
        yield (base | key, num, key, row, address, name, fields, text, scheduled_at)


def _empty_counts() -> Counts:
    return Counts(0, dict.fromkeys(RecipientState, 0), {})


def _counts_of(conn: sqlite3.Connection, num: int) -> Counts:
    """The counts of campaign ``num``."""
    return _counts_all(conn, num).get(num) or _empty_counts()


def _counts_all(conn: sqlite3.Connection, num: int | None = None) -> dict[int, Counts]:
    """Counts per campaign number (of every campaign, or of ``num`` only)."""
    if num is None:
        rows = conn.execute("SELECT campaign, name, n FROM counts").fetchall()
    else:
        rows = conn.execute(
            "SELECT campaign, name, n FROM counts WHERE campaign = ?", (num,)
        ).fetchall()
    states: dict[int, dict[RecipientState, int]] = {}
    statuses: dict[int, dict[int, int]] = {}
    for campaign, name, n in rows:
        kind, _, value = name.partition(":")
        if kind == "state":
            states.setdefault(campaign, dict.fromkeys(RecipientState, 0))[RecipientState(value)] = n
        elif kind == "status" and n:
            statuses.setdefault(campaign, {})[int(value)] = n
    return {
        c: Counts(sum(s.values()), s, dict(sorted(statuses.get(c, {}).items())))
        for c, s in states.items()
    }


class _AdvisoryLock:
    """A claim's lock on PostgreSQL: a session-level advisory lock held by the log's own
    connection; the server releases it when that session ends, however the program
    ends."""

    def __init__(self, log_: CampaignsMixin, campaign_id: str) -> None:
        self._log = log_
        self._campaign_id = campaign_id
        self._num: int | None = None

    def _key(self) -> str:
        from kupon_desktop.store.pg import CLAIM_LOCK

        with self._log._read() as conn:
            self._num = self._log._num(conn, self._campaign_id)
        return f"{CLAIM_LOCK}, {int(self._num)}"

    def try_acquire(self) -> bool:
        key = self._key()
        return bool(self._log._query(f"SELECT pg_try_advisory_lock({key})")[0][0])

    def owner(self) -> str:
        rows = self._log._query(
            "SELECT host, pid FROM claims WHERE campaign = ?", (self._num if self._num else -1,)
        )
        return describe(str(rows[0][0]), int(rows[0][1])) if rows else ""

    def release(self) -> None:
        from kupon_desktop.store.pg import CLAIM_LOCK

        if self._num is None or self._log._conn is None:
            return  # closed: the server released it with the session
        self._log._query(f"SELECT pg_advisory_unlock({CLAIM_LOCK}, {int(self._num)})")

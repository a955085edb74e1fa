"""The team server's own tables: users and their keys, the audit log, the shared stop
list's versions, the team's campaigns, the platform ids desks were given, the statuses
per recipient, and the approval policy (issue 22).

Only the server's log holds rows here; a desk's log has the tables empty. The SQL is
plain and portable (the same migration and statements run on PostgreSQL): numbers that
readers page by (the stop list's version, the statuses' cursor, the audit's order) come
from ``team_counters`` rows taken with ``UPDATE … RETURNING`` in the writing
transaction, so on a server with concurrent writers they are committed in the order
they were given and a reader paging by them never skips one.

Keys are random 32-byte tokens: only their SHA-256 is stored, which is as strong as a
slow hash for a key that no person chose.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kupon_desktop.store.apply import rank_sql
from kupon_desktop.store.connection import LogBase, now_ms
from kupon_desktop.store.models import StopEntry
from kupon_desktop.store.stoplist import _KINDS, _key
from kupon_desktop.vocabulary import advances

ROLES = ("sender", "approver", "viewer")

#: approval states of a team campaign
NOT_NEEDED = "not_needed"
NEEDED = "needed"
APPROVED = "approved"

_POLICY_OVER = "team_approve_over"
_POLICY_ADVERTISING = "team_approve_advertising"


class OwnCampaign(Exception):
    """An approver asked to approve a campaign they registered themselves."""


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TeamUser:
    name: str
    role: str
    created_at: int
    revoked_at: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
        }


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: int
    user: str
    action: str
    object: str
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": datetime.fromtimestamp(self.at / 1000, UTC).isoformat(timespec="milliseconds"),
            "user": self.user,
            "action": self.action,
            "object": self.object,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Policy:
    approve_over: int | None = None  # recipients; None: no limit
    approve_advertising: bool = False

    def needs_approval(self, recipients: int, advertising: bool) -> bool:
        if self.approve_advertising and advertising:
            return True
        return self.approve_over is not None and recipients > self.approve_over

    def as_json(self) -> dict[str, Any]:
        return {"approve_over": self.approve_over, "approve_advertising": self.approve_advertising}


@dataclass(frozen=True, slots=True)
class StopChange:
    """One change of the shared stop list: ``op`` is "add" or "remove"."""

    version: int
    op: str
    address: str
    kind: str
    at: int
    source: str = ""
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "op": self.op,
            "address": self.address,
            "kind": self.kind,
            "at": self.at,
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class TeamCampaign:
    id: str
    name: str
    type: str
    recipients: int
    advertising: bool
    desk: str
    user: str
    created_at: int
    approval: str
    approved_by: str | None
    approved_at: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "recipients": self.recipients,
            "advertising": self.advertising,
            "desk": self.desk,
            "user": self.user,
            "created_at": self.created_at,
            "approval": self.approval,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
        }


@dataclass(frozen=True, slots=True)
class TeamStatus:
    """A recipient's latest status as the server received it; ``code`` as the platform
    sent it (a desk translates a Kannel code itself, knowing its campaign's mode)."""

    cursor: int
    recipient: int
    platform_id: int
    code: int
    at: int

    def as_json(self) -> dict[str, Any]:
        return {
            "cursor": self.cursor,
            "recipient": self.recipient,
            "platform_id": self.platform_id,
            "code": self.code,
            "at": self.at,
        }


_CAMPAIGN_COLUMNS = (
    "id, name, type, recipients, advertising, desk, user_name, created_at, approval, "
    "approved_by, approved_at"
)


#: a recipient's status becomes the event's if the event is later than the one stored
#: and ranks higher (as on a desk, ``vocabulary.advances``: a callback the platform
#: retried after the server was down comes after the final status and must not move
#: it back); each change carries its new cursor (a row left as it was leaves its cursor
#: unused: readers page by ``change_seq >``, so a gap skips nothing)
_UPSERT_STATUS = (
    "INSERT INTO team_statuses (campaign, recipient, platform_id, code, at, event_seq, "
    "change_seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign, recipient) DO UPDATE "
    "SET platform_id = excluded.platform_id, code = excluded.code, at = excluded.at, "
    "event_seq = excluded.event_seq, change_seq = excluded.change_seq "
    "WHERE team_statuses.event_seq < excluded.event_seq AND "
    f"{rank_sql('excluded.code')} > {rank_sql('team_statuses.code')}"
)


def _campaign(row: Sequence[Any]) -> TeamCampaign:
    cid, name, type_, n, adv, desk, user, at, approval, by, by_at = row
    return TeamCampaign(
        cid, name, type_, int(n), bool(adv), desk, user, int(at), approval, by, by_at
    )


class TeamMixin(LogBase):
    # -- numbers in commit order ------------------------------------------------------

    @staticmethod
    def _next(conn: Any, counter: str, n: int = 1) -> int:
        """Take ``n`` numbers of ``counter``; returns the first. The row stays locked
        until the transaction ends, so numbers are committed in order."""
        row = conn.execute(
            "UPDATE team_counters SET value = value + ? WHERE name = ? RETURNING value",
            (n, counter),
        ).fetchone()
        return int(row[0]) - n + 1

    #: the audit row the next write transaction carries (see :meth:`team_audited`)
    _pending_audit: tuple[str, str, str, Any] | None = None

    @contextmanager
    def team_audited(
        self, user: str, action: str, obj: str = "", detail: Any = ""
    ) -> Iterator[None]:
        """The first write transaction begun inside this block (a base call's own, which
        knows nothing of users) writes this audit row in itself: the change and who made
        it commit together, or neither does."""
        self._pending_audit = (user, action, obj, detail)
        try:
            yield
        finally:
            self._pending_audit = None

    def _begin_write(self, conn: Any) -> None:
        super()._begin_write(conn)
        pending, self._pending_audit = self._pending_audit, None
        if pending is None:
            return
        try:
            self._audit(conn, *pending)
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _audit(self, conn: Any, user: str, action: str, obj: str = "", detail: Any = "") -> None:
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
        conn.execute(
            "INSERT INTO team_audit (seq, at, user_name, action, object, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (self._next(conn, "audit"), now_ms(), user, action, obj, text),
        )

    # -- users --------------------------------------------------------------------------

    def team_add_user(self, name: str, role: str, key: str, *, by: str) -> None:
        """Add a user (or give a revoked name a new key and role). Raises ValueError for
        an unknown role or a name already active."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if not name.strip():
            raise ValueError("a user needs a name")
        with self._write() as conn:
            row = conn.execute(
                "SELECT revoked_at FROM team_users WHERE name = ?", (name,)
            ).fetchone()
            if row is not None and row[0] is None:
                raise ValueError(f"user {name!r} exists: revoke it first to give a new key")
            conn.execute("DELETE FROM team_users WHERE name = ?", (name,))
            conn.execute(
                "INSERT INTO team_users (name, role, key_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, role, key_hash(key), now_ms()),
            )
            self._audit(conn, by, "user.add", name, {"role": role})

    def team_revoke_user(self, name: str, *, by: str) -> bool:
        """Revoke a user's key; False when there is no such active user."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE team_users SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                (now_ms(), name),
            )
            if cur.rowcount != 1:
                return False
            self._audit(conn, by, "user.revoke", name)
            return True

    def team_users(self) -> list[TeamUser]:
        rows = self._query(
            "SELECT name, role, created_at, revoked_at FROM team_users ORDER BY name"
        )
        return [TeamUser(n, r, int(c), None if v is None else int(v)) for n, r, c, v in rows]

    def team_user_by_key(self, key: str) -> TeamUser | None:
        """The active user holding ``key`` (None: unknown or revoked)."""
        rows = self._query(
            "SELECT name, role, created_at, revoked_at FROM team_users "
            "WHERE key_hash = ? AND revoked_at IS NULL",
            (key_hash(key),),
        )
        if not rows:
            return None
        n, r, c, v = rows[0]
        return TeamUser(n, r, int(c), v)

    # -- audit and policy ----------------------------------------------------------------

    def team_audit(self, *, after: int = 0, limit: int = 100_000) -> list[AuditEntry]:
        rows = self._query(
            "SELECT seq, at, user_name, action, object, detail FROM team_audit "
            "WHERE seq > ? ORDER BY seq LIMIT ?",
            (int(after), int(limit)),
        )
        return [AuditEntry(int(s), int(a), u, act, o, d) for s, a, u, act, o, d in rows]

    def team_policy(self) -> Policy:
        over = self.get_meta(_POLICY_OVER)
        adv = self.get_meta(_POLICY_ADVERTISING)
        return Policy(int(over) if over else None, adv == "1")

    def team_set_policy(self, policy: Policy, *, by: str) -> None:
        with self._write() as conn:
            for key, value in (
                (_POLICY_OVER, "" if policy.approve_over is None else str(policy.approve_over)),
                (_POLICY_ADVERTISING, "1" if policy.approve_advertising else "0"),
            ):
                conn.execute(
                    "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                    "excluded.value",
                    (key, value),
                )
            self._audit(conn, by, "policy.set", "", policy.as_json())

    # -- the shared stop list -----------------------------------------------------------

    def team_stop_version(self) -> int:
        rows = self._query("SELECT value FROM team_counters WHERE name = 'stop'")
        return int(rows[0][0])

    def team_stop_change(
        self, add: Iterable[StopEntry], remove: Iterable[str], *, by: str
    ) -> tuple[int, int, int]:
        """Add and remove entries of the shared stop list (the log's own stop list) and
        record each real change with a new version. Returns (added, removed, version)."""
        at = now_ms()
        adding = []
        for entry in add:
            if entry.kind not in _KINDS:
                raise ValueError(
                    f"stop-list entry {entry.address!r}: kind must be phone or email, "
                    f"not {entry.kind!r}"
                )
            if not entry.address:
                raise ValueError("stop-list entry with an empty address")
            adding.append(entry)
        added = removed = 0
        with self._write() as conn:
            for entry in adding:
                address = _key(entry.address)
                cur = conn.execute(
                    "INSERT INTO stop_list (address, kind, added_at, source, note) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (address) DO NOTHING",
                    (address, entry.kind, at, entry.source, entry.note),
                )
                if cur.rowcount == 1:
                    added += 1
                    conn.execute(
                        "INSERT INTO team_stop_changes (version, op, address, kind, at, "
                        "user_name, source, note) VALUES (?, 'add', ?, ?, ?, ?, ?, ?)",
                        (
                            self._next(conn, "stop"),
                            address,
                            entry.kind,
                            at,
                            by,
                            entry.source,
                            entry.note,
                        ),
                    )
            for text in remove:
                address = _key(text)
                row = conn.execute(
                    "DELETE FROM stop_list WHERE address = ? RETURNING kind", (address,)
                ).fetchone()
                if row is not None:
                    removed += 1
                    conn.execute(
                        "INSERT INTO team_stop_changes (version, op, address, kind, at, "
                        "user_name, source, note) VALUES (?, 'remove', ?, ?, ?, ?, '', '')",
                        (self._next(conn, "stop"), address, row[0], at, by),
                    )
            if added or removed:
                self._audit(conn, by, "stoplist.change", "", {"added": added, "removed": removed})
            version = int(
                conn.execute("SELECT value FROM team_counters WHERE name = 'stop'").fetchone()[0]
            )
        return added, removed, version

    def team_stop_changes(self, since: int, limit: int = 50_000) -> list[StopChange]:
        """Changes after version ``since``, oldest first."""
        rows = self._query(
            "SELECT version, op, address, kind, at, source, note FROM team_stop_changes "
            "WHERE version > ? ORDER BY version LIMIT ?",
            (int(since), int(limit)),
        )
        return [StopChange(int(v), o, a, k, int(t), s, n) for v, o, a, k, t, s, n in rows]

    # -- campaigns ----------------------------------------------------------------------

    def team_register_campaign(
        self,
        campaign_id: str,
        *,
        name: str,
        type: str,
        recipients: int,
        advertising: bool,
        desk: str,
        user: str,
    ) -> TeamCampaign:
        """Register a desk's campaign (again: the stored one is returned unchanged). Its
        approval state follows the policy as it is now."""
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM team_campaigns WHERE id = ?", (campaign_id,)
            ).fetchone()
            if row is not None:
                return _campaign(row)
            over = conn.execute("SELECT value FROM meta WHERE key = ?", (_POLICY_OVER,)).fetchone()
            adv = conn.execute(
                "SELECT value FROM meta WHERE key = ?", (_POLICY_ADVERTISING,)
            ).fetchone()
            policy = Policy(int(over[0]) if over and over[0] else None, bool(adv and adv[0] == "1"))
            approval = NEEDED if policy.needs_approval(recipients, advertising) else NOT_NEEDED
            conn.execute(
                f"INSERT INTO team_campaigns ({_CAMPAIGN_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                (
                    campaign_id,
                    name,
                    type,
                    int(recipients),
                    1 if advertising else 0,
                    desk,
                    user,
                    now_ms(),
                    approval,
                ),
            )
            self._audit(
                conn,
                user,
                "campaign.register",
                campaign_id,
                {
                    "name": name,
                    "recipients": recipients,
                    "advertising": advertising,
                    "desk": desk,
                    "approval": approval,
                },
            )
            row = conn.execute(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM team_campaigns WHERE id = ?", (campaign_id,)
            ).fetchone()
            return _campaign(row)

    def team_campaign(self, campaign_id: str) -> TeamCampaign:
        """Raises KeyError for a campaign the server does not have."""
        rows = self._query(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM team_campaigns WHERE id = ?", (campaign_id,)
        )
        if not rows:
            raise KeyError(campaign_id)
        return _campaign(rows[0])

    def team_campaigns(self) -> list[TeamCampaign]:
        rows = self._query(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM team_campaigns ORDER BY created_at DESC, id"
        )
        return [_campaign(r) for r in rows]

    def team_approve(self, campaign_id: str, *, by: str) -> TeamCampaign:
        """Approve a campaign that needs it (approving again changes nothing). KeyError:
        no such campaign; OwnCampaign: ``by`` registered it (approval is a second
        person's look)."""
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM team_campaigns WHERE id = ?", (campaign_id,)
            ).fetchone()
            if row is None:
                raise KeyError(campaign_id)
            found = _campaign(row)
            if found.approval != NEEDED:
                return found
            if found.user == by:
                raise OwnCampaign(campaign_id)
            conn.execute(
                "UPDATE team_campaigns SET approval = ?, approved_by = ?, approved_at = ? "
                "WHERE id = ?",
                (APPROVED, by, now_ms(), campaign_id),
            )
            self._audit(conn, by, "campaign.approve", campaign_id, {"name": found.name})
            row = conn.execute(
                f"SELECT {_CAMPAIGN_COLUMNS} FROM team_campaigns WHERE id = ?", (campaign_id,)
            ).fetchone()
            return _campaign(row)

    def team_status_counts(self) -> dict[str, dict[int, int]]:
        """Per campaign: how many recipients have each latest status code."""
        rows = self._query(
            "SELECT campaign, code, count(*) FROM team_statuses GROUP BY campaign, code"
        )
        counts: dict[str, dict[int, int]] = {}
        for campaign, code, n in rows:
            counts.setdefault(campaign, {})[int(code)] = int(n)
        return counts

    # -- platform ids and statuses -------------------------------------------------------

    def team_add_messages(
        self, campaign_id: str, messages: Iterable[tuple[int, int]], *, by: str
    ) -> int:
        """Record the platform ids a desk was given for its recipients ((key, id) pairs),
        so that a callback naming only the id reaches the campaign; statuses that came
        before their id was known are matched now. Returns how many ids were new."""
        pairs = [(int(k), int(p)) for k, p in messages]
        # set-based, as the receiver's sort: a report of 10,000 ids was 20,000 round
        # trips to PostgreSQL under the write lock, long enough during a storm of
        # callbacks for the desk to give up waiting and never pull its statuses
        by_id: dict[int, int] = {}
        for key, pid in pairs:
            by_id.setdefault(pid, key)
        ids = json.dumps(sorted(by_id))
        with self._write() as conn:
            known = {
                int(r[0])
                for r in conn.execute(
                    "SELECT platform_id FROM team_messages "
                    "WHERE platform_id IN (SELECT value FROM json_each(?))",
                    (ids,),
                ).fetchall()
            }
            fresh = [(pid, campaign_id, key) for pid, key in by_id.items() if pid not in known]
            if fresh:
                conn.executemany(
                    "INSERT INTO team_messages (platform_id, campaign, recipient) "
                    "VALUES (?, ?, ?) ON CONFLICT (platform_id) DO NOTHING",
                    fresh,
                )
            waiting = conn.execute(
                "SELECT u.platform_id, e.seq, e.code, e.received_at FROM team_unmapped u "
                "JOIN status_events e ON e.seq = u.seq "
                "WHERE u.platform_id IN (SELECT value FROM json_each(?)) ORDER BY e.seq",
                (ids,),
            ).fetchall()
            self._put_latest(
                conn,
                (
                    (campaign_id, by_id[int(pid)], int(pid), int(code), int(at), int(seq))
                    for pid, seq, code, at in waiting
                ),
            )
            if waiting:
                conn.execute(
                    "DELETE FROM team_unmapped "
                    "WHERE platform_id IN (SELECT value FROM json_each(?))",
                    (json.dumps(sorted({int(r[0]) for r in waiting})),),
                )
            new = len(fresh)
            if new:
                self._audit(conn, by, "campaign.messages", campaign_id, {"ids": new})
        return new

    def _put_latest(self, conn: Any, events: Iterable[tuple[str, int, int, int, int, int]]) -> None:
        """Events (campaign, key, platform id, code, received at, seq), in seq order, into
        the recipients' statuses: of one recipient's, the one that ranks highest (the
        earliest of equals), written by one batched upsert that keeps a later or higher
        status already stored (``_UPSERT_STATUS``); each change gets a new cursor."""
        latest: dict[tuple[str, int], tuple[int, int, int, int]] = {}
        for campaign, key, pid, code, at, seq in events:
            before = latest.get((campaign, key))
            if before is None or advances(before[1], code):
                latest[(campaign, key)] = (pid, code, at, seq)
        if not latest:
            return
        first = self._next(conn, "status", len(latest))
        conn.executemany(
            _UPSERT_STATUS,
            [
                (campaign, key, pid, code, at, seq, first + i)
                for i, ((campaign, key), (pid, code, at, seq)) in enumerate(latest.items())
            ],
        )

    def team_events_top(self) -> int:
        """The cursor of the last callback stored (0: none)."""
        with self._read() as conn:
            row = conn.execute("SELECT coalesce(max(seq), 0) FROM status_events").fetchone()
        return int(row[0])

    def team_apply_events(self, limit: int = 20_000, upto: int | None = None) -> int:
        """Sort the callbacks received since the last call into the recipients' latest
        statuses (by the campaign and key in their URL, or their platform id); returns
        how many events it read (those up to the cursor ``upto`` only, if given).
        Events with an id no desk has reported yet wait for it (``team_add_messages``).

        Set-based: the events are read in one query and put in by ``_put_latest`` (one
        reduction per recipient, one counter update, one batched upsert). Per event it was four
        statements, each a round trip to PostgreSQL, under the write lock the
        receiver's commits wait for: 900 callbacks/s at most on this machine."""
        with self._write() as conn:
            row = conn.execute("SELECT value FROM team_counters WHERE name = 'applied'").fetchone()
            applied = int(row[0])
            rows = conn.execute(
                "SELECT seq, received_at, campaign, recipient, platform_id, code "
                "FROM status_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                (applied, (1 << 62) if upto is None else int(upto), int(limit)),
            ).fetchall()
            if not rows:
                return 0
            unkeyed = {int(r[4]) for r in rows if r[2] is None or r[3] is None}
            mapped: dict[int, tuple[str, int]] = {}
            if unkeyed:
                found = conn.execute(
                    "SELECT platform_id, campaign, recipient FROM team_messages "
                    "WHERE platform_id IN (SELECT value FROM json_each(?))",
                    (json.dumps(sorted(unkeyed)),),
                ).fetchall()
                mapped = {int(p): (c, int(k)) for p, c, k in found}
            placed: list[tuple[str, int, int, int, int, int]] = []
            waiting = []
            for seq, at, campaign, key, pid, code in rows:
                if campaign is None or key is None:
                    place = mapped.get(int(pid))
                    if place is None:
                        waiting.append((int(seq), int(pid)))
                        continue
                    campaign, key = place
                placed.append((campaign, int(key), int(pid), int(code), int(at), int(seq)))
            if waiting:
                conn.executemany(
                    "INSERT INTO team_unmapped (seq, platform_id) VALUES (?, ?)", waiting
                )
            self._put_latest(conn, placed)
            conn.execute(
                "UPDATE team_counters SET value = ? WHERE name = 'applied'", (rows[-1][0],)
            )
        return len(rows)

    def team_statuses(self, campaign_id: str, after: int, limit: int = 10_000) -> list[TeamStatus]:
        """Recipients of a campaign whose latest status changed after ``after`` (a cursor
        this returned before; 0 at first), in cursor order."""
        rows = self._query(
            "SELECT change_seq, recipient, platform_id, code, at FROM team_statuses "
            "WHERE campaign = ? AND change_seq > ? ORDER BY change_seq LIMIT ?",
            (campaign_id, int(after), int(limit)),
        )
        return [TeamStatus(int(c), int(r), int(p), int(code), int(a)) for c, r, p, code, a in rows]

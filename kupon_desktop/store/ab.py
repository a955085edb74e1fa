"""A/B tests in the log: a group of ordinary campaigns that share one ``_ab`` record in
their kept drafts (group id, role, variant, the variants' drafts, share, metric, seed,
``ready``, ``winner``).

The group is made as campaigns one by one, then marked ``ready`` in one transaction; a
group found not ready (its maker died half-way) is cancelled whole, which is safe
because nothing of a group is sent before it is ready. The decision (the winner, and
the remainder's texts and draft made from the winner's) is written in one transaction:
killed before it commits, it is simply made again.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kupon_desktop.store.claims import ClaimLock, _FileLock, lock_path
from kupon_desktop.store.connection import KEY_BITS, KEY_MASK, LogBase, now_ms
from kupon_desktop.store.errors import CampaignBusy

#: why the recipients of a group cancelled at start-up were never sent
UNREADY_REASON = "the A/B test was not fully created (the program stopped while making it)"


class ABMixin(LogBase):
    def ab_members(self, group: str) -> list[tuple[str, dict[str, Any]]]:
        """``(campaign id, its _ab record)`` of each campaign of ``group``, in the order
        they were made (the test variants first, the remainder last)."""
        rows = self._query(
            "SELECT id, json_extract(draft, '$._ab') FROM campaigns "
            "WHERE json_extract(draft, '$._ab.group') = ? ORDER BY num",
            (str(group),),
        )
        return [(cid, dict(json.loads(ab))) for cid, ab in rows]

    def ab_groups(self) -> list[str]:
        """Every A/B group in the log, oldest first."""
        rows = self._query(
            "SELECT json_extract(draft, '$._ab.group'), min(num) FROM campaigns "
            "WHERE json_extract(draft, '$._ab.group') IS NOT NULL GROUP BY 1 ORDER BY min(num)"
        )
        return [str(g) for g, _ in rows]

    def claim_ab_group(self, group: str) -> ClaimLock:
        """Held while a group is being made (``release()`` it after): start-up never
        cancels a group whose maker is alive. An operating-system lock of this computer:
        a group is made in seconds, by the program that will send it (on PostgreSQL an
        advisory lock of the log's session)."""
        lock = self._group_lock(group)
        if not lock.try_acquire():
            raise CampaignBusy(self.path, lock.owner() or "another process")
        return lock

    def _group_lock(self, group: str) -> ClaimLock:
        if self.dialect == "sqlite":
            return _FileLock(lock_path(Path(self.path), f"ab-{group}"))
        return _GroupLock(self, group)

    def mark_ab_ready(self, group: str) -> None:
        """Every campaign of ``group`` made: mark it ready, in one transaction."""
        self._merge_ab(group, {"ready": True})

    def _merge_ab(
        self, group: str, changes: Mapping[str, Any], conn: sqlite3.Connection | None = None
    ) -> None:
        def merge(c: sqlite3.Connection) -> None:
            rows = c.execute(
                "SELECT num, draft FROM campaigns WHERE json_extract(draft, '$._ab.group') = ?",
                (str(group),),
            ).fetchall()
            for num, draft_json in rows:
                draft = json.loads(draft_json)
                draft["_ab"] = {**draft["_ab"], **changes}
                c.execute(
                    "UPDATE campaigns SET draft = ? WHERE num = ?",
                    (json.dumps(draft, ensure_ascii=False), num),
                )

        if conn is not None:
            merge(conn)
            return
        with self._write() as c:
            merge(c)

    def cancel_unready_ab_groups(self) -> list[str]:
        """At start-up: groups a crash left half-made (not ``ready``, their maker gone)
        are cancelled whole, their recipients skipped. Returns their ids."""
        rows = self._query(
            "SELECT DISTINCT json_extract(draft, '$._ab.group') FROM campaigns "
            "WHERE json_extract(draft, '$._ab.group') IS NOT NULL "
            "AND CAST(coalesce(json_extract(draft, '$._ab.ready'), '0') AS INTEGER) = 0"
        )
        cancelled = []
        for (group,) in rows:
            claim = self._group_lock(str(group))
            if not claim.try_acquire():
                continue  # being made now
            try:
                self._cancel_group(str(group))
                cancelled.append(str(group))
            finally:
                claim.release()
        return cancelled

    def _cancel_group(self, group: str) -> None:
        at = now_ms()
        with self._write() as conn:
            rows = conn.execute(
                "SELECT num, state FROM campaigns WHERE json_extract(draft, '$._ab.group') = ?",
                (group,),
            ).fetchall()
            for num, state in rows:
                if state in ("cancelled", "finished"):
                    continue
                base = num << KEY_BITS
                moved = conn.execute(
                    "UPDATE deliveries SET state = 'skipped', error = ? "
                    "WHERE rid BETWEEN ? AND ? AND state = 'queued' RETURNING rid",
                    (UNREADY_REASON, base, base | KEY_MASK),
                ).fetchall()
                if moved:
                    self._bump(
                        conn,
                        Counter(
                            {
                                (num, "state:queued"): -len(moved),
                                (num, "state:skipped"): len(moved),
                            }
                        ),
                    )
                    self._record_changes(conn, (r[0] for r in moved), at)
                conn.execute(
                    "UPDATE campaigns SET state = 'cancelled', state_reason = ?, "
                    "updated_at = ?, finished_at = ? WHERE num = ?",
                    (UNREADY_REASON, at, at, num),
                )

    def decide_ab(
        self,
        group: str,
        remainder_id: str,
        draft: Mapping[str, Any],
        texts: Iterable[tuple[int, str]],
        winner: Mapping[str, Any],
    ) -> bool:
        """Write an A/B test's decision in one transaction: ``winner`` into every
        member's ``_ab``, the remainder's kept draft made from the winner's (``draft``:
        its keys replace the remainder's, its ``_ab`` and run settings kept), and each
        remainder recipient's text (``(key, text)``). Refused (False) when the group is
        already decided; ValueError if the remainder has sent anything."""
        with self._write(durable=True) as conn:
            row = conn.execute(
                "SELECT num, draft, state FROM campaigns WHERE id = ?", (str(remainder_id),)
            ).fetchone()
            if row is None:
                raise KeyError(f"no campaign {remainder_id!r} in the log {self.path}")
            num, draft_json, state = row
            kept = json.loads(draft_json)
            ab = kept.get("_ab") or {}
            if ab.get("group") != group or ab.get("role") != "remainder":
                raise ValueError(f"campaign {remainder_id} is not the remainder of {group}")
            if ab.get("winner"):
                return False
            base = num << KEY_BITS
            sent = conn.execute(
                "SELECT count(*) FROM deliveries WHERE rid BETWEEN ? AND ? "
                "AND state NOT IN ('queued', 'excluded', 'skipped')",
                (base, base | KEY_MASK),
            ).fetchone()[0]
            if sent or state not in ("draft", "cancelled"):
                raise ValueError(f"the remainder {remainder_id} has been sent already")
            conn.executemany(
                "UPDATE recipients SET text = ? WHERE rid = ?",
                ((text, base | key) for key, text in texts),
            )
            new = {k: v for k, v in kept.items() if k.startswith("_")}
            new.update({k: v for k, v in draft.items() if k != "_ab"})
            conn.execute(
                "UPDATE campaigns SET draft = ?, updated_at = ? WHERE num = ?",
                (json.dumps(new, ensure_ascii=False), now_ms(), num),
            )
            self._merge_ab(group, {"winner": dict(winner)}, conn)
        return True


class _GroupLock:
    """An A/B group's lock on PostgreSQL: an advisory lock of the log's session, keyed
    by the group's name."""

    def __init__(self, log_: LogBase, group: str) -> None:
        from kupon_desktop.store.pg import CLAIM_LOCK

        self._log = log_
        self._key = f"{CLAIM_LOCK + 1}, hashtext(?)"
        self._group = group

    def try_acquire(self) -> bool:
        rows = self._log._query(f"SELECT pg_try_advisory_lock({self._key})", (self._group,))
        return bool(rows[0][0])

    def owner(self) -> str:
        return ""

    def release(self) -> None:
        if self._log._conn is not None:
            self._log._query(f"SELECT pg_advisory_unlock({self._key})", (self._group,))


__all__ = ["UNREADY_REASON", "ABMixin"]

"""Matching status events to recipients and applying them: the rules in one place.

An event reaches a recipient by its campaign and key (from the callback URL, resolved
when it is stored) or, lacking those, by the platform id. Applying it:

* sets the recipient's last status if the new one ranks higher
  (``kupon_desktop.api.models.advances``, via the ranks of ``status_info``): a status
  never moves backwards, and a duplicate (an equal rank) changes nothing; of several
  events for one recipient the highest rank wins, the earliest of equals;
* makes the recipient ``accepted`` whatever it was (``queued``, ``in_flight``,
  ``unconfirmed``, ``rejected``, ``skipped``), because a status proves the platform has
  the message; an ``excluded`` recipient was never sent and keeps its state;
* records the platform id the event names if the recipient had none (an unconfirmed
  recipient whose callback arrives learns its id this way);
* translates a Kannel code (campaign sent with the Kannel flag) when it was not known at
  receipt; a code not in the table is kept as it is.

An event that matches nobody waits in ``pending_events`` under its platform id and is
applied in the transaction that makes that id known (``mark_accepted``, or another event
that names both the recipient and the id).

Why SQL: a million events must apply in a few seconds, and a Python loop over them costs
more than twice the whole budget on the target machine. So the rules run inside SQLite,
per batch: one statement picks each recipient's winning event and computes, once, the two
decisions (does the status advance? does the state become accepted?); the update reads
those two flags and returns, per changed row, what the counters and the change log need
(and the grid's columns when asked), so no other pass over the batch is made.

Everything here runs inside the caller's write transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kupon_desktop.api.models import KANNEL_TO_STATUS, STATUSES, status_info
from kupon_desktop.store.connection import KEY_BITS, LogBase

#: every undocumented code shares one rank (``status_info``); this code is surely one
UNKNOWN_RANK = status_info(-(10**9)).rank

_SETUP = [
    # one row per recipient an event of the batch reaches: its winning event, the row as
    # it was, and the two decisions
    """CREATE TEMP TABLE IF NOT EXISTS apply_best (
           rid INTEGER PRIMARY KEY, status INTEGER, at INTEGER, pid INTEGER,
           old_state TEXT, old_status INTEGER, old_pid INTEGER,
           advance INTEGER, accept INTEGER)""",
]


def _case(mapping: dict[int, int], otherwise: str) -> str:
    """A SQL CASE over a code, written out from one of the tables of api.models (inline,
    it costs a third of a lookup in a table per event)."""
    whens = " ".join(f"WHEN {code} THEN {value}" for code, value in sorted(mapping.items()))
    return f"(CASE {{0}} {whens} ELSE {otherwise} END)"


#: the rank of a status code (``status_info(code).rank``)
_RANK = _case({code: info.rank for code, info in STATUSES.items()}, str(UNKNOWN_RANK))
#: a Kannel code as the platform's code; a code not in the table is kept
_FROM_KANNEL = _case(KANNEL_TO_STATUS, "{0}")

# {source} selects the events: a seq range, or a list of seqs. Events tied to a recipient
# when stored (the usual case) take the short first branch; the others are matched by
# platform id (through the index of those) and translated from Kannel codes here.
_BEST = f"""
WITH st AS (
    SELECT e.seq, e.received_at AS at, e.platform_id AS pid, e.rid, e.status
    FROM status_events e WHERE {{source}} AND e.rid IS NOT NULL
  UNION ALL
    SELECT u.seq, u.at, u.pid, u.rid,
           CASE WHEN (SELECT c.kannel FROM campaigns c WHERE c.num = u.rid >> {KEY_BITS})
                THEN {_FROM_KANNEL.format("u.code")}
                ELSE u.code END
    FROM (SELECT e.seq, e.received_at AS at, e.platform_id AS pid, e.code,
                 (SELECT d.rid FROM deliveries d WHERE d.platform_id = e.platform_id
                  ORDER BY d.rid LIMIT 1) AS rid
          FROM status_events e WHERE {{source}} AND e.rid IS NULL) u
    WHERE u.rid IS NOT NULL
), best AS (
    -- a lone max() makes SQLite take the other columns from the row holding it:
    -- the highest rank, and of equal ranks the lowest seq
    SELECT rid, status, at, pid, max({_RANK.format("st.status")} * 1099511627776 - seq)
    FROM st GROUP BY rid
)
INSERT INTO temp.apply_best
SELECT b.rid, b.status, b.at, b.pid, d.state, d.status, d.platform_id,
       d.status IS NULL OR {_RANK.format("b.status")} > {_RANK.format("d.status")},
       d.state NOT IN ('accepted', 'excluded')
FROM best b JOIN deliveries d ON d.rid = b.rid
"""

# SCAN the batch's rows, SEARCH each in deliveries. It returns, per changed row, what
# the counters need (campaign, state and status before and after: the before from
# apply_best, one lookup by its key) and with ``{grid}`` the grid's columns: one pass
# instead of a GROUP BY over apply_best for the counters and a read of the rows again
# for the grid (issue 9)
_UPDATE = f"""
UPDATE deliveries SET
    status = CASE WHEN b.advance THEN b.status ELSE deliveries.status END,
    status_at = CASE WHEN b.advance THEN b.at ELSE deliveries.status_at END,
    state = CASE WHEN b.accept THEN 'accepted' ELSE deliveries.state END,
    error = CASE WHEN b.accept THEN NULL ELSE deliveries.error END
FROM temp.apply_best b
WHERE deliveries.rid = b.rid AND (b.advance OR b.accept)
RETURNING deliveries.rid, deliveries.rid >> {KEY_BITS},
    (SELECT o.old_state FROM temp.apply_best o WHERE o.rid = deliveries.rid),
    (SELECT o.old_status FROM temp.apply_best o WHERE o.rid = deliveries.rid),
    deliveries.state, deliveries.status{{grid}}
"""

#: the columns of a recipient that applying events can change, as ``_UPDATE`` returns
#: them for the grid (``Log.poll_changes``) when asked: the rows need not be read again
GRID_COLUMNS = ("state", "status", "platform_id", "error", "status_at", "sent_at")
#: after the six columns every row returns
_GRID_RETURNING = ", deliveries.platform_id, deliveries.error, deliveries.status_at, " \
    "deliveries.sent_at"
_GRID_SELECT = ("SELECT rid, " + ", ".join(GRID_COLUMNS)
                + " FROM deliveries WHERE rid IN (SELECT value FROM json_each(?))")

# a separate statement, so that the platform id index is touched only where it changes
_LEARN_IDS = """
UPDATE deliveries SET platform_id = b.pid
FROM temp.apply_best b
WHERE deliveries.rid IN (SELECT rid FROM temp.apply_best WHERE old_pid IS NULL)
  AND deliveries.rid = b.rid
RETURNING deliveries.rid, deliveries.platform_id
"""

_PENDING = """
INSERT OR IGNORE INTO pending_events
SELECT e.seq, e.platform_id FROM status_events e
WHERE {source} AND e.rid IS NULL
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.platform_id = e.platform_id)
"""


@dataclass
class ApplyOutcome:
    events: int = 0
    changed: set[int] = field(default_factory=set)  # rids
    #: campaign num -> Counter(status code -> recipients that took it)
    new_statuses: dict[int, Counter[int]] = field(default_factory=dict)
    #: with ``grid`` asked: the changed rows of that campaign after the apply, as chunks
    #: of columns (rid, then ``GRID_COLUMNS``); a later chunk holds newer values
    rows: list[list[tuple[Any, ...]]] = field(default_factory=list)
    #: the ``changes`` rows written (their seqs)
    change_seqs: list[int] = field(default_factory=list)

    def merge(self, other: ApplyOutcome) -> None:
        self.events += other.events
        self.changed |= other.changed
        self.rows.extend(other.rows)  # the later apply holds the newer values
        self.change_seqs.extend(other.change_seqs)
        for num, counter in other.new_statuses.items():
            self.new_statuses.setdefault(num, Counter()).update(counter)


def _prepare(conn: sqlite3.Connection) -> None:
    for sql in _SETUP:
        conn.execute(sql)
    conn.execute("DELETE FROM temp.apply_best")


def apply_range(conn: sqlite3.Connection, after: int, upto: int, grid: int | None = None
                ) -> ApplyOutcome:
    """Apply the events with ``after < seq <= upto``. ``grid``: a campaign number whose
    changed rows to return (``ApplyOutcome.rows``)."""
    # seqs have no gaps (events are never deleted), so the range holds upto - after
    return _apply(conn, "e.seq > ? AND e.seq <= ?", (after, upto), upto - after, grid)


def _apply(conn: sqlite3.Connection, source: str, params: tuple[Any, ...], events: int,
           grid: int | None = None) -> ApplyOutcome:
    _prepare(conn)
    out = ApplyOutcome(events=events)
    conn.execute(_BEST.format(source=source), params + params)
    conn.execute(_PENDING.format(source=source), params)
    columns = list(zip(*conn.execute(_UPDATE.format(grid="" if grid is None
                                                    else _GRID_RETURNING)), strict=True))
    if columns:
        rids, nums, states0, statuses0, states, statuses = columns[:6]
        changed = set(rids)
        moves = Counter(zip(nums, states0, states, statuses0, statuses, strict=True))
    else:
        changed, moves = set(), Counter()
    if grid is not None and columns:
        lo, hi = grid << KEY_BITS, ((grid + 1) << KEY_BITS) - 1
        chunk = [rids, *columns[4:]]  # rid, then GRID_COLUMNS
        if min(rids) < lo or max(rids) > hi:  # other campaigns' rows too
            chunk = list(zip(*(r for r in zip(*chunk, strict=True) if lo <= r[0] <= hi),
                             strict=True))
        if chunk:
            out.rows.append(chunk)
    learned = conn.execute(_LEARN_IDS).fetchall()
    changed.update(rid for rid, _ in learned)
    if grid is not None and learned:
        # rows that learned their platform id (rare: unconfirmed ones): read them whole
        lo, hi = grid << KEY_BITS, ((grid + 1) << KEY_BITS) - 1
        ids = json.dumps([rid for rid, _ in learned if lo <= rid <= hi])
        columns = list(zip(*conn.execute(_GRID_SELECT, (ids,)), strict=True))
        if columns:
            out.rows.append(columns)
    conn.execute("DELETE FROM temp.apply_best")

    deltas: Counter[tuple[int, str]] = Counter()
    for (num, state0, state, status0, status), n in moves.items():
        if state != state0:
            deltas[(num, f"state:{state0}")] -= n
            deltas[(num, f"state:{state}")] += n
        if status != status0:
            if status0 is not None:
                deltas[(num, f"status:{status0}")] -= n
            deltas[(num, f"status:{status}")] += n
            out.new_statuses.setdefault(num, Counter())[status] += n
    if changed:
        LogBase._bump(conn, deltas)
        out.change_seqs = LogBase._record_changes(conn, changed)
        out.changed = changed

    # ids that became known may free events that were waiting for them
    if learned:
        out.merge(match_pending(conn, (pid for _, pid in learned), grid))
    return out


def match_pending(conn: sqlite3.Connection, platform_ids: Iterable[int],
                  grid: int | None = None) -> ApplyOutcome:
    """Apply the pending events waiting for ``platform_ids`` (now known to the log)."""
    ids = json.dumps(sorted(set(platform_ids)))
    seqs = [
        seq
        for (seq,) in conn.execute(
            "SELECT seq FROM pending_events WHERE platform_id IN "
            "(SELECT value FROM json_each(?))",
            (ids,),
        )
    ]
    if not seqs:
        return ApplyOutcome()
    seq_json = json.dumps(seqs)
    conn.execute(
        "DELETE FROM pending_events WHERE seq IN (SELECT value FROM json_each(?))", (seq_json,)
    )
    # these events were counted when they were first read
    return _apply(conn, "e.seq IN (SELECT value FROM json_each(?))", (seq_json,), 0, grid)

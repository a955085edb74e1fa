"""Matching status events to recipients and applying them: the rules in one place.

An event reaches a recipient by its campaign and key (from the callback URL, resolved
when it is stored) or, lacking those, by the platform id. Applying it:

* sets the recipient's last status if the new one ranks higher
  (``kupon_desktop.vocabulary.advances``, via the ranks of ``status_info``): a status
  never moves backwards, and a duplicate (an equal rank) changes nothing; of several
  events for one recipient the highest rank wins, the earliest of equals;
* makes the recipient ``accepted`` whatever it was (``queued``, ``in_flight``,
  ``unconfirmed``, ``rejected``, ``skipped``), because a status proves the platform has
  the message; an ``excluded`` recipient was never sent and keeps its state;
* records the platform id the event names if the recipient had none (an unconfirmed
  recipient whose callback arrives learns its id this way);
* translates a Kannel code (campaign sent with the Kannel flag) when it was not known at
  receipt, by the table the log holds (``Log.kannel_codes``: data the receiver package
  stores from the wire's own table, ``api.kannel.KANNEL_TO_STATUS``; the store knows
  no Kannel code); a code not in the table is kept as it is.

An event that matches nobody waits in ``pending_events`` under its platform id and is
applied in the transaction that makes that id known (``mark_accepted``, or another event
that names both the recipient and the id).

Why SQL, and why this shape: a million events must apply in a couple of seconds, and
Python costs about a microsecond for every row it hands to SQLite or gets back from it
as a tuple, which alone is a second per column per million. So per batch:

1. one INSERT … SELECT picks each recipient's winning event into a temporary table keyed
   by recipient (an upsert: the higher rank, then the lower seq, stays) together with the
   recipient's row as it was: one search in ``deliveries`` per event;
2. one UPDATE … FROM that table writes the changed rows: one search each;
3. one SELECT reads what changed back as a few comma-joined columns (``group_concat``),
   which numpy parses in C: the counters, the change log and the grid's columns come
   from those arrays, with no Python object per row.

Measured on the 2-core machine (issue 9; ``python -m benchmarks --only events``): a
million events in 10 batches, 2.4 s this way (step 1: 1.0 s, 2: 0.8 s, 3: 0.4 s), against
6.4 s for the former single UPDATE returning its rows as tuples and counting them in
Python. Tried and dropped: a temporary table without a key, filled in arrival order
(step 1 costs 0.6 s, but SQLite, not knowing each recipient appears once, then runs the
UPDATE in two passes: 1.2 s).

Everything here runs inside the caller's write transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kupon_desktop.store.connection import KEY_BITS, KEY_MASK, LogBase, now_ms
from kupon_desktop.store.models import RecipientState
from kupon_desktop.vocabulary import STATUSES, status_info

if TYPE_CHECKING:
    import numpy as np

#: every undocumented code shares one rank (``status_info``); this code is surely one
UNKNOWN_RANK = status_info(-(10**9)).rank
#: "no status yet" in the arrays read back (a status is at most 9 digits: the receiver)
NONE = -(1 << 40)
#: the states as the arrays read back number them, in three bits (a state outside these,
#: which only an edited file could hold, reads back as 7: ``_other_states``)
STATES = tuple(state.value for state in RecipientState)
_OTHER_STATE = 7
assert len(STATES) <= _OTHER_STATE
_ACCEPTED = STATES.index(RecipientState.ACCEPTED)
_KEEPS_STATE = (_ACCEPTED, STATES.index(RecipientState.EXCLUDED))

#: the columns of a recipient that applying events can change, as the grid asks for
#: them (``Log.poll_changes``)
GRID_COLUMNS = ("state", "status", "platform_id", "error", "status_at", "sent_at")


def _case(mapping: dict[int, int], otherwise: str) -> str:
    """A SQL CASE over a code, written out from one of the tables of vocabulary (inline,
    it costs a third of a lookup in a table per event)."""
    whens = " ".join(f"WHEN {code} THEN {value}" for code, value in sorted(mapping.items()))
    return f"(CASE {{0}} {whens} ELSE {otherwise} END)"


#: the rank of a status code (``status_info(code).rank``)
_RANK = _case({code: info.rank for code, info in STATUSES.items()}, str(UNKNOWN_RANK))


def rank_sql(column: str) -> str:
    """SQL for the rank of the status code in ``column`` (``status_info(code).rank``)."""
    return _RANK.format(column)


KANNEL_KEY = "kannel_codes"


def kannel_codes(conn: sqlite3.Connection) -> dict[int, int]:
    """The Kannel code -> platform code table the log holds (empty: none stored)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (KANNEL_KEY,)).fetchone()
    if row is None:
        return {}
    return {int(code): int(status) for code, status in json.loads(row[0])}


def _from_kannel(conn: sqlite3.Connection, column: str) -> str:
    """SQL for ``column``'s Kannel code as the platform's code; a code not in the table
    is kept."""
    table = kannel_codes(conn)
    return _case(table, "{0}").format(column) if table else column


#: the rank of the status a recipient has; below every rank when it has none
_OLD_RANK = f"(CASE WHEN d.status IS NULL THEN -1 ELSE {_RANK.format('d.status')} END)"
_STATE_CODE = (
    "(CASE {0} "
    + " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(STATES))
    + f" ELSE {_OTHER_STATE} END)"
)

_SETUP = """CREATE TEMP TABLE IF NOT EXISTS apply_best (
    rid       INTEGER PRIMARY KEY,
    status    INTEGER, at INTEGER, pid INTEGER,  -- the winning event so far
    rank      INTEGER, seq INTEGER,
    old_state TEXT, old_status INTEGER, old_rank INTEGER, old_at INTEGER, old_pid INTEGER
)"""

# Of two events for one recipient, the higher rank wins, then the lower seq; the row's
# old values are the same in both, so only the event's columns are replaced.
_UPSERT = """
ON CONFLICT (rid) DO UPDATE SET status = excluded.status, at = excluded.at,
    pid = excluded.pid, rank = excluded.rank, seq = excluded.seq
WHERE excluded.rank > apply_best.rank
   OR (excluded.rank = apply_best.rank AND excluded.seq < apply_best.seq)
"""

# {source} selects the events: a seq range, or a list of seqs. Events tied to a recipient
# when stored (the usual case) are found by its key; their status was translated then.
_KEYED_SELECT = f"""
SELECT e.rid, e.status, e.received_at, e.platform_id, {_RANK.format("e.status")}, e.seq,
       d.state, d.status, {_OLD_RANK}, d.status_at, d.platform_id
FROM status_events e JOIN deliveries d ON d.rid = e.rid
WHERE {{source}} AND e.rid IS NOT NULL
"""
_KEYED = "INSERT INTO temp.apply_best" + _KEYED_SELECT + _UPSERT

# The others are matched by platform id (through the index of those; usually there are
# none, found through the partial index of unkeyed events) and translated from Kannel
# codes here.
_UNKEYED_WITH = f"""
WITH u AS (
    SELECT e.seq, e.received_at AS at, e.platform_id AS pid, e.code,
           (SELECT d.rid FROM deliveries d WHERE d.platform_id = e.platform_id
            ORDER BY d.rid LIMIT 1) AS rid
    FROM status_events e WHERE {{source}} AND e.rid IS NULL
), v AS MATERIALIZED (
    SELECT u.seq, u.at, u.pid, u.rid,
           CASE WHEN (SELECT c.kannel FROM campaigns c WHERE c.num = u.rid >> {KEY_BITS}) <> 0
                THEN {{from_kannel}} ELSE u.code END AS status
    FROM u WHERE u.rid IS NOT NULL
)
INSERT INTO temp.apply_best
"""
_UNKEYED_SELECT = f"""
SELECT v.rid, v.status, v.at, v.pid, {_RANK.format("v.status")}, v.seq,
       d.state, d.status, {_OLD_RANK}, d.status_at, d.platform_id
FROM v JOIN deliveries d ON d.rid = v.rid WHERE true
"""
_UNKEYED = _UNKEYED_WITH + _UNKEYED_SELECT + _UPSERT

# PostgreSQL refuses an upsert that meets one key twice in one statement (SQLite applies
# the rows one after the other): there the winner per recipient is picked first, by the
# same rule (higher rank, then lower seq).
_BY_DIALECT = {
    "sqlite": (_KEYED, _UNKEYED),
    "postgresql": (
        "INSERT INTO temp.apply_best"
        + _KEYED_SELECT.replace("SELECT e.rid,", "SELECT DISTINCT ON (e.rid) e.rid,", 1)
        + f"ORDER BY e.rid, {_RANK.format('e.status')} DESC, e.seq"
        + _UPSERT,
        _UNKEYED_WITH
        + _UNKEYED_SELECT.replace("SELECT v.rid,", "SELECT DISTINCT ON (v.rid) v.rid,", 1)
        + f"ORDER BY v.rid, {_RANK.format('v.status')} DESC, v.seq"
        + _UPSERT,
    ),
}

_ADVANCE = "b.rank > b.old_rank"
_ACCEPT = "b.old_state NOT IN ('accepted', 'excluded')"

# SCAN the batch's rows, SEARCH each in deliveries (a test holds the plan to that: the
# other way round reads the whole table once per batch). Only the columns that change
# are named, so the platform id index is not touched.
_UPDATE = f"""
UPDATE deliveries SET
    status = CASE WHEN {_ADVANCE} THEN b.status ELSE deliveries.status END,
    status_at = CASE WHEN {_ADVANCE} THEN b.at ELSE deliveries.status_at END,
    state = CASE WHEN {_ACCEPT} THEN 'accepted' ELSE deliveries.state END,
    error = CASE WHEN {_ACCEPT} THEN NULL ELSE deliveries.error END
FROM temp.apply_best b
WHERE deliveries.rid = b.rid AND ({_ADVANCE} OR {_ACCEPT})
"""

# The changed rows, one comma-joined text per column, in rid order (every value is
# non-NULL: group_concat would skip a NULL and misalign the columns): the rid, the new
# status times 8 plus the old state's number (one column less to join and parse), the
# old status, the status time.
_CHANGED = f"""
SELECT count(*), group_concat(b.rid),
       group_concat((CASE WHEN {_ADVANCE} THEN b.status ELSE coalesce(b.old_status, {NONE})
                     END) * 8 + {_STATE_CODE.format("b.old_state")}),
       group_concat(coalesce(b.old_status, {NONE})),
       group_concat(CASE WHEN {_ADVANCE} THEN b.at ELSE coalesce(b.old_at, {NONE}) END)
FROM temp.apply_best b WHERE {_ADVANCE} OR {_ACCEPT}
"""

# a separate statement, so that the platform id index is touched only where it changes
_LEARN_IDS = """
UPDATE deliveries SET platform_id = b.pid
FROM temp.apply_best b
WHERE deliveries.rid IN (SELECT rid FROM temp.apply_best WHERE old_pid IS NULL)
  AND deliveries.rid = b.rid
RETURNING deliveries.rid, deliveries.platform_id
"""

_GRID_SELECT = (
    "SELECT rid, "
    + ", ".join(GRID_COLUMNS)
    + " FROM deliveries WHERE rid IN (SELECT value FROM json_each(?)) ORDER BY rid"
)

_PENDING = """
INSERT OR IGNORE INTO pending_events
SELECT e.seq, e.platform_id FROM status_events e
WHERE {source} AND e.rid IS NULL
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.platform_id = e.platform_id)
"""


@dataclass
class ApplyOutcome:
    events: int = 0
    #: the rids whose rows changed, per batch (a rid may be in several)
    changed: list[np.ndarray] = field(default_factory=list)
    #: campaign num -> Counter(status code -> recipients that took it)
    new_statuses: dict[int, Counter[int]] = field(default_factory=dict)
    #: with ``grid`` asked: that campaign's changed rows after the apply, as column dicts
    #: ("key" and the ``GRID_COLUMNS`` that changed; the others did not), to apply in
    #: order: a later one holds newer values
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: the ``changes`` rows written (their seqs)
    change_seqs: list[int] = field(default_factory=list)

    def merge(self, other: ApplyOutcome) -> None:
        self.events += other.events
        self.changed.extend(other.changed)
        self.rows.extend(other.rows)  # the later apply holds the newer values
        self.change_seqs.extend(other.change_seqs)
        for num, counter in other.new_statuses.items():
            self.new_statuses.setdefault(num, Counter()).update(counter)

    def changed_count(self) -> int:
        """How many recipients changed (each counted once)."""
        import numpy as np

        if not self.changed:
            return 0
        return len(np.unique(np.concatenate(self.changed)))


def apply_range(
    conn: sqlite3.Connection, after: int, upto: int, grid: int | None = None
) -> ApplyOutcome:
    """Apply the events with ``after < seq <= upto``. ``grid``: a campaign number whose
    changed rows to return (``ApplyOutcome.rows``)."""
    # seqs have no gaps (events are never deleted), so the range holds upto - after
    return _apply(conn, "e.seq > ? AND e.seq <= ?", (after, upto), upto - after, grid)


def _apply(
    conn: sqlite3.Connection,
    source: str,
    params: tuple[Any, ...],
    events: int,
    grid: int | None = None,
) -> ApplyOutcome:
    import numpy as np

    conn.execute(_SETUP)
    conn.execute("DELETE FROM temp.apply_best")
    out = ApplyOutcome(events=events)
    dialect = getattr(conn, "dialect", "sqlite")
    keyed, unkeyed = _BY_DIALECT[dialect]
    conn.execute(keyed.format(source=source), params)
    conn.execute(unkeyed.format(source=source, from_kannel=_from_kannel(conn, "u.code")), params)
    conn.execute(_PENDING.format(source=source), params)
    conn.execute(_UPDATE)
    count, *texts = conn.execute(_CHANGED).fetchone()
    if count:
        rids, packed, old_status, at = (_ints(text) for text in texts)
        if dialect != "sqlite" and (rids[1:] < rids[:-1]).any():
            # PostgreSQL's aggregate keeps no order: the callers want rid order
            order = np.argsort(rids, kind="stable")
            rids, packed, old_status, at = rids[order], packed[order], old_status[order], at[order]
        status, old_state = packed >> 3, packed & 7
        names = list(STATES)
        if (old_state == _OTHER_STATE).any():
            old_state, names = _other_states(conn, old_state)
        new_state = np.where(np.isin(old_state, _KEEPS_STATE), old_state, _ACCEPTED)
        _count(conn, out, names, rids, old_state, new_state, old_status, status)
        if grid is not None:
            _grid_rows(out, grid, names, rids, old_state, new_state, status, at)
        out.changed.append(rids)
    learned = conn.execute(_LEARN_IDS).fetchall()
    if learned:
        learned_rids = np.array(sorted(rid for rid, _ in learned), dtype=np.int64)
        out.changed.append(learned_rids)
        if grid is not None:
            # rows that learned their platform id (rare: unconfirmed ones): read them whole
            _read_grid_rows(conn, out, grid, learned_rids)
    conn.execute("DELETE FROM temp.apply_best")
    if out.changed:
        changed = (
            out.changed[0] if len(out.changed) == 1 else np.unique(np.concatenate(out.changed))
        )
        out.change_seqs = _record_changes(conn, changed)
    # ids that became known may free events that were waiting for them
    if learned:
        out.merge(match_pending(conn, (pid for _, pid in learned), grid))
    return out


def _ints(text: str) -> np.ndarray:
    import numpy as np

    return np.fromstring(text, dtype=np.int64, sep=",")


def _other_states(conn: sqlite3.Connection, codes: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Number the old states outside ``STATES`` (read back as 7) after them: only a
    file edited by hand can hold one, and the counters then carry its name as it is."""
    names = list(STATES)
    known = ", ".join(f"'{name}'" for name in STATES)
    found = [
        name
        for (name,) in conn.execute(
            f"SELECT b.old_state FROM temp.apply_best b WHERE ({_ADVANCE} OR {_ACCEPT}) "
            f"AND b.old_state NOT IN ({known}) ORDER BY b.rid"
        )
    ]  # the order codes are in
    fixed = codes.copy()
    for name in found:
        if name not in names:
            names.append(name)
    fixed[codes == _OTHER_STATE] = [names.index(name) for name in found]
    return fixed, names


def _tally(nums: np.ndarray, values: np.ndarray) -> list[tuple[int, int, int]]:
    """(campaign num, value, how many) for each pair; ``nums`` is sorted."""
    import numpy as np

    if len(nums) == 0:
        return []
    if nums[0] == nums[-1]:  # one campaign: the usual case
        found, counts = np.unique(values, return_counts=True)
        return [(int(nums[0]), int(v), int(n)) for v, n in zip(found, counts, strict=True)]
    pairs, counts = np.unique(np.stack([nums, values], axis=1), axis=0, return_counts=True)
    return [(int(a), int(v), int(n)) for (a, v), n in zip(pairs, counts, strict=True)]


def _count(
    conn: sqlite3.Connection,
    out: ApplyOutcome,
    names: list[str],
    rids: np.ndarray,
    old_state: np.ndarray,
    new_state: np.ndarray,
    old_status: np.ndarray,
    status: np.ndarray,
) -> None:
    """Adjust the per-campaign counters for the changed rows; note the new statuses."""
    nums = rids >> KEY_BITS
    deltas: Counter[tuple[int, str]] = Counter()
    moved = new_state != old_state
    for num, state, n in _tally(nums[moved], old_state[moved]):
        deltas[(num, f"state:{names[state]}")] -= n
    for num, state, n in _tally(nums[moved], new_state[moved]):
        deltas[(num, f"state:{names[state]}")] += n
    took = status != old_status  # an advance always changes the code: ranks differ
    had = took & (old_status != NONE)
    for num, code, n in _tally(nums[had], old_status[had]):
        deltas[(num, f"status:{code}")] -= n
    for num, code, n in _tally(nums[took], status[took]):
        deltas[(num, f"status:{code}")] += n
        out.new_statuses.setdefault(num, Counter())[code] += n
    LogBase._bump(conn, deltas)


def _grid_rows(
    out: ApplyOutcome,
    grid: int,
    names: list[str],
    rids: np.ndarray,
    old_state: np.ndarray,
    new_state: np.ndarray,
    status: np.ndarray,
    at: np.ndarray,
) -> None:
    """Campaign ``grid``'s changed rows as the grid takes them: the state, the status and
    its time (NaN: none) of each; the error too (cleared) where the state became
    accepted. The platform id and the sending time did not change."""
    import numpy as np

    base = grid << KEY_BITS
    lo, hi = np.searchsorted(rids, [base, base + KEY_MASK + 1])
    if lo == hi:
        return
    part = slice(lo, hi)
    keys = rids[part] - base
    state = np.asarray(names, dtype=object)[new_state[part]]
    codes, times = status[part], at[part]
    columns = {
        "key": keys,
        "state": state,
        "status": np.where(codes == NONE, np.nan, codes.astype(np.float64)),
        "status_at": np.where(times == NONE, np.nan, times.astype(np.float64)),
    }
    accepted = new_state[part] != old_state[part]
    if not accepted.any():
        out.rows.append(columns)
        return
    if not accepted.all():
        out.rows.append({name: values[~accepted] for name, values in columns.items()})
        columns = {name: values[accepted] for name, values in columns.items()}
    columns["error"] = [None] * len(columns["key"])
    out.rows.append(columns)


def _read_grid_rows(
    conn: sqlite3.Connection, out: ApplyOutcome, grid: int, rids: np.ndarray
) -> None:
    base = grid << KEY_BITS
    mine = [rid for rid in rids.tolist() if base <= rid <= base + KEY_MASK]
    rows = conn.execute(_GRID_SELECT, (json.dumps(mine),)).fetchall() if mine else []
    if rows:
        columns = list(zip(*rows, strict=True))
        found: dict[str, Any] = {"key": [rid - base for rid in columns[0]]}
        found.update(
            (name, list(values)) for name, values in zip(GRID_COLUMNS, columns[1:], strict=True)
        )
        out.rows.append(found)


def _record_changes(conn: sqlite3.Connection, rids: np.ndarray) -> list[int]:
    """``LogBase._record_changes`` for a sorted array of rids: one ``changes`` row per
    campaign, its keys packed as little-endian uint32 (``connection.pack_keys``)."""
    import numpy as np

    at = now_ms()
    seqs = []
    for part in np.split(rids, np.flatnonzero(np.diff(rids >> KEY_BITS)) + 1):
        num = int(part[0]) >> KEY_BITS
        keys = (part - (num << KEY_BITS)).astype("<u4").tobytes()
        seqs.append(
            conn.execute(
                "INSERT INTO changes (at, campaign, keys) VALUES (?, ?, ?) RETURNING seq",
                (at, num, keys),
            ).fetchone()[0]
        )
    return seqs


def match_pending(
    conn: sqlite3.Connection, platform_ids: Iterable[int], grid: int | None = None
) -> ApplyOutcome:
    """Apply the pending events waiting for ``platform_ids`` (now known to the log)."""
    ids = json.dumps(sorted(set(platform_ids)))
    seqs = [
        seq
        for (seq,) in conn.execute(
            "SELECT seq FROM pending_events WHERE platform_id IN (SELECT value FROM json_each(?))",
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

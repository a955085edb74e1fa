"""The contact base in the local log: contacts, lists, tags, segments, the consent ledger.

What the tables hold (created by the ``_base`` step of ``store/schema.py``):

* ``base_contacts``: one row per person, keyed by normalized phone (digits without "+")
  and by e-mail in lower case, both unique, either may be empty. ``fields`` is every
  other column of the files imported, one JSON object of strings; an import merges into
  it with ``json_patch`` (a value given replaces the old one, an empty cell keeps it).
* ``base_history``: the contact as it was before each import (or action) that changed
  it, with the source that changed it: one row per contact and source, so the card
  shows every change with its date and file.
* ``base_sources``: where changes and consents came from (a file with its sheet, a typed
  action, a campaign).
* ``base_lists`` / ``base_members``: named memberships; a deleted list keeps its rows
  (``deleted_at``) so that it can be restored.
* ``base_tags``; ``base_segments``: saved conditions as JSON (``kupon_desktop.base.
  segments``), turned into one SQL query when evaluated (:mod:`.base_sql`).
* ``base_consent``: the consent ledger, append-only: per contact and channel ("phone":
  every message type sent to a number; "email"), given or withdrawn, when, how, from
  which file and row, with the wording. ``base_consent_now`` keeps the last event per
  contact and channel, written in the same transaction, so a segment or a campaign reads
  the current state without scanning the ledger.

Everything a file import does is one transaction of set operations over a temporary
table (matched by the unique indexes, new ids given in file order, fields merged by
``json_patch``): a million rows never pass through a Python loop.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from kupon_desktop.errors import KuponError
from kupon_desktop.store.base_sql import SegmentSQL, compile_selection
from kupon_desktop.store.connection import KEY_BITS, LogBase, now_ms
from kupon_desktop.store.errors import LogError
from kupon_desktop.store.schema import EMAIL_INDEX as _EMAIL_INDEX
from kupon_desktop.store.schema import PHONE_INDEX as _PHONE_INDEX

CHANNELS = ("phone", "email")


class BaseNameError(KuponError):
    """A list, segment or campaign name that is unknown, taken, or deleted."""

    def __init__(self, message_en: str, message_ru: str) -> None:
        super().__init__(message_en, message_ru)


@dataclass
class Incoming:
    """Rows of one file for :meth:`BaseMixin.base_merge`, columns of equal length.

    ``fields``: one JSON object per row (null for an empty cell: it keeps the old value);
    or, instead, ``columns``: one column of cells per name of ``field_names`` (None for
    an empty cell), turned into that object by SQLite as the rows go in (no JSON text
    is written in Python). ``consent``: 1 given, 0 withdrawn, None nothing written;
    ``wording``: the cell as written (kept in the ledger).
    """

    rows: Sequence[int]
    phones: Sequence[str | None]
    emails: Sequence[str | None]
    fields: Sequence[str] = ()
    consent: Sequence[int | None] | None = None
    wording: Sequence[str | None] | None = None
    #: the fields' names in file order, and the one holding the recipient's name
    field_names: Sequence[str] = ()
    name_field: str | None = None
    columns: Sequence[Sequence[str | None]] | None = None
    #: 1 where the row's phone (e-mail) is an earlier row's too, None elsewhere, when
    #: the caller knows (the importer does); else worked out as the rows are staged
    phone_again: Sequence[int | None] | None = None
    email_again: Sequence[int | None] | None = None


@dataclass(frozen=True)
class SourceRef:
    kind: str  # "file", "typed", "campaign", ...
    name: str = ""  # a file path, a campaign id
    detail: str = ""  # a sheet, a wording, a group


@dataclass
class MergeCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (file row, reason code) of each row that could not be merged
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    source: int = 0


@dataclass(frozen=True)
class ListInfo:
    name: str
    size: int
    created_at: int
    deleted_at: int | None


@dataclass(frozen=True)
class SegmentInfo:
    name: str
    definition: dict[str, Any]
    created_at: int
    updated_at: int


@dataclass(frozen=True)
class ContactRows:
    """Contacts as columns: ids, phones, e-mails, their fields' JSON, and per channel
    the consent as the ledger has it now (1 given, 0 withdrawn, None none) with the
    time of that event."""

    ids: list[int]
    phones: list[str | None]
    emails: list[str | None]
    fields: list[str]
    consent_phone: list[int | None]
    consent_phone_at: list[int | None]
    consent_email: list[int | None]
    consent_email_at: list[int | None]


@dataclass(frozen=True)
class ConsentEvent:
    channel: str
    given: bool
    at: int
    how: str
    source: str
    detail: str
    row: int | None
    wording: str


#: SQLite's default bound on a function's arguments is 127, PostgreSQL's 100:
#: json_object takes pairs
_PAIRS_PER_CALL = 49


def _staged_fields(incoming: Incoming) -> str:
    """SQL of a staged row's fields object, over ``base_in AS t`` (``store/stage.py``)."""
    if incoming.columns is None:
        return "json_patch('{}', t.fields_json)"
    names = incoming.field_names
    cells = [f"t.f{k}" for k in range(len(names))]
    patched = _object_of(names, cells)
    if not names or len(names) > _PAIRS_PER_CALL:
        return patched
    # a row with every cell filled needs no patching to drop nulls: one JSON object
    # built instead of built, parsed and written again
    filled = " AND ".join(f"{cell} IS NOT NULL" for cell in cells)
    plain = (
        "json_object("
        + ", ".join(
            "'" + name.replace("'", "''") + "', " + cell
            for name, cell in zip(names, cells, strict=True)
        )
        + ")"
    )
    return f"(CASE WHEN {filled} THEN {plain} ELSE {patched} END)"


def _addressless(incoming: Incoming) -> bool:
    """Whether a row has neither a phone nor an e-mail (read from the columns, not the
    database: the importer's columns are Arrow arrays)."""
    from kupon_desktop.store.stage import ArrowColumn

    phones, emails = incoming.phones, incoming.emails
    if isinstance(phones, ArrowColumn) and isinstance(emails, ArrowColumn):
        import pyarrow.compute as pc

        both = pc.and_(pc.is_null(phones.array), pc.is_null(emails.array))
        return bool(pc.any(both).as_py())
    return any(p is None and e is None for p, e in zip(phones, emails, strict=True))


def _repeating(incoming: Incoming) -> bool:
    """Whether a row may repeat an earlier row's phone or e-mail (True when the caller
    did not say: the staging works it out)."""
    for again in (incoming.phone_again, incoming.email_again):
        if again is None:
            return True
        array = getattr(again, "array", None)
        if array is not None and array.null_count == len(array):
            continue
        if any(a is not None for a in again):
            return True
    return False


def _object_of(names: Sequence[str], values: Sequence[str]) -> str:
    """``json_object`` of the names and SQL values, chained past the functions' bound on
    arguments; patched into ``{}`` so that a null value leaves its name out."""
    if not names:
        return "'{}'"
    pairs = [
        "'" + name.replace("'", "''") + "', " + value
        for name, value in zip(names, values, strict=True)
    ]
    calls = [
        "json_object(" + ", ".join(pairs[i : i + _PAIRS_PER_CALL]) + ")"
        for i in range(0, len(pairs), _PAIRS_PER_CALL)
    ]
    out = "'{}'"
    for call in calls:
        out = f"json_patch({out}, {call})"
    return out


def _merged_fields(incoming: Incoming, fields: str, *, sqlite: bool) -> tuple[str, str]:
    """SQL of a known contact's fields after the merge, and of "the merge changes them",
    over ``base_contacts`` and ``base_in AS t``. A row with every cell filled sets its
    values into the object the contact has (``json_set``: the keys it has keep their
    place, new ones come last, as ``json_patch`` would put them) and is compared by
    extracting those values: the old object is parsed twice, not patched twice (the
    statement's CPU 4.5–4.8 s against 5.3–6.4 s per million rows changed, history
    trigger included, here). Other rows, and names a JSON path cannot hold, are
    patched."""
    patched = f"json_patch(base_contacts.fields, {fields})"
    general = (patched, f"{patched} != base_contacts.fields")
    names = incoming.field_names
    if (
        not sqlite
        or incoming.columns is None
        or not names
        or len(names) > _PAIRS_PER_CALL
        or any(_escaped_in_json(n) for n in names)
    ):
        return general
    cells = [f"t.f{k}" for k in range(len(names))]
    paths = ["'" + f'$."{name}"'.replace("'", "''") + "'" for name in names]
    filled = " AND ".join(f"{cell} IS NOT NULL" for cell in cells)
    put = ", ".join(f"{path}, {cell}" for path, cell in zip(paths, cells, strict=True))
    set_ = f"json_set(base_contacts.fields, {put})"
    if len(names) == 1:
        differs = f"json_extract(base_contacts.fields, {paths[0]}) IS NOT {cells[0]}"
    else:
        # several paths: one parse, the values as a JSON array, compared as text
        differs = (
            f"json_extract(base_contacts.fields, {', '.join(paths)}) "
            f"IS NOT json_array({', '.join(cells)})"
        )
    return (
        f"(CASE WHEN {filled} THEN {set_} ELSE {patched} END)",
        f"(CASE WHEN {filled} THEN {differs} ELSE {general[1]} END)",
    )


def _escaped_in_json(name: str) -> bool:
    """A name JSON writes escaped: a path compares its text with the key as written, so
    ``json_set`` would not find the key and would add it a second time."""
    return json.dumps(name, ensure_ascii=False)[1:-1] != name


#: the temporary database's page cache while rows are merged: its pages are in memory
#: either way (``temp_store = MEMORY``), but past its cache (2 MB by default) SQLite
#: copies them out to its in-memory file and back, a fifth of a million rows' merge
_TEMP_CACHE_KB = 512 * 1024


@contextmanager
def _temp_cache(conn: sqlite3.Connection) -> Iterator[None]:
    if getattr(conn, "dialect", "sqlite") != "sqlite":
        yield  # SQLite's own temporary database; PostgreSQL has work_mem
        return
    before = int(conn.execute("PRAGMA temp.cache_size").fetchone()[0])
    conn.execute(f"PRAGMA temp.cache_size = {-_TEMP_CACHE_KB}")
    try:
        yield
    finally:
        with suppress(sqlite3.Error):
            conn.execute(f"PRAGMA temp.cache_size = {before}")


class BaseMixin(LogBase):
    # -- names ---------------------------------------------------------------------

    def _name_error(self, en: str, ru: str) -> BaseNameError:
        return BaseNameError(en, ru)

    def _list_id(self, conn: sqlite3.Connection, name: str, *, create: bool = False) -> int:
        row = conn.execute(
            "SELECT id, deleted_at FROM base_lists WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            if not create:
                raise self._name_error(f"no list named {name!r}", f"нет списка «{name}»")
            if not name.strip():
                raise self._name_error("a list needs a name", "у списка должно быть имя")
            cur = conn.execute(
                "INSERT INTO base_lists (name, created_at) VALUES (?, ?) RETURNING id",
                (name, now_ms()),
            )
            return int(cur.fetchone()[0])
        if row[1] is not None:
            raise self._name_error(
                f"the list {name!r} is deleted: restore it first",
                f"список «{name}» удалён: сначала восстановите его",
            )
        return int(row[0])

    def _source(self, conn: sqlite3.Connection, source: SourceRef, at: int) -> int:
        cur = conn.execute(
            "INSERT INTO base_sources (kind, name, detail, at) VALUES (?, ?, ?, ?) RETURNING id",
            (source.kind, source.name, source.detail, at),
        )
        return int(cur.fetchone()[0])

    # -- importing -----------------------------------------------------------------

    def base_merge(
        self,
        list_name: str | None,
        incoming: Incoming,
        source: SourceRef,
        *,
        tags: Sequence[str] = (),
    ) -> MergeCounts:
        """Merge rows into the base (and into the list ``list_name``, created if new):
        a row whose phone, or else e-mail, is known updates that contact; any other row
        is a new contact. A row whose e-mail belongs to another contact than its phone
        is a conflict and changes nothing. All in one transaction.

        The rows pass into the database once, as a table (SQLite: a scratch file staged
        from Arrow, ``store/stage.py``, attached for the merge; PostgreSQL: a temporary
        table); after that each step is one statement over that table, and the steps
        that touch every row touch each once: new contacts appended in file order, known
        ones rewritten only where the merge changes them (their previous state kept as
        they are)."""
        if self.dialect != "sqlite":
            with self._write() as conn:
                return self._merge(conn, list_name, incoming, source, tags, None)
        from kupon_desktop.store.stage import staged_rows

        with self._lock:
            first = int(self._query("SELECT coalesce(max(id), 0) + 1 FROM base_contacts")[0][0])
            with staged_rows(self._real_path.parent, incoming, first) as stage:
                conn = self._conn
                if conn is None:
                    raise LogError(self.path, "the log is closed")
                try:
                    conn.execute("ATTACH DATABASE ? AS stage", (str(stage),))
                    # the scratch file is thrown away after the merge, crash or not: its
                    # rows rewritten by the merge need no rollback journal, nor a sync
                    conn.execute("PRAGMA stage.journal_mode = OFF")
                    conn.execute("PRAGMA stage.synchronous = OFF")
                except sqlite3.Error as exc:
                    self._raise(exc)
                try:
                    with self._write() as conn:
                        return self._merge(conn, list_name, incoming, source, tags, first)
                finally:
                    with suppress(sqlite3.Error):
                        conn.execute("DETACH DATABASE stage")

    def _merge(
        self,
        conn: sqlite3.Connection,
        list_name: str | None,
        incoming: Incoming,
        source: SourceRef,
        tags: Sequence[str],
        first: int | None,
    ) -> MergeCounts:
        """The transaction of :meth:`base_merge`; ``first``: the first ``pos`` of the
        rows staged in the attached scratch file (SQLite), None to load them here
        (PostgreSQL)."""
        at = now_ms()
        out = MergeCounts()
        out.source = self._source(conn, source, at)
        list_id = None if list_name is None else self._list_id(conn, list_name, create=True)
        self._register_fields(conn, incoming.field_names, incoming.name_field)
        top = int(conn.execute("SELECT coalesce(max(id), 0) FROM base_contacts").fetchone()[0])
        if first is None:
            first = top + 1
            self._copy_incoming(conn, incoming, first)
        looked_up = self._match_staged(conn, top, first)
        # nothing looked up and every row with an address: each row is a new contact,
        # known without a pass over the staged rows
        all_new = not looked_up and not _addressless(incoming) and not _repeating(incoming)
        fields = _staged_fields(incoming)
        with _temp_cache(conn):
            return self._merge_rows(
                conn, out, list_id, tags, top, at, fields, incoming, all_new=all_new
            )

    def _merge_rows(
        self,
        conn: sqlite3.Connection,
        out: MergeCounts,
        list_id: int | None,
        tags: Sequence[str],
        top: int,
        at: int,
        fields: str,
        incoming: Incoming,
        *,
        all_new: bool = False,
    ) -> MergeCounts:
        """The steps of :meth:`base_merge` once the rows are in ``base_in``; ``fields``:
        the SQL of a row's fields object, over ``base_in AS t``; ``all_new``: no row can
        match a contact nor be refused."""
        src = out.source
        if all_new:
            new, matched, conflicts = len(incoming.rows), 0, 0
        else:
            new, matched, conflicts = self._classify(conn, top)
        out.added = self._add_new(conn, new, at, fields, top)
        out.updated = self._update_known(conn, src, at, fields, incoming) if matched else 0
        out.unchanged = matched - out.updated
        members = "SELECT ?, id FROM base_in WHERE why IS NULL"
        if list_id is not None:
            conn.execute(
                f"INSERT OR IGNORE INTO base_members (list, contact) {members}",
                (list_id,),
            )
        for tag in tags:
            conn.execute(f"INSERT OR IGNORE INTO base_tags (tag, contact) {members}", (tag,))
        if incoming.consent is not None:
            self._consent_from_rows(conn, src, at)
        if conflicts:
            out.conflicts = [
                (int(r), str(w))
                for r, w in conn.execute(
                    "SELECT row, why FROM base_in WHERE why IS NOT NULL ORDER BY pos"
                )
            ]
        if getattr(conn, "dialect", "sqlite") != "sqlite":
            # (on an error the rollback takes the temporary table away too)
            conn.execute("DROP TABLE temp.base_in")
        return out

    @staticmethod
    def _match_staged(conn: sqlite3.Connection, top: int, first: int) -> bool:
        """The staged rows' contacts by phone and by e-mail, where the base has any;
        ``nid`` for every row if a contact was added between staging and now (``pos``
        counted from an id that is now taken). Inside the write transaction: the base
        looked up is the one merged into. False for an empty base (nothing looked up)."""
        if top + 1 != first:
            conn.execute(f"UPDATE base_in SET nid = pos + {int(top + 1 - first)}")
        if conn.execute("SELECT 1 FROM main.base_contacts LIMIT 1").fetchone() is None:
            return False  # an empty base: every row is new, nothing to look up
        # one pass over the rows, each written once (two ``UPDATE … FROM``, one per key,
        # wrote the found rows twice: 3.3 s against 2.4 s of CPU for a million here)
        conn.execute(
            "UPDATE base_in SET "
            "pid = (SELECT c.id FROM main.base_contacts AS c WHERE c.phone = base_in.phone), "
            "eid = (SELECT c.id FROM main.base_contacts AS c WHERE c.email = base_in.email)"
        )
        return True

    @staticmethod
    def _copy_incoming(conn: Any, incoming: Incoming, first: int) -> None:
        """PostgreSQL: the rows into a temporary ``base_in`` by ``COPY``, the same table
        SQLite stages (``store/stage.py``)."""
        from kupon_desktop.store.stage import arrow_table, table_sql

        conn.execute("DROP TABLE IF EXISTS temp.base_in")
        conn.execute(table_sql(incoming, temporary=True))
        conn.copy_arrow("base_in", arrow_table(incoming, first))
        conn.execute("ANALYZE base_in")  # a temporary table has no statistics otherwise

    @staticmethod
    def _classify(conn: sqlite3.Connection, top: int) -> tuple[int, int, int]:
        """Mark the rows that cannot be merged (``why``); number the new contacts when
        some rows are not new. Returns (new, matched, conflicts)."""
        counted = (
            "SELECT count(*), count(CASE WHEN why IS NULL AND (pid IS NOT NULL OR eid IS NOT "
            "NULL) THEN 1 END), count(why), count(CASE WHEN eid IS NOT pid AND eid IS NOT NULL "
            "OR (phone IS NULL AND email IS NULL) THEN 1 END), "
            "count(CASE WHEN phone_again IS NOT NULL OR email_again IS NOT NULL THEN 1 END) "
            "FROM base_in"
        )
        total, matched, conflicts, doubtful, again = conn.execute(counted).fetchone()
        if doubtful or again:
            if doubtful:
                BaseMixin._conflicts(conn)
            if again:
                BaseMixin._repeated_in_file(conn)
            total, matched, conflicts, _, _ = conn.execute(counted).fetchone()
        new = int(total) - int(matched) - int(conflicts)
        if new and new != total:
            conn.execute(
                f"UPDATE base_in SET nid = {int(top)} + n.k FROM (SELECT pos, row_number() "
                "OVER (ORDER BY pos) AS k FROM base_in WHERE pid IS NULL AND eid IS NULL "
                "AND why IS NULL) AS n WHERE base_in.pos = n.pos"
            )
        return new, int(matched), int(conflicts)

    @staticmethod
    def _conflicts(conn: sqlite3.Connection) -> None:
        conn.execute(
            "UPDATE base_in SET why = CASE "
            # a row with neither address cannot be a contact
            "WHEN phone IS NULL AND email IS NULL THEN 'no_address' "
            # the e-mail names a contact with another number: which one is meant is unknown
            "WHEN pid IS NULL AND phone IS NOT NULL AND (SELECT c.phone FROM "
            "main.base_contacts AS c WHERE c.id = eid) IS NOT NULL THEN 'phone_differs' "
            # the phone's contact, but the e-mail is another contact's
            "WHEN pid IS NOT NULL THEN 'email_taken' END "
            "WHERE (phone IS NULL AND email IS NULL) OR (eid IS NOT NULL AND eid IS NOT pid)"
        )
        # two rows of one file reaching the same contact (one by phone, one by e-mail);
        # the rows reached by e-mail alone are few: the set built is of their contacts
        by_email = "SELECT eid FROM base_in WHERE phone IS NULL AND eid IS NOT NULL"
        conn.execute(
            "UPDATE base_in SET why = 'same_contact' WHERE phone IS NULL AND eid IS NOT NULL "
            "AND why IS NULL AND eid IN (SELECT b.id FROM base_in AS b WHERE b.phone IS NOT "
            "NULL AND b.why IS NULL AND (b.pid IS NOT NULL OR b.eid IS NOT NULL) "
            f"AND b.id IN ({by_email}))"
        )

    @staticmethod
    def _repeated_in_file(conn: sqlite3.Connection) -> None:
        """A phone or an e-mail the base does not know, in two rows of the file: the
        first row brings it, a later one is refused (two contacts cannot share it)."""
        conn.execute(
            "UPDATE base_in SET why = CASE "
            "WHEN phone_again IS NOT NULL AND pid IS NULL THEN 'same_contact' "
            "WHEN phone IS NULL THEN 'same_contact' "
            # its own phone, and the e-mail of the contact an earlier row makes
            "ELSE 'email_taken' END "
            "WHERE why IS NULL AND ((phone_again IS NOT NULL AND pid IS NULL) "
            "OR (email_again IS NOT NULL AND eid IS NULL))"
        )

    @staticmethod
    def _add_new(conn: sqlite3.Connection, new: int, at: int, fields: str, top: int) -> int:
        if not new:
            return 0
        # a load bigger than the base: SQLite sorts the keys into fresh indexes faster
        # than it inserts a million of them in random order (one index 1.2 s against
        # 2–3 s per million here); PostgreSQL keeps them (dropping one would lock the
        # other desks out of the table while it is built again)
        rebuild = getattr(conn, "dialect", "sqlite") == "sqlite" and new >= max(top, 50_000)
        if rebuild:
            conn.execute("DROP INDEX main.base_contacts_phone")
            conn.execute("DROP INDEX main.base_contacts_email")
        conn.execute(
            "INSERT INTO base_contacts (id, phone, email, fields, created_at, updated_at) "
            f"SELECT t.id, t.phone, t.email, {fields}, ?1, ?1 FROM base_in AS t "
            "WHERE t.pid IS NULL AND t.eid IS NULL AND t.why IS NULL ORDER BY t.pos",
            (at,),
        )
        if rebuild:
            conn.execute("PRAGMA threads = 2")  # the sorter may use the second core
            conn.execute(_PHONE_INDEX)
            conn.execute(_EMAIL_INDEX)
            conn.execute("PRAGMA threads = 0")
        return new

    @staticmethod
    def _update_known(
        conn: sqlite3.Connection, src: int, at: int, fields: str, incoming: Incoming
    ) -> int:
        """Known contacts: fields merged (a cell given replaces the value, an empty one
        keeps it), an e-mail or a phone they lacked added. A contact is rewritten only
        when that changes it; a trigger keeps it as it was, once per contact and
        source. Returns how many contacts changed."""
        pg = getattr(conn, "dialect", "sqlite") == "postgresql"
        if pg:
            # no temporary triggers there: the rows the two updates below will change,
            # as they are now, in one statement first
            kept = conn.execute(
                "INSERT INTO base_history (contact, source, at, before) SELECT DISTINCT "
                f"c.id, {int(src)}, {int(at)}, '{{\"phone\":' || json_quote(c.phone) || "
                "',\"email\":' || json_quote(c.email) || ',\"fields\":' || c.fields || '}' "
                "FROM base_contacts AS c JOIN base_in AS t ON c.id = t.id WHERE t.why IS NULL "
                "AND (((t.pid IS NOT NULL AND t.email IS NOT NULL AND t.eid IS NULL) OR "
                "(t.pid IS NULL AND t.eid IS NOT NULL AND t.phone IS NOT NULL)) OR "
                "((t.pid IS NOT NULL OR t.eid IS NOT NULL) AND "
                f"json_patch(c.fields, {fields}) != c.fields)) ON CONFLICT DO NOTHING"
            ).rowcount
        else:
            conn.execute("DROP TRIGGER IF EXISTS temp.base_keep_before")
            conn.execute(
                "CREATE TEMP TRIGGER base_keep_before AFTER UPDATE ON main.base_contacts BEGIN "
                "INSERT OR IGNORE INTO base_history (contact, source, at, before) VALUES "
                f"(old.id, {int(src)}, {int(at)}, '{{\"phone\":' || json_quote(old.phone) || "
                "',\"email\":' || json_quote(old.email) || ',\"fields\":' || old.fields || "
                "'}'); END"
            )
        before = conn.total_changes
        # an address the contact lacked: a phone (found by e-mail), an e-mail not its own
        addressed = conn.execute(
            "UPDATE base_contacts SET email = coalesce(t.email, base_contacts.email), "
            "phone = coalesce(base_contacts.phone, t.phone), updated_at = ? "
            "FROM base_in AS t WHERE t.why IS NULL AND base_contacts.id = t.id AND "
            "((t.pid IS NOT NULL AND t.email IS NOT NULL AND t.eid IS NULL) OR "
            "(t.pid IS NULL AND t.eid IS NOT NULL AND t.phone IS NOT NULL))",
            (at,),
        ).rowcount
        merged, changed = _merged_fields(incoming, fields, sqlite=not pg)
        fielded = conn.execute(
            f"UPDATE base_contacts SET fields = {merged}, updated_at = ? "
            "FROM base_in AS t WHERE t.why IS NULL AND (t.pid IS NOT NULL OR t.eid IS NOT "
            f"NULL) AND base_contacts.id = t.id AND {changed}",
            (at,),
        ).rowcount
        if pg:
            return int(kept)
        conn.execute("DROP TRIGGER temp.base_keep_before")
        # each contact changed left one row of history (the trigger's)
        return conn.total_changes - before - addressed - fielded

    @staticmethod
    def _register_fields(
        conn: sqlite3.Connection, names: Sequence[str], name_field: str | None
    ) -> None:
        first = int(conn.execute("SELECT count(*) FROM base_fields").fetchone()[0])
        conn.executemany(
            "INSERT OR IGNORE INTO base_fields (name, pos) VALUES (?, ?)",
            ((name, first + i) for i, name in enumerate(names)),
        )
        if name_field:
            conn.execute("UPDATE base_fields SET role = NULL WHERE role = 'name'")
            conn.execute("UPDATE base_fields SET role = 'name' WHERE name = ?", (name_field,))

    @staticmethod
    def _consent_from_rows(conn: sqlite3.Connection, src: int, at: int) -> None:
        """A consent cell is an event for each address of its row, written only when it
        changes what the ledger says now (a file imported twice adds nothing)."""
        last = int(conn.execute("SELECT coalesce(max(id), 0) FROM base_consent").fetchone()[0])
        conn.execute(
            "INSERT INTO base_consent (contact, channel, given, at, how, source, row, wording) "
            "SELECT t.id, ch.channel, t.consent, ?, 'file', ?, t.row, coalesce(t.wording, '') "
            "FROM base_in AS t "
            "CROSS JOIN (SELECT 'phone' AS channel UNION ALL SELECT 'email') AS ch "
            "LEFT JOIN base_consent_now AS n ON n.contact = t.id AND n.channel = ch.channel "
            "WHERE t.why IS NULL AND t.consent IS NOT NULL "
            "AND CASE ch.channel WHEN 'phone' THEN t.phone ELSE t.email END IS NOT NULL "
            "AND (n.given IS NULL OR n.given != t.consent) ORDER BY t.pos",
            (at, src),
        )
        BaseMixin._consent_now_since(conn, last)

    @staticmethod
    def _consent_now_since(conn: sqlite3.Connection, last: int) -> None:
        conn.execute(
            "INSERT INTO base_consent_now (contact, channel, given, event) "
            "SELECT contact, channel, given, id FROM base_consent AS e WHERE id > ? "
            "AND id = (SELECT max(id) FROM base_consent AS l WHERE l.contact = e.contact "
            "AND l.channel = e.channel) ON CONFLICT (contact, channel) DO UPDATE "
            "SET given = excluded.given, event = excluded.event",
            (last,),
        )

    # -- lists -----------------------------------------------------------------------

    def base_lists(self, *, deleted: bool = False) -> list[ListInfo]:
        """Every list with its size (deleted ones too with ``deleted``), by name."""
        rows = self._query(
            "SELECT l.name, (SELECT count(*) FROM base_members AS m WHERE m.list = l.id), "
            "l.created_at, l.deleted_at FROM base_lists AS l "
            + ("" if deleted else "WHERE l.deleted_at IS NULL ")
            + "ORDER BY l.name"
        )
        return [ListInfo(str(n), int(s), int(c), d) for n, s, c, d in rows]

    def base_create_list(self, name: str) -> None:
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM base_lists WHERE name = ?", (name,)).fetchone():
                raise self._name_error(f"a list named {name!r} exists", f"список «{name}» уже есть")
            self._list_id(conn, name, create=True)

    def base_delete_list(self, name: str) -> None:
        """Mark the list deleted; its members are kept for :meth:`base_restore_list`."""
        with self._write() as conn:
            list_id = self._list_id(conn, name)
            conn.execute("UPDATE base_lists SET deleted_at = ? WHERE id = ?", (now_ms(), list_id))

    def base_restore_list(self, name: str) -> None:
        with self._write() as conn:
            row = conn.execute(
                "SELECT id, deleted_at FROM base_lists WHERE name = ?", (name,)
            ).fetchone()
            if row is None:
                raise self._name_error(f"no list named {name!r}", f"нет списка «{name}»")
            conn.execute("UPDATE base_lists SET deleted_at = NULL WHERE id = ?", (row[0],))

    def base_add_to_list(self, name: str, selection: dict[str, Any]) -> int:
        """Add the contacts a selection names (see :meth:`base_select_ids`) to a list,
        created if new; returns how many were not in it yet."""
        sql = self._compiled(selection)
        with self._write() as conn:
            list_id = self._list_id(conn, name, create=True)
            before = conn.total_changes
            conn.execute(
                f"INSERT OR IGNORE INTO base_members (list, contact) SELECT ?, c.id "
                f"FROM base_contacts AS c WHERE {sql.where} ORDER BY c.id",
                (list_id, *sql.params),
            )
            return conn.total_changes - before

    def base_remove_contacts(self, ids: Iterable[int], *, from_list: str | None = None) -> int:
        """Take contacts out of one list, or out of the base altogether (their lists,
        tags and fields; the consent ledger is kept: it is the proof)."""
        wanted = json.dumps([int(i) for i in ids])
        with self._write() as conn:
            before = conn.total_changes
            if from_list is not None:
                list_id = self._list_id(conn, from_list)
                conn.execute(
                    "DELETE FROM base_members WHERE list = ? AND contact IN "
                    "(SELECT value FROM json_each(?))",
                    (list_id, wanted),
                )
                return conn.total_changes - before
            conn.execute(
                "DELETE FROM base_contacts WHERE id IN (SELECT value FROM json_each(?))", (wanted,)
            )
            removed = conn.total_changes - before
            for table in ("base_members", "base_tags"):
                conn.execute(
                    f"DELETE FROM {table} WHERE contact IN (SELECT value FROM json_each(?))",
                    (wanted,),
                )
            return removed

    # -- tags ------------------------------------------------------------------------

    def base_tag(self, tag: str, selection: dict[str, Any], *, remove: bool = False) -> int:
        sql = self._compiled(selection)
        with self._write() as conn:
            before = conn.total_changes
            if remove:
                conn.execute(
                    f"DELETE FROM base_tags WHERE tag = ? AND contact IN "
                    f"(SELECT c.id FROM base_contacts AS c WHERE {sql.where})",
                    (tag, *sql.params),
                )
            else:
                conn.execute(
                    f"INSERT OR IGNORE INTO base_tags (tag, contact) SELECT ?, c.id "
                    f"FROM base_contacts AS c WHERE {sql.where} ORDER BY c.id",
                    (tag, *sql.params),
                )
            return conn.total_changes - before

    def base_tags(self) -> dict[str, int]:
        return {
            str(t): int(n)
            for t, n in self._query("SELECT tag, count(*) FROM base_tags GROUP BY tag ORDER BY tag")
        }

    # -- segments --------------------------------------------------------------------

    def base_save_segment(self, name: str, definition: dict[str, Any]) -> None:
        """Save (or replace) a segment; the definition is checked by compiling it."""
        if not name.strip():
            raise self._name_error("a segment needs a name", "у сегмента должно быть имя")
        self._compiled({"segment_definition": definition})
        text = json.dumps(definition, ensure_ascii=False, sort_keys=True)
        at = now_ms()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO base_segments (name, definition, created_at, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET definition = "
                "excluded.definition, updated_at = excluded.updated_at, deleted_at = NULL",
                (name, text, at, at),
            )

    def base_segments(self) -> list[SegmentInfo]:
        return [
            SegmentInfo(str(n), json.loads(d), int(c), int(u))
            for n, d, c, u in self._query(
                "SELECT name, definition, created_at, updated_at FROM base_segments "
                "WHERE deleted_at IS NULL ORDER BY name"
            )
        ]

    def base_segment(self, name: str) -> dict[str, Any]:
        rows = self._query(
            "SELECT definition FROM base_segments WHERE name = ? AND deleted_at IS NULL", (name,)
        )
        if not rows:
            raise self._name_error(f"no segment named {name!r}", f"нет сегмента «{name}»")
        return dict(json.loads(rows[0][0]))

    def base_delete_segment(self, name: str) -> None:
        self.base_segment(name)
        with self._write() as conn:
            conn.execute("UPDATE base_segments SET deleted_at = ? WHERE name = ?", (now_ms(), name))

    # -- reading a selection ---------------------------------------------------------

    def _compiled(self, selection: dict[str, Any]) -> SegmentSQL:
        """``{"list": name}``, ``{"segment": name}``, ``{"segment_definition": {...}}``,
        ``{"ids": [...]}`` or ``{"all": True}`` as one WHERE over ``base_contacts AS c``."""
        with self._read() as conn:
            return compile_selection(conn, selection, self._name_error)

    def base_count(self, selection: dict[str, Any]) -> int:
        sql = self._compiled(selection)
        return int(
            self._query(f"SELECT count(*) FROM base_contacts AS c WHERE {sql.where}", sql.params)[
                0
            ][0]
        )

    def base_select_ids(self, selection: dict[str, Any]) -> list[int]:
        sql = self._compiled(selection)
        return [
            int(i)
            for (i,) in self._query(
                f"SELECT c.id FROM base_contacts AS c WHERE {sql.where} ORDER BY c.id", sql.params
            )
        ]

    def base_rows(
        self,
        selection: dict[str, Any],
        *,
        ids: Sequence[int] | None = None,
    ) -> ContactRows:
        """The contacts of a selection (or exactly ``ids``, in that order) as columns."""
        if ids is not None:
            where, params = (
                "c.id IN (SELECT value FROM json_each(?))",
                [json.dumps([int(i) for i in ids])],
            )
        else:
            sql = self._compiled(selection)
            where, params = sql.where, list(sql.params)
        rows = self._query(
            "SELECT c.id, c.phone, c.email, c.fields, np.given, ep.at, ne.given, ee.at "
            "FROM base_contacts AS c "
            "LEFT JOIN base_consent_now AS np ON np.contact = c.id AND np.channel = 'phone' "
            "LEFT JOIN base_consent AS ep ON ep.id = np.event "
            "LEFT JOIN base_consent_now AS ne ON ne.contact = c.id AND ne.channel = 'email' "
            "LEFT JOIN base_consent AS ee ON ee.id = ne.event "
            f"WHERE {where} ORDER BY c.id",
            params,
        )
        if ids is not None:
            order = {int(i): k for k, i in enumerate(ids)}
            rows.sort(key=lambda r: order.get(r[0], 0))
        cols = list(zip(*rows, strict=True)) if rows else [()] * 8
        return ContactRows(*[list(c) for c in cols])

    def base_fields(self) -> tuple[list[str], str | None]:
        """The fields' names in the order first seen, and the one holding names."""
        rows = self._query("SELECT name, role FROM base_fields ORDER BY pos")
        name = next((str(n) for n, r in rows if r == "name"), None)
        return [str(n) for n, _ in rows], name

    def base_size(self) -> int:
        return int(self._query("SELECT count(*) FROM base_contacts")[0][0])

    def base_find(self, address: str) -> int | None:
        """The contact with this phone (normalized) or e-mail (any case), if any."""
        key = address.lower() if "@" in address else address
        column = "email" if "@" in address else "phone"
        rows = self._query(f"SELECT id FROM base_contacts WHERE {column} = ?", (key,))
        return int(rows[0][0]) if rows else None

    def base_contact(self, contact: int) -> tuple[str | None, str | None, str, int, int] | None:
        """(phone, e-mail, fields' JSON, created at, updated at) of one contact, if any."""
        rows = self._query(
            "SELECT CAST(phone AS TEXT), email, fields, created_at, updated_at "
            "FROM base_contacts WHERE id = ?",
            (int(contact),),
        )
        if not rows:
            return None
        phone, email, fields, created, updated = rows[0]
        return phone, email, str(fields or "{}"), int(created), int(updated)

    def base_rename_list(self, old: str, new: str) -> None:
        """Give a list another name (its members and history stay); raises
        :class:`BaseNameError` for an unknown list, an empty or a taken name."""
        name = new.strip()
        if not name:
            raise self._name_error("a list needs a name", "у списка должно быть имя")
        with self._write() as conn:
            row = conn.execute("SELECT id FROM base_lists WHERE name = ?", (old,)).fetchone()
            if row is None:
                raise self._name_error(f"no list named {old!r}", f"нет списка «{old}»")
            taken = conn.execute("SELECT 1 FROM base_lists WHERE name = ?", (name,)).fetchone()
            if name != old and taken:
                raise self._name_error(f"a list named {name!r} exists", f"список «{name}» уже есть")
            conn.execute("UPDATE base_lists SET name = ? WHERE id = ?", (name, row[0]))

    def base_contact_history(self, contact: int) -> list[tuple[int, str, str, dict[str, Any]]]:
        """(time, source kind, source name, the contact before) of each change, oldest
        first."""
        return [
            (int(at), str(kind), str(name), dict(json.loads(before)))
            for at, kind, name, before in self._query(
                "SELECT h.at, s.kind, s.name, h.before FROM base_history AS h "
                "JOIN base_sources AS s ON s.id = h.source WHERE h.contact = ? "
                "ORDER BY h.at, h.source",
                (contact,),
            )
        ]

    def base_contact_lists(self, contact: int) -> list[str]:
        return [
            str(n)
            for (n,) in self._query(
                "SELECT l.name FROM base_members AS m JOIN base_lists AS l ON l.id = m.list "
                "WHERE m.contact = ? AND l.deleted_at IS NULL ORDER BY l.name",
                (contact,),
            )
        ]

    def iter_base(
        self, selection: dict[str, Any], *, batch_size: int = 20_000
    ) -> Iterator[ContactRows]:
        """A selection in batches of rows (an export of a million contacts)."""
        ids = self.base_select_ids(selection)
        for start in range(0, len(ids), batch_size):
            yield self.base_rows({}, ids=ids[start : start + batch_size])

    # -- consent -------------------------------------------------------------------------

    def base_consent_record(
        self,
        contact: int,
        channel: str,
        *,
        given: bool,
        how: str,
        source: SourceRef,
        wording: str = "",
        row: int | None = None,
        at: int | None = None,
    ) -> None:
        """One consent event, appended to the ledger; the current state follows it."""
        if channel not in CHANNELS:
            raise ValueError(f"consent channel must be phone or email, not {channel!r}")
        when = now_ms() if at is None else at
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM base_contacts WHERE id = ?", (contact,)).fetchone():
                raise KeyError(contact)
            last = int(conn.execute("SELECT coalesce(max(id), 0) FROM base_consent").fetchone()[0])
            src = self._source(conn, source, when)
            conn.execute(
                "INSERT INTO base_consent (contact, channel, given, at, how, source, row, "
                "wording) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (contact, channel, int(given), when, how, src, row, wording),
            )
            self._consent_now_since(conn, last)

    def base_consent_events(self, contact: int) -> list[ConsentEvent]:
        return [
            ConsentEvent(str(ch), bool(g), int(at), str(how), str(k or ""), str(n or ""), r, str(w))
            for ch, g, at, how, k, n, r, w in self._query(
                "SELECT e.channel, e.given, e.at, e.how, s.kind, s.name, e.row, e.wording "
                "FROM base_consent AS e LEFT JOIN base_sources AS s ON s.id = e.source "
                "WHERE e.contact = ? ORDER BY e.id",
                (contact,),
            )
        ]

    def base_messages_to(self, addresses: Sequence[str]) -> list[tuple[Any, ...]]:
        """Every message the log holds for these addresses (an e-mail in any case):
        (campaign id, name, type, state, status, sent at, status at, text), oldest
        first. A scan of the recipients: a proof is asked for one person at a time."""
        keys = json.dumps(sorted({a.lower() for a in addresses if a}), ensure_ascii=False)
        return [
            tuple(r)
            for r in self._query(
                "SELECT c.id, c.name, c.type, d.state, d.status, d.sent_at, d.status_at, r.text "
                "FROM recipients AS r JOIN deliveries AS d ON d.rid = r.rid "
                "JOIN campaigns AS c ON c.num = r.campaign "
                "WHERE lower(r.address) IN (SELECT CAST(value AS TEXT) FROM json_each(?)) "
                "ORDER BY coalesce(d.sent_at, c.created_at), r.rid",
                (keys,),
            )
        ]

    # -- campaigns seen from the base ----------------------------------------------------

    def base_campaign_range(self, campaign: str) -> tuple[str, int, int, str, int]:
        """(id, first rid, last rid, type, created_at) of a campaign named by its id, by
        its name (the newest of that name), or "last" (the newest not a test send)."""
        if campaign == "last":
            rows = self._query(
                "SELECT id, num, size, type, created_at FROM campaigns WHERE name != 'test' "
                "ORDER BY num DESC LIMIT 1"
            )
        else:
            rows = self._query(
                "SELECT id, num, size, type, created_at FROM campaigns WHERE id = ?1 OR "
                "name = ?1 ORDER BY id = ?1 DESC, num DESC LIMIT 1",
                (campaign,),
            )
        if not rows:
            raise self._name_error(f"no campaign {campaign!r}", f"нет рассылки «{campaign}»")
        cid, num, size, type_, created = rows[0]
        first = int(num) << KEY_BITS
        return str(cid), first, first + max(int(size), 1) - 1, str(type_), int(created)

    def base_add_recipients(
        self, campaign_id: str, where: str, params: Sequence[Any], source: SourceRef
    ) -> tuple[int, int]:
        """Make sure the campaign's recipients that ``where`` (over ``r`` recipients and
        ``d`` deliveries) picks are contacts: an address not in the base becomes a new
        contact with the recipient's name and fields. Returns (added, source id)."""
        _cid, first, last, _type, _created = self.base_campaign_range(campaign_id)
        at = now_ms()
        with self._write() as conn:
            src = self._source(conn, source, at)
            top = int(conn.execute("SELECT coalesce(max(id), 0) FROM base_contacts").fetchone()[0])
            before = conn.total_changes
            conn.execute(
                "INSERT INTO base_contacts (id, phone, email, fields, created_at, updated_at) "
                "SELECT ? + row_number() OVER (ORDER BY r.rid), "
                "CASE WHEN r.address NOT LIKE '%@%' THEN r.address END, "
                "CASE WHEN r.address LIKE '%@%' THEN lower(r.address) END, "
                "CASE WHEN json_valid(r.fields) AND json_type(r.fields) = 'object' "
                "THEN json_patch('{}', r.fields) ELSE '{}' END, ?, ? "
                # the first recipient of each address
                "FROM recipients AS r WHERE r.rid IN (SELECT min(r.rid) "
                "FROM recipients AS r JOIN deliveries AS d ON d.rid = r.rid "
                f"WHERE r.rid BETWEEN ? AND ? AND ({where}) "
                "AND NOT EXISTS (SELECT 1 FROM base_contacts AS c WHERE c.phone = r.address "
                "OR c.email = lower(r.address)) GROUP BY lower(r.address))",
                (top, at, at, first, last, *params),
            )
            return conn.total_changes - before, src

    # -- hygiene ---------------------------------------------------------------------------

    def base_failing(
        self, last: int, statuses: Sequence[int], selection: dict[str, Any] | None = None
    ) -> list[tuple[int, str, list[int]]]:
        """Contacts (of ``selection``, or all) whose last ``last`` messages that reached
        a final status all ended in one of ``statuses``: (contact id, address, the
        statuses, newest first)."""
        sql = self._compiled(selection or {})
        codes = json.dumps([int(s) for s in statuses])
        rows = self._query(
            "WITH picked AS (SELECT c.id, c.phone, c.email FROM base_contacts AS c "
            f"WHERE {sql.where}), "
            "sent AS (SELECT lower(r.address) AS a, d.status AS s, row_number() OVER "
            "(PARTITION BY lower(r.address) ORDER BY coalesce(d.status_at, d.sent_at) DESC, "
            "r.rid DESC) AS k FROM recipients AS r JOIN deliveries AS d ON d.rid = r.rid "
            "WHERE d.state = 'accepted' AND d.status IS NOT NULL AND d.status NOT IN "
            "(-4, -1, 0)), "
            "lastn AS (SELECT a, group_concat(s) AS ss, count(*) AS n, sum(CASE WHEN s IN "
            "(SELECT value FROM json_each(?)) THEN 1 ELSE 0 END) AS bad FROM (SELECT * FROM "
            "sent WHERE k <= ? ORDER BY a, k) AS newest GROUP BY a) "
            "SELECT p.id, l.a, l.ss FROM lastn AS l JOIN picked AS p "
            "ON p.phone = l.a OR p.email = l.a WHERE l.n = ? AND l.bad = ? ORDER BY p.id",
            (*sql.params, codes, int(last), int(last), int(last)),
        )
        return [(int(i), str(a), [int(s) for s in str(ss).split(",")]) for i, a, ss in rows]

"""Opening the log file, its pragmas and migrations, and the one way to write to it.

Durability: the file runs in WAL mode with ``synchronous=NORMAL``: a commit survives the
program being killed (the operating system has the pages), and a power cut can lose only
the last commits, never corrupt the file. Two kinds of commit are promises to someone
outside and run with ``synchronous=FULL`` (an fsync of the WAL): marking recipients
``in_flight`` (if that were lost, a resumed campaign would send them again) and storing
status events (the receiver answers 200 after it, and the platform never repeats a
callback that got 200). Because the WAL is sequential, a FULL commit also makes every
earlier NORMAL one durable.
"""

from __future__ import annotations

import bisect
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

from kupon_desktop import __version__
from kupon_desktop.redaction import SecretRedactor
from kupon_desktop.store.checkpoint import FALLBACK_PAGES, Checkpointer
from kupon_desktop.store.errors import (
    LogError,
    LogFilesChanged,
    LogLinked,
    LogLocked,
    LogReadOnly,
    LogTooNew,
    translate_error,
)
from kupon_desktop.store.schema import HISTORY_TABLE, LATEST_VERSION, MIGRATIONS
from kupon_desktop.store.sentmark import SEQ_KEY, Lost, SentMark, file_id, find_lost, wal_path

log = logging.getLogger(__name__)

T = TypeVar("T")

#: UPDATE … FROM (3.33) and RETURNING (3.35) are used; Python's own builds are newer
MIN_SQLITE = (3, 35, 0)

KEY_BITS = 32
KEY_MASK = (1 << KEY_BITS) - 1
#: changes older than this are pruned when a writable log opens; a poller further behind
#: gets ``reset`` and reloads
CHANGES_KEPT_MS = 24 * 3600 * 1000
#: the -shm file is at least one region of the WAL index while the log is open
SHM_REGION = 32 * 1024
LOST_ERROR = (
    "may have been sent: the log lost its last changes (its -wal file was removed after "
    "the program stopped); check before resending"
)


def is_url(target: object) -> bool:
    """Whether ``open_log``'s target names a PostgreSQL database rather than a file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def split_password(url: str, shown: str = "") -> tuple[str, str | None]:
    """``url`` with its password replaced by ``shown`` (left out with its colon when
    empty), and the password (None: the URL has none, and comes back as it is)."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    netloc = f"{name}:{shown}@{host}" if shown else f"{name}@{host}"
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.password)


def display_url(url: str) -> str:
    """``url`` without its password: the log's name in messages."""
    return split_password(url, "***")[0]


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def pack_keys(keys: Iterable[int]) -> bytes:
    packed = array("I", keys)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack_keys(blob: bytes) -> array[int]:
    keys = array("I")
    keys.frombytes(blob)
    if sys.byteorder == "big":
        keys.byteswap()
    return keys


if array("I").itemsize != 4:  # pragma: no cover - every supported platform has 4
    raise ImportError("the log packs keys as 4-byte unsigned integers")


#: how long a write waits for another process's by default, in seconds: long enough for
#: the receiver's or another window's transaction, short enough to say "locked" soon
BUSY_TIMEOUT = 10.0


class LogBase:
    """The connection, its lock, transactions and the small shared helpers.

    One ``Log`` owns one SQLite connection. Its methods may be called from any thread
    (they are serialised by a lock), so the engine can hand them to
    ``asyncio.to_thread``; separate ``Log`` objects (one per thread or process) run in
    parallel, readers never waiting for the writer (WAL).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        busy_timeout: float | None = None,
        cache_mb: int = 64,
    ) -> None:
        if busy_timeout is None:
            busy_timeout = BUSY_TIMEOUT
        self.readonly = readonly
        #: what the log was opened on (``target``): a path, or the URL with its password
        self._target = path
        self._lock = threading.RLock()
        self._campaign_nums: dict[str, int] = {}
        #: campaign number -> the token of the claim this Log holds on it
        self._held_claims: dict[int, str] = {}
        self._checkpointer: Checkpointer | None = None
        self._sent_mark: SentMark | None = None
        #: (device, inode) of the -wal and -shm files once seen (``_check_side_files``)
        self._side_ids: dict[str, tuple[int, int]] = {}
        #: every error text the log stores goes through it (see ``add_secret``)
        self.redact = SecretRedactor()
        #: recipients this open found possibly sent by writes the log lost (its -wal
        #: was deleted after a crash) and made ``unconfirmed``; 0 normally
        self.lost_recovered = 0
        #: "sqlite" (a file), or "postgresql" (a database server, ``store/pg.py``)
        self.dialect = "postgresql" if is_url(path) else "sqlite"
        if self.dialect == "postgresql":
            #: the log's name in messages (a PostgreSQL URL without its password)
            self.path: Path | str = display_url(str(path))
            self._real_path = Path()
            self._open_pg(str(path), busy_timeout)
            return
        self.path = file = Path(path)
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise LogError(
                self.path,
                f"SQLite {sqlite3.sqlite_version} is too old; "
                f"{'.'.join(map(str, MIN_SQLITE))} or newer is needed",
            )
        #: where SQLite keeps the file, and so its -wal and -shm (symlinks resolved)
        self._real_path = file.resolve()
        try:
            if not readonly:
                file.parent.mkdir(parents=True, exist_ok=True)
                links = file.stat().st_nlink if file.exists() else 1
                if links > 1:
                    raise LogLinked(self.path, str(links))
            elif not file.exists():
                raise LogError(self.path, "the file does not exist")
            uri = file.resolve().as_uri() + ("?mode=ro" if readonly else "")
            self._conn = sqlite3.connect(
                uri,
                uri=True,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE
                check_same_thread=False,  # serialised by self._lock instead
                timeout=busy_timeout,
            )
        except Exception as exc:
            self._raise(exc)
        try:
            self._setup(busy_timeout, cache_mb)
            self._know_own_secrets()
        except BaseException:
            if self._checkpointer is not None:
                self._checkpointer.close()
            self._conn.close()
            raise

    @property
    def target(self) -> str | Path:
        """What this log was opened on, to open it again elsewhere (the built-in receiver
        writing into it): the file's path, or the database URL as given, password and all.
        Never for a message: ``path`` is the log's name there."""
        return self._target if self.dialect == "postgresql" else self.path

    def _open_pg(self, url: str, busy_timeout: float) -> None:
        """Take a connection from the URL's pool and migrate the database (the same
        versioned steps as a file; PostgreSQL has no WAL side files or sent-mark: a
        committed transaction is durable on the server)."""
        from kupon_desktop.store import pg

        try:
            # the store's SQL speaks to it through sqlite3's names (``pg.PgConnection``)
            self._conn = cast(sqlite3.Connection, pg.PgConnection(url, busy_timeout))
        except Exception as exc:
            self._raise(exc)
        try:
            if not self.readonly:
                self._migrate()
                self._prune_changes()
            else:
                version = self._version()
                if version > LATEST_VERSION:
                    raise LogTooNew(
                        self.path, f"schema {version}, this program knows {LATEST_VERSION}"
                    )
                if version < LATEST_VERSION:
                    raise LogReadOnly(
                        self.path, "it needs an upgrade, which a read-only open cannot do"
                    )
            self._know_own_secrets()
        except BaseException as exc:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]
            if isinstance(exc, Exception):
                self._raise(exc)
            raise

    # -- opening -------------------------------------------------------------------

    def _setup(self, busy_timeout: float, cache_mb: int) -> None:
        conn = self._conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            # a page cache big enough for the narrow deliveries table of a large campaign
            conn.execute(f"PRAGMA cache_size = {-int(cache_mb) * 1024}")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA foreign_keys = OFF")
            if not self.readonly:
                self._switch_to_wal(busy_timeout)
                conn.execute("PRAGMA synchronous = NORMAL")
                # after a big transaction (a million recipients) the WAL is checkpointed;
                # this gives its space back instead of keeping a file that large
                conn.execute(f"PRAGMA journal_size_limit = {64 * 1024 * 1024}")
                # commits do not copy the WAL back; a thread does (``checkpoint``)
                conn.execute(f"PRAGMA wal_autocheckpoint = {FALLBACK_PAGES}")
                resolved = self._real_path
                self._checkpointer = Checkpointer(
                    resolved.as_uri(), resolved.with_name(resolved.name + "-shm")
                )
                self._migrate()
                self._prune_changes()
                self._check_sent_mark()
            else:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > LATEST_VERSION:
                    raise LogTooNew(
                        self.path, f"schema {version}, this program knows {LATEST_VERSION}"
                    )
                if version < LATEST_VERSION:
                    raise LogReadOnly(
                        self.path, "it needs an upgrade, which a read-only open cannot do"
                    )
        except Exception as exc:
            self._raise(exc)

    def _switch_to_wal(self, busy_timeout: float) -> None:
        """Put the file in WAL mode (it stays so). On a new file two processes may try at
        once, and SQLite does not wait for the other here but says "locked" at once: try
        again until the busy timeout runs out."""
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                mode = str(self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
                if mode.lower() == "wal":
                    return
                detail = f"could not switch to WAL mode ({mode})"
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in (5, 6):  # BUSY, LOCKED
                    raise
                detail = str(exc)
            if time.monotonic() >= deadline:
                raise LogLocked(self.path, detail)
            time.sleep(0.01)

    def _version(self) -> int:
        """The schema version the log is at: ``PRAGMA user_version`` in a file, the last
        row of ``migrations`` on PostgreSQL (which has no such header)."""
        conn = self._conn
        if self.dialect == "sqlite":
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        # by the catalog's tables, not to_regclass: that may answer from a catalog read
        # before another opener's migration committed, while this waited for the lock
        if not conn.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = 'migrations'"
        ).fetchone()[0]:
            return 0
        return int(conn.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()[0])

    def _revive(self) -> None:
        """PostgreSQL: a connection the server dropped (a restart) is replaced before the
        next call, and the claims this log holds take their session locks again. Until
        then another desk could take such a campaign over; that take-over rewrites its
        claim row, which every ``mark_in_flight`` checks, so nothing is sent twice."""
        if self.dialect != "postgresql":
            return
        try:
            revived = cast(Any, self._conn).revive()
        except Exception as exc:
            self._raise(exc)
        if not revived:
            return
        from kupon_desktop.store.pg import CLAIM_LOCK

        log.warning("the connection to %s was lost and made again", self.path)
        self._campaign_nums.clear()
        for num in list(self._held_claims):
            self._conn.execute(f"SELECT pg_try_advisory_lock({CLAIM_LOCK}, {int(num)})")

    def _has_tables(self) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
        else:
            sql = (
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        return bool(self._conn.execute(sql).fetchone()[0])

    def _migrate(self) -> None:
        conn = self._conn
        version = self._version()
        if version > LATEST_VERSION:
            raise LogTooNew(self.path, f"schema {version}, this program knows {LATEST_VERSION}")
        while version < LATEST_VERSION:
            self._begin_write(conn)
            try:
                # read again under the write lock: another process (the receiver starting
                # with the window) may have migrated while we waited for it
                version = self._version()
                if version == 0 and self._has_tables():
                    raise LogError(self.path, "the file holds another program's database")
                if version < LATEST_VERSION:
                    if self.dialect == "postgresql":
                        from kupon_desktop.store import pg

                        # SQLite's functions the store calls, before any step uses them
                        cast(Any, conn).raw.execute(pg.FUNCTIONS)
                    conn.execute(HISTORY_TABLE)
                    MIGRATIONS[version](conn)
                    conn.execute(
                        "INSERT INTO migrations VALUES (?, ?, ?)",
                        (version + 1, now_ms(), __version__),
                    )
                    if self.dialect == "sqlite":
                        conn.execute(f"PRAGMA user_version = {version + 1}")
                    version += 1
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _begin_write(self, conn: sqlite3.Connection) -> None:
        """Begin a write transaction holding the log's one write lock: SQLite's
        ``BEGIN IMMEDIATE``; on PostgreSQL an advisory lock for the transaction (see
        ``store/pg.py`` for why writers are serialised there too)."""
        if self.dialect == "sqlite":
            conn.execute("BEGIN IMMEDIATE")
            return
        from kupon_desktop.store.pg import WRITE_LOCK

        conn.execute("BEGIN")
        try:
            conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _check_side_files(self) -> None:
        """Refuse to go on when another program removed, replaced or cut short the
        ``-wal`` or ``-shm`` file while this log is open: SQLite maps the ``-shm`` into
        memory, and touching a mapping whose file was cut short kills the process
        (SIGBUS) without a word; a removed or replaced one splits the log's users
        apart. (SQLite removes them itself only when the last user closes.) Two
        ``stat`` calls, before every access."""
        if self.readonly or self.dialect != "sqlite":
            return
        real = self._real_path
        for suffix in ("-shm", "-wal"):
            side = real.with_name(real.name + suffix)
            try:
                st = os.stat(side)
            except FileNotFoundError:
                if suffix in self._side_ids:
                    raise LogFilesChanged(self.path, f"{side.name} was removed") from None
                continue
            except OSError:
                continue
            known = self._side_ids.get(suffix)
            if known is None:
                self._side_ids[suffix] = (st.st_dev, st.st_ino)
            elif known != (st.st_dev, st.st_ino):
                raise LogFilesChanged(self.path, f"{side.name} was replaced")
            if suffix == "-shm" and st.st_size < SHM_REGION:
                self._lengthen_shm(side)
                raise LogFilesChanged(self.path, f"{side.name} was cut short")

    def _lengthen_shm(self, shm: Path) -> None:
        """Give a cut -shm its length back (zeros: SQLite rebuilds the index from the
        -wal), so that closing the log, or any user of it, does not touch memory past
        the file's end (SIGBUS)."""
        wal = shm.with_name(shm.name[: -len("-shm")] + "-wal")
        try:
            frames = os.stat(wal).st_size // (512 + 24)  # smallest page: most frames
        except OSError:
            frames = 0
        # each 32 KB region of the index holds 4,096 frames; one spare
        size = SHM_REGION * (frames // 4096 + 2)
        try:
            if os.stat(shm).st_size < size:
                os.truncate(shm, size)
        except OSError as exc:
            log.warning("could not lengthen %s again: %s", shm, exc)

    def _know_own_secrets(self) -> None:
        try:
            for key in ("feed_key", "receiver_secret"):
                self.redact.add(self.get_meta(key))
        except LogError:
            pass  # a log too old or damaged to read: its open fails elsewhere, or not

    def add_secret(self, secret: str) -> None:
        """Keep ``secret`` (the API token) out of every error text the log stores, in
        every spelling an answer may quote it in. The log's own feed key and callback
        secret are kept out already."""
        self.redact.add(secret)

    def _check_sent_mark(self) -> None:
        """See :mod:`kupon_desktop.store.sentmark`: make ``unconfirmed`` every queued
        recipient that writes lost with a deleted ``-wal`` may have sent."""
        import uuid

        resolved = self._real_path
        mark = SentMark(resolved, self.meta_default("log_id", lambda: uuid.uuid4().hex))
        self._sent_mark = mark
        seq = int(self.get_meta(SEQ_KEY) or 0)
        found = mark.read()
        wal_now = file_id(wal_path(resolved))
        if found is None or (find_lost(found, seq, wal_now) is None and seq >= found.pending):
            return  # the usual case: no lock taken
        at = now_ms()
        with self._write(durable=True) as conn:
            # again under the write lock: a sender may have been committing just now
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (SEQ_KEY,)).fetchone()
            seq = int(row[0]) if row else 0
            found = mark.read()
            if found is None:
                return
            lost = find_lost(found, seq, file_id(wal_path(resolved)))
            if lost is None and seq >= found.pending:
                return
            if lost is not None:
                self.lost_recovered = self._make_unconfirmed(conn, lost, at)
                log.warning(
                    "the log %s lost its last writes (its -wal file was removed after a "
                    "crash): %d recipient(s) that may have been sent are unconfirmed",
                    self.path,
                    self.lost_recovered,
                )
            conn.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                "excluded.value",
                (SEQ_KEY, str(max(seq, found.pending))),
            )
            mark.settle(max(seq, found.pending))

    def _make_unconfirmed(self, conn: sqlite3.Connection, lost: Lost, at: int) -> int:
        moved: list[tuple[int, int]] = []
        for num, top in lost.up_to.items():
            base = num << KEY_BITS
            moved += conn.execute(
                "UPDATE deliveries SET state = 'unconfirmed', error = ? "
                "WHERE rid BETWEEN ? AND ? AND state = 'queued' RETURNING rid, ?",
                (LOST_ERROR, base, base | min(top, KEY_MASK), num),
            ).fetchall()
        for num, keys in lost.keys.items():
            base = num << KEY_BITS
            moved += conn.execute(
                "UPDATE deliveries SET state = 'unconfirmed', error = ? WHERE rid IN "
                "(SELECT ? | value FROM json_each(?)) AND state = 'queued' RETURNING rid, ?",
                (LOST_ERROR, base, json.dumps(keys), num),
            ).fetchall()
        deltas: Counter[tuple[int, str]] = Counter()
        for _rid, num in moved:
            deltas[(num, "state:queued")] -= 1
            deltas[(num, "state:unconfirmed")] += 1
        self._bump(conn, deltas)
        self._record_changes(conn, (rid for rid, _ in moved), at)
        return len(moved)

    def _note_in_flight(self, conn: sqlite3.Connection, num: int, keys: list[int]) -> None:
        """Inside ``mark_in_flight``'s transaction, before it commits: count it in the log
        and in the sent-mark file beside it."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (SEQ_KEY,)).fetchone()
        seq = int(row[0]) if row else 0
        if self._sent_mark is not None:
            self._sent_mark.before_commit(seq, num, keys)
        conn.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (SEQ_KEY, str(seq + 1)),
        )

    def _prune_changes(self) -> None:
        """Drop change rows older than a day (a poller that far behind reloads anyway).
        Maintenance only: skipped when there is nothing to drop or another process is
        writing."""
        cutoff = now_ms() - CHANGES_KEPT_MS
        oldest = self._conn.execute("SELECT min(at) FROM changes").fetchone()[0]
        if oldest is None or oldest >= cutoff:
            return
        try:
            with self._write():
                # keep the newest row whatever its age, so the next seq never goes back
                self._conn.execute(
                    "DELETE FROM changes WHERE at < ? AND seq < (SELECT max(seq) FROM changes)",
                    (cutoff,),
                )
        except LogLocked:
            pass

    # -- life ----------------------------------------------------------------------

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.close()
        mark = self._sent_mark
        with self._lock:
            conn = getattr(self, "_conn", None)
            seen = mark.read() if mark is not None and conn is not None else None
            if conn is not None:
                conn.close()
                self._conn = None  # type: ignore[assignment]
        if mark is not None:
            # the last user's close checkpoints everything and removes the -wal
            if seen is not None and not wal_path(self._real_path).exists():
                mark.closed_clean(seen)
            mark.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self.path)!r}{' read-only' if self.readonly else ''}>"

    # -- transactions --------------------------------------------------------------

    def _raise(self, exc: BaseException) -> NoReturn:
        named = translate_error(exc, self.path)
        if named is None and self.dialect == "postgresql":
            from kupon_desktop.store.pg import translate_pg_error

            named = translate_pg_error(exc, str(self.path))
        if named is None or named is exc:
            raise exc
        raise named from exc

    @contextmanager
    def _write(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction. ``BEGIN IMMEDIATE`` takes the write lock up front, so a
        busy file waits (busy_timeout) instead of failing half-way; ``durable`` commits
        with an fsync (see the module's note)."""
        if self.readonly:
            raise LogReadOnly(self.path, "opened read-only")
        with self._lock:
            conn = self._conn
            if conn is None:
                raise LogError(self.path, "the log is closed")
            self._check_side_files()
            self._revive()
            durable = durable and self.dialect == "sqlite"  # PostgreSQL: every commit is
            try:
                if durable:
                    conn.execute("PRAGMA synchronous = FULL")
                self._begin_write(conn)
                try:
                    yield conn
                    conn.execute("COMMIT")
                    if self._checkpointer is not None:
                        self._checkpointer.kick()
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                finally:
                    if durable:
                        conn.execute("PRAGMA synchronous = NORMAL")
            except LogError:
                raise
            except _db_errors() as exc:
                self._campaign_nums.clear()  # whatever we cached may have been rolled back
                self._raise(exc)

    def held(self) -> AbstractContextManager[Any]:
        """A block during which this process's other users of the log wait: two calls
        in it see no write of another thread between them (the grid's poll reads its
        changes and the counts so, while the engine applies statuses beside it)."""
        return self._lock

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for multi-statement reads."""
        with self._lock:
            conn = self._conn
            if conn is None:
                raise LogError(self.path, "the log is closed")
            self._check_side_files()
            self._revive()
            try:
                conn.execute(
                    "BEGIN"
                    if self.dialect == "sqlite"
                    else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                )
                try:
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
            except LogError:
                raise
            except _db_errors() as exc:
                self._raise(exc)

    def _query(self, sql: str, params: Any = ()) -> list[Any]:
        with self._lock:
            if self._conn is None:
                raise LogError(self.path, "the log is closed")
            self._check_side_files()
            self._revive()
            try:
                return self._conn.execute(sql, params).fetchall()
            except _db_errors() as exc:
                self._raise(exc)

    # -- meta ------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        if key in ("feed_key", "receiver_secret"):
            self.redact.add(value)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                "excluded.value",
                (key, value),
            )

    def meta_default(self, key: str, make: Any) -> str:
        """The value of ``key``, storing ``make()`` first if there is none (once, even
        with several processes racing)."""
        value = self.get_meta(key)
        if value is not None:
            return value
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, str(make())))
            return str(conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])

    def receiver_secret(self) -> str:
        """This installation's callback secret (made once, kept in the log). It is part
        of every callback URL; it is not the API token."""
        import secrets

        secret = self.meta_default("receiver_secret", lambda: secrets.token_urlsafe(24))
        self.redact.add(secret)
        return secret

    def feed_key(self) -> str:
        """The bearer key of the receiver's event feed (made once, kept in the log)."""
        import secrets

        key = self.meta_default("feed_key", lambda: secrets.token_urlsafe(32))
        self.redact.add(key)
        return key

    # -- helpers shared by the parts -------------------------------------------------

    def _num(self, conn: sqlite3.Connection, campaign_id: str) -> int:
        """The internal number of a campaign; KeyError names an unknown id."""
        num = self._campaign_nums.get(campaign_id)
        if num is None:
            row = conn.execute(
                "SELECT num FROM campaigns WHERE id = ?", (str(campaign_id),)
            ).fetchone()
            if row is None:
                raise KeyError(f"no campaign {campaign_id!r} in the log {self.path}")
            num = self._campaign_nums[campaign_id] = int(row[0])
        return num

    @staticmethod
    def _all_campaigns(conn: sqlite3.Connection) -> dict[str, tuple[int, bool, int]]:
        """Every campaign: id -> (number, Kannel flag, number of recipients)."""
        return {
            str(cid): (int(num), bool(kannel), int(size))
            for cid, num, kannel, size in conn.execute(
                "SELECT id, num, kannel, size FROM campaigns"
            )
        }

    def _insert_many(
        self,
        conn: sqlite3.Connection,
        table: str,
        columns: tuple[str, ...],
        rows: Iterable[tuple[Any, ...]],
        *,
        named: bool = True,
    ) -> int:
        """Insert many rows in the current transaction; returns how many. SQLite: one
        prepared INSERT for them all (``named=False`` leaves the column list out);
        PostgreSQL: ``COPY``, its bulk path (a prepared INSERT per row costs a round
        trip each)."""
        if self.dialect == "postgresql":
            return int(cast(Any, conn).copy_rows(table, columns, rows))
        names = f" ({', '.join(columns)})" if named else ""
        marks = ", ".join("?" * len(columns))
        return conn.executemany(f"INSERT INTO {table}{names} VALUES ({marks})", rows).rowcount

    @staticmethod
    def _bump(conn: sqlite3.Connection, deltas: Counter[tuple[int, str]]) -> None:
        """Adjust the per-campaign counters by ``{(campaign num, name): delta}``."""
        rows = [(num, name, n) for (num, name), n in deltas.items() if n]
        if rows:
            conn.executemany(
                "INSERT INTO counts VALUES (?, ?, ?) ON CONFLICT (campaign, name) "
                "DO UPDATE SET n = counts.n + excluded.n",
                rows,
            )

    @staticmethod
    def _record_changes(
        conn: sqlite3.Connection, rids: Iterable[int], at: int | None = None
    ) -> list[int]:
        """One ``changes`` row per campaign touched, holding the changed keys; returns
        their seqs."""
        ordered = sorted(rids)
        rows = []
        start = 0
        while start < len(ordered):
            base = ordered[start] & ~KEY_MASK
            end = bisect.bisect_right(ordered, base | KEY_MASK, start)
            keys = [rid - base for rid in ordered[start:end]]
            rows.append((now_ms() if at is None else at, base >> KEY_BITS, pack_keys(keys)))
            start = end
        return [
            conn.execute(
                "INSERT INTO changes (at, campaign, keys) VALUES (?, ?, ?) RETURNING seq", r
            ).fetchone()[0]
            for r in rows
        ]


def _db_errors() -> tuple[type[BaseException], ...]:
    """The errors a database call may raise: SQLite's and the system's, and
    PostgreSQL's when its driver is loaded (a file log never loads it)."""
    driver = sys.modules.get("psycopg")
    pool = sys.modules.get("psycopg_pool")
    found: tuple[type[BaseException], ...] = (sqlite3.Error, OSError)
    if driver is not None:
        found += (driver.Error,)
    if pool is not None:
        found += (pool.PoolTimeout,)
    return found


def rid_of(num: int, key: int) -> int:
    key = int(key)
    if not 0 <= key <= KEY_MASK:
        raise ValueError(f"recipient key {key} is out of range")
    return (num << KEY_BITS) | key

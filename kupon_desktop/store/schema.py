"""The log's schema, as an ordered list of migration steps from version 1 on.

``PRAGMA user_version`` holds the version a file is at; ``migrations`` keeps when each
step ran. A step is applied in the same transaction that sets the version, so a file is
never half-migrated. Released steps are never edited: a change is a new step at the end.

Why the tables look as they do:

* ``recipients`` holds what was to be sent (written once, read for sending and export);
  ``deliveries`` holds where each one stands (state, platform id, status, times). They
  are split because status updates rewrite whole rows: a narrow hot table keeps a million
  random updates within the page cache (measured here: 10 s against 23 s for the wide
  row), and the write-ahead log copies fewer pages.
* Both are keyed by ``rid = (campaign number << 32) | key``: one integer primary key, so a
  recipient is found by one b-tree search and a campaign is a ``rid`` range, with no
  secondary index to maintain on insert.
* ``deliveries`` has no index on anything that changes often (issue 9 measured 33 s for
  a million updates with one against 1.5 s without); only ``platform_id``, which is set
  once per recipient, is indexed, and updates name only the columns that change, so the
  index is not touched otherwise. Its state has no CHECK constraint (15% of an update's
  cost here): every write goes through the code, which knows the states.
* ``send_attempts`` is keyed by (recipient, attempt number): one row per request that
  went out, found without a secondary index.
* ``changes`` records, per committed transaction and campaign, the keys it changed as one
  packed blob: the grid polls ``seq > cursor`` and reads only what is new, at the cost of
  one small row per transaction instead of one per recipient.
* ``counts`` keeps per-campaign counters per state and per last status, adjusted in the
  transaction that changes a row, so the summary bar never scans a million rows.
* Times are integer milliseconds since the epoch, UTC.
* ``status_events.campaign`` is left NULL for an event tied to a recipient (``rid`` set):
  the rid names the campaign, and ``Log.events_after`` gives its UUID back. Writing it
  again was a fifth of each event's bytes and 15% of the receiver's insert (issue 9).
  Files written before hold it in every row; both read the same. A program older than
  this reads such a file's feed without the campaign and matches those events by
  platform id instead, which reaches the same recipients.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Step = Callable[[sqlite3.Connection], None]


def _run(conn: sqlite3.Connection, script: str) -> None:
    """Run each statement of ``script`` inside the caller's transaction (executescript
    would commit it first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {statement!r}")


def _v1(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE campaigns (
            num          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused; high half of rid
            id           TEXT NOT NULL UNIQUE,     -- UUID: public, in callback URLs
            name         TEXT NOT NULL DEFAULT '',
            type         TEXT NOT NULL,
            state        TEXT NOT NULL CHECK (state IN ('draft', 'running', 'paused',
                                              'cancelled', 'finished', 'interrupted')),
            state_reason TEXT,
            kannel       INTEGER NOT NULL DEFAULT 0,
            draft        TEXT NOT NULL,            -- JSON snapshot of the composed draft
            size         INTEGER NOT NULL DEFAULT 0,  -- recipients: keys 0 .. size - 1
            created_at   INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL,
            started_at   INTEGER,
            finished_at  INTEGER
        );

        CREATE TABLE recipients (
            rid          INTEGER PRIMARY KEY,      -- (campaign num << 32) | key
            campaign     INTEGER NOT NULL,
            key          INTEGER NOT NULL,         -- position in the campaign, from 0
            row          INTEGER,                  -- row number in the imported file
            address      TEXT NOT NULL,
            name         TEXT,
            fields       TEXT,                     -- JSON personalization
            text         TEXT,                     -- the rendered message
            scheduled_at TEXT                      -- ISO 8601 with offset
        );

        CREATE TABLE deliveries (
            rid          INTEGER PRIMARY KEY,
            state        TEXT NOT NULL,            -- RecipientState; checked by the code
            platform_id  INTEGER,
            status       INTEGER,                  -- last status (platform code)
            status_at    INTEGER,
            error        TEXT,
            sent_at      INTEGER,                  -- when its last request went out
            attempts     INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX deliveries_platform_id ON deliveries (platform_id)
            WHERE platform_id IS NOT NULL;

        CREATE TABLE send_attempts (
            rid          INTEGER NOT NULL,
            attempt      INTEGER NOT NULL,         -- deliveries.attempts when it went out
            started_at   INTEGER,
            finished_at  INTEGER NOT NULL,
            outcome      TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected',
                                  'unconfirmed', 'not_sent', 'interrupted')),
            platform_id  INTEGER,
            message      TEXT,
            PRIMARY KEY (rid, attempt)
        ) WITHOUT ROWID;

        CREATE TABLE status_events (
            seq          INTEGER PRIMARY KEY,      -- the cursor; rows are never deleted
            received_at  INTEGER NOT NULL,
            campaign     TEXT,                     -- as in the callback URL
            recipient    INTEGER,                  -- as in the callback URL
            platform_id  INTEGER NOT NULL,
            code         INTEGER NOT NULL,         -- as received
            status       INTEGER,                  -- platform code; NULL: mode unknown
            raw          TEXT NOT NULL DEFAULT '',
            rid          INTEGER                   -- the recipient campaign and key name,
                                                   -- if this log has it; else matched by id
        );
        CREATE INDEX status_events_unkeyed ON status_events (seq) WHERE rid IS NULL;

        CREATE TABLE pending_events (
            seq          INTEGER PRIMARY KEY,      -- status_events.seq
            platform_id  INTEGER NOT NULL
        );
        CREATE INDEX pending_events_platform_id ON pending_events (platform_id);

        CREATE TABLE changes (
            seq          INTEGER PRIMARY KEY,
            at           INTEGER NOT NULL,
            campaign     INTEGER NOT NULL,
            keys         BLOB NOT NULL             -- little-endian uint32 keys
        );

        CREATE TABLE counts (
            campaign     INTEGER NOT NULL,
            name         TEXT NOT NULL,            -- 'state:queued', 'status:1', …
            n            INTEGER NOT NULL,
            PRIMARY KEY (campaign, name)
        ) WITHOUT ROWID;

        CREATE TABLE stop_list (
            address      TEXT PRIMARY KEY,
            kind         TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
            added_at     INTEGER NOT NULL,
            source       TEXT NOT NULL DEFAULT '',
            note         TEXT NOT NULL DEFAULT ''
        ) WITHOUT ROWID;
        """,
    )


def _v2(conn: sqlite3.Connection) -> None:
    # the sender of each campaign, in the file itself: any path to it reaches the same
    # claim (see ``claims.py``)
    _run(
        conn,
        """
        CREATE TABLE claims (
            campaign     INTEGER PRIMARY KEY,      -- campaigns.num
            owner        TEXT NOT NULL,            -- the claim's random token
            host         TEXT NOT NULL,
            pid          INTEGER NOT NULL,
            taken_at     INTEGER NOT NULL,
            heartbeat    INTEGER NOT NULL
        );
        """,
    )


def _base(conn: sqlite3.Connection) -> None:
    """The contact base (``kupon_desktop.base``): contacts keyed by normalized phone and
    e-mail (lower case), their fields as one JSON object, each change's previous state
    with its source, named lists, tags, saved segments and the consent ledger. Comments
    on each table are in ``kupon_desktop/store/base.py``."""
    _run(
        conn,
        """
        CREATE TABLE base_contacts (
            id           INTEGER PRIMARY KEY,
            phone        TEXT UNIQUE,              -- digits without '+', as imported
            email        TEXT UNIQUE,              -- lower case, as the stop list keeps it
            fields       TEXT NOT NULL DEFAULT '{}',
            created_at   INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL
        );

        CREATE TABLE base_fields (
            name         TEXT PRIMARY KEY,
            pos          INTEGER NOT NULL,
            role         TEXT
        ) WITHOUT ROWID;

        CREATE TABLE base_sources (
            id           INTEGER PRIMARY KEY,
            kind         TEXT NOT NULL,            -- 'file', 'typed', 'campaign', ...
            name         TEXT NOT NULL DEFAULT '',
            detail       TEXT NOT NULL DEFAULT '',
            at           INTEGER NOT NULL
        );

        CREATE TABLE base_history (
            contact      INTEGER NOT NULL,
            source       INTEGER NOT NULL,
            at           INTEGER NOT NULL,
            before       TEXT NOT NULL,            -- JSON {phone, email, fields} before
            PRIMARY KEY (contact, source)
        ) WITHOUT ROWID;

        CREATE TABLE base_lists (
            id           INTEGER PRIMARY KEY,
            name         TEXT NOT NULL UNIQUE,
            created_at   INTEGER NOT NULL,
            deleted_at   INTEGER
        );

        CREATE TABLE base_members (
            list         INTEGER NOT NULL,
            contact      INTEGER NOT NULL,
            PRIMARY KEY (list, contact)
        ) WITHOUT ROWID;

        CREATE TABLE base_tags (
            tag          TEXT NOT NULL,
            contact      INTEGER NOT NULL,
            PRIMARY KEY (tag, contact)
        ) WITHOUT ROWID;

        CREATE TABLE base_segments (
            id           INTEGER PRIMARY KEY,
            name         TEXT NOT NULL UNIQUE,
            definition   TEXT NOT NULL,            -- JSON, see kupon_desktop.base.segments
            created_at   INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL,
            deleted_at   INTEGER
        );

        CREATE TABLE base_consent (
            id           INTEGER PRIMARY KEY,
            contact      INTEGER NOT NULL,
            channel      TEXT NOT NULL CHECK (channel IN ('phone', 'email')),
            given        INTEGER NOT NULL CHECK (given IN (0, 1)),
            at           INTEGER NOT NULL,
            how          TEXT NOT NULL,            -- 'file', 'typed', 'manual', ...
            source       INTEGER,                  -- base_sources.id
            row          INTEGER,                  -- the file row, for 'file'
            wording      TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX base_consent_contact ON base_consent (contact, channel, id);

        CREATE TABLE base_consent_now (
            contact      INTEGER NOT NULL,
            channel      TEXT NOT NULL,
            given        INTEGER NOT NULL,
            event        INTEGER NOT NULL,         -- base_consent.id of the last event
            PRIMARY KEY (contact, channel)
        ) WITHOUT ROWID;
        """,
    )


def _team(conn: sqlite3.Connection) -> None:
    """The team server's tables (``kupon_desktop/store/team.py`` says what each holds);
    empty in a desk's log. Plain SQL that PostgreSQL runs as it is."""
    _run(
        conn,
        """
        CREATE TABLE team_counters (
            name         TEXT PRIMARY KEY,         -- 'stop', 'status', 'audit', 'applied'
            value        INTEGER NOT NULL
        );
        INSERT INTO team_counters (name, value) VALUES ('stop', 0);
        INSERT INTO team_counters (name, value) VALUES ('status', 0);
        INSERT INTO team_counters (name, value) VALUES ('audit', 0);
        INSERT INTO team_counters (name, value) VALUES ('applied', 0);

        CREATE TABLE team_users (
            name         TEXT PRIMARY KEY,
            role         TEXT NOT NULL CHECK (role IN ('sender', 'approver', 'viewer')),
            key_hash     TEXT NOT NULL UNIQUE,     -- SHA-256 of the random key, hex
            created_at   INTEGER NOT NULL,
            revoked_at   INTEGER
        );

        CREATE TABLE team_audit (
            seq          INTEGER PRIMARY KEY,      -- team_counters 'audit'
            at           INTEGER NOT NULL,
            user_name    TEXT NOT NULL,
            action       TEXT NOT NULL,            -- 'user.add', 'campaign.approve', ...
            object       TEXT NOT NULL DEFAULT '',
            detail       TEXT NOT NULL DEFAULT ''  -- JSON
        );

        CREATE TABLE team_stop_changes (
            version      INTEGER PRIMARY KEY,      -- team_counters 'stop'
            op           TEXT NOT NULL CHECK (op IN ('add', 'remove')),
            address      TEXT NOT NULL,
            kind         TEXT NOT NULL,
            at           INTEGER NOT NULL,
            user_name    TEXT NOT NULL,
            source       TEXT NOT NULL DEFAULT '',
            note         TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE team_campaigns (
            id           TEXT PRIMARY KEY,         -- the desk's campaign UUID
            name         TEXT NOT NULL DEFAULT '',
            type         TEXT NOT NULL,
            recipients   INTEGER NOT NULL,
            advertising  INTEGER NOT NULL,
            desk         TEXT NOT NULL DEFAULT '',
            user_name    TEXT NOT NULL,
            created_at   INTEGER NOT NULL,
            approval     TEXT NOT NULL CHECK (approval IN ('not_needed', 'needed',
                                                           'approved')),
            approved_by  TEXT,
            approved_at  INTEGER
        );

        CREATE TABLE team_messages (
            platform_id  INTEGER PRIMARY KEY,
            campaign     TEXT NOT NULL,
            recipient    INTEGER NOT NULL
        );

        CREATE TABLE team_statuses (
            campaign     TEXT NOT NULL,
            recipient    INTEGER NOT NULL,
            platform_id  INTEGER NOT NULL,
            code         INTEGER NOT NULL,         -- as received
            at           INTEGER NOT NULL,
            event_seq    INTEGER NOT NULL,         -- status_events.seq it came from
            change_seq   INTEGER NOT NULL,         -- team_counters 'status': the cursor
            PRIMARY KEY (campaign, recipient)
        );
        CREATE INDEX team_statuses_change ON team_statuses (campaign, change_seq);

        CREATE TABLE team_unmapped (
            seq          INTEGER PRIMARY KEY,      -- status_events.seq
            platform_id  INTEGER NOT NULL
        );
        CREATE INDEX team_unmapped_platform_id ON team_unmapped (platform_id);
        """,
    )


#: the base's two unique keys, named so that a large import can drop and build them again
#: (``store/base.py``: sorting a million keys into a fresh index is faster than inserting
#: them one by one in random order)
PHONE_INDEX = "CREATE UNIQUE INDEX base_contacts_phone ON base_contacts (phone)"
EMAIL_INDEX = "CREATE UNIQUE INDEX base_contacts_email ON base_contacts (email)"


def _base_keys(conn: sqlite3.Connection) -> None:
    """The contacts' unique phone and e-mail as named indexes instead of the columns'
    UNIQUE constraints (SQLite cannot drop those: the table is copied)."""
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        conn.execute("ALTER TABLE base_contacts DROP CONSTRAINT base_contacts_phone_key")
        conn.execute("ALTER TABLE base_contacts DROP CONSTRAINT base_contacts_email_key")
    else:
        _run(
            conn,
            """
            CREATE TABLE base_contacts_keyed (
                id           INTEGER PRIMARY KEY,
                phone        TEXT,                     -- digits without '+', as imported
                email        TEXT,                     -- lower case, as the stop list keeps it
                fields       TEXT NOT NULL DEFAULT '{}',
                created_at   INTEGER NOT NULL,
                updated_at   INTEGER NOT NULL
            );
            INSERT INTO base_contacts_keyed SELECT id, phone, email, fields, created_at,
                updated_at FROM base_contacts;
            DROP TABLE base_contacts;
            ALTER TABLE base_contacts_keyed RENAME TO base_contacts;
            """,
        )
    conn.execute(PHONE_INDEX)
    conn.execute(EMAIL_INDEX)


#: MIGRATIONS[i] takes a file from version i to version i + 1.
MIGRATIONS: list[Step] = [_v1, _v2, _base, _team, _base_keys]

LATEST_VERSION = len(MIGRATIONS)

HISTORY_TABLE = """
CREATE TABLE IF NOT EXISTS migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  INTEGER NOT NULL,
    app_version TEXT NOT NULL
)
"""

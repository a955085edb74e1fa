"""The local log: one SQLite database (WAL) holding everything durable.

Campaigns with their draft snapshot, every recipient with the message rendered for it and
where it stands, each request's outcome, every status event as received, and the stop
list. Plain ``sqlite3``, no Qt, no asyncio: the engine, the receiver, the grid and the
command line all use the same :class:`Log`.

Opening
-------
``open_log(path=None, *, readonly=False, busy_timeout=10.0) -> Log`` creates the file if
needed and migrates it (``schema.MIGRATIONS``, ``PRAGMA user_version``). ``path`` may
instead be a ``postgresql://user:password@host:port/database`` URL: the same ``Log`` on a
PostgreSQL server, migrated by the same steps (see :mod:`kupon_desktop.store.pg`: one
SQL text translated for it, pooled connections, writers serialised by an advisory lock,
claims held by the session's advisory locks, COPY for bulk loads). There the file's own
mechanisms (WAL, ``-wal``/``-shm`` checks, the sent-mark, hard links) do not exist: a
committed transaction is durable on the server. ``log.dialect`` says which it is. Close it with
``log.close()`` or ``with open_log(...) as log``. Failures a user can meet are named in
:mod:`kupon_desktop.store.errors` (``LogLocked``, ``DiskFull``, ``LogReadOnly``,
``LogCorrupt``, ``LogTooNew``, ``LogLinked``, ``CampaignBusy``); a missing campaign id is
``KeyError``; a move the state machine forbids is ``ValueError``. A file with several
hard links is refused for writing (``LogLinked``); a ``-wal`` or ``-shm`` removed, replaced or
cut short by another program while the log is open stops every call with
``LogFilesChanged`` (instead of SIGBUS or a split log).

A log that lost its last writes (the ``-wal`` removed after a crash) is noticed when it
opens: recipients those writes may have sent become ``unconfirmed`` (``lost_recovered``
counts them; see :mod:`kupon_desktop.store.sentmark`).

Durability
----------
WAL mode, ``synchronous=NORMAL``: a commit survives the program being killed; a power cut
can lose only the last commits and never corrupts the file. The two commits that promise
something outside run with ``synchronous=FULL`` (an fsync of the WAL): ``mark_in_flight``
(if it were lost, a resumed campaign would send those recipients again) and
``append_status_events`` (the receiver's 200 tells the platform never to call again).
The WAL is sequential, so a FULL commit also makes every earlier one durable. Busy
timeout: 10 s by default (``open_log(busy_timeout=…)``), then ``LogLocked``.

Threads and asyncio
-------------------
A ``Log`` owns one connection and serialises its calls with a lock, so any thread may
call it. From asyncio, run every call that writes through ``asyncio.to_thread``: a commit
can wait (up to ``busy_timeout``) for another process's write, and the commits that
promise something (``mark_in_flight``, ``append_status_events``) fsync, which alone can
take longer than the loop's 50 ms budget. The grid reads from its own ``Log`` (readers
never wait for the writer in WAL mode); its per-tick reads are small.

Campaigns
---------
``create_campaign(draft, type, recipients, *, name="", kannel=False) -> str``
    One transaction; ``recipients`` yields ``NewRecipient`` (address, text, row, name,
    fields, scheduled_at, excluded). Key = position from 0. Returns the UUID.
``campaign(id) -> Campaign``, ``list_campaigns() -> list[Campaign]`` (newest first, with
    counts: the History page), ``campaign_draft(id) -> dict``.
``counts(id) -> Counts`` (per state, per last status, ``.groups()`` per status group);
    kept exact in the same transactions that change rows; ``recount(id)`` rebuilds them.
``set_campaign_state(id, state, reason=None)``: draft → running → paused/cancelled/
    finished/interrupted …, see ``models.CAMPAIGN_TRANSITIONS``.
``claim_campaign(id) -> CampaignClaim``: hold it (``with``) while sending; another holder
    gives ``CampaignBusy``, through any name of the file (:mod:`~kupon_desktop.store.claims`);
    ``mark_in_flight`` refuses too while another process holds the campaign.
``recover_interrupted() -> list[Campaign]``: at start-up; campaigns left ``running`` by a
    dead process become ``interrupted``, their ``in_flight`` recipients ``unconfirmed``.

Sending transitions (each call: one committed transaction for a batch; returns the keys
it moved, in the order given; keys whose state does not allow the move are left alone)
---------------------------------------------------------------------------------------
``mark_in_flight(id, keys)``               queued → in_flight (fsync'd). Send only the keys
                                           it returns.
``mark_accepted(id, [(key, platform_id)])`` in_flight/unconfirmed → accepted
``mark_rejected(id, [(key, message)])``    in_flight/queued → rejected
``mark_unconfirmed(id, [(key, message)])`` in_flight → unconfirmed (never resent
                                           automatically)
``mark_not_sent(id, [(key, message)])``    in_flight → queued (surely not sent: retry)
``mark_queued(id, keys)``                  unconfirmed/rejected/skipped → queued (resend)
``mark_skipped(id, keys, reason)``         queued/unconfirmed/rejected → skipped
``mark_excluded(id, [(key, reason)])``     queued → excluded (stop list mid-campaign)
Outcomes (accepted, rejected, unconfirmed, not sent, interrupted) are also recorded per
attempt: ``send_attempts(id, key)``.

Reading recipients
------------------
``recipients_to_send(id, limit, after_key=-1) -> list[Recipient]`` queued, in key order.
``recipients_by_keys(id, keys)``, ``recipient(id, key)``,
``iter_recipients(id, *, states=None, statuses=None)`` (page by page: exports),
``read_columns(id, columns, *, keys=None) -> dict[str, list]`` (the grid's fast load).

Status events
-------------
``append_status_events(events) -> int`` (the receiver; fsync'd; returns the last seq).
``apply_status_events() -> AppliedEvents``: matches and applies everything new (rules in
    :mod:`kupon_desktop.store.apply`), 200,000 events per transaction. The receiver only
    appends; whoever shows or acts on statuses applies: the grid's poll, the engine after
    each batch (``new_statuses`` tells it about a status 24 at once), ``status``. Safe to
    call from several processes; a few small queries when there is nothing new.
``kannel_codes()``, ``set_kannel_codes(table)``: the Kannel code table, data the receiver
    package stores from the wire's own (``api.kannel.KANNEL_TO_STATUS``); the log knows none.
``events_after(cursor, limit) -> list[StatusEvent]``, ``event_cursor()``,
    ``applied_cursor()``, ``pending_count()``.

The grid's poll (every 500 ms)
------------------------------
``cursor = log.change_cursor()`` before the full load (``read_columns``); then each tick
``ch = log.changed_recipients_since(id, cursor)`` → ``ch.keys`` (sorted), ``ch.cursor``
for next time, ``ch.reset`` → reload everything. It reads only the change rows written
since the cursor (one row per transaction, holding that transaction's keys).
``poll = log.poll_changes(id, cursor, columns) -> PolledChanges`` does the whole tick in
one call (what ``CampaignControl._poll_once`` runs): applies the new events, then
``poll.updates``, column dicts to apply in order: the rows its own apply changed come
from the apply as numpy arrays of the columns that changed (issue 9: not read again), the
rows others changed as ``read_columns(keys=…)`` returns them; ``poll.cursor``,
``poll.reset`` as above.

Stop list (issue 8)
-------------------
``stop_list_add(entries) -> int``, ``stop_list_remove(addresses) -> int``,
``stopped_among(addresses) -> set[str]`` (before each batch goes out),
``iter_stop_list()``, ``stop_list_size()``.

Meta
----
``receiver_secret()``, ``feed_key()`` (made once per installation), ``get_meta``,
``set_meta``.

Growing past one desk: everything above is a small, plain interface over SQL that
PostgreSQL also speaks (``open_log("postgresql://…")``); nothing outside this package
writes SQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kupon_desktop.lazy import package_exports

if TYPE_CHECKING:
    from kupon_desktop.store.claims import CampaignClaim
    from kupon_desktop.store.errors import (
        CampaignBusy,
        DiskFull,
        LogCorrupt,
        LogError,
        LogFilesChanged,
        LogLinked,
        LogLocked,
        LogReadOnly,
        LogTooNew,
    )
    from kupon_desktop.store.log import Log, open_log
    from kupon_desktop.store.models import (
        AppliedEvents,
        Campaign,
        CampaignState,
        Changes,
        Counts,
        NewRecipient,
        NewStatusEvent,
        Recipient,
        RecipientState,
        StatusEvent,
        StopEntry,
    )

# The names are imported on first use, so that ``import kupon_desktop.store.command``
# (done for every ``kupon-desktop --help`` and at the window's start) stays cheap.
_WHERE = {
    "CampaignClaim": "claims",
    "CampaignBusy": "errors",
    "DiskFull": "errors",
    "LogCorrupt": "errors",
    "LogError": "errors",
    "LogFilesChanged": "errors",
    "LogLinked": "errors",
    "LogLocked": "errors",
    "LogReadOnly": "errors",
    "LogTooNew": "errors",
    "Log": "log",
    "open_log": "log",
    "AppliedEvents": "models",
    "Campaign": "models",
    "CampaignState": "models",
    "Changes": "models",
    "Counts": "models",
    "NewRecipient": "models",
    "NewStatusEvent": "models",
    "Recipient": "models",
    "RecipientState": "models",
    "StatusEvent": "models",
    "StopEntry": "models",
}

__all__ = [
    "AppliedEvents",
    "Campaign",
    "CampaignBusy",
    "CampaignClaim",
    "CampaignState",
    "Changes",
    "Counts",
    "DiskFull",
    "Log",
    "LogCorrupt",
    "LogError",
    "LogFilesChanged",
    "LogLinked",
    "LogLocked",
    "LogReadOnly",
    "LogTooNew",
    "NewRecipient",
    "NewStatusEvent",
    "Recipient",
    "RecipientState",
    "StatusEvent",
    "StopEntry",
    "open_log",
]


__getattr__ = package_exports(__name__, _WHERE, globals())

"""The stop list: addresses that must never be written to, kept in the local log.

Entries are phone numbers and e-mail addresses normalized exactly as contacts are
(``kupon_desktop.contacts``: international digits without "+"), so "8 (916) 123-45-67"
typed here stops "+7 916 123 45 67" in any contact list. E-mail addresses are kept and
compared in lower case (:func:`stop_key`), as campaigns de-duplicate them: the importer
keeps the case of the part before "@", and "Ivan@mail.ru" must not slip past an entry
"ivan@mail.ru". Each entry
has the date it was added, its source (:data:`SOURCE_TYPED`, :data:`SOURCE_IMPORT`,
``"status 22"``...) and a note.

The list is checked twice: when a campaign is composed (:func:`stopped_among`, used by
:func:`kupon_desktop.audience.apply_rules`), and again just before each request goes out
(:class:`StopListChecker`, the engine's ``stop_check``), so an entry added while a
campaign runs stops the rest of it.

Everything here works through the public methods of ``kupon_desktop.store.Log``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kupon_desktop.audience.errors import NotAnAddress

if TYPE_CHECKING:
    from kupon_desktop.contacts.result import ImportResult
    from kupon_desktop.store.models import Campaign, Counts, Recipient, StopEntry

#: the reason an excluded recipient carries (in the log, the dry run, the grid)
REASON_STOP_LIST = "stop list"

SOURCE_TYPED = "typed"
SOURCE_IMPORT = "import"
#: statuses after which "add to the stop list" offers the campaign's recipients
STOP_STATUSES = (22, 23)  # wrong recipient; blocked by a spam/operator filter

#: columns of an export, (English, Russian); the importer reads both back
EXPORT_HEADERS = {
    "en": ("Phone", "E-mail", "Added", "Source", "Note"),
    "ru": ("Телефон", "E-mail", "Добавлен", "Источник", "Примечание"),
}
_NOTE_HEADERS = frozenset({"note", "notes", "comment", "примечание", "комментарий", "причина"})
_SOURCE_HEADERS = frozenset({"source", "источник"})
_ADDED_HEADERS = frozenset({"added", "date added", "добавлен", "дата добавления"})
_QUERY_CHUNK = 50_000


class StopListLog(Protocol):
    """The part of ``kupon_desktop.store.Log`` the stop list uses."""

    def stop_list_add(self, entries: Iterable[StopEntry]) -> int: ...
    def stop_list_remove(self, addresses: Iterable[str]) -> int: ...
    def stopped_among(self, addresses: Iterable[str]) -> set[str]: ...
    def stop_list_size(self) -> int: ...
    def iter_stop_list(self, *, batch_size: int = 5000) -> Iterator[StopEntry]: ...


class CampaignStopLog(StopListLog, Protocol):
    """What adding a campaign's wrong recipients to the stop list reads."""

    def counts(self, campaign_id: str) -> Counts: ...
    def campaign(self, campaign_id: str) -> Campaign: ...
    def iter_recipients(
        self,
        campaign_id: str,
        *,
        states: Iterable[str] | None = ...,
        statuses: Iterable[int] | None = ...,
    ) -> Iterator[Recipient]: ...


def source_for_status(code: int) -> str:
    return f"status {code}"


# -- addresses -------------------------------------------------------------------------


def normalize_address(text: str, region: str = "RU") -> tuple[str, str]:
    """``(address, kind)`` of what the user typed, normalized as contacts are; kind is
    "phone" or "email". Raises :class:`NotAnAddress`."""
    from kupon_desktop.contacts.emails import normalize_email
    from kupon_desktop.contacts.phones import normalize_phone

    value = text.strip()
    if "@" in value:
        email = normalize_email(value)
        if email is not None:
            return stop_key(email), "email"
    else:
        phone = normalize_phone(value, region)
        if phone is not None:
            return phone, "phone"
    raise NotAnAddress(text)


def stop_key(address: str) -> str:
    """The form an address is stored and looked up in: an e-mail lower-cased."""
    return address.lower() if "@" in address else address


def kind_of(address: str) -> str | None:
    """ "email", "phone" or None for a stored (already normalized) address such as a
    campaign recipient's; a push token is neither."""
    if "@" in address:
        return "email"
    return "phone" if address.isdigit() else None


# -- adding and removing ---------------------------------------------------------------


def add_address(
    log: StopListLog,
    text: str,
    *,
    note: str = "",
    source: str = SOURCE_TYPED,
    region: str = "RU",
) -> tuple[str, bool]:
    """Add one typed address; ``(normalized address, True if it is new)``."""
    from kupon_desktop.store.models import StopEntry

    address, kind = normalize_address(text, region)
    added = log.stop_list_add([StopEntry(address, kind, source, note.strip())])
    return address, added > 0


def remove_address(log: StopListLog, text: str, *, region: str = "RU") -> tuple[str, bool]:
    """Remove one address, typed in any shape; ``(normalized address, True if it was
    listed)``. An address that does not normalize is removed as typed (an entry stored
    by an older version, or by hand)."""
    try:
        address, _ = normalize_address(text, region)
    except NotAnAddress:
        address = text.strip()
    return address, log.stop_list_remove([address]) > 0


@dataclass(frozen=True)
class StopListImport:
    """What :func:`import_stop_list` did; ``report`` is the contacts importer's result
    (its ``rejected`` rows are what the window's report lists)."""

    added: int
    already_listed: int
    report: ImportResult

    @property
    def read(self) -> int:
        return self.added + self.already_listed


def _column(names: Sequence[str], wanted: frozenset[str]) -> str | None:
    return next((n for n in names if n.strip().casefold() in wanted), None)


def _parse_added(value: Any) -> datetime | None:
    if value is None or value != value or not str(value).strip():
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.astimezone()


def import_stop_list(
    log: StopListLog,
    path: str | Path,
    *,
    sheet: str | None = None,
    phone_column: str | None = None,
    email_column: str | None = None,
    region: str = "RU",
    note: str = "",
    progress: Callable[[float, str], None] | None = None,
    cancel: threading.Event | None = None,
) -> StopListImport:
    """Read a file with the contacts importer (the same readers, detection and
    rejection report) and add every phone and e-mail in it, each of several written in
    one cell included. A "Note"/"Примечание"
    column gives each entry's note (else ``note``); a file this program exported keeps
    its entries' source and date. Raises the importer's ``ContactsError``s."""
    from kupon_desktop.contacts.importer import import_file
    from kupon_desktop.store.models import StopEntry

    result = import_file(
        path,
        sheet=sheet,
        region=region,
        phone_column=phone_column,
        email_column=email_column,
        progress=progress,
        cancel=cancel,
        dedupe_by=None,
        # someone who wrote two numbers in one cell refused on both
        extra_rows=True,
    )
    fields = result.fields
    names = list(fields.columns)
    note_col = _column(names, _NOTE_HEADERS)
    source_col = _column(names, _SOURCE_HEADERS)
    added_col = _column(names, _ADDED_HEADERS)

    def values(column: str | None) -> list[Any]:
        if column is None:
            return [None] * len(fields)
        series = fields[column]
        out: list[Any] = series.astype(object).where(series.notna(), None).tolist()
        return out

    entries: dict[str, StopEntry] = {}
    columns = zip(
        result.contacts["phone"].astype(object).where(result.contacts["phone"].notna(), None),
        result.contacts["email"].astype(object).where(result.contacts["email"].notna(), None),
        values(note_col),
        values(source_col),
        values(added_col),
        strict=True,
    )
    for phone, email, row_note, row_source, row_added in columns:
        when = _parse_added(row_added)
        for address, kind in ((phone, "phone"), (email and stop_key(email), "email")):
            if address and address not in entries:
                entries[address] = StopEntry(
                    address,
                    kind,
                    (row_source or SOURCE_IMPORT).strip(),
                    (row_note or note).strip(),
                    when,
                )
    added = log.stop_list_add(entries.values()) if entries else 0
    return StopListImport(added, len(entries) - added, result)


def export_stop_list(log: StopListLog | None, path: str | Path, *, lang: str = "en") -> int:
    """Write the whole list to ``.xlsx`` or ``.csv`` (by the extension) with the columns
    of :data:`EXPORT_HEADERS`; formulas are never written (``exporting.write_table``).
    ``log`` None writes an empty list. Returns the number of entries."""
    from kupon_desktop.exporting import write_table

    count = 0

    def rows() -> Iterator[tuple[str, str, str, str, str]]:
        nonlocal count
        if log is None:
            return
        for e in log.iter_stop_list():
            count += 1
            added = e.added_at.astimezone().isoformat(timespec="seconds") if e.added_at else ""
            phone, email = (e.address, "") if e.kind == "phone" else ("", e.address)
            yield phone, email, added, e.source, e.note

    write_table(Path(path), EXPORT_HEADERS.get(lang, EXPORT_HEADERS["en"]), rows())
    return count


# -- campaigns -------------------------------------------------------------------------


def stoppable_count(log: CampaignStopLog, campaign_id: str) -> int:
    """How many of a campaign's recipients ended with status 22 or 23: the number the
    confirmation shows before :func:`stop_failed_recipients`."""
    statuses = log.counts(campaign_id).statuses
    return sum(statuses.get(code, 0) for code in STOP_STATUSES)


def stop_failed_recipients(log: CampaignStopLog, campaign_id: str) -> int:
    """Add every recipient of the campaign whose final status was 22 (wrong recipient)
    or 23 (spam/operator filter) to the stop list, with that status as the source and
    the campaign as the note. Push tokens cannot be listed and are passed over. Returns
    how many entries were new."""
    from kupon_desktop.store.models import StopEntry

    try:
        name = log.campaign(campaign_id).name
    except (KeyError, AttributeError):
        name = ""
    note = f"campaign {name} ({campaign_id})" if name else f"campaign {campaign_id}"
    entries: dict[str, StopEntry] = {}
    for r in log.iter_recipients(campaign_id, statuses=STOP_STATUSES):
        kind = kind_of(r.address)
        key = stop_key(r.address)
        if kind is not None and key not in entries:
            entries[key] = StopEntry(key, kind, source_for_status(r.status or 0), note)
    return log.stop_list_add(entries.values()) if entries else 0


# -- checking --------------------------------------------------------------------------


def stopped_among(log: StopListLog | None, addresses: Collection[str]) -> set[str]:
    """Which of ``addresses`` (as :func:`stop_key` gives them) are on the stop list,
    for a whole contact list at once:
    a stop list no longer than the contacts is read whole, a longer one is asked about
    the contacts in chunks."""
    if log is None or not addresses:
        return set()
    wanted = addresses if isinstance(addresses, (set, frozenset)) else set(addresses)
    size = log.stop_list_size()
    if size == 0:
        return set()
    if size <= len(wanted):
        return {e.address for e in log.iter_stop_list(batch_size=20_000)} & wanted
    found: set[str] = set()
    ordered = sorted(wanted)
    for i in range(0, len(ordered), _QUERY_CHUNK):
        found |= log.stopped_among(ordered[i : i + _QUERY_CHUNK])
    return found


class StopListChecker:
    """The engine's ``stop_check``: ``checker(addresses) -> {address: "stop list"}`` for
    those on the list *now*. One indexed query per call (a batch of 200 takes well under
    a millisecond), so an entry added while a campaign runs is seen by the next batch.

    Give it a ``Log`` of its own (``open_log(path, readonly=True)``) to keep the check
    off the lock the engine's writes hold; ``close()`` closes a log it was asked to own.
    """

    def __init__(self, log: StopListLog, *, owns_log: bool = False) -> None:
        self.log = log
        self._owns = owns_log

    @classmethod
    def open(cls, path: str | Path) -> StopListChecker:
        """A checker on its own read-only connection to the log at ``path``."""
        from kupon_desktop.store.log import open_log

        return cls(open_log(path, readonly=True, busy_timeout=2.0), owns_log=True)

    def __call__(self, addresses: Sequence[str]) -> dict[str, str]:
        if not addresses:
            return {}
        # as written and as stored here (an entry made elsewhere may keep an e-mail's case)
        stopped = self.log.stopped_among({*addresses, *map(stop_key, addresses)})
        return {a: REASON_STOP_LIST for a in addresses if a in stopped or stop_key(a) in stopped}

    def close(self) -> None:
        if self._owns:
            close = getattr(self.log, "close", None)
            if close is not None:
                close()

    def __enter__(self) -> StopListChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

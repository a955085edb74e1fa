"""The installation's stop list: addresses that must never be written to (issue 8).

Callers normalize addresses the way contacts are normalized (phone digits without '+');
the store itself keeps and looks up e-mail addresses in lower case, so that an entry
"Ivan@Mail.ru" stops "ivan@mail.ru" whoever wrote either, and a lookup is an equality.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from kupon_desktop.store.connection import LogBase, now_ms
from kupon_desktop.store.models import StopEntry, from_ms, to_ms

_KINDS = ("phone", "email")


def _key(address: str) -> str:
    """The stored form: an e-mail address in lower case, a phone as it is."""
    return address.lower() if "@" in address else address


class StopListMixin(LogBase):
    def stop_list_add(self, entries: Iterable[StopEntry]) -> int:
        """Add entries; an address already listed keeps its first date, source and note.
        Returns how many were new."""
        at = now_ms()
        rows = []
        for entry in entries:
            if entry.kind not in _KINDS:
                raise ValueError(
                    f"stop-list entry {entry.address!r}: kind must be phone or "
                    f"email, not {entry.kind!r}"
                )
            if not entry.address:
                raise ValueError("stop-list entry with an empty address")
            added = at if entry.added_at is None else to_ms(entry.added_at)
            rows.append((_key(entry.address), entry.kind, added, entry.source, entry.note))
        with self._write() as conn:
            before = conn.total_changes
            conn.executemany("INSERT OR IGNORE INTO stop_list VALUES (?, ?, ?, ?, ?)", rows)
            return conn.total_changes - before

    def stop_list_remove(self, addresses: Iterable[str]) -> int:
        """Remove these addresses; returns how many were listed."""
        with self._write() as conn:
            before = conn.total_changes
            conn.executemany(
                "DELETE FROM stop_list WHERE address = ?", ((_key(a),) for a in addresses)
            )
            return conn.total_changes - before

    def stopped_among(self, addresses: Iterable[str]) -> set[str]:
        """Which of ``addresses`` are on the stop list, as they were given (an e-mail in
        any letter case); one query per call: check each batch just before it goes out."""
        given: dict[str, list[str]] = {}
        for address in addresses:
            given.setdefault(_key(address), []).append(address)
        wanted = json.dumps(sorted(given), ensure_ascii=False)
        rows = self._query(
            "SELECT address FROM stop_list WHERE address IN "
            "(SELECT CAST(value AS TEXT) FROM json_each(?))",
            (wanted,),
        )
        return {original for (address,) in rows for original in given.get(address, ())}

    def stop_list_size(self) -> int:
        return int(self._query("SELECT count(*) FROM stop_list")[0][0])

    def iter_stop_list(self, *, batch_size: int = 5000) -> Iterator[StopEntry]:
        """Every entry, by address."""
        last = ""  # addresses are never empty, so every one sorts after it
        while True:
            rows = self._query(
                "SELECT address, kind, added_at, source, note FROM stop_list "
                "WHERE address > ? ORDER BY address LIMIT ?",
                (last, batch_size),
            )
            if not rows:
                return
            for address, kind, added, source, note in rows:
                yield StopEntry(address, kind, source, note, from_ms(added))
            last = rows[-1][0]

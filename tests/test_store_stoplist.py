"""The stop list kept in the log (issue 8): add, remove, look up a batch, list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kupon_desktop.store import StopEntry, open_log


def test_stop_list_round_trip(log_target) -> None:
    path = log_target
    when = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
    with open_log(path) as log:
        added = log.stop_list_add(
            [
                StopEntry("79001234567", "phone", "typed", "asked by phone", when),
                StopEntry("anna@example.com", "email", "import"),
                StopEntry("79001234567", "phone", "status 22"),  # already there: kept as first
            ]
        )
        assert added == 2
        assert log.stop_list_size() == 2
    with open_log(path) as log:
        entries = list(log.iter_stop_list(batch_size=1))
        assert [e.address for e in entries] == ["79001234567", "anna@example.com"]
        phone = entries[0]
        assert (phone.kind, phone.source, phone.note, phone.added_at) == (
            "phone",
            "typed",
            "asked by phone",
            when,
        )
        assert entries[1].added_at is not None
        assert log.stopped_among(
            ["79001234567", "79000000000", "anna@example.com", "79001234567"]
        ) == {"79001234567", "anna@example.com"}
        assert log.stopped_among([]) == set()
        assert log.stop_list_remove(["79001234567", "nobody@example.com"]) == 1
        assert log.stopped_among(["79001234567"]) == set()


def test_bad_entries_are_refused_whole(log_target) -> None:
    with open_log(log_target) as log:
        with pytest.raises(ValueError, match="kind"):
            log.stop_list_add([StopEntry("79001234567", "phone"), StopEntry("x", "fax")])
        with pytest.raises(ValueError, match="empty"):
            log.stop_list_add([StopEntry("", "email")])
        assert log.stop_list_size() == 0

"""``Log``: the one object other packages use to read and write the local log."""

from __future__ import annotations

from pathlib import Path

from kupon_desktop.store.ab import ABMixin
from kupon_desktop.store.base import BaseMixin
from kupon_desktop.store.campaigns import CampaignsMixin
from kupon_desktop.store.events import EventsMixin
from kupon_desktop.store.recipients import RecipientsMixin
from kupon_desktop.store.stoplist import StopListMixin
from kupon_desktop.store.team import TeamMixin


class Log(
    CampaignsMixin, RecipientsMixin, EventsMixin, StopListMixin, BaseMixin, ABMixin, TeamMixin
):
    """The local log: campaigns, recipients, send attempts, status events, stop list,
    contact base, A/B tests.

    Open it with :func:`open_log`; close it (or use ``with``). See the package docstring
    for the whole interface and the threading rules.
    """


def open_log(
    path: str | Path | None = None,
    *,
    readonly: bool = False,
    busy_timeout: float | None = None,
    cache_mb: int = 64,
) -> Log:
    """Open (creating and migrating it if needed) the log at ``path``, by default the
    installation's own (``kupon_desktop.paths.default_db_path()``).

    ``readonly`` opens without writing anything (no migration); ``busy_timeout`` is how
    long a call waits for another process's write before raising ``LogLocked`` (keep it
    short, e.g. 0.2 s, for a reader on the GUI thread; ``BUSY_TIMEOUT`` by default).
    """
    if path is None:
        from kupon_desktop.paths import default_db_path

        path = default_db_path()
    return Log(path, readonly=readonly, busy_timeout=busy_timeout, cache_mb=cache_mb)

"""The parts of the log the campaign workflow uses, as narrow interfaces.

The session and the engine are written against these Protocols, not against the SQLite
``Log`` class, so that a second backend (a team server on PostgreSQL) implements the same
methods and nothing above the store changes. ``kupon_desktop.store.Log`` satisfies every
one of them (tests/test_campaign_session.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kupon_desktop.audience.stoplist import StopListLog

if TYPE_CHECKING:
    from kupon_desktop.store.models import (
        Campaign,
        Counts,
        NewRecipient,
        PolledChanges,
        Recipient,
    )


class CampaignLog(Protocol):
    """Campaigns: created, read, listed, recovered after a crash."""

    @property
    def path(self) -> Path | str: ...

    def create_campaign(
        self,
        draft: Mapping[str, Any] | str,
        type: str,
        recipients: Iterable[NewRecipient | tuple[Any, ...]],
        *,
        name: str = "",
        kannel: bool = False,
        campaign_id: str | None = None,
    ) -> str: ...
    def campaign(self, campaign_id: str) -> Campaign: ...
    def list_campaigns(self) -> list[Campaign]: ...
    def campaign_draft(self, campaign_id: str) -> dict[str, Any]: ...
    def counts(self, campaign_id: str) -> Counts: ...
    def recover_interrupted(self) -> list[Campaign]: ...
    def receiver_secret(self) -> str: ...


class RecipientLog(Protocol):
    """A campaign's recipients as the user acts on them, and the grid's reads."""

    def recipients_by_keys(self, campaign_id: str, keys: Iterable[int]) -> list[Recipient]: ...
    def mark_queued(self, campaign_id: str, keys: Iterable[int]) -> list[int]: ...
    def mark_skipped(
        self, campaign_id: str, keys: Iterable[int], reason: str = ...
    ) -> list[int]: ...
    def change_cursor(self) -> int: ...
    def read_columns(
        self, campaign_id: str, columns: Sequence[str], *, keys: Iterable[int] | None = ...
    ) -> dict[str, list[Any]]: ...
    def poll_changes(
        self, campaign_id: str, cursor: int, columns: Sequence[str]
    ) -> PolledChanges: ...


class SessionLog(CampaignLog, RecipientLog, StopListLog, Protocol):
    """Everything :class:`kupon_desktop.campaign.session.CampaignSession` uses."""

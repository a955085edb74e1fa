"""What the window's parts share, passed explicitly (no global singletons)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kupon_desktop.credentials import TokenStore
from kupon_desktop.logsetup import SecretRedactor
from kupon_desktop.ui.settings_store import QtSettings
from kupon_desktop.ui.tasks import Supervisor, TaskRunner


@dataclass
class AppContext:
    settings: QtSettings
    tokens: TokenStore
    runner: TaskRunner
    redactor: SecretRedactor
    #: the server receiver's feed key (credential store, like the token)
    feed_keys: TokenStore | None = None
    #: this desk's user key on the team server (credential store, like the token)
    team_keys: TokenStore | None = None
    demo: bool = False
    #: the address the program sends to this run (the simulator's in demo mode)
    api_url: str = ""
    language: str = "en"
    #: a token for this run only (the simulator's in demo mode), used instead of the
    #: stored one and never saved
    session_token: str | None = None
    notes: list[str] = field(default_factory=list)
    #: keeps the long-lived tasks (the poll, the engine run) alive: see ``ui.tasks``
    supervisor: Supervisor | None = None

    def keeper(self) -> Supervisor:
        if self.supervisor is None:
            self.supervisor = Supervisor(self.runner, self.runner)
        return self.supervisor

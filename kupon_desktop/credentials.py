"""The API token, kept only in the operating system's credential store (``keyring``).

When there is no usable store (a Linux desktop without a Secret Service, a locked
keychain), the token is kept in memory for this run only and :attr:`TokenStore.problem`
says why, so Settings can tell the user. It never falls back to a file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

SERVICE = "Kupon Desktop"
ACCOUNT = "api-token"
#: the bearer key of a server receiver's event feed: a secret too
FEED_KEY_ACCOUNT = "receiver-feed-key"
#: this desk's user key on the team server
TEAM_KEY_ACCOUNT = "team-user-key"


class TokenStore:
    """Reads and writes the token through ``keyring`` (or a backend passed in, for tests).

    ``on_secret`` is told every token value that passes through, so the log redactor can
    hide it wherever it would appear.
    """

    def __init__(
        self,
        backend: Any | None = None,
        *,
        on_secret: Callable[[str], None] | None = None,
        service: str = SERVICE,
        account: str = ACCOUNT,
    ) -> None:
        self._backend = backend
        self._service = service
        self._account = account
        self._on_secret = on_secret
        self._memory: str | None = None
        self.problem: str | None = None
        if self._keyring() is None:
            self.problem = (
                "No credential store is available on this computer: the token is kept "
                "in memory until the program closes."
            )

    def _keyring(self) -> Any | None:
        if self._backend is not None:
            return self._backend
        try:
            import keyring
            from keyring.backends import fail

            backend = keyring.get_keyring()
        except Exception as exc:  # a broken keyring install must not stop the program
            log.warning("credential store unavailable: %s", type(exc).__name__)
            return None
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            return None
        return backend

    @property
    def persistent(self) -> bool:
        return self.problem is None

    def _seen(self, token: str | None) -> str | None:
        if token and self._on_secret is not None:
            self._on_secret(token)
        return token

    def get(self) -> str | None:
        backend = self._keyring() if self.persistent else None
        if backend is None:
            return self._seen(self._memory)
        try:
            return self._seen(backend.get_password(self._service, self._account) or self._memory)
        except Exception as exc:
            self._fall_back(exc)
            return self._seen(self._memory)

    def set(self, token: str) -> None:
        token = token.strip()
        if not token:
            self.delete()
            return
        self._seen(token)
        self._memory = token
        backend = self._keyring() if self.persistent else None
        if backend is None:
            return
        try:
            backend.set_password(self._service, self._account, token)
        except Exception as exc:
            self._fall_back(exc)

    def delete(self) -> None:
        self._memory = None
        backend = self._keyring() if self.persistent else None
        if backend is None:
            return
        try:
            backend.delete_password(self._service, self._account)
        except Exception as exc:
            # deleting a token that was never stored is not a problem
            if type(exc).__name__ != "PasswordDeleteError":
                self._fall_back(exc)

    def _fall_back(self, exc: Exception) -> None:
        # the exception text of some backends quotes the request; log only its type
        log.warning("credential store failed (%s); keeping the token in memory", type(exc).__name__)
        self.problem = (
            "The credential store refused the request (it may be locked): the token is "
            "kept in memory until the program closes."
        )

"""A credential-store backend that lives in memory, so tests never touch the user's own."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


class LockedKeyring(MemoryKeyring):
    """A store that is present but refuses every request, like a locked keychain."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("keychain is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("keychain is locked")

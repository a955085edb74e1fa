"""Why the team server could not be used, in both interface languages."""

from __future__ import annotations

from kupon_desktop.errors import KuponError


class TeamError(KuponError):
    """The server refused a request; its own words in both languages, and the HTTP
    status and error code it gave (``status`` 0: no answer at all)."""

    def __init__(
        self, message_en: str, message_ru: str, *, status: int = 0, code: str = ""
    ) -> None:
        super().__init__(message_en, message_ru)
        self.status = status
        self.code = code


class TeamUnreachable(TeamError):
    def __init__(self, address: str, detail: str) -> None:
        super().__init__(
            f"The team server at {address} does not answer ({detail}).",
            f"Сервер команды по адресу {address} не отвечает ({detail}).",
        )

"""What the team server answers a request it refuses, in both interface languages: the
JSON body ``{"error": {"code", "message_en", "message_ru"}}`` with the HTTP status."""

from __future__ import annotations

from typing import Any

from kupon_desktop.errors import KuponError


class ServerRefusal(KuponError):
    status = 400
    code = "bad_request"

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message_en": self.message_en,
                "message_ru": self.message_ru,
            }
        }


class Unauthorized(ServerRefusal):
    status = 401
    code = "unauthorized"

    def __init__(self) -> None:
        super().__init__(
            "The user key is unknown or revoked: ask the server's administrator for a key.",
            "Ключ пользователя неизвестен или отозван: попросите ключ у администратора сервера.",
        )


class Forbidden(ServerRefusal):
    status = 403
    code = "forbidden"

    def __init__(self, user: str, role: str, action_en: str, action_ru: str) -> None:
        super().__init__(
            f"User {user} ({role}) may not {action_en}.",
            f"Пользователю {user} (роль «{role}») нельзя {action_ru}.",
        )


class OwnApproval(ServerRefusal):
    status = 403
    code = "own_campaign"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Campaign «{name}» was registered by you: another approver must approve it.",
            f"Рассылку «{name}» зарегистрировали вы: одобрить её должен другой согласующий.",
        )


class NotFound(ServerRefusal):
    status = 404
    code = "not_found"

    def __init__(self, campaign_id: str) -> None:
        super().__init__(
            f"The team server has no campaign {campaign_id}.",
            f"На сервере команды нет рассылки {campaign_id}.",
        )


class BadRequest(ServerRefusal):
    """``field`` names what is wrong in the request."""

    def __init__(self, field: str, en: str, ru: str) -> None:
        super().__init__(f"Request field «{field}»: {en}", f"Поле запроса «{field}»: {ru}")


class Unavailable(ServerRefusal):
    status = 503
    code = "unavailable"

    def __init__(self) -> None:
        super().__init__(
            "The team server cannot reach its database now; try again later.",
            "Сервер команды сейчас не может обратиться к своей базе данных; "
            "повторите попытку позже.",
        )


class BaseRefusal(ServerRefusal):
    """The contact base refused the request (an unknown, taken or deleted list or
    segment name, a segment condition it cannot read): the base's own words."""

    code = "base"

    def __init__(self, en: str, ru: str) -> None:
        super().__init__(en, ru)


class NoContact(ServerRefusal):
    status = 404
    code = "no_contact"

    def __init__(self, contact: int) -> None:
        super().__init__(
            f"The team's base has no contact {contact}.",
            f"В базе команды нет контакта {contact}.",
        )


class NoImport(ServerRefusal):
    status = 404
    code = "no_import"

    def __init__(self, import_id: str) -> None:
        super().__init__(
            f"The team server holds no import {import_id} (it expired, was committed, or "
            "the server restarted): import the file again.",
            f"На сервере команды нет загрузки {import_id} (истекла, уже сохранена или сервер "
            "перезапускался): загрузите файл ещё раз.",
        )

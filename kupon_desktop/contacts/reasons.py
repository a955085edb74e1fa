"""Why a value was rejected: a short stable code and its Russian and English text.

``Rejection.reason`` carries both languages ("ru / en") so a report reads well anywhere;
the window shows one language by looking the code up with :func:`reason_text`.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["ru", "en"]

#: code -> (Russian, English)
REASONS: dict[str, tuple[str, str]] = {
    "phone_not_a_number": ("не похоже на номер телефона", "not a phone number"),
    "phone_too_short": ("слишком короткий номер телефона", "phone number too short"),
    "phone_too_long": ("слишком длинный номер телефона", "phone number too long"),
    "phone_country": ("неизвестный код страны", "unknown country code"),
    "phone_invalid": (
        "такого номера нет в плане нумерации",
        "no such number in the country's numbering plan",
    ),
    "phone_scientific": (
        "Excel сохранил номер как 7,9E+10 — последние цифры потеряны",
        "Excel saved the number as 7.9E+10, its last digits are lost",
    ),
    "email_no_at": ("в адресе e-mail нет знака @", "the e-mail address has no @-sign"),
    "email_local": (
        "неверная часть адреса e-mail до @",
        "invalid part of the e-mail address before the @-sign",
    ),
    "email_domain": (
        "неверный домен в адресе e-mail (после @)",
        "invalid domain in the e-mail address (after the @-sign)",
    ),
    "email_too_long": ("слишком длинный адрес e-mail", "e-mail address too long"),
    "email_invalid": ("неверный адрес e-mail", "invalid e-mail address"),
    "no_address": (
        "в строке нет ни телефона, ни e-mail, ни push-токена",
        "the row has no phone, e-mail or push token",
    ),
}


def reason_text(code: str, lang: Lang | None = None) -> str:
    """The text for ``code``: one language, or both as "ru / en" when ``lang`` is None."""
    ru, en = REASONS[code]
    if lang == "ru":
        return ru[0].upper() + ru[1:]
    if lang == "en":
        return en[0].upper() + en[1:]
    return f"{ru[0].upper() + ru[1:]} / {en}"

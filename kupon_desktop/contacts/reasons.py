"""Why a value was rejected: a short stable code and its Russian and English text.

``Rejection.reason`` carries both languages ("ru / en") so a report reads well anywhere;
the window shows one language by looking the code up with :func:`reason_text`.
"""

from __future__ import annotations

from typing import Any, Literal

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


#: what a cell read with care held beside its address (``Remark.code``): (Russian, English)
REMARKS: dict[str, tuple[str, str]] = {
    "note": (
        "номер взят, примечание «{note}» сохранено в поле «{column}»",
        "the number was taken; the note “{note}” is kept in the field “{column}”",
    ),
    "extension": (
        "номер взят, добавочный «{note}» сохранён в поле «{column}»",
        "the number was taken; the extension “{note}” is kept in the field “{column}”",
    ),
    "more": (
        "в ячейке ещё {count}: {more} — взят первый адрес; остальные можно импортировать "
        "отдельными строками",
        "the cell holds {count} more: {more}; the first address was taken, the others can "
        "be imported as extra rows",
    ),
    "more_imported": (
        "в ячейке ещё {count}: {more} — загружены отдельными строками (№ {rows})",
        "the cell holds {count} more: {more}; imported as extra rows (row {rows})",
    ),
}


def remark_text(remark: Any, lang: Lang | None = None) -> str:
    """What the report says about a :class:`~result.Remark`: one language, or "ru / en"."""
    ru, en = REMARKS[remark.code]
    values = {
        "note": remark.note,
        "column": remark.column,
        "count": len(remark.more),
        "more": ", ".join(remark.more),
        "rows": ", ".join(str(r) for r in remark.rows),
    }
    ru_text, en_text = ru.format_map(values), en.format_map(values)
    if lang == "ru":
        return ru_text[0].upper() + ru_text[1:]
    if lang == "en":
        return en_text[0].upper() + en_text[1:]
    return f"{ru_text[0].upper() + ru_text[1:]} / {en_text}"

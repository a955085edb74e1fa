"""The texts the program itself writes into a recipient's error field, in both languages.

The log keeps a recipient's ``error`` as the English text the program wrote ("stop
list", "campaign cancelled", ...) or as the platform's own answer. The faces (the
grid, the exports, ``kupon-desktop status``) show it through :func:`reason_text`: a
text of the program's own in the interface language, the platform's answer as it came.

It sits at the bottom of the layers, beside ``vocabulary``, because every layer writes
one of these texts (the engine, the audience rules, the log's "skip") and the log's
own command reads them.
"""

from __future__ import annotations

import re

__all__ = ["LEFTOVER_ERROR", "REASONS", "left_out_text", "reason_text"]


def pick(lang: str, ru: str, en: str) -> str:
    # as ``errors.pick``: a module of this bottom layer imports no other one
    return ru if lang.lower().startswith("ru") else en


#: why a recipient found in flight when a run starts is unconfirmed (the engine's text)
LEFTOVER_ERROR = (
    "no answer recorded: sending stopped while this message was out "
    "(the log could not be written, or the program stopped)"
)

#: stored English text -> (Russian, English as shown)
REASONS: dict[str, tuple[str, str]] = {
    "stop list": ("в стоп-листе", "on the stop list"),
    "no consent": ("нет согласия на рекламу", "no consent to advertising"),
    "campaign cancelled": ("рассылка отменена", "campaign cancelled"),
    "skipped by the user": ("пропущено пользователем", "skipped by the user"),
    LEFTOVER_ERROR: (
        "ответ не получен: отправка остановилась, пока сообщение было в пути "
        "(журнал не удалось записать или программа закрылась); проверьте статус, "
        "прежде чем отправлять снова",
        "no answer recorded: sending stopped while this message was out "
        "(the log could not be written, or the program stopped)",
    ),
}

#: texts with a value inside: pattern -> (Russian, English), ``{0}`` the value
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"platform id (.*)", re.DOTALL),
        "платформа приняла сообщение, но вернула номер не того вида: {0}",
        "the platform accepted it but answered with an id of another form: {0}",
    ),
)


def reason_text(stored: str | None, lang: str) -> str:
    """``stored`` (a recipient's error) as the interface language ``lang`` shows it;
    a text the program does not know (the platform's answer) unchanged."""
    if not stored:
        return ""
    known = REASONS.get(stored)
    if known is not None:
        return pick(lang, *known)
    for pattern, ru, en in _PATTERNS:
        m = pattern.fullmatch(stored)
        if m is not None:
            return pick(lang, ru, en).format(*m.groups())
    return stored


#: why a row of the contact list never became a recipient ("Export into my file")
_LEFT_OUT: dict[str, tuple[str, str]] = {
    "duplicate": (
        "повтор строки {0}: сообщение ушло один раз",
        "same address as row {0}: sent once",
    ),
    "no_address": ("в строке нет адреса для этого канала", "no address for this channel"),
    "rejected": ("не импортирована: {0}", "not imported: {0}"),
}


def left_out_text(kind: str, detail: str, lang: str) -> str:
    """Why a contact-list row has no recipient: ``kind`` one of "duplicate" (``detail``
    the row it repeats), "no_address", "rejected" (``detail`` the importer's reason, in
    ``lang`` already)."""
    ru, en = _LEFT_OUT.get(kind, (kind, kind))
    return pick(lang, ru, en).format(detail)

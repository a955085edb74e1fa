"""A problem found in a draft, with its text in English and Russian from one table.

Each :class:`Problem` has a stable ``code`` (for the UI to group or count by), the row of
the contact file it concerns (or None for the draft as a whole), the draft field or
contact column at fault, and its parameters. Its message is made from the table below in
the language asked for, so the window, the command line and a test all say the same.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class Severity(enum.StrEnum):
    ERROR = "error"  # blocks sending
    WARNING = "warning"  # worth reading; sending goes ahead


@dataclass(frozen=True, slots=True)
class Bilingual:
    """A parameter that is itself words (a field name, a type label)."""

    en: str
    ru: str


LANGUAGES = ("en", "ru")

#: code -> (English, Russian); ``{name}`` fields come from the problem's params
MESSAGES: dict[str, tuple[str, str]] = {
    "text_missing": (
        "The message text is empty: a {type} message needs one.",
        "Текст сообщения пуст, а для типа «{type}» он нужен.",
    ),
    "content_missing": (
        "The message has no content: fill in {fields}.",
        "В сообщении нет содержания: заполните {fields}.",
    ),
    "sender_missing": (
        'No sender name: the recipient will see whatever the platform puts in "from".',
        "Не указано имя отправителя: получатель увидит то, что подставит платформа.",
    ),
    "cascade_code_missing": (
        "A cascade needs the numeric code of its scenario mailing (created in your "
        "Kupon.mobi account).",
        "Для каскада нужен числовой код рассылки по сценарию (создаётся в личном "
        "кабинете Kupon.mobi).",
    ),
    "cascade_code_invalid": (
        'The cascade code must be digits only; "{value}" is not.',
        "Код каскада должен состоять только из цифр, а «{value}» — нет.",
    ),
    "field_not_used": (
        "The {label} is not used for {type} messages and will not be sent.",
        "Поле «{label}» не используется для типа «{type}» и не будет отправлено.",
    ),
    "scenario_overrides": (
        "For a cascade, the button, action and image are ignored where the scenario "
        "mailing sets its own.",
        "Для каскада кнопка, действие и картинка игнорируются, если их задаёт сам "
        "сценарий рассылки.",
    ),
    "button_without_action": (
        'The button "{button}" has no action: give the address (or command) it opens.',
        "У кнопки «{button}» нет действия: укажите адрес (или команду), который она открывает.",
    ),
    "action_without_button": (
        'The action "{action}" has no button caption.',
        "Для действия «{action}» не указана надпись на кнопке.",
    ),
    "action_invalid": (
        'The button action "{value}" is not a web address (https://…).',
        "Действие кнопки «{value}» — не веб-адрес (https://…).",
    ),
    "action_invalid_bot": (
        'The button action "{value}" is neither a web address (https://…) nor a bot '
        "command (/start).",
        "Действие кнопки «{value}» — не веб-адрес (https://…) и не команда боту (/start).",
    ),
    "image_invalid": (
        'The image address "{value}" is not a web address (https://…).',
        "Адрес картинки «{value}» — не веб-адрес (https://…).",
    ),
    "ttl_invalid": (
        "The lifetime (ttl) must be a whole number of minutes greater than 0, not {value}.",
        "Время жизни (ttl) должно быть целым числом минут больше 0, а не {value}.",
    ),
    "send_at_past": (
        "The send time {when} is in the past (it is now {now}).",
        "Время отправки {when} уже прошло (сейчас {now}).",
    ),
    "charset_unknown": (
        'Unknown charset "{charset}"; the platform accepts {known}.',
        "Неизвестная кодировка «{charset}»; платформа принимает {known}.",
    ),
    "charset_cannot_carry": (
        "The {label} contains {chars}, which {charset} cannot carry.",
        "{label_cap} содержит {chars} — в кодировке {charset} таких символов нет.",
    ),
    "charset_cannot_carry_row": (
        "Row {row}: {source} contains {chars}, which {charset} cannot carry.",
        "Строка {row}: {source} содержит {chars} — в кодировке {charset} таких символов нет.",
    ),
    "template_unclosed": (
        "The {label} has a {{ that is never closed, at character {position}: {excerpt}",
        "{label_cap}: скобка {{ не закрыта, символ {position}: {excerpt}",
    ),
    "template_unmatched_close": (
        "The {label} has a }} that closes nothing, at character {position}: {excerpt} "
        "(write }}}} for a brace itself)",
        "{label_cap}: скобка }} ничего не закрывает, символ {position}: {excerpt} "
        "(чтобы вывести саму скобку, напишите }}}})",
    ),
    "template_empty_name": (
        "The {label} has a placeholder without a column name, at character {position}: {excerpt}",
        "{label_cap}: в подстановке не указан столбец, символ {position}: {excerpt}",
    ),
    "placeholder_unknown": (
        "Unknown placeholder {placeholder} in the {label}: the contact list has no "
        'column "{name}".{hint}',
        "Неизвестная подстановка {placeholder} ({label}): в списке контактов нет "
        "столбца «{name}».{hint}",
    ),
    "placeholder_empty": (
        "{placeholder} is empty in {count} row(s): {rows}. It has no default: write "
        "{{{name}|…}} to give one.",
        "{placeholder}: пустое значение в строках {rows} (всего {count}), а значения по "
        "умолчанию нет; напишите {{{name}|…}}.",
    ),
    "contacts_empty": (
        "The contact list is empty.",
        "Список контактов пуст.",
    ),
    "address_missing": (
        "Row {row} has no {what}; this contact will be skipped.",
        "В строке {row} нет {what}; этот контакт будет пропущен.",
    ),
    "no_recipients": (
        "No contact has the {what} a {type} message needs: nobody can receive it.",
        "Ни у одного контакта нет {what}: сообщение типа «{type}» некому отправить.",
    ),
    "import_rejected_value": (
        'Row {row}: the {what} "{value}" was not imported: {reason}.',
        "Строка {row}: {what} «{value}» не импортирован: {reason}.",
    ),
    "import_rejected_row": (
        "Row {row} was not imported: {reason}.",
        "Строка {row} не импортирована: {reason}.",
    ),
    "duplicate_row": (
        "Row {row} repeats row {same_as}; it is left out.",
        "Строка {row} повторяет строку {same_as}; она пропущена.",
    ),
    "duplicate_left_out": (
        "Row {row} has the same {what} as row {same_as}; it is left out.",
        "В строке {row} тот же {what}, что в строке {same_as}; она пропущена.",
    ),
    "find_token_hint": (
        "{count} contact(s) have no push token but have a phone number or e-mail: turn on "
        "find_token to have the platform look their tokens up.",
        "У {count} контакт(ов) нет push-токена, но есть телефон или e-mail: включите "
        "find_token, и платформа найдёт их токены.",
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    code: str
    #: row number in the contact file, or None for the draft as a whole
    row: int | None = None
    #: the draft field (``"text"``, ``"sender"``…) or contact column at fault
    field: str | None = None
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def make(
        cls,
        severity: Severity,
        code: str,
        *,
        row: int | None = None,
        field: str | None = None,
        **params: Any,
    ) -> Problem:
        if code not in MESSAGES:
            raise KeyError(f"no message text for problem code {code!r}")
        return cls(severity, code, row, field, tuple(params.items()))

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR

    def message(self, lang: str = "en") -> str:
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
        english, russian = MESSAGES[self.code]
        values = {k: _word(v, lang) for k, v in self.params}
        values["row"] = self.row
        for key, value in list(values.items()):
            if isinstance(value, str):
                values[key + "_cap"] = value[:1].upper() + value[1:]
        return (english if lang == "en" else russian).format_map(values)

    @property
    def message_en(self) -> str:
        return self.message("en")

    @property
    def message_ru(self) -> str:
        return self.message("ru")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "row": self.row,
            "field": self.field,
            "code": self.code,
            "message": self.message(lang),
        }


def _word(value: Any, lang: str) -> Any:
    if isinstance(value, Bilingual):
        return value.en if lang == "en" else value.ru
    return value


def has_blocking(problems: Iterable[Problem]) -> bool:
    return any(p.blocking for p in problems)

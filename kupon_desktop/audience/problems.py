"""What the audience rules add to the Check report, in English and Russian.

:class:`AudienceProblem` is a :class:`kupon_desktop.compose.Problem` (same fields, same
``message(lang)``, ``blocking``, ``to_dict``) whose texts come from the table below, so
the Check report and the dry run list them beside the draft's own problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kupon_desktop.compose.problems import Bilingual, Problem, Severity

#: how many row numbers a summary quotes before "…"
ROWS_QUOTED = 10

#: code -> (English, Russian)
MESSAGES: dict[str, tuple[str, str]] = {
    "excluded_stop_list": (
        "Excluded by the stop list: {count} recipient(s), rows {rows}. They will not be "
        "sent anything.",
        "Исключено по стоп-листу: {count}, строки {rows}. Им ничего не будет отправлено.",
    ),
    "excluded_no_consent": (
        "Excluded for lack of consent: {count} recipient(s), rows {rows}: the column "
        '"{column}" does not show their consent to advertising. Mark the campaign as '
        "service (not advertising) if it carries no advertising.",
        "Исключено без согласия: {count}, строки {rows}: в столбце «{column}» нет их "
        "согласия на рекламу. Если рассылка не рекламная, отметьте её как сервисную.",
    ),
    "no_consent_service": (
        '{count} recipient(s) have no consent in the column "{column}" (rows {rows}); they '
        "are kept because the campaign is marked as service. A service message must carry "
        "no advertising.",
        "У {count} получателей нет согласия в столбце «{column}» (строки {rows}); они "
        "оставлены, потому что рассылка отмечена как сервисная. Сервисное сообщение не "
        "должно содержать рекламы.",
    ),
    "consent_unreadable": (
        'The column "{column}" holds {count} value(s) that are neither a date nor yes/no '
        '(rows {rows}, e.g. "{example}"); they count as no consent.',
        "В столбце «{column}» {count} значений — не дата и не да/нет (строки {rows}, "
        "например «{example}»); они считаются отсутствием согласия.",
    ),
    "consent_reminder": (
        "The list has no consent column (согласие, consent, opt-in). The advertising law "
        "(38-FZ, art. 18) requires the sender to prove each recipient's prior consent to "
        "advertising.",
        "В списке нет столбца согласия (согласие, consent, opt-in). Закон «О рекламе» "
        "(38-ФЗ, ст. 18) требует, чтобы отправитель мог доказать предварительное согласие "
        "каждого получателя на рекламу.",
    ),
    "timezone_unknown": (
        'The time zone column "{column}" has {count} value(s) that name no time zone, UTC '
        'offset or Russian region or city (rows {rows}, e.g. "{example}"); those recipients '
        "get the zone of their phone number, or {default}.",
        "В столбце часового пояса «{column}» {count} значений не называют ни часовой пояс, "
        "ни смещение от UTC, ни регион или город России (строки {rows}, например "
        "«{example}»); этим получателям пояс определяется по номеру телефона или "
        "принимается {default}.",
    ),
    "deferred_by_window": (
        "{count} message(s) would arrive outside the send window {window} of their "
        "recipient's time zone; each is scheduled for the window's next opening there "
        "(the first at {first}).",
        "{count} сообщений пришли бы вне окна отправки {window} по времени получателя; "
        "каждое запланировано на ближайшее открытие окна в его часовом поясе (первое — "
        "{first}).",
    ),
    "all_excluded": (
        "Every recipient is excluded (stop list, consent): nothing would be sent.",
        "Все получатели исключены (стоп-лист, согласие): отправлять некому.",
    ),
    "not_mobile_row": (
        "Row {row}: {address} is {kind}, not a mobile number: a {type} message cannot reach "
        "it, and may still be billed.",
        "Строка {row}: {address} — {kind}, а не мобильный номер: сообщение «{type}» до него "
        "не дойдёт, а оплачено может быть.",
    ),
    "not_mobile": (
        "{count} recipient(s) have a number that is not a mobile (landline {fixed_line}, "
        "toll-free {toll_free}, other {other}; rows {rows}): {type} messages need a mobile "
        "number. They are counted apart in the cost estimate.",
        "У {count} получателей номер не мобильный (городских {fixed_line}, бесплатных 8-800 "
        "{toll_free}, других {other}; строки {rows}): для сообщений «{type}» нужен мобильный "
        "номер. В оценке стоимости они посчитаны отдельно.",
    ),
    "sent_recently": (
        "{count} of these recipients were sent this same message on {at} (the campaign "
        '"{name}"): sending it again writes to them a second time.',
        "{count} из этих получателей уже получили это же сообщение {at} (рассылка «{name}»): "
        "повторная отправка напишет им второй раз.",
    ),
    "example_prices": (
        "The cost estimate uses example prices: set your own prices in Settings.",
        "Стоимость оценена по примерным ценам: укажите свои цены в настройках.",
    ),
}


#: what a number that is not a mobile is, in a problem's words (``mobile.KIND_NAMES``)
LINE_KIND_WORDS = {
    "fixed_line": Bilingual("a landline number", "городской номер"),
    "toll_free": Bilingual("a toll-free number", "бесплатный номер 8-800"),
    "other": Bilingual("a service number", "служебный номер"),
}


@dataclass(frozen=True, slots=True)
class AudienceProblem(Problem):
    @classmethod
    def make(
        cls,
        severity: Severity,
        code: str,
        *,
        row: int | None = None,
        field: str | None = None,
        **params: Any,
    ) -> AudienceProblem:
        if code not in MESSAGES:
            raise KeyError(f"no message text for audience problem code {code!r}")
        return cls(severity, code, row, field, tuple(params.items()))

    def message(self, lang: str = "en") -> str:
        if lang not in ("en", "ru"):
            raise ValueError(f"language must be en or ru, not {lang!r}")
        english, russian = MESSAGES[self.code]
        values = {
            k: (v.en if lang == "en" else v.ru) if isinstance(v, Bilingual) else v
            for k, v in self.params
        }
        values["row"] = self.row
        return (english if lang == "en" else russian).format_map(values)


def quote_rows(rows: Sequence[int]) -> str:
    """``2, 5, 9`` or ``2, 5, 9, … (and 20 more)``: a summary's row list."""
    shown = ", ".join(str(r) for r in rows[:ROWS_QUOTED])
    if len(rows) > ROWS_QUOTED:
        shown += f", … (+{len(rows) - ROWS_QUOTED})"
    return shown

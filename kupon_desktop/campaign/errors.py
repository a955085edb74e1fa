"""Why a campaign cannot go on, or stopped by itself, in words a marketer understands.

CampaignError                (a KuponError: text in Russian and English)
├── CampaignPaused       base of the reasons a campaign pauses for (the rest stays
│   │                    queued; Resume continues). Each has a ``code``: the log keeps
│   │                    ``reason.stored()``, and :func:`pause_reason` reads it back
│   ├── PausedByUser         the user pressed Pause (or Ctrl+C on the command line)
│   ├── ProgramClosed        the window was closed while sending
│   ├── FundsExhausted       the account ran out of money (an error answer about
│   │                        funds, or status 24)
│   ├── TokenRejected        the platform refused the API token
│   ├── PlatformUnavailable  the platform did not answer after every retry
│   ├── PlatformRefused      the address refuses the requests themselves (a redirect,
│   │                        HTTP 404, 405, 413 ...): the API address is wrong
│   ├── LogFailed            the local log could not be written (disk full, locked)
│   ├── SpendCapReached      the next messages would take the estimated spend past
│   │                        the campaign's spend cap
│   ├── StopListStale        a team desk could not refresh the team's stop list
│   │                        within the freshness setting
│   └── NotApproved          the team server says an approver has to approve it first
├── NothingToSend        a campaign with no recipient left to send
├── NoToken              no API token is set
├── NotAnAddress         a test send to something that is neither a phone nor an e-mail
├── NeedsContacts        a test send of a personalised text with no list loaded
├── UnknownCampaign      a campaign id this log does not have
├── ABUndecided          the remainder of an A/B test run before its winner is chosen
└── ABUnusable           an A/B test that cannot be made as asked (variants, share)
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import ClassVar

from kupon_desktop import wording
from kupon_desktop.errors import KuponError, pick


class CampaignError(KuponError):
    """Base of the campaign's expected failures."""


class CampaignPaused(CampaignError):
    """A reason to pause. ``detail`` is what the platform or the log said, as it said it."""

    code: ClassVar[str] = "paused"
    text_en: ClassVar[str] = "The campaign is paused."
    text_ru: ClassVar[str] = "Рассылка приостановлена."

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        suffix = f" ({detail})" if detail else ""
        super().__init__(self.text_en + suffix, self.text_ru + suffix)

    def stored(self) -> str:
        """The form the log keeps as the campaign's state reason."""
        return json.dumps({"code": self.code, "detail": self.detail}, ensure_ascii=False)


class PausedByUser(CampaignPaused):
    code = "user"


class ProgramClosed(CampaignPaused):
    code = "closed"
    text_en = "The program was closed while sending; press Resume to send the rest."
    text_ru = (
        "Программа была закрыта во время отправки; нажмите «Продолжить», чтобы отправить остальное."
    )


class FundsExhausted(CampaignPaused):
    code = "funds"
    text_en = (
        "Insufficient funds: the campaign is paused and the unsent recipients stay queued. "
        "Top up the account and press Resume."
    )
    text_ru = (
        "Недостаточно средств на счёте: рассылка приостановлена, неотправленные получатели "
        "остались в очереди. Пополните баланс и нажмите «Продолжить»."
    )


class TokenRejected(CampaignPaused):
    code = "token"
    text_en = "The platform rejected the API token: check it in Settings."
    text_ru = "Платформа не приняла API-токен: проверьте его в настройках."


class PlatformUnavailable(CampaignPaused):
    code = "platform"
    text_en = (
        "The platform is not answering: the campaign is paused and the unsent recipients "
        "stay queued."
    )
    text_ru = (
        "Платформа не отвечает: рассылка приостановлена, неотправленные получатели "
        "остались в очереди."
    )


class LogFailed(CampaignPaused):
    """The log failed mid-run; ``detail`` is the log error's text, kept in both languages
    (``detail_ru``) since the log error itself is gone when the reason is read back."""

    code = "log"
    text_en = "The campaign log could not be written: the campaign is paused."
    text_ru = "Не удалось записать журнал рассылок: рассылка приостановлена."

    def __init__(self, detail: str = "", detail_ru: str = "") -> None:
        super().__init__(detail)
        self.detail_ru = detail_ru or detail
        if detail:
            self._ru = f"{self.text_ru} ({self.detail_ru})"

    def stored(self) -> str:
        return json.dumps(
            {"code": self.code, "detail": self.detail, "detail_ru": self.detail_ru},
            ensure_ascii=False,
        )


class PlatformRefused(CampaignPaused):
    code = "refused"
    text_en = (
        "The server at the API address refuses the requests themselves: the campaign is "
        "paused and the unsent recipients stay queued. Check the API address in Settings."
    )
    text_ru = (
        "Сервер по адресу API отклоняет сами запросы: рассылка приостановлена, "
        "неотправленные получатели остались в очереди. Проверьте адрес API в настройках."
    )


class SpendCapReached(CampaignPaused):
    """``detail`` holds the cap and the estimated spend so far, as the engine saw them."""

    code = "spend_cap"
    text_en = (
        "The spend cap is reached: the next messages would take the estimated spend past "
        "it. The campaign is paused and the unsent recipients stay queued; raise the cap "
        "to send them."
    )
    text_ru = (
        "Достигнут лимит расходов: следующие сообщения превысили бы его по оценке "
        "стоимости. Рассылка приостановлена, неотправленные получатели остались в "
        "очереди; чтобы отправить их, увеличьте лимит."
    )

    def __init__(self, detail: str = "") -> None:
        # the detail is kept as "cap / spent" (plain numbers, as the log stores it); the
        # message writes them as amounts in each language
        super().__init__(detail)
        try:
            cap, spent = (Decimal(part.strip()) for part in detail.split("/"))
        except (ValueError, ArithmeticError):
            return
        KuponError.__init__(
            self,
            f"{self.text_en} (cap {wording.amount(cap, 'en')}, estimated spend "
            f"{wording.amount(spent, 'en')})",
            f"{self.text_ru} (лимит {wording.amount(cap, 'ru')}, потрачено по оценке "
            f"{wording.amount(spent, 'ru')})",
        )


class StopListStale(CampaignPaused):
    """``detail``: when the team's stop list was last pulled, and why not now."""

    code = "team_stoplist"
    text_en = (
        "The team's stop list could not be refreshed from the team server, and the copy "
        "here is older than the freshness setting allows: nothing is sent until it is "
        "refreshed. Check the connection to the server and press Resume."
    )
    text_ru = (
        "Не удалось обновить стоп-лист команды с сервера команды, а копия на этом "
        "компьютере старше, чем допускает настройка свежести: ничего не отправляется, "
        "пока он не обновится. Проверьте связь с сервером и нажмите «Продолжить»."
    )


class NotApproved(CampaignPaused):
    """``detail``: what the team server said (or that it could not be asked)."""

    code = "team_approval"
    text_en = (
        "This campaign needs an approver's approval on the team server before it is "
        "sent: ask an approver (they approve it in History, under the team's "
        "campaigns), then press Resume."
    )
    text_ru = (
        "Эту рассылку должен одобрить согласующий на сервере команды, прежде чем она "
        "будет отправлена: попросите согласующего (он одобряет её в «Истории», в "
        "рассылках команды), затем нажмите «Продолжить»."
    )


_REASONS: dict[str, type[CampaignPaused]] = {
    cls.code: cls
    for cls in (
        CampaignPaused,
        PausedByUser,
        ProgramClosed,
        FundsExhausted,
        TokenRejected,
        PlatformUnavailable,
        PlatformRefused,
        LogFailed,
        SpendCapReached,
        StopListStale,
        NotApproved,
    )
}


def pause_reason(stored: str | None) -> CampaignPaused | None:
    """The typed reason a log's state reason holds (None for none). A text written by an
    older version, not in this form, comes back as a plain pause with that text."""
    if not stored:
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("code") not in _REASONS:
        return CampaignPaused(stored)
    cls = _REASONS[str(data["code"])]
    if cls is LogFailed:
        return LogFailed(str(data.get("detail") or ""), str(data.get("detail_ru") or ""))
    return cls(str(data.get("detail") or ""))


def describe_reason(stored: str | None, lang: str) -> str:
    """A stored state reason in the interface language ("" for none)."""
    reason = pause_reason(stored)
    return "" if reason is None else reason.message(lang)


class NothingToSend(CampaignError):
    def __init__(self) -> None:
        super().__init__(
            "The campaign has no recipient to send to.",
            "В рассылке нет получателей для отправки.",
        )


class NoAddressee(CampaignError):
    def __init__(self) -> None:
        super().__init__(
            "No contact has the address this channel needs.",
            "Ни у одного контакта нет адреса, нужного для этого канала.",
        )


class NoToken(CampaignError):
    def __init__(self) -> None:
        super().__init__(
            "No API token is set: enter it in File → Settings.",
            "API-токен не задан: укажите его в меню Файл → Настройки.",
        )


class NotAnAddress(CampaignError):
    def __init__(self, value: str) -> None:
        super().__init__(
            f"«{value}» is neither a phone number nor an e-mail address.",
            f"«{value}» — не номер телефона и не адрес e-mail.",
        )


class NeedsContacts(CampaignError):
    def __init__(self, names: list[str]) -> None:
        shown = ", ".join("{" + n + "}" for n in names)
        super().__init__(
            f"The text uses {shown}: import the contact list first, so that the test "
            "message is filled in from its first contact.",
            f"В тексте есть {shown}: сначала загрузите список контактов — тестовое "
            "сообщение заполнится данными его первого контакта.",
        )


class UnknownCampaign(CampaignError):
    def __init__(self, campaign_id: str, where: str) -> None:
        super().__init__(
            f"There is no campaign {campaign_id} in {where}.",
            f"Рассылки {campaign_id} нет в {where}.",
        )


class ABUndecided(CampaignError):
    def __init__(self) -> None:
        super().__init__(
            "This is the remainder of an A/B test: it is sent once the winning variant is chosen.",
            "Это основная часть A/B-теста: она отправляется, когда выбран вариант-победитель.",
        )


class ABUnusable(CampaignError):
    """An A/B test asked for in a way that cannot be made; the text names what."""


__all__ = [
    "ABUndecided",
    "ABUnusable",
    "CampaignError",
    "CampaignPaused",
    "FundsExhausted",
    "LogFailed",
    "NeedsContacts",
    "NoAddressee",
    "NoToken",
    "NotAnAddress",
    "NotApproved",
    "NothingToSend",
    "PausedByUser",
    "PlatformRefused",
    "PlatformUnavailable",
    "ProgramClosed",
    "SpendCapReached",
    "StopListStale",
    "TokenRejected",
    "UnknownCampaign",
    "describe_reason",
    "pause_reason",
    "pick",
]

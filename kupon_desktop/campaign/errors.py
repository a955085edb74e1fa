"""Why a campaign stopped by itself, in words a marketer understands.

CampaignError
├── CampaignPaused       base of the reasons the engine pauses for (the rest stays
│   │                    queued; Resume continues)
│   ├── PausedByUser         the user pressed Pause
│   ├── FundsExhausted       the account ran out of money (an error answer about
│   │                        funds, or status 24)
│   ├── TokenRejected        the platform refused the API token
│   ├── PlatformUnavailable  the platform did not answer after every retry
│   └── PlatformRefused      the address refuses the requests themselves (a redirect,
│                            HTTP 404, 405, 413 ...): the API address is wrong
└── NothingToSend        a campaign with no recipient left to send
"""

from __future__ import annotations


class CampaignError(Exception):
    """Base of the campaign engine's expected failures."""

    user_message: str = ""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message


class CampaignPaused(CampaignError):
    pass


class PausedByUser(CampaignPaused):
    def __init__(self) -> None:
        super().__init__("Рассылка приостановлена. / The campaign is paused.")


class FundsExhausted(CampaignPaused):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Недостаточно средств на счёте: рассылка приостановлена, неотправленные "
            "получатели остались в очереди. Пополните баланс и нажмите «Продолжить». / "
            "Insufficient funds: the campaign is paused and the unsent recipients stay "
            "queued. Top up the account and press Resume." + (f" ({detail})" if detail else "")
        )


class TokenRejected(CampaignPaused):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Платформа не приняла API-токен: проверьте его в настройках. / The platform "
            "rejected the API token: check it in Settings." + (f" ({detail})" if detail else "")
        )


class PlatformUnavailable(CampaignPaused):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Платформа не отвечает: рассылка приостановлена, неотправленные получатели "
            "остались в очереди. / The platform is not answering: the campaign is paused "
            "and the unsent recipients stay queued." + (f" ({detail})" if detail else "")
        )


class PlatformRefused(CampaignPaused):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "Сервер по адресу API отклоняет сами запросы: рассылка приостановлена, "
            "неотправленные получатели остались в очереди. Проверьте адрес API в "
            "настройках. / The server at the API address refuses the requests "
            "themselves: the campaign is paused and the unsent recipients stay queued. "
            "Check the API address in Settings." + (f" ({detail})" if detail else "")
        )


class NothingToSend(CampaignError):
    def __init__(self) -> None:
        super().__init__(
            "В рассылке нет получателей для отправки. / The campaign has no recipient to send to."
        )

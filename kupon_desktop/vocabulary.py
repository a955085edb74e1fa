"""The words every package shares: message types, the addresses they go to, statuses and
their groups, charsets; one table each, no I/O.

Any package may import this module (it imports nothing of the program's). The wire's own
spellings and the vendor's error texts stay in ``kupon_desktop.api``; the Kannel
delivery-report codes are translated where the wire is (``kupon_desktop.api.kannel``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Address(enum.Enum):
    """Which contact field a message type is addressed to."""

    PHONE = "phone"
    EMAIL = "email"
    PUSH_TOKEN = "push_token"
    PHONE_OR_EMAIL = "phone_or_email"


class MessageType(enum.StrEnum):
    SMS = "sms"
    PUSH = "push"
    VIBER = "viber"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    VK = "vk"
    OK = "ok"
    EMAIL = "email"
    HLR = "hlr"
    VOICE = "voice"
    MMS = "mms"
    BOT = "bot"
    BULK = "bulk"

    @property
    def address(self) -> Address:
        return _ADDRESS[self]

    @property
    def uses_html(self) -> bool:
        return self in (MessageType.EMAIL, MessageType.PUSH)

    @property
    def uses_button(self) -> bool:
        """Button caption, action and image: the messengers (and bulk, where the
        scenario may override them)."""
        return self in _RICH

    @property
    def label_en(self) -> str:
        return _TYPE_LABELS[self][1]

    @property
    def label_ru(self) -> str:
        return _TYPE_LABELS[self][0]


_ADDRESS = {
    MessageType.SMS: Address.PHONE,
    MessageType.VIBER: Address.PHONE,
    MessageType.WHATSAPP: Address.PHONE,
    MessageType.TELEGRAM: Address.PHONE,
    MessageType.VK: Address.PHONE,
    MessageType.OK: Address.PHONE,
    MessageType.VOICE: Address.PHONE,
    MessageType.MMS: Address.PHONE,
    MessageType.HLR: Address.PHONE,
    MessageType.EMAIL: Address.EMAIL,
    MessageType.PUSH: Address.PUSH_TOKEN,
    MessageType.BOT: Address.PUSH_TOKEN,
    MessageType.BULK: Address.PHONE_OR_EMAIL,
}

_RICH = frozenset(
    {
        MessageType.VIBER,
        MessageType.WHATSAPP,
        MessageType.TELEGRAM,
        MessageType.VK,
        MessageType.OK,
        MessageType.BOT,
        MessageType.PUSH,
        MessageType.MMS,
        MessageType.BULK,
    }
)

_TYPE_LABELS = {
    MessageType.SMS: ("SMS", "SMS"),
    MessageType.PUSH: ("Push-уведомление", "Push notification"),
    MessageType.VIBER: ("Viber", "Viber"),
    MessageType.WHATSAPP: ("WhatsApp", "WhatsApp"),
    MessageType.TELEGRAM: ("Telegram", "Telegram"),
    MessageType.VK: ("ВКонтакте", "VK"),
    MessageType.OK: ("Одноклассники", "Odnoklassniki"),
    MessageType.EMAIL: ("E-mail", "E-mail"),
    MessageType.HLR: ("HLR-запрос", "HLR lookup"),
    MessageType.VOICE: ("Голосовое сообщение", "Voice message"),
    MessageType.MMS: ("MMS", "MMS"),
    MessageType.BOT: ("Бот", "Bot"),
    MessageType.BULK: ("Каскад (сценарий)", "Cascade (scenario)"),
}


class StatusGroup(enum.Enum):
    """How the status grid groups statuses for its filters."""

    PENDING = "pending"
    DELIVERED = "delivered"
    ENGAGED = "engaged"  # read or clicked
    FAILED = "failed"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class StatusInfo:
    code: int
    label_ru: str
    label_en: str
    final: bool
    success: bool
    group: StatusGroup
    #: a higher rank may replace a lower one; an equal or lower one is ignored, so a
    #: status never moves a message backwards (1 after 2 is dropped).
    rank: int


_S = StatusGroup
STATUSES: dict[int, StatusInfo] = {
    s.code: s
    for s in (
        StatusInfo(-4, "Входящее сообщение", "Incoming message", False, False, _S.OTHER, 0),
        StatusInfo(-3, "Сообщение не найдено", "Message not found", True, False, _S.FAILED, 30),
        StatusInfo(-1, "Ожидает отправки", "Waiting to be sent", False, False, _S.PENDING, 10),
        StatusInfo(
            0, "Отправлено оператору", "Sent, queued to the operator", False, False, _S.PENDING, 20
        ),
        StatusInfo(1, "Доставлено", "Delivered", True, True, _S.DELIVERED, 40),
        StatusInfo(2, "Прочитано", "Read", True, True, _S.ENGAGED, 50),
        StatusInfo(
            3, "Просрочено (истёк срок жизни)", "Expired (ttl ran out)", True, False, _S.FAILED, 30
        ),
        StatusInfo(4, "Нажата ссылка", "Link clicked", True, True, _S.ENGAGED, 60),
        StatusInfo(20, "Не доставлено", "Not delivered", True, False, _S.FAILED, 30),
        StatusInfo(22, "Неверный получатель", "Wrong recipient", True, False, _S.FAILED, 30),
        StatusInfo(
            23,
            "Направление запрещено (спам-фильтр)",
            "Blocked (spam/operator filter)",
            True,
            False,
            _S.FAILED,
            30,
        ),
        StatusInfo(24, "Недостаточно средств", "Insufficient funds", True, False, _S.FAILED, 30),
        StatusInfo(25, "Получатель недоступен", "Recipient offline", True, False, _S.FAILED, 30),
    )
}


def status_info(code: int) -> StatusInfo:
    """The table entry for ``code``; an undocumented code is kept as "unknown status N"
    (never dropped or coerced), treated as final and ranked above pending."""
    info = STATUSES.get(code)
    if info is not None:
        return info
    return StatusInfo(
        code,
        f"Неизвестный статус {code}",
        f"Unknown status {code}",
        True,
        False,
        _S.OTHER,
        25,
    )


def advances(old: int | None, new: int) -> bool:
    """True if status ``new`` may replace ``old`` (statuses never move backwards)."""
    if old is None:
        return True
    return status_info(new).rank > status_info(old).rank


#: The charsets the platform accepts, as spelled on the wire, with Python's codec.
CHARSETS: dict[str, str] = {
    "UTF-8": "utf-8",
    "CP1251": "cp1251",
    "UTF16BE": "utf-16-be",
    "UTF16LE": "utf-16-le",
    "UTF-16BE": "utf-16-be",
    "UTF-16LE": "utf-16-le",
    # UCS-2 is UTF-16 without surrogate pairs; the codec check for characters outside
    # the BMP is done by the validation, not by the codec.
    "UCS-2BE": "utf-16-be",
    "UCS-2LE": "utf-16-le",
    "UCS2BE": "utf-16-be",
    "UCS2LE": "utf-16-le",
}
DEFAULT_CHARSET = "UTF-8"


def codec_for(charset: str) -> str:
    try:
        return CHARSETS[charset]
    except KeyError:
        raise ValueError(f"unknown charset {charset!r}") from None


def unencodable_characters(text: str, charset: str) -> list[str]:
    """The distinct characters of ``text`` that ``charset`` cannot carry, in order."""
    codec = codec_for(charset)
    ucs2 = charset.upper().startswith("UCS")
    bad: list[str] = []
    for ch in dict.fromkeys(text):
        if ucs2 and ord(ch) > 0xFFFF:
            bad.append(ch)
            continue
        try:
            ch.encode(codec)
        except UnicodeEncodeError:
            bad.append(ch)
    return bad


#: a recipient's state where it has no platform status yet, as (Russian, English): the
#: results workbook and the consent proof write the same words
STATE_LABELS: dict[str, tuple[str, str]] = {
    "queued": ("в очереди", "queued"),
    "in_flight": ("отправляется", "sending"),
    "accepted": ("принято платформой", "accepted"),
    "rejected": ("отклонено", "rejected"),
    "unconfirmed": ("не подтверждено", "unconfirmed"),
    "skipped": ("пропущено", "skipped"),
    "excluded": ("исключено", "excluded"),
}

"""Reading and checking a request the way the platform would, with its Russian errors.

The simulator reads the wire on its own (it does not import the client's
``api.wire``), so that the contract tests compare two independent readings of the
format. Form values are kept as bytes until the declared charset is known.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote_to_bytes

from kupon_desktop.simulator.config import SimulatorConfig
from kupon_desktop.vocabulary import CHARSETS, Address, MessageType

# The vendor's wording is unknown; these read like a Russian platform's messages.
MSG_BAD_TOKEN = "Неверный токен API. Проверьте токен в личном кабинете"
MSG_NO_TYPE = "Не указан тип сообщения (type)"
MSG_BAD_TYPE = "Неизвестный тип сообщения: {value}"
MSG_NO_RECIPIENT = "Не указан получатель (sent_to)"
MSG_PLUS = "Номер получателя {value} указан с «+»: укажите номер в международном формате без «+»"
MSG_BAD_PHONE = "Неверный номер получателя: {value}"
MSG_BAD_EMAIL = "Неверный адрес электронной почты получателя: {value}"
MSG_BAD_PUSH = "Неверный список push-токенов получателя"
MSG_BULK_ONE = (
    "Для каскадной рассылки (bulk) получатель должен быть одним номером телефона "
    "или адресом электронной почты: {value}"
)
MSG_BULK_SENDER = (
    "Для каскадной рассылки (bulk) поле sender должно содержать числовой код "
    "рассылки по сценарию, а не «{value}»"
)
MSG_NO_SCENARIO = "Рассылка по сценарию с кодом {value} не найдена"
MSG_BAD_DATE = "Неверная дата отправки (sent_date) «{value}»: ожидается формат ГГГГ-ММ-ДД ЧЧ:ММ"
MSG_BAD_CHARSET = "Неизвестная кодировка (charset): {value}"
MSG_UNDECODABLE = "Текст в поле {field} не соответствует указанной кодировке {charset}"
MSG_NOT_UTF8 = "Поле {field} должно быть в кодировке UTF-8"
MSG_BAD_TTL = "Неверное время жизни сообщения (ttl): {value}"
MSG_NO_FUNDS = "Недостаточно средств на счёте для отправки сообщений. Пополните баланс"
MSG_NO_MESSAGES = "Не передан список сообщений (messages)"
MSG_BAD_MESSAGES = "Поле messages должно содержать JSON-массив сообщений"
MSG_BAD_ITEM = "Сообщение №{n} списка должно быть JSON-объектом"
MSG_MULTIPART = "Поддерживаются только поля в формате application/x-www-form-urlencoded"
MSG_TRY_LATER = "Временная ошибка платформы, повторите запрос позже"
MSG_TOO_MANY = "Слишком много запросов, повторите позже"

_PHONE = re.compile(r"[1-9][0-9]{6,14}")
_EMAIL = re.compile(r"[^@\s,]+@[^@\s,]+\.[^@\s,.]+")
_PUSH = re.compile(r"[^\s,]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
_DIGITS = re.compile(r"[0-9]+")

_CHARSETS_UPPER = {name.upper(): name for name in CHARSETS}


class Refusal(Exception):
    """The platform answers ``type=error`` with ``msg``."""

    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


@dataclass(slots=True)
class Common:
    """The request-level fields."""

    type: MessageType
    sender: str
    charset: str
    codec: str
    channels: tuple[MessageType, ...]
    kannel: bool
    find_token: bool


@dataclass(slots=True)
class Submission:
    """One message to accept."""

    sent_to: str
    recipients: list[str]
    text: str
    html_text: str | None
    sent_date: datetime | None
    ttl: int | None
    button: str | None
    action: str | None
    image: str | None
    callback: str | None
    #: sent_text exactly as it came off the wire (send-message only)
    raw_text: bytes | None = None


def parse_form(data: bytes) -> dict[str, bytes]:
    """Form fields with their values as raw bytes (the charset is applied later); of a
    repeated field the last value counts."""
    fields: dict[str, bytes] = {}
    for part in data.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        fields[_unquote(name).decode("utf-8", "replace")] = _unquote(value)
    return fields


def _unquote(raw: bytes) -> bytes:
    if b"%" not in raw and b"+" not in raw:
        return raw
    size = len(raw)
    if size % 3 == 0 and raw.count(b"%") * 3 == size and raw[::3] == b"%" * (size // 3):
        # every byte escaped (as the client sends big batches): decoded in C
        with contextlib.suppress(ValueError):
            return bytes.fromhex(raw.replace(b"%", b"").decode("ascii", "replace"))
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _utf8(fields: dict[str, bytes], name: str) -> str | None:
    raw = fields.get(name)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(MSG_NOT_UTF8.format(field=name)) from None


def decode_text(raw: bytes, common: Common, field: str) -> str:
    try:
        text = raw.decode(common.codec)
    except UnicodeDecodeError:
        raise Refusal(MSG_UNDECODABLE.format(field=field, charset=common.charset)) from None
    if common.charset.upper().startswith("UCS") and len(raw) != 2 * len(text):
        # a surrogate pair: UCS-2 has none
        raise Refusal(MSG_UNDECODABLE.format(field=field, charset=common.charset))
    return text


def check_token(fields: dict[str, bytes], config: SimulatorConfig) -> None:
    token = fields.get("token", b"").decode("utf-8", "replace")
    if token not in config.tokens:
        raise Refusal(MSG_BAD_TOKEN)


def parse_common(fields: dict[str, bytes], config: SimulatorConfig) -> Common:
    """Token, type, sender and charset; raises Refusal as the platform would."""
    check_token(fields, config)
    type_name = (_utf8(fields, "type") or "").strip()
    if not type_name:
        raise Refusal(MSG_NO_TYPE)
    try:
        kind = MessageType(type_name.lower())
    except ValueError:
        raise Refusal(MSG_BAD_TYPE.format(value=type_name)) from None
    sender = (_utf8(fields, "sender") or "").strip()
    channels: tuple[MessageType, ...] = (kind,)
    if kind is MessageType.BULK:
        if not _DIGITS.fullmatch(sender):
            raise Refusal(MSG_BULK_SENDER.format(value=sender))
        scenario = config.scenarios.get(int(sender))
        if scenario is None:
            raise Refusal(MSG_NO_SCENARIO.format(value=sender))
        channels = tuple(scenario)
    charset_name = (_utf8(fields, "charset") or "UTF-8").strip()
    charset = _CHARSETS_UPPER.get(charset_name.upper())
    if charset is None:
        raise Refusal(MSG_BAD_CHARSET.format(value=charset_name))
    return Common(
        type=kind,
        sender=sender,
        charset=charset,
        codec=CHARSETS[charset],
        channels=channels,
        kannel=_utf8(fields, "kannel_status") == "1",
        find_token=_utf8(fields, "find_token") == "1",
    )


def check_recipients(kind: MessageType, sent_to: str) -> list[str]:
    address = kind.address
    if address is Address.PHONE and _PHONE.fullmatch(sent_to):
        return [sent_to]  # the common case, without the general walk below
    sent_to = sent_to.strip()
    if not sent_to:
        raise Refusal(MSG_NO_RECIPIENT)
    if address is Address.PHONE_OR_EMAIL:
        if "," in sent_to or not (_PHONE.fullmatch(sent_to) or _EMAIL.fullmatch(sent_to)):
            if sent_to.startswith("+") and _PHONE.fullmatch(sent_to[1:]):
                raise Refusal(MSG_PLUS.format(value=sent_to))
            raise Refusal(MSG_BULK_ONE.format(value=sent_to))
        return [sent_to]
    items = [item.strip() for item in sent_to.split(",")]
    for item in items:
        if address is Address.PHONE and not _PHONE.fullmatch(item):
            if item.startswith("+"):
                raise Refusal(MSG_PLUS.format(value=item))
            raise Refusal(MSG_BAD_PHONE.format(value=item or sent_to))
        if address is Address.EMAIL and not _EMAIL.fullmatch(item):
            raise Refusal(MSG_BAD_EMAIL.format(value=item or sent_to))
        if address is Address.PUSH_TOKEN and not _PUSH.fullmatch(item):
            raise Refusal(MSG_BAD_PUSH)
    return items


def parse_date(value: str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if not _DATE.fullmatch(value):
        raise Refusal(MSG_BAD_DATE.format(value=value))
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError:
        raise Refusal(MSG_BAD_DATE.format(value=value)) from None


def parse_ttl(value: object) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not _DIGITS.fullmatch(text) or int(text) <= 0:
        raise Refusal(MSG_BAD_TTL.format(value=text))
    return int(text)


def _opt(value: object) -> str | None:
    return value if value is None or isinstance(value, str) else str(value)


def parse_single(fields: dict[str, bytes], common: Common) -> Submission:
    """The message of a ``send-message`` request."""
    sent_to = _utf8(fields, "sent_to") or ""
    recipients = check_recipients(common.type, sent_to)
    raw_text = fields.get("sent_text")
    text = decode_text(raw_text, common, "sent_text") if raw_text is not None else ""
    raw_html = fields.get("html_text")
    html = decode_text(raw_html, common, "html_text") if raw_html is not None else None
    return Submission(
        sent_to=sent_to,
        recipients=recipients,
        text=text,
        html_text=html,
        sent_date=parse_date(_utf8(fields, "sent_date")),
        ttl=parse_ttl(_utf8(fields, "ttl")),
        button=_utf8(fields, "button"),
        action=_utf8(fields, "action"),
        image=_utf8(fields, "image"),
        callback=_utf8(fields, "callback"),
        raw_text=raw_text,
    )


def parse_list(fields: dict[str, bytes], common: Common) -> list[Submission | Refusal]:
    """The messages of a ``send-list-messages`` request: the ``messages`` JSON, encoded
    in the declared charset, each element holding the per-message fields of
    ``send-message``. A bad element is refused alone; a bad list refuses the request."""
    raw = fields.get("messages")
    if raw is None or raw.strip() == b"":
        raise Refusal(MSG_NO_MESSAGES)
    document = decode_text(raw, common, "messages")
    try:
        items = json.loads(document)
    except ValueError:
        raise Refusal(MSG_BAD_MESSAGES) from None
    if not isinstance(items, list):
        raise Refusal(MSG_BAD_MESSAGES)
    if not items:
        raise Refusal(MSG_NO_MESSAGES)
    out: list[Submission | Refusal] = []
    for n, item in enumerate(items, start=1):
        try:
            out.append(_list_item(item, n, common))
        except Refusal as refusal:
            out.append(refusal)
    return out


def _list_item(item: object, n: int, common: Common) -> Submission:
    if not isinstance(item, dict):
        raise Refusal(MSG_BAD_ITEM.format(n=n))
    get = item.get
    sent_to = get("sent_to")
    sent_to = "" if sent_to is None else str(sent_to)
    text = get("sent_text")
    date = get("sent_date")
    ttl = get("ttl")
    return Submission(
        sent_to=sent_to,
        recipients=check_recipients(common.type, sent_to),
        text="" if text is None else str(text),
        html_text=_opt(get("html_text")),
        sent_date=None if date is None else parse_date(str(date)),
        ttl=None if ttl is None else parse_ttl(ttl),
        button=_opt(get("button")),
        action=_opt(get("action")),
        image=_opt(get("image")),
        callback=_opt(get("callback")),
    )

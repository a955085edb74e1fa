"""The wire format of the Kupon.mobi bulk API: field names, request bodies, answers.

Everything that spells a wire name or reads the platform's JSON is here, so that an
undocumented guess can be changed in one place. The guesses, each marked ASSUMED below:

* the per-message fields of ``send-list-messages`` are those of ``send-message``
  (:data:`MESSAGE_FIELDS`), and ``find_token``/``kannel_status`` go at the top level;
* its answer is ``{"type": "success", "messages": [<answer of send-message>, ...]}`` in
  the order of the request (:func:`parse_list_response`);
* in ``send-list-messages`` the whole ``messages`` JSON is encoded in the declared
  charset (JSON cannot mix encodings); in ``send-message`` only ``sent_text`` and
  ``html_text`` are, as documented, and the other fields are UTF-8;
* ``sent_date`` is read by the platform as Moscow time (:data:`PLATFORM_TIMEZONE`); the
  user's setting ``api/platform_timezone`` names another (:func:`platform_zone`), which
  the client is given as ``platform_timezone``.

Requests are ``application/x-www-form-urlencoded`` POST bodies built here byte by byte,
because the text fields must be percent-encoded in the declared charset, not in UTF-8.
``{id}`` and ``{status}`` in a callback URL are percent-encoded like any other character
and arrive literally after the platform's form decoding.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from urllib.parse import quote_from_bytes

from kupon_desktop.api.errors import ValidationError, describe_characters
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import ResultKind, SendResult
from kupon_desktop.vocabulary import (
    CHARSETS,
    Address,
    MessageType,
    unencodable_characters,
)

SEND_MESSAGE = "send-message"
SEND_LIST_MESSAGES = "send-list-messages"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
SENT_DATE_FORMAT = "%Y-%m-%d %H:%M"

#: ASSUMED: the platform's wall clock for ``sent_date`` (Moscow has kept UTC+3 since 2014;
#: a fixed offset needs no time-zone database on Windows). The user's setting
#: ``api/platform_timezone`` (:func:`platform_zone`) replaces it.
PLATFORM_TIMEZONE: tzinfo = timezone(timedelta(hours=3), "MSK")
#: the setting's default: the zone the vendor's clock is assumed to keep
DEFAULT_PLATFORM_ZONE = "Europe/Moscow"

_OFFSET = re.compile(r"(?:UTC|GMT)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def platform_zone(name: str) -> tzinfo:
    """The platform's clock for ``sent_date`` from the setting: an IANA name
    (``Europe/Moscow``) or a fixed offset (``UTC+3``, ``UTC+05:30``). ValueError, in
    words for the user, for anything else. Moscow without a zone database (Windows
    without the ``tzdata`` package) is the fixed UTC+3 Moscow has kept since 2014."""
    text = name.strip()
    if text.upper() in ("UTC", "GMT"):
        return UTC
    found = _OFFSET.fullmatch(text)
    if found:
        sign = -1 if found.group(1) in "-−" else 1
        hours, minutes = int(found.group(2)), int(found.group(3) or 0)
        if hours > 14 or minutes >= 60:
            raise ValueError(f"{name!r}: an offset from UTC is at most 14 hours")
        offset = timedelta(hours=hours, minutes=minutes)
        label = f"UTC{'-' if sign < 0 else '+'}{hours:02d}:{minutes:02d}"
        return timezone(sign * offset, label)
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if text == DEFAULT_PLATFORM_ZONE:
            return PLATFORM_TIMEZONE
        raise ValueError(
            f"{name!r} is not a time zone: give a name like Europe/Moscow or an offset like UTC+3"
        ) from None


#: The per-message fields: OutgoingMessage attribute -> wire name, in request order.
#: ASSUMED for send-list-messages: each JSON element carries exactly these.
MESSAGE_FIELDS: dict[str, str] = {
    "address": "sent_to",
    "text": "sent_text",
    "html_text": "html_text",
    "send_at": "sent_date",
    "ttl": "ttl",
    "button": "button",
    "action": "action",
    "image": "image",
    "callback": "callback",
}

#: The fields a send-message request encodes in the declared charset (documented).
CHARSET_FIELDS: tuple[str, ...] = ("sent_text", "html_text")

#: How much of an undocumented answer is quoted in a result's message.
_SNIPPET = 120


# --------------------------------------------------------------------------- requests


def wire_address(kind: MessageType, address: str | Sequence[str]) -> str:
    """``sent_to``: addresses comma-separated; phones lose their leading ``+``."""
    items = [address] if isinstance(address, str) else list(address)
    strip_plus = kind.address in (Address.PHONE, Address.PHONE_OR_EMAIL)
    out: list[str] = []
    for item in items:
        item = item.strip()
        if strip_plus and item.startswith("+") and "@" not in item:
            item = item[1:]
        if item:
            out.append(item)
    return ",".join(out)


def format_sent_date(when: datetime, tz: tzinfo = PLATFORM_TIMEZONE) -> str:
    """``YYYY-MM-DD HH:MM`` on the platform's clock (a naive ``when`` is taken as is)."""
    if when.tzinfo is not None and when.utcoffset() is not None:
        when = when.astimezone(tz)
    return when.strftime(SENT_DATE_FORMAT)


def envelope_fields(envelope: Envelope) -> dict[str, str]:
    """The campaign-level fields (all but ``token``), in request order."""
    fields = {
        "type": str(MessageType(envelope.type).value),
        "sender": str(envelope.sender),
        "charset": envelope.charset,
    }
    if envelope.find_token:
        fields["find_token"] = "1"
    if envelope.kannel_status:
        fields["kannel_status"] = "1"
    return fields


def message_fields(
    envelope: Envelope,
    message: OutgoingMessage,
    *,
    index: int | None = None,
    tz: tzinfo = PLATFORM_TIMEZONE,
) -> dict[str, str]:
    """The one mapping of a message onto its wire fields (unset ones are left out)."""
    fields: dict[str, str] = {}
    for attr, wire in MESSAGE_FIELDS.items():
        value = getattr(message, attr)
        if value is None:
            continue
        if attr == "address":
            text = wire_address(MessageType(envelope.type), value)
            if not text:
                raise ValidationError("no recipient address", field=wire, index=index)
        elif attr == "send_at":
            if not isinstance(value, datetime):
                raise ValidationError("the send date must be a datetime", field=wire, index=index)
            text = format_sent_date(value, tz)
        elif attr == "ttl":
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValidationError(
                    f"ttl must be a positive number of minutes, not {value!r}",
                    field=wire,
                    index=index,
                )
            text = str(value)
        else:
            text = str(value)
            if text == "" and attr == "text":
                continue
        fields[wire] = text
    return fields


def check_charset(envelope: Envelope) -> str:
    """The Python codec for the envelope's charset, or a ValidationError."""
    codec: str | None = CHARSETS.get(envelope.charset)
    if codec is None:
        raise ValidationError(
            f"unknown charset {envelope.charset!r}; the platform accepts " + ", ".join(CHARSETS),
            field="charset",
        )
    return codec


def encode_text(
    text: str, charset: str, codec: str, *, field: str, index: int | None = None
) -> bytes:
    """``text`` in the declared charset, or a ValidationError naming what it cannot carry."""
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = b""
    else:
        # UCS-2 is UTF-16 without surrogate pairs: exactly two bytes per character.
        if not charset.upper().startswith("UCS") or len(data) == 2 * len(text):
            return data
    bad = unencodable_characters(text, charset)
    raise ValidationError(
        f"charset {charset} cannot carry {describe_characters(bad)}",
        field=field,
        index=index,
        characters=bad,
        charset=charset,
    )


#: ``%XX`` or the character itself for each byte value, as ``quote_from_bytes(b, safe="")``
#: spells it (letters, digits and ``_.-~`` stay): a table lookup per byte in C instead
#: of urllib's Python loop, a third of the cost for a Cyrillic text
_QUOTED: tuple[str, ...] = tuple(quote_from_bytes(bytes([b]), safe="") for b in range(256))


#: the bytes form encoding leaves as they are
_SAFE_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


def _quote(value: bytes) -> str:
    """``value`` percent-encoded for a form body. A value that is nearly all bytes to
    escape (a Cyrillic text in UTF-8 or UCS-2) has every byte escaped, in C
    (``_escape_every_byte``): at most an eighth longer, a tenth of the time."""
    kept = len(value) - len(value.translate(None, _SAFE_BYTES))
    if kept * 8 <= len(value):
        return _escape_every_byte(value).decode("ascii")
    return "".join(map(_QUOTED.__getitem__, value))


def _form(pairs: list[tuple[str, bytes]]) -> bytes:
    return "&".join(f"{name}={_quote(value)}" for name, value in pairs).encode("ascii")


@functools.lru_cache(maxsize=32)
def _envelope_form(token: str, envelope: Envelope, _sender_type: str) -> bytes:
    """``token=…&type=…&sender=…&charset=…`` (and the flags), encoded: the same for every
    message of a campaign, so built once (``_sender_type`` keeps ``sender=1`` and
    ``sender=True`` apart, which compare equal)."""
    pairs: list[tuple[str, bytes]] = [("token", token.encode("utf-8"))]
    pairs += [(k, _utf8(v, k)) for k, v in envelope_fields(envelope).items()]
    return _form(pairs)


def _escape_every_byte(value: bytes) -> bytes:
    """``%XX`` for every byte: as valid a form encoding as the usual one, but done in C.
    Used for the ``messages`` field, where a per-byte quote in Python would cost more than
    building the JSON (Cyrillic and JSON punctuation are escaped by either way)."""
    return b"%" + value.hex("%").encode("ascii") if value else b""


def encode_send_message(
    token: str, envelope: Envelope, message: OutgoingMessage, *, tz: tzinfo = PLATFORM_TIMEZONE
) -> bytes:
    """The form body of a ``send-message`` request."""
    codec = check_charset(envelope)
    head = _envelope_form(token, envelope, type(envelope.sender).__name__)
    pairs: list[tuple[str, bytes]] = []
    for name, value in message_fields(envelope, message, tz=tz).items():
        if name in CHARSET_FIELDS:
            pairs.append((name, encode_text(value, envelope.charset, codec, field=name)))
        else:
            pairs.append((name, _utf8(value, name)))
    return head + b"&" + _form(pairs) if pairs else head


def list_messages_json(
    envelope: Envelope, messages: Sequence[OutgoingMessage], *, tz: tzinfo = PLATFORM_TIMEZONE
) -> str:
    """The ``messages`` field of ``send-list-messages`` as JSON text (before encoding)."""
    items = [message_fields(envelope, m, index=i, tz=tz) for i, m in enumerate(messages)]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def encode_send_list_messages(
    token: str,
    envelope: Envelope,
    messages: Sequence[OutgoingMessage],
    *,
    tz: tzinfo = PLATFORM_TIMEZONE,
) -> bytes:
    """The form body of a ``send-list-messages`` request."""
    if not messages:
        raise ValidationError("no messages to send", field="messages")
    codec = check_charset(envelope)
    document = list_messages_json(envelope, messages, tz=tz)
    try:
        data = encode_text(document, envelope.charset, codec, field="messages")
    except ValidationError:
        _raise_first_unencodable(envelope, messages, codec, tz)
        raise
    head = _envelope_form(token, envelope, type(envelope.sender).__name__)
    return head + b"&messages=" + _escape_every_byte(data)


def _raise_first_unencodable(
    envelope: Envelope, messages: Sequence[OutgoingMessage], codec: str, tz: tzinfo
) -> None:
    """Name the message and field that hold the character the charset cannot carry."""
    for index, message in enumerate(messages):
        for name, value in message_fields(envelope, message, index=index, tz=tz).items():
            encode_text(value, envelope.charset, codec, field=name, index=index)


def _utf8(value: str, field: str) -> bytes:
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        bad = unencodable_characters(value, "UTF-8")
        raise ValidationError(
            f"contains characters that cannot be sent: {describe_characters(bad)}",
            field=field,
            characters=bad,
            charset="UTF-8",
        ) from None


# --------------------------------------------------------------------------- answers


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _snippet(body: bytes) -> str:
    text = body[:_SNIPPET].decode("utf-8", "replace")
    return repr(text) + ("…" if len(body) > _SNIPPET else "")


def _load(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _answer(item: object) -> SendResult | None:
    """One documented answer object, or None if ``item`` is not one."""
    if not isinstance(item, dict):
        return None
    kind = item.get("type")
    if kind == "error":
        msg = item.get("msg")
        text = str(msg) if msg not in (None, "") else "the platform refused without a description"
        return SendResult(ResultKind.ERROR, message=text)
    if kind == "success":
        ident = item.get("id")
        if isinstance(ident, bool) or not isinstance(ident, (int, str)) or str(ident) == "":
            return None
        return SendResult(ResultKind.SUCCESS, platform_id=str(ident))
    return None


def _http_outcome(
    status: int, headers: Mapping[str, str], answer: SendResult | None, body: bytes
) -> SendResult | None:
    """The result decided by the HTTP status alone (or an error answer), or None to read
    the body. ``answer`` is ``_answer`` of the body's JSON."""
    retry_after = parse_retry_after(headers.get("retry-after"))
    if status == 429:
        wait = f"; it asks to wait {retry_after:g} s" if retry_after is not None else ""
        return SendResult(
            ResultKind.NOT_SENT,
            message=f"HTTP 429: the platform is rate limiting requests{wait}",
            retry_after=retry_after,
            http_status=status,
        )
    if answer is not None and answer.kind is ResultKind.ERROR:
        return SendResult(
            ResultKind.ERROR, message=answer.message, http_status=status, retry_after=retry_after
        )
    if status >= 500:
        return SendResult(
            ResultKind.UNKNOWN,
            message=f"HTTP {status} from the platform: it may have accepted the request",
            retry_after=retry_after,
            http_status=status,
        )
    if status == 408:
        # the server gave up reading the request: it processed nothing
        return SendResult(
            ResultKind.NOT_SENT,
            message=f"HTTP 408 from the platform: it did not read the request in time; "
            f"safe to retry: {said(body)}",
            retry_after=retry_after,
            http_status=status,
        )
    if 400 <= status < 500:
        # an answer, not silence: the platform refused this request and said why;
        # sending it again unchanged would get the same answer
        return SendResult(
            ResultKind.ERROR, message=f"HTTP {status}: {said(body)}", http_status=status
        )
    if 300 <= status < 400:
        where = headers.get("location")
        return SendResult(
            ResultKind.NOT_SENT,
            message=f"HTTP {status} from the platform: it sends these requests elsewhere"
            + (f" ({where})" if where else "")
            + "; nothing was sent",
            http_status=status,
        )
    if not 200 <= status < 300:
        return SendResult(
            ResultKind.NOT_SENT,
            message=f"HTTP {status} from the platform (request refused): {_snippet(body)}",
            http_status=status,
        )
    return None


#: the longest text of an answer kept as the reason a message was refused
_SAID = 300
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")


def said(body: bytes) -> str:
    """What an answer that is not the API's JSON says, as one line a person can read:
    the ``msg`` (``message``, ``error``, ``detail``) of a JSON object, or the text with
    any HTML markup removed; at most ``_SAID`` characters."""
    doc = _load(body)
    text = ""
    if isinstance(doc, dict):
        for name in ("msg", "message", "error", "detail", "description"):
            value = doc.get(name)
            if isinstance(value, str) and value.strip():
                text = value
                break
    if not text:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("cp1251", "replace")  # a Russian server's default
        text = _TAGS.sub(" ", text)
    text = html.unescape(_SPACES.sub(" ", text)).strip()
    if not text:
        return "no text in the answer"
    return text if len(text) <= _SAID else text[: _SAID - 1] + "…"


def parse_send_response(status: int, headers: Mapping[str, str], body: bytes) -> SendResult:
    """The result of a ``send-message`` answer. ``headers`` keys are lower-case."""
    answer = _answer(_load(body))
    decided = _http_outcome(status, headers, answer, body)
    if decided is not None:
        return decided
    if answer is None:
        return SendResult(
            ResultKind.UNKNOWN,
            message=f"the platform's answer is not the documented JSON: {_snippet(body)}",
            http_status=status,
        )
    return SendResult(
        answer.kind, platform_id=answer.platform_id, message=answer.message, http_status=status
    )


def parse_list_response(
    status: int, headers: Mapping[str, str], body: bytes, count: int
) -> list[SendResult]:
    """One result per message of a ``send-list-messages`` request, in request order.

    ASSUMED shape: ``{"type": "success", "messages": [{"type": "success", "id": N} |
    {"type": "error", "msg": "..."}, ...]}``; a top-level ``type=error`` refuses them all;
    ``{"type": "success", "id": N}`` is taken as the answer for a one-message list.
    Anything else leaves every message UNKNOWN (the platform may have accepted them).
    """
    doc = _load(body)
    decided = _http_outcome(status, headers, _answer(doc), body)
    if decided is not None:
        return [decided] * count
    if isinstance(doc, dict) and doc.get("type") == "success":
        items = doc.get("messages")
        if isinstance(items, list) and len(items) == count:
            out: list[SendResult] = []
            for item in items:
                answer = _answer(item)
                if answer is None:
                    out.append(
                        SendResult(
                            ResultKind.UNKNOWN,
                            http_status=status,
                            message=f"undocumented item in the platform's "
                            f"answer: {str(item)[:_SNIPPET]!r}",
                        )
                    )
                else:
                    out.append(
                        SendResult(
                            answer.kind,
                            platform_id=answer.platform_id,
                            message=answer.message,
                            http_status=status,
                        )
                    )
            return out
        if items is None and count == 1:
            single = _answer(doc)
            if single is not None:
                return [SendResult(single.kind, platform_id=single.platform_id, http_status=status)]
        unknown = SendResult(
            ResultKind.UNKNOWN,
            http_status=status,
            message=(f"the platform's answer does not list {count} messages: {_snippet(body)}"),
        )
        return [unknown] * count
    return [
        SendResult(
            ResultKind.UNKNOWN,
            http_status=status,
            message=(f"the platform's answer is not the documented JSON: {_snippet(body)}"),
        )
    ] * count


__all__ = [
    "CHARSET_FIELDS",
    "DEFAULT_PLATFORM_ZONE",
    "FORM_CONTENT_TYPE",
    "MESSAGE_FIELDS",
    "PLATFORM_TIMEZONE",
    "SEND_LIST_MESSAGES",
    "SEND_MESSAGE",
    "SENT_DATE_FORMAT",
    "encode_send_list_messages",
    "encode_send_message",
    "encode_text",
    "envelope_fields",
    "format_sent_date",
    "list_messages_json",
    "message_fields",
    "parse_list_response",
    "parse_retry_after",
    "parse_send_response",
    "platform_zone",
    "said",
    "wire_address",
]

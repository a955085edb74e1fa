"""The wire format on its own: request bodies and the reading of answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl

import pytest

from kupon_desktop.api import wire
from kupon_desktop.api.errors import ValidationError
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import ResultKind
from kupon_desktop.vocabulary import MessageType


def _fields(body: bytes) -> dict[str, bytes]:
    pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding="latin-1")
    return {k: v.encode("latin-1") for k, v in pairs}


def test_send_message_body_has_every_field_in_its_encoding() -> None:
    env = Envelope(
        MessageType.VIBER, sender="Магазин", charset="CP1251", find_token=True, kannel_status=True
    )
    msg = OutgoingMessage(
        "+79161234567",
        "Скидка 10%",
        html_text="<b>Скидка</b>",
        send_at=datetime(2025, 3, 1, 9, 30, 59, tzinfo=UTC),
        ttl=90,
        button="Купить",
        action="https://shop.example/a?b=1&c=2",
        image="https://shop.example/i.png",
        callback="http://127.0.0.1:9/cb?id={id}&status={status}",
    )
    f = _fields(wire.encode_send_message("tok", env, msg))
    assert f == {
        "token": b"tok",
        "type": b"viber",
        "sender": "Магазин".encode(),
        "charset": b"CP1251",
        "find_token": b"1",
        "kannel_status": b"1",
        "sent_to": b"79161234567",
        "sent_text": "Скидка 10%".encode("cp1251"),
        "html_text": "<b>Скидка</b>".encode("cp1251"),
        "sent_date": b"2025-03-01 12:30",  # Moscow time, seconds dropped
        "ttl": b"90",
        "button": "Купить".encode(),
        "action": b"https://shop.example/a?b=1&c=2",
        "image": b"https://shop.example/i.png",
        "callback": b"http://127.0.0.1:9/cb?id={id}&status={status}",
    }


def test_braces_of_the_callback_are_percent_encoded_once() -> None:
    env = Envelope(MessageType.SMS, sender="S")
    body = wire.encode_send_message(
        "t", env, OutgoingMessage("1", "x", callback="http://h/cb/{id}/{status}")
    ).decode()
    assert "callback=http%3A%2F%2Fh%2Fcb%2F%7Bid%7D%2F%7Bstatus%7D" in body


@pytest.mark.parametrize(
    "charset,codec",
    [
        ("UTF-8", "utf-8"),
        ("CP1251", "cp1251"),
        ("UTF-16BE", "utf-16-be"),
        ("UTF16LE", "utf-16-le"),
        ("UCS-2BE", "utf-16-be"),
        ("UCS2LE", "utf-16-le"),
    ],
)
def test_text_goes_out_in_the_declared_charset(charset: str, codec: str) -> None:
    env = Envelope(MessageType.SMS, sender="S", charset=charset)
    f = _fields(wire.encode_send_message("t", env, OutgoingMessage("1", "Привет, мир!")))
    assert f["sent_text"] == "Привет, мир!".encode(codec)
    assert f["charset"] == charset.encode()


def test_a_character_the_charset_cannot_carry_is_named() -> None:
    env = Envelope(MessageType.SMS, sender="S", charset="CP1251")
    with pytest.raises(ValidationError) as caught:
        wire.encode_send_message("t", env, OutgoingMessage("1", "Цена 5 € Müller 😀 ü"))
    err = caught.value
    assert err.field == "sent_text" and err.characters == ("ü", "😀")
    assert "'ü' (U+00FC)" in str(err) and "U+1F600" in str(err) and "CP1251" in str(err)


def test_ucs2_refuses_characters_outside_the_bmp() -> None:
    env = Envelope(MessageType.SMS, sender="S", charset="UCS2BE")
    with pytest.raises(ValidationError) as caught:
        wire.encode_send_message("t", env, OutgoingMessage("1", "ok 😀"))
    assert caught.value.characters == ("😀",)
    env16 = Envelope(MessageType.SMS, sender="S", charset="UTF-16BE")
    assert wire.encode_send_message("t", env16, OutgoingMessage("1", "ok 😀"))


def test_list_names_the_message_and_field_at_fault() -> None:
    env = Envelope(MessageType.VIBER, sender="S", charset="CP1251")
    messages = [OutgoingMessage("1", "ок"), OutgoingMessage("2", "ок", button="Жми ✓")]
    with pytest.raises(ValidationError) as caught:
        wire.encode_send_list_messages("t", env, messages)
    assert (caught.value.index, caught.value.field) == (1, "button")
    assert str(caught.value).startswith("message 2, field button:")


def test_list_body_is_json_in_the_declared_charset() -> None:
    env = Envelope(MessageType.SMS, sender="S", charset="UTF-16LE", kannel_status=True)
    messages = [
        OutgoingMessage(["+7916", "7917"], "Привет", ttl=5),
        OutgoingMessage("7918", "", callback="http://h/{id}"),
    ]
    f = _fields(wire.encode_send_list_messages("t", env, messages))
    assert set(f) == {"token", "type", "sender", "charset", "kannel_status", "messages"}
    assert json.loads(f["messages"].decode("utf-16-le")) == [
        {"sent_to": "7916,7917", "sent_text": "Привет", "ttl": "5"},
        {"sent_to": "7918", "callback": "http://h/{id}"},
    ]


def test_bad_inputs_are_refused_before_any_request() -> None:
    env = Envelope(MessageType.SMS, sender="S")
    with pytest.raises(ValidationError, match="charset"):
        wire.encode_send_message(
            "t", Envelope(MessageType.SMS, charset="KOI8-R"), OutgoingMessage("1", "x")
        )
    with pytest.raises(ValidationError, match="sent_to"):
        wire.encode_send_message("t", env, OutgoingMessage(["", " "], "x"))
    with pytest.raises(ValidationError, match="ttl"):
        wire.encode_send_message("t", env, OutgoingMessage("1", "x", ttl=0))
    with pytest.raises(ValidationError, match="messages"):
        wire.encode_send_list_messages("t", env, [])


def test_plus_is_kept_for_push_tokens_and_email_is_untouched() -> None:
    assert wire.wire_address(MessageType.PUSH, ["+tok1", "tok2"]) == "+tok1,tok2"
    assert wire.wire_address(MessageType.BULK, "+79161234567") == "79161234567"
    assert wire.wire_address(MessageType.BULK, "+a@b.ru") == "+a@b.ru"


def test_naive_and_aware_send_dates() -> None:
    assert wire.format_sent_date(datetime(2025, 1, 2, 3, 4)) == "2025-01-02 03:04"
    est = timezone(timedelta(hours=-5))
    assert wire.format_sent_date(datetime(2025, 1, 2, 3, 4, tzinfo=est)) == "2025-01-02 11:04"


# ------------------------------------------------------------------ answers


def test_send_answers() -> None:
    ok = wire.parse_send_response(200, {}, b'{"type":"success","id":42}')
    assert (ok.kind, ok.platform_id) == (ResultKind.SUCCESS, "42")
    err = wire.parse_send_response(200, {}, '{"type":"error","msg":"Нет"}'.encode())
    assert (err.kind, err.message) == (ResultKind.ERROR, "Нет")
    for body in (
        b'{"type":"success"}',
        b'{"type":"success","id":',
        b"<html>",
        b"[]",
        b'{"type":"success","id":true}',
    ):
        assert wire.parse_send_response(200, {}, body).kind is ResultKind.UNKNOWN, body


@pytest.mark.parametrize(
    "status,kind",
    [
        (500, ResultKind.UNKNOWN),
        (502, ResultKind.UNKNOWN),
        (503, ResultKind.UNKNOWN),
        # a 4xx is the platform's answer: the message is refused, with its text
        (404, ResultKind.ERROR),
        (400, ResultKind.ERROR),
        (408, ResultKind.NOT_SENT),
        (301, ResultKind.NOT_SENT),
        (429, ResultKind.NOT_SENT),
    ],
)
def test_http_statuses(status: int, kind: ResultKind) -> None:
    result = wire.parse_send_response(status, {"retry-after": "7"}, b"<html></html>")
    assert result.kind is kind and result.http_status == status
    if status in (429, 503):
        assert result.retry_after == 7.0


def test_documented_error_wins_over_a_5xx_but_not_over_429() -> None:
    body = '{"type":"error","msg":"Сбой"}'.encode()
    assert wire.parse_send_response(500, {}, body).kind is ResultKind.ERROR
    assert wire.parse_send_response(429, {}, body).kind is ResultKind.NOT_SENT


def test_retry_after_as_http_date() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert wire.parse_retry_after("Wed, 01 Jan 2025 12:00:30 GMT", now=now) == 30.0
    assert wire.parse_retry_after("soon") is None
    assert wire.parse_retry_after("-5") == 0.0


def test_list_answers() -> None:
    body = json.dumps(
        {
            "type": "success",
            "messages": [
                {"type": "success", "id": 1},
                {"type": "error", "msg": "плохой номер"},
                {"x": 1},
            ],
        }
    ).encode()
    kinds = [r.kind for r in wire.parse_list_response(200, {}, body, 3)]
    assert kinds == [ResultKind.SUCCESS, ResultKind.ERROR, ResultKind.UNKNOWN]
    # a count that does not match: nobody can tell which were accepted
    assert {r.kind for r in wire.parse_list_response(200, {}, body, 2)} == {ResultKind.UNKNOWN}
    refused = wire.parse_list_response(200, {}, b'{"type":"error","msg":"no"}', 2)
    assert [r.kind for r in refused] == [ResultKind.ERROR] * 2
    single = wire.parse_list_response(200, {}, b'{"type":"success","id":"a1"}', 1)
    assert single[0].platform_id == "a1"

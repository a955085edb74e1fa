"""The client against the simulator over a real loopback socket: every field arrives
byte-exact, every refusal comes back as ERROR, and the token shows nowhere."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import httpx
import pytest

from kupon_desktop.api.client import USER_AGENT, KuponClient
from kupon_desktop.api.errors import ClientClosed, ValidationError
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import ResultKind, SendResult
from kupon_desktop.simulator.config import Outcome
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import (
    CallbackListener,
    closed_port,
    inspect,
    message,
    quick_config,
    running_simulator,
    wait_for_final,
)

SECRET = "s3cr3t-TOKEN-5f1e2d3c"
CODECS = {
    "UTF-8": "utf-8",
    "CP1251": "cp1251",
    "UTF-16BE": "utf-16-be",
    "UTF-16LE": "utf-16-le",
    "UCS-2LE": "utf-16-le",
}
TEXT = "Скидка 15% до 1 марта! Ёж & «кавычки» + {name}"


@pytest.fixture(scope="module")
def sim():
    with running_simulator(quick_config(tokens=frozenset({SECRET}))) as running:
        yield running


def run(
    coro_fn: Callable[[KuponClient], object], base_url: str, token: str = SECRET, **options: object
):
    async def main():
        async with KuponClient(base_url, token, trust_env=False, **options) as client:
            return await coro_fn(client)

    return asyncio.run(main())


FULL = OutgoingMessage(
    "+79161234567",
    TEXT,
    html_text="<p>Скидка <b>15%</b></p>",
    send_at=datetime(2030, 5, 17, 10, 45),
    ttl=1440,
    button="Купить сейчас",
    action="https://shop.example/sale?utm=kupon&x=1",
    image="https://shop.example/img/sale.png",
    callback="http://127.0.0.1:9/cb?id={id}&status={status}",
)


def expect_fields(item: dict, env: Envelope, msg: OutgoingMessage) -> None:
    assert item["type"] == env.type.value
    assert item["sender"] == str(env.sender)
    assert item["charset"] == env.charset
    assert item["sent_to"] == "79161234567"
    assert item["text"] == msg.text
    assert item["html_text"] == msg.html_text
    assert item["sent_date"] == "2030-05-17 10:45"
    assert item["ttl"] == msg.ttl
    assert item["button"] == msg.button
    assert item["action"] == msg.action
    assert item["image"] == msg.image
    assert item["callback"] == msg.callback  # {id}/{status} literal after form decoding
    assert item["find_token"] is env.find_token
    assert item["kannel_status"] is env.kannel_status


@pytest.mark.parametrize("charset", list(CODECS))
def test_send_message_fields_arrive_byte_exact(sim, charset: str) -> None:
    env = Envelope(
        MessageType.VIBER, sender="Магазин", charset=charset, find_token=True, kannel_status=True
    )
    result = run(lambda c: c.send_message(env, FULL), sim.base_url)
    assert result.kind is ResultKind.SUCCESS, result
    item = message(sim, int(result.platform_id))
    assert item["sent_text_hex"] == TEXT.encode(CODECS[charset]).hex()
    expect_fields(item, env, FULL)


@pytest.mark.parametrize("charset", ["CP1251", "UTF-16BE", "UTF-8"])
def test_send_list_messages_fields_arrive_in_order(sim, charset: str) -> None:
    env = Envelope(MessageType.VIBER, sender="Shop", charset=charset)
    batch = [FULL] + [OutgoingMessage(f"7916000{n:04d}", f"Сообщение №{n}") for n in range(5)]
    results = run(lambda c: c.send_list_messages(env, batch), sim.base_url)
    assert [r.kind for r in results] == [ResultKind.SUCCESS] * 6
    ids = [int(r.platform_id) for r in results]
    assert ids == sorted(ids)
    items = {m["id"]: m for m in inspect(sim, after_id=ids[0] - 1)["messages"]}
    expect_fields(items[ids[0]], env, FULL)
    for n, ident in enumerate(ids[1:]):
        assert (items[ident]["sent_to"], items[ident]["text"]) == (
            f"7916000{n:04d}",
            f"Сообщение №{n}",
        )


def test_list_with_a_bad_message_answers_each_in_order(sim) -> None:
    env = Envelope(MessageType.SMS, sender="Shop")
    batch = [
        OutgoingMessage("79160000001", "a"),
        OutgoingMessage("7916abc", "b"),
        OutgoingMessage("79160000003", "c"),
    ]
    results = run(lambda c: c.send_list_messages(env, batch), sim.base_url)
    assert [r.kind for r in results] == [ResultKind.SUCCESS, ResultKind.ERROR, ResultKind.SUCCESS]
    assert "Неверный номер получателя" in results[1].message


class Tamper(httpx.AsyncBaseTransport):
    """Rewrites the request body on its way out: what a buggy caller or proxy would send,
    so that refusals the client itself prevents can still be seen coming back."""

    def __init__(self, old: bytes, new: bytes) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._old, self._new = old, new

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = (await request.aread()).replace(self._old, self._new)
        headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"content-length"]
        changed = httpx.Request(request.method, request.url, headers=headers, content=body)
        return await self._inner.handle_async_request(changed)

    async def aclose(self) -> None:
        await self._inner.aclose()


SMS = Envelope(MessageType.SMS, sender="Shop")
ONE = OutgoingMessage("79161234567", "Привет")

# (envelope, message, tamper (old, new) or None, token, expected words in msg)
REFUSALS = {
    "bad token": (SMS, ONE, None, "wrong-token", "токен"),
    "unknown type": (SMS, ONE, (b"type=sms", b"type=fax"), SECRET, "fax"),
    "phone with plus": (SMS, ONE, (b"sent_to=7", b"sent_to=%2B7"), SECRET, "без «+»"),
    "letters in phone": (SMS, OutgoingMessage("7916abc1234", "x"), None, SECRET, "Неверный номер"),
    "missing sent_to": (
        SMS,
        ONE,
        (b"sent_to=79161234567", b"sent_to="),
        SECRET,
        "Не указан получатель",
    ),
    "non-email for email": (
        Envelope(MessageType.EMAIL, sender="Shop"),
        OutgoingMessage("79161234567", "x"),
        None,
        SECRET,
        "электронной почты",
    ),
    "push list for bulk": (
        Envelope(MessageType.BULK, sender="101"),
        OutgoingMessage(["tokA", "tokB"], "x"),
        None,
        SECRET,
        "одним номером",
    ),
    "bulk sender not a number": (
        Envelope(MessageType.BULK, sender="Shop"),
        ONE,
        None,
        SECRET,
        "числовой код",
    ),
    "bulk scenario unknown": (
        Envelope(MessageType.BULK, sender=555),
        ONE,
        None,
        SECRET,
        "555 не найдена",
    ),
    "bad sent_date": (
        SMS,
        OutgoingMessage("79161234567", "x", send_at=datetime(2030, 1, 2)),
        (b"2030-01-02%2000%3A00", b"2030-01-02T00%3A00"),
        SECRET,
        "sent_date",
    ),
    "unknown charset": (
        SMS,
        ONE,
        (b"charset=UTF-8", b"charset=KOI8-R"),
        SECRET,
        "Неизвестная кодировка",
    ),
    "text not in its charset": (
        Envelope(MessageType.SMS, sender="S", charset="UTF-16BE"),
        OutgoingMessage("79161234567", "ab"),
        (b"%00a%00b", b"%00a%00"),
        SECRET,
        "не соответствует",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_every_refusal_comes_back_as_error(sim, case: str) -> None:
    env, msg, tamper, token, expected = REFUSALS[case]

    def options() -> dict[str, object]:
        return {"transport": Tamper(*tamper)} if tamper else {}

    before = len(inspect(sim)["messages"])
    result = run(lambda c: c.send_message(env, msg), sim.base_url, token=token, **options())
    assert result.kind is ResultKind.ERROR, result
    assert expected in result.message
    assert result.platform_id is None and not result.safe_to_retry
    assert len(inspect(sim)["messages"]) == before
    if tamper is None or tamper[0].startswith((b"type=", b"charset=")):
        # the same refusal through send-list-messages (the other tampers target
        # send-message's form fields, which a list carries inside its JSON)
        listed = run(
            lambda c: c.send_list_messages(env, [msg, msg]), sim.base_url, token=token, **options()
        )
        assert [r.kind for r in listed] == [ResultKind.ERROR, ResultKind.ERROR], listed
        assert expected in listed[0].message
        assert len(inspect(sim)["messages"]) == before


def test_validation_happens_before_any_request() -> None:
    port = closed_port()  # nothing listens: a request would come back NOT_SENT instead
    env = Envelope(MessageType.SMS, sender="S", charset="CP1251")
    with pytest.raises(ValidationError) as caught:
        run(
            lambda c: c.send_message(env, OutgoingMessage("7916", "Grüße")),
            f"http://127.0.0.1:{port}/api/v1/bulk/",
        )
    assert caught.value.characters == ("ü", "ß")
    assert SECRET not in str(caught.value)


def test_balance_runs_out_as_a_real_account_would() -> None:
    config = quick_config(
        tokens=frozenset({SECRET}), balance=2, outcome_weights={Outcome.DELIVERED: 1}
    )
    with running_simulator(config) as sim:
        batch = [OutgoingMessage(f"791600000{n:02d}", "x") for n in range(3)]
        results = run(lambda c: c.send_list_messages(SMS, batch), sim.base_url)
        assert [r.kind for r in results] == [ResultKind.SUCCESS] * 3
        finals = sorted(wait_for_final(sim, int(r.platform_id))["statuses"][-1] for r in results)
        assert finals == [1, 1, 24]
        refused = run(lambda c: c.send_message(SMS, ONE), sim.base_url)
        assert refused.kind is ResultKind.ERROR and "Недостаточно средств" in refused.message


def test_many_batches_each_message_sent_once() -> None:
    with running_simulator(quick_config(tokens=frozenset({SECRET}))) as sim:
        batches = [
            [OutgoingMessage(f"79{b:04d}{n:05d}", "Привет") for n in range(500)] for b in range(8)
        ]

        async def send_all(client: KuponClient) -> list[list[SendResult]]:
            return await asyncio.gather(*(client.send_list_messages(SMS, b) for b in batches))

        results = run(send_all, sim.base_url, max_connections=4)
        flat = [r for batch in results for r in batch]
        assert {r.kind for r in flat} == {ResultKind.SUCCESS}
        assert len({r.platform_id for r in flat}) == 4000
        counts = inspect(sim)["sends_per_recipient"]
        assert len(counts) == 4000 and set(counts.values()) == {1}


def test_token_never_shows(sim, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with CallbackListener(lambda n, hit: 200) as fake_platform:

        async def scenario(client: KuponClient) -> list[object]:
            seen: list[object] = [repr(client), str(client)]
            seen.append(await client.send_message(SMS, ONE))  # answer is not JSON: UNKNOWN
            seen.extend(await client.send_list_messages(SMS, [ONE]))
            return seen

        seen = run(scenario, fake_platform.url("/api/v1/bulk/"))
        hits = fake_platform.snapshot()
    for hit in hits:
        assert SECRET not in hit.path and SECRET not in str(hit.query)
        assert hit.headers["user-agent"] == USER_AGENT
        assert hit.headers["content-type"] == "application/x-www-form-urlencoded"
        assert SECRET.encode() in hit.body  # the POST body is the one place it goes
    assert [r.kind for r in seen[2:]] == [ResultKind.UNKNOWN] * 2
    failures = [
        run(lambda c: c.send_message(SMS, ONE), f"http://127.0.0.1:{closed_port()}/"),
        run(lambda c: c.send_message(SMS, ONE), sim.base_url, token=SECRET + "x"),
    ]
    text = " ".join(repr(x) for x in seen + failures) + caplog.text
    assert "KuponClient" in text and SECRET not in text
    assert "<secret>" not in text  # the token holder was never even printed
    client = KuponClient(sim.base_url, SECRET)
    assert SECRET not in repr(vars(client)) and SECRET not in repr(client._token)
    asyncio.run(client.aclose())


def test_platform_echoing_the_token_is_scrubbed() -> None:
    class Echo(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"type": "error", "msg": f"token {SECRET} bad"})

    result = run(lambda c: c.send_message(SMS, ONE), "http://127.0.0.1:9/", transport=Echo())
    assert result.kind is ResultKind.ERROR and result.message == "token <token> bad"


def test_a_closed_client_refuses_to_send(sim) -> None:
    async def scenario() -> None:
        client = KuponClient(sim.base_url, SECRET, trust_env=False)
        async with client:
            assert (await client.send_message(SMS, ONE)).accepted
        with pytest.raises(ClientClosed):
            await client.send_message(SMS, ONE)

    asyncio.run(scenario())

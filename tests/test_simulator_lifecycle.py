"""The simulator alone, over loopback with raw HTTP: refusals, lives, balance, inspection."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from kupon_desktop.simulator.config import FaultRates, Outcome, SimulatorConfig
from kupon_desktop.simulator.runner import SimulatorThread
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import (
    TOKEN,
    inspect,
    message,
    post,
    quick_config,
    running_simulator,
    wait_for_final,
    wait_until,
)

SMS = {
    "token": TOKEN,
    "type": "sms",
    "sender": "Shop",
    "sent_to": "79161234567",
    "sent_text": "Привет",
}


def only(outcome: Outcome, **overrides: object):
    return quick_config(outcome_weights={outcome: 1.0}, **overrides)


@pytest.fixture(scope="module")
def sim():
    with running_simulator(quick_config()) as running:
        yield running


# ------------------------------------------------------------------ refusals

REFUSALS = [
    ({"token": "wrong"}, "токен"),
    ({"token": ""}, "токен"),
    ({"type": "fax"}, "Неизвестный тип сообщения: fax"),
    ({"type": ""}, "Не указан тип"),
    ({"sent_to": ""}, "Не указан получатель"),
    ({"sent_to": "+79161234567"}, "без «+»"),
    ({"sent_to": "7916123abcd"}, "Неверный номер получателя: 7916123abcd"),
    ({"sent_to": "79161234567,12"}, "Неверный номер получателя: 12"),
    ({"type": "email", "sent_to": "79161234567"}, "Неверный адрес электронной почты"),
    ({"type": "bulk", "sender": "101", "sent_to": "tokA,tokB"}, "одним номером"),
    ({"type": "bulk", "sender": "101", "sent_to": "79161234567,79161234568"}, "одним номером"),
    ({"type": "bulk", "sender": "Shop"}, "числовой код"),
    ({"type": "bulk", "sender": "999"}, "с кодом 999 не найдена"),
    ({"sent_date": "2025-13-01 10:00"}, "sent_date"),
    ({"sent_date": "01.02.2025 10:00"}, "ГГГГ-ММ-ДД ЧЧ:ММ"),
    ({"charset": "KOI8-R"}, "Неизвестная кодировка (charset): KOI8-R"),
    ({"sent_text": b"\xff\xfe bad"}, "не соответствует указанной кодировке UTF-8"),
    ({"charset": "UTF-16BE", "sent_text": b"\x04\x1f\x04"}, "кодировке UTF-16BE"),
    ({"charset": "UCS-2BE", "sent_text": "😀".encode("utf-16-be")}, "кодировке UCS-2BE"),
    ({"ttl": "soon"}, "ttl"),
]


@pytest.mark.parametrize("changes,expected", REFUSALS)
def test_send_message_refusals(sim, changes: dict, expected: str) -> None:
    before = len(inspect(sim)["messages"])
    answer = post(sim, "send-message", **{**SMS, **changes})
    assert answer["type"] == "error"
    assert expected in answer["msg"]
    assert TOKEN not in answer["msg"]
    assert len(inspect(sim)["messages"]) == before  # nothing accepted


def test_get_and_case_of_charset(sim) -> None:
    answer = post(
        sim,
        "send-message",
        method="GET",
        **{**SMS, "charset": "cp1251", "sent_text": "Ёлка".encode("cp1251")},
    )
    assert answer["type"] == "success"
    assert message(sim, answer["id"])["text"] == "Ёлка"


def test_list_refuses_bad_items_alone_and_bad_lists_whole(sim) -> None:
    import json

    items = [
        {"sent_to": "79160000001", "sent_text": "a"},
        {"sent_to": "+79160000002"},
        "not an object",
        {"sent_to": "79160000003", "sent_date": "tomorrow"},
    ]
    answer = post(
        sim, "send-list-messages", token=TOKEN, type="sms", sender="S", messages=json.dumps(items)
    )
    assert answer["type"] == "success"
    kinds = [a["type"] for a in answer["messages"]]
    assert kinds == ["success", "error", "error", "error"]
    assert "без «+»" in answer["messages"][1]["msg"]
    assert "№3" in answer["messages"][2]["msg"]
    for bad in ("{not json", '{"sent_to": "1"}', "[]"):
        whole = post(sim, "send-list-messages", token=TOKEN, type="sms", sender="S", messages=bad)
        assert whole["type"] == "error", bad
    missing = post(sim, "send-list-messages", token=TOKEN, type="sms", sender="S")
    assert "messages" in missing["msg"]


# ------------------------------------------------------------------ lives


@pytest.mark.parametrize(
    "outcome,kind,expected",
    [
        (Outcome.DELIVERED, "viber", [-1, 0, 1]),
        (Outcome.READ, "viber", [-1, 0, 1, 2]),
        (Outcome.CLICKED, "viber", [-1, 0, 1, 2, 4]),
        (Outcome.CLICKED, "sms", [-1, 0, 1]),  # SMS cannot report read or clicked
        (Outcome.UNDELIVERED, "sms", [-1, 0, 20]),
        (Outcome.WRONG_RECIPIENT, "sms", [-1, 0, 22]),
        (Outcome.SPAM_FILTER, "sms", [-1, 0, 23]),
        (Outcome.EXPIRED, "sms", [-1, 0, 3]),
        (Outcome.OFFLINE, "sms", [-1, 0, 25]),
    ],
)
def test_each_outcome_plays_its_statuses(outcome: Outcome, kind: str, expected: list) -> None:
    with running_simulator(only(outcome)) as sim:
        ident = post(sim, "send-message", **{**SMS, "type": kind})["id"]
        assert wait_until(lambda: message(sim, ident)["statuses"] == expected), message(sim, ident)


def test_cascade_walks_the_scenario_until_a_channel_delivers() -> None:
    config = quick_config(
        scenarios={7: (MessageType.VIBER, MessageType.WHATSAPP, MessageType.SMS)},
        type_outcome_weights={
            MessageType.VIBER: {Outcome.OFFLINE: 1},
            MessageType.WHATSAPP: {Outcome.WRONG_RECIPIENT: 1},
            MessageType.SMS: {Outcome.DELIVERED: 1},
        },
    )
    with running_simulator(config) as sim:
        ident = post(sim, "send-message", **{**SMS, "type": "bulk", "sender": "7"})["id"]
        done = wait_for_final(sim, ident)
        assert done["statuses"] == [-1, 0, 1]
        assert done["channels"] == [
            {"type": "viber", "status": 25},
            {"type": "whatsapp", "status": 22},
            {"type": "sms", "status": 1},
        ]
        config.type_outcome_weights[MessageType.SMS] = {Outcome.UNDELIVERED: 1}
        # a fresh simulator reads the changed weights
    with running_simulator(config) as sim:
        ident = post(
            sim, "send-message", **{**SMS, "type": "bulk", "sender": "7", "sent_to": "a@b.ru"}
        )["id"]
        done = wait_for_final(sim, ident)
        assert done["statuses"] == [-1, 0, 20]  # the last channel's failure
        assert [c["type"] for c in done["channels"]] == ["viber", "whatsapp", "sms"]


def test_ttl_running_out_ends_at_expired() -> None:
    config = only(Outcome.DELIVERED, time_scale=600, queue_seconds=6, delivery_seconds=1200)
    with running_simulator(config) as sim:
        ident = post(sim, "send-message", **SMS, ttl="1")["id"]  # 0.1 s at this scale
        started = time.monotonic()
        assert wait_for_final(sim, ident)["statuses"] == [-1, 0, 3]
        assert time.monotonic() - started < 1.5  # long before the 2 s delivery


def test_deferred_send_waits_for_its_date() -> None:
    config = only(Outcome.DELIVERED, time_scale=120)
    platform_now = datetime.now(UTC) + timedelta(hours=3)
    when = (platform_now + timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M")
    wait = (
        datetime.strptime(when, "%Y-%m-%d %H:%M") - platform_now.replace(tzinfo=None)
    ).total_seconds() / 120
    with running_simulator(config) as sim:
        started = time.monotonic()
        ident = post(sim, "send-message", **SMS, sent_date=when)["id"]
        assert message(sim, ident)["statuses"] == [-1]
        assert wait_until(lambda: 0 in message(sim, ident)["statuses"], timeout=5)
        assert time.monotonic() - started >= wait - 0.1
        assert message(sim, ident)["sent_date"] == when


def test_balance_runs_out() -> None:
    import json

    with running_simulator(only(Outcome.DELIVERED, balance=3)) as sim:
        items = [{"sent_to": f"7916000000{n}", "sent_text": "x"} for n in range(4)]
        answer = post(
            sim,
            "send-list-messages",
            token=TOKEN,
            type="sms",
            sender="S",
            messages=json.dumps(items),
        )
        ids = [a["id"] for a in answer["messages"]]  # all accepted: the money was there
        finals = sorted(wait_for_final(sim, i)["statuses"][-1] for i in ids)
        assert finals == [1, 1, 1, 24]
        assert message(sim, ids[-1])["statuses"] == [-1, 24]  # charged in order of acceptance
        refused = post(sim, "send-message", **SMS)
        assert refused["type"] == "error" and "Недостаточно средств" in refused["msg"]
        assert inspect(sim)["charged"] == 3


def test_inspection_counts_every_accepted_send_per_recipient(sim) -> None:
    first = inspect(sim)
    last_id = first["messages"][-1]["id"] if first["messages"] else 0
    counts = first["sends_per_recipient"]
    post(sim, "send-message", **{**SMS, "sent_to": "79990000001,79990000002"})
    post(sim, "send-message", **{**SMS, "sent_to": "79990000001"})
    post(sim, "send-message", **{**SMS, "sent_to": "+79990000001"})  # refused: not counted
    after = inspect(sim, after_id=last_id)
    assert [m["sent_to"] for m in after["messages"]] == ["79990000001,79990000002", "79990000001"]
    per = after["sends_per_recipient"]
    assert per["79990000001"] - counts.get("79990000001", 0) == 2
    assert per["79990000002"] - counts.get("79990000002", 0) == 1
    keys = set(after["messages"][0])
    assert {"id", "type", "sender", "sent_to", "text", "statuses"} <= keys


def test_fault_rates_are_validated() -> None:
    with pytest.raises(ValueError, match="more than 1"):
        FaultRates(drop=0.6, http_500=0.6)
    with pytest.raises(ValueError, match="between 0 and 1"):
        FaultRates(slow=1.5)
    with pytest.raises(ValueError):
        SimulatorConfig(time_scale=0)
    with pytest.raises(ValueError, match="bulk"):
        SimulatorConfig(scenarios={1: (MessageType.BULK,)})


def test_thread_listens_on_loopback_only_and_reports_a_taken_port() -> None:
    with pytest.raises(ValueError, match="loopback"):
        SimulatorThread(host="0.0.0.0")
    with running_simulator() as sim:
        port = int(sim.root_url.rsplit(":", 1)[1])
        with pytest.raises(OSError):
            SimulatorThread(port=port).start()

"""Callbacks from the simulator to a real receiving socket: substitution, the documented
retry schedule (three tries, 1 and 10 minutes apart, scaled), Kannel codes."""

from __future__ import annotations

from kupon_desktop.simulator.config import Outcome
from tests.simhelpers import (
    TOKEN,
    CallbackListener,
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


def test_every_status_is_called_back_with_id_and_status_substituted() -> None:
    config = quick_config(outcome_weights={Outcome.CLICKED: 1})
    with CallbackListener() as listener, running_simulator(config) as sim:
        url = listener.url("/hook/{id}?status={status}&id={id}&keep=%7Bx%7D")
        ident = post(sim, "send-message", **{**SMS, "type": "viber", "callback": url})["id"]
        assert listener.wait_for(5, timeout=10)
        hits = listener.snapshot()
        assert {h.path for h in hits} == {f"/hook/{ident}"}
        assert all(h.query["id"] == str(ident) and h.query["keep"] == "{x}" for h in hits)
        assert sorted(int(h.query["status"]) for h in hits) == [-1, 0, 1, 2, 4]
        assert wait_until(lambda: message(sim, ident)["callback_tries"] == 5)


def test_retry_schedule_three_tries_then_silence() -> None:
    # time scale 300: the documented 60 s and 600 s become 0.2 s and 2 s
    config = quick_config(
        time_scale=300,
        outcome_weights={Outcome.DELIVERED: 1},
        callback_pending=False,
        queue_seconds=3,
        delivery_seconds=3,
    )
    with CallbackListener(lambda n, hit: 500) as listener, running_simulator(config) as sim:
        ident = post(sim, "send-message", **SMS, callback=listener.url())["id"]
        assert listener.wait_for(3, timeout=10)
        first, second, third = listener.snapshot()[:3]
        assert all(h.query == {"id": str(ident), "status": "1"} for h in (first, second, third))
        assert 0.2 * 0.9 <= second.at - first.at < 0.2 + 1.0
        assert 2.0 * 0.95 <= third.at - second.at < 2.0 + 1.0
        # a fourth try would come 0.2 s or 2 s later if the schedule repeated
        assert not listener.wait_for(4, timeout=2.5)
        assert message(sim, ident)["callback_tries"] == 3


def test_only_http_200_counts_as_delivered() -> None:
    config = quick_config(
        time_scale=600,
        outcome_weights={Outcome.DELIVERED: 1},
        callback_pending=False,
        queue_seconds=6,
        delivery_seconds=6,
    )
    answers = {1: 204, 2: 200}  # 204 is a 2xx, but the vendor documents 200
    with (
        CallbackListener(lambda n, hit: answers.get(n, 500)) as listener,
        running_simulator(config) as sim,
    ):
        ident = post(sim, "send-message", **SMS, callback=listener.url())["id"]
        assert listener.wait_for(2, timeout=10)
        hits = listener.snapshot()
        assert 0.1 * 0.9 <= hits[1].at - hits[0].at < 1.0  # the 1-minute retry, scaled
        assert not listener.wait_for(3, timeout=1.5)  # the 10-minute one (1 s) never comes
        assert message(sim, ident)["callback_tries"] == 2


def test_kannel_mode_sends_kannel_codes() -> None:
    config = quick_config(outcome_weights={Outcome.READ: 1})
    with CallbackListener() as listener, running_simulator(config) as sim:
        viber = {**SMS, "type": "viber"}
        kannel = post(
            sim,
            "send-message",
            **viber,
            kannel_status="1",
            callback=listener.url("/k?id={id}&s={status}"),
        )["id"]
        plain = post(sim, "send-message", **viber, callback=listener.url("/p?id={id}&s={status}"))[
            "id"
        ]
        assert wait_until(lambda: len(message(sim, plain)["statuses"]) == 4)
        assert wait_until(lambda: len(message(sim, kannel)["statuses"]) == 4)
        assert listener.wait_for(2 + 4, timeout=10)
        hits = listener.snapshot()
        by_path: dict[str, list[int]] = {}
        for h in hits:
            by_path.setdefault(h.path, []).append(int(h.query["s"]))
        # -1 and 2 have no Kannel code; 0 -> 8 (delivered to SMSC), 1 -> 1 (to phone)
        assert sorted(by_path["/k"]) == [1, 8]
        assert sorted(by_path["/p"]) == [-1, 0, 1, 2]
        assert message(sim, kannel)["statuses"] == [-1, 0, 1, 2]  # inspection: platform codes


def test_kannel_failure_codes() -> None:
    config = quick_config(outcome_weights={Outcome.WRONG_RECIPIENT: 1}, callback_pending=False)
    with CallbackListener() as listener, running_simulator(config) as sim:
        post(sim, "send-message", **SMS, kannel_status="1", callback=listener.url())
        assert listener.wait_for(1, timeout=10)
        assert listener.snapshot()[0].query["status"] == "16"  # non-delivered to SMSC


def test_non_loopback_callbacks_are_not_called() -> None:
    with running_simulator(quick_config(outcome_weights={Outcome.DELIVERED: 1})) as sim:
        ident = post(sim, "send-message", **SMS, callback="http://receiver.invalid/cb?id={id}")[
            "id"
        ]
        wait_for_final(sim, ident)
        assert message(sim, ident)["callback_tries"] == 0

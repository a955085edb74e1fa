"""Not sent versus unknown: each injected fault, over real loopback sockets, comes back
as the kind that tells whether a retry could send the message twice."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable

import httpx
import pytest

from kupon_desktop.api.client import KuponClient
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import ResultKind
from kupon_desktop.simulator.config import FaultRates
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import TOKEN, closed_port, inspect, quick_config, running_simulator

SMS = Envelope(MessageType.SMS, sender="Shop")
ONE = OutgoingMessage("79161234567", "Привет")
TWO = [OutgoingMessage("79161234568", "a"), OutgoingMessage("79161234569", "b")]


def run(coro_fn: Callable[[KuponClient], object], base_url: str, **options: object):
    async def main():
        async with KuponClient(base_url, TOKEN, trust_env=False, **options) as client:
            return await coro_fn(client)

    return asyncio.run(main())


def faulty(**faults: object):
    return running_simulator(quick_config(faults=FaultRates(**faults)))


# fault -> (result kind, whether the simulator accepted the message anyway)
FAULTS = {
    "http_500": (ResultKind.UNKNOWN, False),
    "http_502": (ResultKind.UNKNOWN, False),
    "http_503": (ResultKind.UNKNOWN, False),
    "http_429": (ResultKind.NOT_SENT, False),
    "drop": (ResultKind.UNKNOWN, True),  # connection reset after the request was read
    "malformed_json": (ResultKind.UNKNOWN, True),
    "error": (ResultKind.ERROR, False),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_gives_its_kind(fault: str) -> None:
    kind, accepted = FAULTS[fault]
    with faulty(**{fault: 1.0}) as sim:
        one = run(lambda c: c.send_message(SMS, ONE), sim.base_url, honour_retry_after=False)
        two = run(lambda c: c.send_list_messages(SMS, TWO), sim.base_url, honour_retry_after=False)
        assert one.kind is kind, one
        assert [r.kind for r in two] == [kind, kind], two
        assert one.platform_id is None and one.safe_to_retry == (kind is ResultKind.NOT_SENT)
        assert len(inspect(sim)["messages"]) == (3 if accepted else 0)
    if fault in ("http_429", "http_503"):
        assert one.retry_after == 1.0 and one.http_status == int(fault[-3:])


def test_5xx_after_accepting_is_still_unknown() -> None:
    with faulty(http_502=1.0, accept_before_5xx=True) as sim:
        result = run(lambda c: c.send_message(SMS, ONE), sim.base_url)
        assert result.kind is ResultKind.UNKNOWN and result.http_status == 502
        assert inspect(sim)["sends_per_recipient"] == {"79161234567": 1}


def test_read_timeout_is_unknown_and_the_message_was_accepted() -> None:
    with faulty(slow=1.0, slow_seconds=1.5) as sim:
        result = run(lambda c: c.send_message(SMS, ONE), sim.base_url, read_timeout=0.3)
        assert result.kind is ResultKind.UNKNOWN
        assert "ReadTimeout" in result.message
        assert inspect(sim)["sends_per_recipient"] == {"79161234567": 1}


def test_connection_refused_is_not_sent() -> None:
    base = f"http://127.0.0.1:{closed_port()}/api/v1/bulk/"
    one = run(lambda c: c.send_message(SMS, ONE), base)
    two = run(lambda c: c.send_list_messages(SMS, TWO), base)
    assert one.kind is ResultKind.NOT_SENT and one.safe_to_retry
    assert "ConnectError" in one.message and one.http_status is None
    assert [r.kind for r in two] == [ResultKind.NOT_SENT] * 2


def test_tls_failure_is_not_sent() -> None:
    with faulty() as sim:
        https = sim.base_url.replace("http://", "https://")  # the simulator speaks plain HTTP
        result = run(lambda c: c.send_message(SMS, ONE), https)
        assert result.kind is ResultKind.NOT_SENT
        assert inspect(sim)["messages"] == []


class Unresolvable(httpx.AsyncBaseTransport):
    """What httpcore raises when a name does not resolve; no lookup leaves the machine."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise self.exc


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("[Errno -2] Name or service not known"),
        socket.gaierror(-2, "Name or service not known"),  # a transport that does not map it
    ],
)
def test_dns_failure_is_not_sent(exc: Exception) -> None:
    result = run(
        lambda c: c.send_message(SMS, ONE),
        "https://kupon.invalid/api/v1/bulk/",
        transport=Unresolvable(exc),
    )
    assert result.kind is ResultKind.NOT_SENT


def test_pool_timeout_is_not_sent() -> None:
    with faulty(slow=1.0, slow_seconds=1.0) as sim:

        async def both(client: KuponClient):
            first = asyncio.create_task(client.send_message(SMS, ONE))
            await asyncio.sleep(0)  # let the first take the only connection
            second = await client.send_message(SMS, OutgoingMessage("79160000000", "x"))
            return await first, second

        first, second = run(both, sim.base_url, max_connections=1, pool_timeout=0.2)
        assert first.kind is ResultKind.SUCCESS
        assert second.kind is ResultKind.NOT_SENT and "PoolTimeout" in second.message
        assert inspect(sim)["sends_per_recipient"] == {"79161234567": 1}


@pytest.mark.parametrize("honour", [True, False])
def test_retry_after_holds_the_next_request(honour: bool) -> None:
    with faulty(http_429=1.0, retry_after_seconds=1) as sim:

        async def twice(client: KuponClient):
            first = await client.send_message(SMS, ONE)
            started = time.monotonic()
            await client.send_message(SMS, ONE)
            return first, time.monotonic() - started

        first, waited = run(twice, sim.base_url, honour_retry_after=honour)
        assert first.kind is ResultKind.NOT_SENT and first.retry_after == 1.0
        if honour:
            assert waited >= 0.9
        else:
            assert waited < 0.9


def test_mixed_faults_never_hide_a_send() -> None:
    """Under every fault at once, SUCCESS means sent once, NOT_SENT and ERROR mean not
    sent, and only UNKNOWN leaves the question open."""
    faults = {
        "drop": 0.15,
        "malformed_json": 0.1,
        "http_503": 0.1,
        "http_429": 0.1,
        "error": 0.1,
        "http_500": 0.05,
    }
    with running_simulator(quick_config(seed=11, faults=FaultRates(**faults))) as sim:
        messages = [OutgoingMessage(f"7916{n:07d}", "x") for n in range(300)]

        async def send_all(client: KuponClient):
            return await asyncio.gather(*(client.send_message(SMS, m) for m in messages))

        results = run(send_all, sim.base_url, honour_retry_after=False, max_connections=8)
        counts = inspect(sim)["sends_per_recipient"]
    kinds = {r.kind for r in results}
    assert kinds == set(ResultKind)
    for msg, result in zip(messages, results, strict=True):
        sent = counts.get(str(msg.address), 0)
        if result.kind is ResultKind.SUCCESS:
            assert sent == 1
        elif result.kind in (ResultKind.NOT_SENT, ResultKind.ERROR):
            assert sent == 0, result
        else:
            assert sent in (0, 1)

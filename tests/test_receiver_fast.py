"""The platform's callbacks answered below aiohttp (``receiver/fast.py``), over real
loopback sockets into a real log file: what is stored and answered is what aiohttp's
route stores and answers; requests on one connection are answered in their order, also
when one of them goes to aiohttp; a request trickling in, a client that half-closes,
a connection left idle."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from kupon_desktop.receiver import server as receiver_server
from kupon_desktop.receiver.runner import ReceiverThread
from kupon_desktop.store import NewRecipient, open_log

SECRET = "fast-secret-0123456789"


@pytest.fixture
def campaign_db(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "log.sqlite3"
    with open_log(db) as log:
        cid = log.create_campaign({}, "sms", [NewRecipient("79001234567", "a")] * 3)
    return db, cid


def _connect(receiver: ReceiverThread) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", receiver.port), timeout=20)
    return sock


def _answers(sock: socket.socket, count: int) -> list[tuple[bytes, bytes]]:
    """``count`` responses read off the socket: (status line, body) each."""
    data = b""
    out: list[tuple[bytes, bytes]] = []
    while len(out) < count:
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            head = data[:end].split(b"\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head
                if line.lower().startswith(b"content-length:")
            )
            if len(data) >= end + 4 + length:
                out.append((head[0], data[end + 4 : end + 4 + length]))
                data = data[end + 4 + length :]
                continue
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed after {len(out)} answer(s)"
        data += chunk
    return out


def _get(target: str, *headers: str) -> bytes:
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode()


def _stored(db: Path) -> list[tuple[object, ...]]:
    with open_log(db, readonly=True) as log:
        return [
            (e.campaign, e.recipient, e.platform_id, e.code, e.raw) for e in log.events_after(0)
        ]


REQUESTS = [
    "/{cid}/1?id=11&status=1",
    "/{cid}/2?id=12&status=2&load=1",
    "?id=13&status=20",
    "/{cid}/0?status=-1&id=10",
]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "aiohttp"])
def test_the_fast_path_stores_and_answers_what_the_route_does(
    campaign_db: tuple[Path, str], fast: bool
) -> None:
    db, cid = campaign_db
    with ReceiverThread(db, secret=SECRET, fast=fast) as receiver, _connect(receiver) as sock:
        for target in REQUESTS:
            sock.sendall(_get(f"/callback/{SECRET}" + target.format(cid=cid)))
            assert _answers(sock, 1) == [(b"HTTP/1.1 200 OK", b"OK\n")]
        gate = receiver.receiver.gate
        assert gate is not None
        assert (gate.fast.answered if gate.fast else 0) == (len(REQUESTS) if fast else 0)
    assert _stored(db) == [
        (cid, 1, 11, 1, f"GET /callback/***/{cid}/1?id=11&status=1"),
        (cid, 2, 12, 2, f"GET /callback/***/{cid}/2?id=12&status=2&load=1"),
        (None, None, 13, 20, "GET /callback/***?id=13&status=20"),
        (cid, 0, 10, -1, f"GET /callback/***/{cid}/0?status=-1&id=10"),
    ]


def test_pipelined_requests_are_answered_in_order_when_one_goes_to_aiohttp(
    campaign_db: tuple[Path, str],
) -> None:
    db, cid = campaign_db
    base = f"/callback/{SECRET}/{cid}"
    with ReceiverThread(db, secret=SECRET) as receiver, _connect(receiver) as sock:
        sock.sendall(
            _get(f"{base}/1?id=21&status=1")
            + _get(f"{base}/2?id=22&status=1")
            + _get(f"/callback/wrong-secret-000000/{cid}/3?id=23&status=1")
            + _get(f"{base}/2?id=24&status=2")  # after aiohttp took over: still answered
        )
        answers = _answers(sock, 4)
    assert [status for status, _ in answers] == [
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 403 Forbidden",
        b"HTTP/1.1 200 OK",
    ]
    assert [row[2] for row in _stored(db)] == [21, 22, 24]


@pytest.mark.parametrize(
    "query",
    ["?id=1&id=2&status=1", "?id=x&status=1", "/not-a-uuid/1?id=1&status=1", "/{cid}/1?id=1"],
)
def test_a_bad_callback_gets_the_routes_own_answer_and_nothing_is_stored(
    campaign_db: tuple[Path, str], query: str
) -> None:
    db, cid = campaign_db
    answers = []
    for fast in (True, False):
        with ReceiverThread(db, secret=SECRET, fast=fast) as receiver, _connect(receiver) as sock:
            sock.sendall(_get(f"/callback/{SECRET}" + query.format(cid=cid)))
            answers.append(_answers(sock, 1))
    assert answers[0] == answers[1]
    assert answers[0][0][0] == b"HTTP/1.1 400 Bad Request"
    assert _stored(db) == []


def test_an_escaped_callback_is_decoded_as_the_route_does(campaign_db: tuple[Path, str]) -> None:
    db, cid = campaign_db
    with ReceiverThread(db, secret=SECRET) as receiver, _connect(receiver) as sock:
        sock.sendall(_get(f"/callback/{SECRET}/{cid}/1?id=%361&status=1"))
        assert _answers(sock, 1) == [(b"HTTP/1.1 200 OK", b"OK\n")]
    assert [row[2] for row in _stored(db)] == [61]


def test_a_request_trickling_in_byte_by_byte_is_answered(campaign_db: tuple[Path, str]) -> None:
    db, cid = campaign_db
    with ReceiverThread(db, secret=SECRET) as receiver, _connect(receiver) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in _get(f"/callback/{SECRET}/{cid}/1?id=31&status=1"):
            sock.sendall(bytes([byte]))
        assert _answers(sock, 1) == [(b"HTTP/1.1 200 OK", b"OK\n")]
    assert [row[2] for row in _stored(db)] == [31]


def test_a_client_that_half_closes_after_its_request_gets_the_answer(
    campaign_db: tuple[Path, str],
) -> None:
    db, cid = campaign_db
    with ReceiverThread(db, secret=SECRET) as receiver, _connect(receiver) as sock:
        sock.sendall(_get(f"/callback/{SECRET}/{cid}/1?id=41&status=1"))
        sock.shutdown(socket.SHUT_WR)
        assert _answers(sock, 1) == [(b"HTTP/1.1 200 OK", b"OK\n")]
        assert sock.recv(100) == b""  # then the receiver closes too
    assert [row[2] for row in _stored(db)] == [41]


def test_an_idle_kept_alive_connection_is_closed(
    campaign_db: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, cid = campaign_db
    monkeypatch.setattr(receiver_server, "KEEPALIVE_TIMEOUT", 0.5)
    with ReceiverThread(db, secret=SECRET) as receiver, _connect(receiver) as sock:
        sock.sendall(_get(f"/callback/{SECRET}/{cid}/1?id=51&status=1"))
        assert _answers(sock, 1) == [(b"HTTP/1.1 200 OK", b"OK\n")]
        answered = time.monotonic()
        assert sock.recv(100) == b""  # closed by the receiver (the timeout is 20 s)
        assert time.monotonic() - answered >= 0.4


def test_a_thousand_pipelined_callbacks_are_all_answered_in_order(
    campaign_db: tuple[Path, str],
) -> None:
    """More than the lane buffers while one waits for its commit: it stops reading,
    then goes on, and every callback is answered and stored once."""
    db, cid = campaign_db
    with ReceiverThread(db, secret=SECRET) as receiver, _connect(receiver) as sock:
        sock.sendall(
            b"".join(
                _get(f"/callback/{SECRET}/{cid}/{i % 3}?id={1000 + i}&status=1&pad={'x' * 200}")
                for i in range(1000)
            )
        )
        answers = _answers(sock, 1000)
    assert set(answers) == {(b"HTTP/1.1 200 OK", b"OK\n")}
    assert [row[2] for row in _stored(db)] == list(range(1000, 2000))


def test_a_connection_kept_busy_stays_open_past_the_keepalive_timeout(
    campaign_db: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The platform's connections carry callback after callback: the idle timeout counts
    from the last answer, not from when the connection was opened."""
    db, cid = campaign_db
    monkeypatch.setattr(receiver_server, "KEEPALIVE_TIMEOUT", 0.6)
    with ReceiverThread(db, secret=SECRET) as receiver, _connect(receiver) as sock:
        started = time.monotonic()
        sent = 0
        while time.monotonic() - started < 2.0:  # three timeouts' worth
            sock.sendall(_get(f"/callback/{SECRET}/{cid}/1?id={700 + sent}&status=1"))
            assert _answers(sock, 1) == [(b"HTTP/1.1 200 OK", b"OK\n")]
            sent += 1
            time.sleep(0.2)  # the client's pace, well inside the timeout
    assert [row[2] for row in _stored(db)] == list(range(700, 700 + sent))

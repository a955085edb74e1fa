"""``kupon-desktop simulator`` as a user runs it: a real process, its printed URL, Ctrl+C."""

from __future__ import annotations

import argparse
import queue
import re
import signal
import subprocess
import sys
import threading

import httpx
import pytest

from kupon_desktop.simulator import command
from kupon_desktop.simulator.config import DEMO_TOKEN, Outcome
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import CallbackListener


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return parser.parse_args(argv)


def test_arguments_become_a_config() -> None:
    config = command.config_from_args(
        parse(
            "--token",
            "a",
            "--token",
            "b",
            "--time-scale",
            "60",
            "--balance",
            "10",
            "--scenario",
            "7=viber, sms",
            "--outcome",
            "read=5",
            "--fault-rate",
            "503=0.1",
            "--fault-rate",
            "drop=0.2",
            "--seed",
            "3",
        )
    )
    assert config.tokens == {"a", "b"}
    assert config.time_scale == 60 and config.balance == 10 and config.seed == 3
    assert config.scenarios == {7: (MessageType.VIBER, MessageType.SMS)}
    assert config.outcome_weights[Outcome.READ] == 5
    assert (config.faults.http_503, config.faults.drop) == (0.1, 0.2)
    default = command.config_from_args(parse())
    assert default.tokens == {DEMO_TOKEN} and default.balance is None
    assert default.faults.active() == []


@pytest.mark.parametrize(
    "argv,words",
    [
        (["--scenario", "x=viber"], "not a number"),
        (["--scenario", "7=fax"], "unknown channel"),
        (["--fault-rate", "teapot=0.1"], "unknown kind"),
        (["--fault-rate", "500=2"], "between 0 and 1"),
        (["--outcome", "lost=1"], "unknown outcome"),
        (["--outcome", "read"], "NAME=VALUE"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(argv: list[str], words: str, capsys) -> None:
    assert command.run(parse(*argv)) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl+C is a signal here")
def test_runs_prints_its_url_and_stops_on_ctrl_c() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kupon_desktop",
            "simulator",
            "--port",
            "0",
            "--token",
            "t1",
            "--time-scale",
            "600",
            "--seed",
            "1",
            "--scenario",
            "7=viber,sms",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    try:
        first = lines.get(timeout=30)
        assert first is not None, proc.stderr.read() if proc.stderr else ""
        match = re.search(r"(http://127\.0\.0\.1:\d+/api/v1/bulk/)", first)
        assert match, first
        base = match.group(1)
        with CallbackListener() as listener, httpx.Client(trust_env=False) as http:
            answer = http.post(
                base + "send-message",
                data={
                    "token": "t1",
                    "type": "bulk",
                    "sender": "7",
                    "sent_to": "79161234567",
                    "sent_text": "Привет",
                    "callback": listener.url(),
                },
            ).json()
            assert answer["type"] == "success"
            assert listener.wait_for(1, timeout=10)
            assert listener.snapshot()[0].query["id"] == str(answer["id"])
            refused = http.post(base + "send-message", data={"token": DEMO_TOKEN}).json()
            assert refused["type"] == "error"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()

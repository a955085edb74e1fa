"""The status receiver killed (SIGKILL) and restarted on the same port while a campaign is
being sent and its statuses come back: the callbacks that fail meanwhile are tried again
by the platform (after 1 and after 10 minutes, as documented; scaled down by the
simulator's ``time_scale`` so that they come within seconds) and reach the restarted
receiver. None is lost: at the end, every status the simulator reported for every
message it accepted is the recipient's status in the log.

The receiver runs as its own process (``python -m kupon_desktop receiver``), as the window
starts it. Each outage lasts longer than the first retry's delay, so that some callbacks
fail twice and arrive only on the third try; two outages are kept further apart than a
callback's whole retry schedule (the platform gives a status up after its third failed
try, which no receiver can prevent). The default run kills it once; ``pytest -m soak``
ten times over a longer campaign.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kupon_desktop.store.log import Log, open_log
from kupon_desktop.vocabulary import status_info
from tests.simhelpers import closed_port, inspect, quick_config, running_simulator, wait_until
from tests.test_reliability_helpers import (
    assert_sent_once,
    assert_settled,
    integrity,
    make_campaign,
    run_engine,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

SECRET = "restart-secret-0123456789"
FEED_KEY = "restart-feed-key-0123456789"
#: platform seconds per real second: the retries after 1 and 10 minutes come after 0.5 s
#: and 5 s
TIME_SCALE = 120.0


class ReceiverProcess:
    """``kupon-desktop receiver`` as its own process, killed and started again at will."""

    def __init__(self, db: Path, port: int, errors: Path) -> None:
        self.db, self.port, self.errors = db, port, errors
        self.proc: subprocess.Popen[str] | None = None
        self.starts = 0
        self._watchdog: threading.Timer | None = None

    def start(self) -> None:
        with open(self.errors, "a", encoding="utf-8") as err:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kupon_desktop",
                    "receiver",
                    "--port",
                    str(self.port),
                    "--db",
                    str(self.db),
                    "--secret",
                    SECRET,
                    "--feed-key",
                    FEED_KEY,
                ],
                stdout=subprocess.PIPE,
                stderr=err,
                stdin=subprocess.DEVNULL,
                text=True,
            )
        self._watchdog = threading.Timer(600, proc.kill)  # never hang the suite
        self._watchdog.start()
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()  # printed once it listens
        assert line == f"http://127.0.0.1:{self.port}/callback/{SECRET}", (
            line,
            self.errors.read_text(encoding="utf-8"),
        )
        self.proc = proc
        self.starts += 1

    def kill(self) -> None:
        assert self.proc is not None and self.proc.poll() is None, "the receiver died"
        self.proc.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self._reap()

    def _reap(self) -> None:
        if self.proc is not None:
            self.proc.communicate(timeout=30)
            self.proc = None
        if self._watchdog is not None:
            self._watchdog.cancel()


def _converged(log: Log, sim) -> tuple[bool, dict[str, Any]]:
    """Whether every status the platform reported is in the log (the highest ranked, as
    the log keeps it) for the recipient the message went to."""
    seen = inspect(sim)
    log.apply_status_events()
    events = {
        (e.campaign, e.recipient, e.platform_id, e.code) for e in log.events_after(0, 10_000_000)
    }
    for m in seen["messages"]:
        campaign, key = m["callback"].split("?")[0].rsplit("/", 2)[1:]
        best = max(m["statuses"], key=lambda code: status_info(code).rank)
        if (campaign, int(key), m["id"], best) not in events:
            return False, seen
    return True, seen


def _restart_scenario(
    tmp_path: Path,
    *,
    n: int,
    rate: float,
    kills: int,
    seed: int,
    outage: tuple[float, float],
    apart: tuple[float, float],
) -> dict:
    rng = random.Random(seed)
    db = tmp_path / "log.sqlite3"
    config = quick_config(
        seed=seed, time_scale=TIME_SCALE, jitter=0.5, queue_seconds=30, delivery_seconds=60
    )
    receiver = ReceiverProcess(db, closed_port(), tmp_path / "receiver.err")
    with open_log(db) as log:
        cid = make_campaign(log, n)
        receiver.start()
        try:
            with running_simulator(config) as sim, ThreadPoolExecutor(1) as pool:
                sending = pool.submit(
                    run_engine,
                    log,
                    sim.base_url,
                    cid,
                    batch_size=10,
                    concurrency=2,
                    rate=rate,
                    callback_base=f"http://127.0.0.1:{receiver.port}/callback/{SECRET}",
                )
                downtime = 0.0
                for kill in range(kills):
                    # strike while statuses are coming back
                    assert wait_until(lambda k=kill: log.event_cursor() >= 200 * (k + 1), 60)
                    receiver.kill()
                    down = rng.uniform(*outage)
                    # the outage itself: how long the receiver stays away (longer than
                    # the first retry's delay, shorter than the whole schedule)
                    time.sleep(down)
                    receiver.start()
                    downtime += down
                    if kill + 1 < kills:
                        time.sleep(rng.uniform(*apart))  # time between two outages
                _engine, progress = sending.result(timeout=600)
                assert not isinstance(progress, Exception), progress
                assert progress.state == "finished"
                holder: dict[str, Any] = {}

                def done() -> bool:
                    ok, holder["seen"] = _converged(log, sim)
                    return ok

                # the last retries come 11 platform minutes after a status first failed
                limit = config.scaled(60 + 600) + 30
                assert wait_until(done, limit, interval=0.5), "statuses were lost"
                seen = holder["seen"]
        finally:
            receiver.stop()
        assert_sent_once(seen)
        states = assert_settled(log, cid, n)
        assert states["accepted"] == n  # no faults injected here: every one accepted
        assert integrity(db) == "ok"
        statuses = sum(len(m["statuses"]) for m in seen["messages"])
        tries = sum(m["callback_tries"] for m in seen["messages"])
        stored = log.event_cursor()
    # every status was called back until it got its 200; the tries beyond one per status
    # are the ones that met a dead receiver (none was given up: all are in the log)
    failed = tries - statuses
    assert failed > 0, "no callback met the dead receiver: the kill tested nothing"
    return {
        "recipients": n,
        "kills survived": kills,
        "receiver starts": receiver.starts,
        "outage s": round(downtime, 1),
        "statuses called back": statuses,
        "failed tries retried by the platform": failed,
        "events stored": stored,
        "lost": 0,
        "duplicates": 0,
    }


def test_receiver_killed_and_restarted_loses_no_status(tmp_path: Path) -> None:
    figures = _restart_scenario(
        tmp_path, n=1500, rate=400, kills=1, seed=51, outage=(1.0, 1.2), apart=(0, 0)
    )
    print(f"\nreceiver restart: {figures}")


@pytest.mark.soak
def test_receiver_killed_ten_times_loses_no_status(tmp_path: Path) -> None:
    figures = _restart_scenario(
        tmp_path, n=10_000, rate=100, kills=10, seed=52, outage=(0.8, 2.0), apart=(7.0, 8.5)
    )
    print(f"\nreceiver restart soak: {figures}")

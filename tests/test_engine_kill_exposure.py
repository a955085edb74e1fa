"""What one SIGKILL costs when every request is slow, sending one ``send-message`` per
recipient: the recipients claimed (``in_flight``) that never reached the platform are at
most about one per sender, not the pipeline's whole look-ahead; and on resume, those
that did reach it are settled by their status callbacks, not left unconfirmed.

The real ``kupon-desktop send`` in a child process, the simulator and a receiver on
loopback, one SQLite log file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kupon_desktop.receiver.runner import ReceiverThread
from kupon_desktop.simulator.config import FaultRates
from kupon_desktop.store.log import Log
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator, wait_until

N = 150
#: the engine's default senders (``EngineOptions.concurrency``) for the command line
SENDERS = 4


def _send(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kupon_desktop", "send", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _count(db: Path, cid: str, state: str) -> int:
    log = Log(db)
    try:
        return int(log.counts(cid).as_dict()[state])
    finally:
        log.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_kill_strands_only_what_is_on_the_wire_and_callbacks_settle_the_rest(tmp_path):
    csv = tmp_path / "list.csv"
    csv.write_text(
        "Имя;Телефон\n" + "".join(f"Клиент {i};+7 916 {i:07d}\n" for i in range(N)),
        encoding="utf-8",
    )
    db = tmp_path / "log.sqlite3"
    env = dict(os.environ, KUPON_TOKEN=TOKEN, KUPON_DESKTOP_HOME=str(tmp_path / "home"))
    # every request is taken by the platform at once and answered 0.2 s later
    slow = quick_config(faults=FaultRates(slow=1.0, slow_seconds=0.2))
    with ReceiverThread(db, port=0) as receiver, running_simulator(slow) as sim:
        common = [
            *("--api-url", sim.base_url, "--token-env", "KUPON_TOKEN", "--db", str(db)),
            *("--batch-size", "1", "--callback-url", receiver.callback_base),
        ]
        first = _send(
            [
                *("--contacts", str(csv), "--type", "sms", "--sender", "Shop"),
                *("--text", "Здравствуйте, {Имя}!", *common),
            ],
            env,
        )
        assert first.stdout is not None
        cid = first.stdout.readline().strip()
        assert cid, first.communicate(timeout=30)[1]
        # a few rounds of requests in: the pipeline is in its steady state
        assert wait_until(lambda: _count(db, cid, "accepted") >= 3 * SENDERS, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)

        log = Log(db)
        try:
            keys = {r.address: r.key for r in log.iter_recipients(cid, states=["in_flight"])}
            claimed = set(keys)
            reached_at_kill = set(inspect(sim)["sends_per_recipient"])
            never_left = claimed - reached_at_kill
            # at most one waiting per sender (claimed the moment a sender was free) and
            # one in each sender's hands; the old look-ahead stranded up to 64 here
            assert len(never_left) <= 2 * SENDERS, (len(never_left), len(claimed))

            # the callbacks of those the kill caught on the wire are in the log (not
            # applied: the resumed run does that) before the resume
            caught = {keys[a] for a in claimed & reached_at_kill}

            def called_back() -> bool:
                events = log.events_after(0, limit=100_000)
                return caught <= {e.recipient for e in events if e.campaign == cid}

            assert wait_until(called_back, timeout=30)
        finally:
            log.close()
        resumed = _send(["--resume", cid, *common], env)
        _out, err = resumed.communicate(timeout=120)
        assert resumed.returncode == 0, err
        sends = inspect(sim)["sends_per_recipient"]

    assert max(sends.values()) == 1, "a recipient received two messages"
    log = Log(db)
    try:
        log.apply_status_events()
        states = log.counts(cid).as_dict()
        unconfirmed = {r.address for r in log.iter_recipients(cid, states=["unconfirmed"])}
        accepted = {r.address for r in log.iter_recipients(cid, states=["accepted"])}
    finally:
        log.close()
    assert states["queued"] == states["in_flight"] == 0
    # the ones the kill caught on the wire reached the platform: their callbacks made
    # them accepted; only those that never left stay unconfirmed (never sent twice)
    assert unconfirmed == never_left
    assert accepted == set(sends)
    print(
        f"\none kill, {SENDERS} senders, requests of 0.2 s: claimed at the kill "
        f"{len(claimed)}, never reached the platform {len(never_left)}, settled by "
        f"callback {len(claimed & reached_at_kill)}; final {states}"
    )


def test_a_resumed_run_takes_the_callbacks_before_calling_anyone_unconfirmed(tmp_path):
    """Recipients a stopped run left in flight: those whose status arrived meanwhile are
    accepted (with the platform's id), with no 'unconfirmed' in their history; the one
    with none is unconfirmed; neither is sent again; the queued ones are sent."""
    from kupon_desktop.campaign.engine import LEFTOVER_ERROR
    from kupon_desktop.store.models import NewStatusEvent
    from tests.test_campaign_engine import _campaign, _run

    log = Log(tmp_path / "log.sqlite3")
    try:
        cid = _campaign(log, 5)
        assert log.mark_in_flight(cid, [0, 1, 2]) == [0, 1, 2]  # the run that stopped
        log.append_status_events(
            [NewStatusEvent(900_001, 1, cid, 0), NewStatusEvent(900_002, 0, cid, 1)]
        )
        with running_simulator(quick_config()) as sim:
            _engine, progress = _run(log, sim, cid, batch_size=1, concurrency=2)
            sends = inspect(sim)["sends_per_recipient"]
        by_key = {r.key: r for r in log.iter_recipients(cid)}
        history = {k: [a["outcome"] for a in log.send_attempts(cid, k)] for k in by_key}
    finally:
        log.close()
    assert progress.state == "finished"
    assert (by_key[0].state.value, by_key[0].platform_id) == ("accepted", 900_001)
    assert (by_key[1].state.value, by_key[1].platform_id) == ("accepted", 900_002)
    assert "unconfirmed" not in history[0] + history[1], history
    assert (by_key[2].state.value, by_key[2].error) == ("unconfirmed", LEFTOVER_ERROR)
    assert sorted(sends) == sorted(by_key[k].address for k in (3, 4))
    assert progress.unconfirmed_why == [(LEFTOVER_ERROR, 1)]

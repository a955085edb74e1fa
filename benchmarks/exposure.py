"""What a kill would cost while sending one ``send-message`` per recipient: the most
recipients claimed (``in_flight``) and not yet answered, and how many of those were not
even on the wire, with every request answered ``slow`` seconds late.

``python -m benchmarks.exposure [N] [SENDERS] [SLOW]`` (defaults 300 4 0.2): the engine
against the simulator in this process over loopback, a real log in a temporary folder;
the engine's own in-flight count and the requests out are sampled every 5 ms. Not part
of the suite's table (it measures exposure, not speed); benchmarks/README.md has figures.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULTS = ("300", "4", "0.2")


def measure(n: int, senders: int, slow: float) -> dict[str, Any]:
    from benchmarks.bench_send import _draft, make_campaign
    from benchmarks.common import TOKEN
    from kupon_desktop.api.client import KuponClient
    from kupon_desktop.campaign.build import envelope_for, message_factory
    from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions
    from kupon_desktop.simulator.config import FaultRates, SimulatorConfig
    from kupon_desktop.simulator.runner import SimulatorThread
    from kupon_desktop.store.log import Log

    faults = FaultRates(slow=1.0, slow_seconds=slow) if slow else FaultRates()
    config = SimulatorConfig(seed=1, jitter=0.0, faults=faults, time_scale=0.001)
    with tempfile.TemporaryDirectory() as folder:
        log = Log(Path(folder) / "exposure.sqlite3")
        sim = SimulatorThread(config)
        sim.start()
        try:
            cid = make_campaign(log, n)
            draft = _draft()

            async def main() -> tuple[Any, float, list[tuple[int, int]]]:
                out = 0
                async with KuponClient(
                    sim.base_url, TOKEN, max_connections=senders, trust_env=False
                ) as client:
                    send = client.send_message

                    async def counted(*args: Any) -> Any:
                        nonlocal out
                        out += 1
                        try:
                            return await send(*args)
                        finally:
                            out -= 1

                    client.send_message = counted  # type: ignore[method-assign]
                    engine = CampaignEngine(
                        log,
                        client,
                        cid,
                        envelope_for(draft),
                        options=EngineOptions(batch_size=1, concurrency=senders),
                        message_for=message_factory(draft),
                    )
                    samples: list[tuple[int, int]] = []

                    async def sample() -> None:
                        while True:
                            samples.append((engine.progress.in_flight, out))
                            await asyncio.sleep(0.005)

                    sampler = asyncio.create_task(sample())
                    start = time.perf_counter()
                    progress = await engine.run()
                    seconds = time.perf_counter() - start
                    sampler.cancel()
                    return progress, seconds, samples

            progress, seconds, samples = asyncio.run(main())
        finally:
            sim.stop()
            log.close()
    cut = len(samples) // 10  # the ramp up and down left out
    steady = samples[cut : len(samples) - cut] or samples
    return {
        "recipients": n,
        "senders": senders,
        "request seconds": slow,
        "msg/s": round(n / seconds),
        "claimed, unanswered: max": max(f for f, _ in steady),
        "claimed, unanswered: mean": round(sum(f for f, _ in steady) / len(steady), 1),
        "claimed beyond the requests out: max": max(f - w for f, w in steady),
        "state": progress.state,
        "accepted": progress.accepted,
    }


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    args = [*given, *DEFAULTS[len(given) :]]
    print(measure(int(args[0]), int(args[1]), float(args[2])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``kupon-desktop simulator``: the stand-in Kupon.mobi platform on loopback, until Ctrl+C.

Example::

    kupon-desktop simulator --port 8750 --token secret1 --token secret2 --time-scale 60 \\
        --balance 1000 --scenario 101=viber,sms --fault-rate 503=0.05 --seed 7
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real import stays inside run(): --help must stay fast
    from kupon_desktop.simulator.config import SimulatorConfig

HELP = "run the stand-in Kupon.mobi platform on this machine (demo and tests)"

_FAULT_HELP = (
    "KIND=RATE: a share (0..1) of requests that misbehave; KIND is 400 (plain text), 500, 502, "
    "503, 429, slow, drop (reset after accepting), malformed (JSON), error (type=error); "
    "repeatable"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="port on 127.0.0.1 (default: a free one, printed at start)",
    )
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="TOKEN",
        help="an API token to accept; repeatable (default: the demo token)",
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        metavar="N",
        help="run the platform's clock N times faster (60: a minute a second)",
    )
    parser.add_argument(
        "--balance",
        type=int,
        default=None,
        metavar="N",
        help="messages the account can pay for (default: unlimited)",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="CODE=CHANNELS",
        help="a scenario mailing for type bulk, e.g. 101=viber,sms; repeatable "
        "(replaces the default scenarios 101 and 102)",
    )
    parser.add_argument(
        "--outcome",
        action="append",
        default=[],
        metavar="NAME=WEIGHT",
        help="weight of a delivery outcome (delivered, read, clicked, "
        "undelivered, wrong_recipient, spam_filter, expired, offline); "
        "repeatable",
    )
    parser.add_argument(
        "--fault-rate", action="append", default=[], metavar="KIND=RATE", help=_FAULT_HELP
    )
    parser.add_argument(
        "--slow-seconds",
        type=float,
        default=5.0,
        metavar="S",
        help="how long a 'slow' fault delays its answer (real seconds)",
    )
    parser.add_argument(
        "--retry-after",
        type=int,
        default=1,
        metavar="S",
        help="Retry-After seconds sent with 429 and 503 faults",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="seed the random draws, for a repeatable run"
    )
    parser.add_argument(
        "--any-callback-host",
        action="store_true",
        help="also call callback URLs that are not on loopback",
    )


def _pairs(values: list[str], what: str) -> list[tuple[str, str]]:
    out = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip() or not rest.strip():
            raise ValueError(f"{what} {value!r} is not NAME=VALUE")
        out.append((name.strip(), rest.strip()))
    return out


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    from kupon_desktop.simulator.config import (
        DEFAULT_OUTCOME_WEIGHTS,
        DEFAULT_SCENARIOS,
        DEMO_TOKEN,
        FaultRates,
        Outcome,
        SimulatorConfig,
    )
    from kupon_desktop.vocabulary import MessageType

    scenarios = dict(DEFAULT_SCENARIOS)
    if args.scenario:
        scenarios = {}
        for code, channels in _pairs(args.scenario, "--scenario"):
            if not code.isdigit():
                raise ValueError(f"--scenario code {code!r} is not a number")
            try:
                scenarios[int(code)] = tuple(
                    MessageType(c.strip().lower()) for c in channels.split(",") if c.strip()
                )
            except ValueError:
                raise ValueError(
                    f"--scenario {code}: unknown channel in {channels!r}; use "
                    + ", ".join(t.value for t in MessageType)
                ) from None
    weights = dict(DEFAULT_OUTCOME_WEIGHTS)
    for name, weight in _pairs(args.outcome, "--outcome"):
        weights[Outcome.parse(name)] = float(weight)
    faults: dict[str, Any] = {}
    for kind, rate in _pairs(args.fault_rate, "--fault-rate"):
        key = FaultRates.ALIASES.get(kind.lower(), kind.lower())
        if key not in FaultRates.KINDS:
            raise ValueError(f"--fault-rate: unknown kind {kind!r}")
        faults[key] = float(rate)
    return SimulatorConfig(
        tokens=frozenset(args.token or [DEMO_TOKEN]),
        scenarios=scenarios,
        outcome_weights=weights,
        time_scale=args.time_scale,
        balance=args.balance,
        faults=FaultRates(
            **faults, slow_seconds=args.slow_seconds, retry_after_seconds=args.retry_after
        ),
        seed=args.seed,
        loopback_callbacks_only=not args.any_callback_host,
    )


def run(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from kupon_desktop.simulator.config import DEMO_TOKEN
    from kupon_desktop.simulator.runner import RunningSimulator, serve

    try:
        config = config_from_args(args)
    except ValueError as exc:
        print(f"kupon-desktop simulator: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    def ready(running: RunningSimulator) -> None:
        tokens = (
            "the demo token " + repr(DEMO_TOKEN)
            if config.tokens == {DEMO_TOKEN}
            else f"{len(config.tokens)} configured token(s)"
        )
        print(f"Kupon.mobi simulator listening on {running.base_url}", flush=True)
        print(
            f"  accepting {tokens}; time scale x{config.time_scale:g}; inspection: "
            f"{running.inspection_url}",
            flush=True,
        )
        print("  press Ctrl+C to stop", flush=True)

    try:
        asyncio.run(serve(config, port=args.port, ready=ready))
    except KeyboardInterrupt:
        print("simulator stopped", file=sys.stderr)
        return 0
    except OSError as exc:
        print(
            f"kupon-desktop simulator: cannot listen on port {args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    return 0

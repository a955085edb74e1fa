"""Quick measure of the log's bulk paths, alone: ``python -m benchmarks.bench_log [-n N]``.

Creates a campaign of N recipients, runs them through in_flight/accepted in engine-sized
batches, then appends N status events (receiver-sized batches) and applies them. Each
timed step starts from a fresh file in a temporary folder. Prints one line per step.

``--backend postgresql`` runs the same steps on PostgreSQL (a fresh database in a
throwaway cluster, as the tests start one, or in ``KUPON_TEST_DATABASE``'s server);
``--backend both`` runs SQLite, then PostgreSQL, and prints the two side by side.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kupon_desktop.store.log import open_log
from kupon_desktop.store.models import NewRecipient, NewStatusEvent, RecipientState

TEXT = "Здравствуйте, {name}! До воскресенья скидка 20% на всё по промокоду SPRING. kupon.mobi/x"


_SEEN: dict[str, dict[str, float]] = {}
_BACKEND = ["sqlite"]


def _line(what: str, n: int, seconds: float) -> None:
    _SEEN.setdefault(what, {})[_BACKEND[0]] = n / seconds
    print(f"{what:<44} {n:>9,} {seconds:8.2f} s {n / seconds:>12,.0f} /s", flush=True)


def run(n: int, order: str, batch: int, with_ids: bool, target: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        log = open_log(target or Path(tmp) / "bench.sqlite3")
        rows = [
            NewRecipient(
                f"7900{k:07d}",
                TEXT.replace("{name}", f"Имя {k}"),
                k + 2,
                f"Имя {k}",
                f'{{"name": "Имя {k}", "city": "Москва"}}',
            )
            for k in range(n)
        ]
        t = time.perf_counter()
        cid = log.create_campaign({"type": "sms"}, "sms", rows)
        _line("create_campaign (recipients inserted)", n, time.perf_counter() - t)
        del rows

        if with_ids:
            t = time.perf_counter()
            for lo in range(0, n, batch):
                keys = list(range(lo, min(n, lo + batch)))
                log.mark_in_flight(cid, keys)
                log.mark_accepted(cid, [(k, 10_000_000 + k) for k in keys])
            _line(f"mark_in_flight + mark_accepted ({batch}/batch)", n, time.perf_counter() - t)

        keys = list(range(n))
        if order == "random":
            random.shuffle(keys)
        elif order == "jitter":  # sending order, locally shuffled (callbacks overtake)
            for lo in range(0, n, 1000):
                chunk = keys[lo : lo + 1000]
                random.shuffle(chunk)
                keys[lo : lo + 1000] = chunk
        events = [
            NewStatusEvent(
                10_000_000 + k,
                1,
                cid,
                k,
                f"GET /callback/***/{cid}/{k}?id={10_000_000 + k}&status=1",
            )
            for k in keys
        ]
        t0 = time.perf_counter()
        for lo in range(0, n, 10_000):
            log.append_status_events(events[lo : lo + 10_000])
        t1 = time.perf_counter()
        _line("append_status_events (10,000/call)", n, t1 - t0)
        applied = log.apply_status_events()
        t2 = time.perf_counter()
        _line(f"apply_status_events ({order} order)", applied.events, t2 - t1)
        _line("events: append + apply", n, t2 - t0)
        counts = log.counts(cid)
        assert counts.statuses.get(1) == n, counts
        assert counts.states[RecipientState.ACCEPTED] == n, counts
        t = time.perf_counter()
        cols = log.read_columns(cid, ["key", "address", "name", "state", "status", "status_at"])
        _line("read_columns (6 columns, grid load)", len(cols["key"]), time.perf_counter() - t)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=1_000_000)
    parser.add_argument("--order", choices=("seq", "jitter", "random"), default="jitter")
    parser.add_argument("--batch", type=int, default=1000, help="engine batch size")
    parser.add_argument(
        "--no-ids", action="store_true", help="skip the sending transitions: events carry the ids"
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        print("-- SQLite (a file)", flush=True)
        run(args.n, args.order, args.batch, not args.no_ids)
    if args.backend in ("postgresql", "both"):
        _BACKEND[0] = "postgresql"
        print("-- PostgreSQL (a local server over TCP)", flush=True)
        _on_postgresql(lambda url: run(args.n, args.order, args.batch, not args.no_ids, url))
    if args.backend == "both":
        print(f"\n{'rate, per second':<44} {'SQLite':>12} {'PostgreSQL':>12} {'ratio':>7}")
        for what, rates in _SEEN.items():
            lite, pg = rates.get("sqlite", 0.0), rates.get("postgresql", 0.0)
            ratio = f"{pg / lite:6.2f}x" if lite and pg else ""
            print(f"{what:<44} {lite:>12,.0f} {pg:>12,.0f} {ratio:>7}")


def _on_postgresql(body: Callable[[str], None]) -> None:
    """``body(url)`` on a fresh database of a throwaway cluster run durably (fsync and
    full page writes on, as a production server and as SQLite's commits here)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.pgcluster import PgCluster

    cluster = PgCluster.start(durable=True)
    if isinstance(cluster, str):
        raise SystemExit(cluster)
    try:
        body(cluster.new_database())
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()

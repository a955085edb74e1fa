"""``kupon-desktop receiver``: run the status receiver alone, until Ctrl+C.

The first line on standard output is the callback base URL (the window, which starts the
receiver as its own process, reads it); the rest goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "run the callback receiver that stores delivery statuses (until Ctrl+C)"

DEFAULT_PORT = 8765


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0: any free port)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=_db,
        help="the log database: a file, or postgresql://… (its password in PGPASSWORD "
        "rather than here); default: this installation's own",
    )
    parser.add_argument(
        "--secret",
        help="the secret in the callback URL (default: this installation's own, kept in the log)",
    )
    parser.add_argument(
        "--feed-key",
        metavar="KEY",
        help="bearer key of the event feed "
        "GET /events (default: this installation's own, kept in the log)",
    )


def run(args: argparse.Namespace) -> int:
    import asyncio

    from kupon_desktop.paths import default_db_path
    from kupon_desktop.receiver.errors import ReceiverError
    from kupon_desktop.store.errors import LogError

    if not 0 <= args.port <= 65535:
        print(
            f"kupon-desktop receiver: port {args.port} is not a port (0 to 65535)", file=sys.stderr
        )
        return 2
    try:
        return asyncio.run(_serve(args, args.db or default_db_path()))
    except (ReceiverError, LogError) as exc:
        print(f"kupon-desktop receiver: {exc}", file=sys.stderr)
        return 1


def _db(text: str) -> str | Path:
    """A file's path, or a database URL kept as text (a Path would lose a slash)."""
    from kupon_desktop.store.connection import is_url

    return text if is_url(text) else Path(text)


async def _serve(args: argparse.Namespace, db: str | Path) -> int:
    import asyncio
    import contextlib
    import signal

    from kupon_desktop.receiver.requests import STRONG_SECRET
    from kupon_desktop.receiver.server import Receiver
    from kupon_desktop.store.connection import display_url

    receiver = Receiver(
        db, host=args.host, port=args.port, secret=args.secret, feed_key=args.feed_key
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Windows has no signal handlers on the loop: Ctrl+C arrives as KeyboardInterrupt
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    base = await receiver.start()
    try:
        print(base, flush=True)
        if args.secret is not None and len(args.secret) < STRONG_SECRET:
            print(
                f"warning: a secret shorter than {STRONG_SECRET} characters is easy to guess",
                file=sys.stderr,
            )
        if args.host in ("0.0.0.0", "::"):
            print(
                "note: the platform must reach this machine by its public address; give "
                "it that address with the path above",
                file=sys.stderr,
            )
        if args.feed_key is None and not _loopback(args.host):
            # a server set-up: its operator needs the key to give the desks; on a desk it
            # stays out of the output (which the window keeps in a log file)
            key = f"Authorization: Bearer {receiver.feed_key}"
        else:
            key = "bearer key: --feed-key, or the one kept in the log"
        print(
            f"storing statuses in {display_url(str(db))}\nevent feed: {receiver.feed_url} ({key})\n"
            "press Ctrl+C to stop",
            file=sys.stderr,
            flush=True,
        )
        await stop.wait()
    finally:
        await receiver.stop()
    print(f"stopped; {receiver.stored} statuses stored", file=sys.stderr)
    return 0


def _loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

"""The one command, ``kupon-desktop``: the window by default, or a headless subcommand.

Each subcommand lives beside the code it drives, in ``kupon_desktop/<package>/command.py``,
which exposes ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Those modules import nothing heavy at module level, so ``--help`` and the window's
start-up stay fast; the heavy imports happen inside ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kupon_desktop import __version__

#: subcommand name -> module that implements it
SUBCOMMANDS: dict[str, str] = {
    "contacts": "kupon_desktop.contacts.command",
    "send": "kupon_desktop.campaign.command",
    "status": "kupon_desktop.campaign.status_command",
    "receiver": "kupon_desktop.receiver.command",
    "simulator": "kupon_desktop.simulator.command",
    "stoplist": "kupon_desktop.audience.command",
    "base": "kupon_desktop.base.command",
    "server": "kupon_desktop.server.command",
}

EXIT_NOT_AVAILABLE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kupon-desktop",
        description="Kupon Desktop: campaign manager for the Kupon.mobi messaging platform. "
        "Without a subcommand it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"kupon-desktop {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window wired to the built-in simulator: no token, nothing leaves "
        "this machine",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="import every bundled part (Qt plugins, SQLite, keyring, spreadsheet engines, "
        "translations), print a report and exit 0 if all are present",
    )
    parser.add_argument("--lang", metavar="CODE", help="interface language for this run (ru or en)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        sp = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sp)
        sp.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_check:
        from kupon_desktop.ui.selfcheck import run_self_check

        return int(run_self_check(parser, SUBCOMMANDS))
    if args.command is None:
        return _open_window(args)
    try:
        return int(args._module.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _open_window(args: argparse.Namespace) -> int:
    from kupon_desktop.ui.platform_check import check_window_libraries

    # said before Qt is imported: a missing library makes that import fail with a
    # traceback, and Qt's own abort names one library at most
    missing = check_window_libraries()
    if missing is not None:
        print(missing, file=sys.stderr, flush=True)
    try:
        from kupon_desktop.ui.app import run_app
    except ImportError as exc:
        if "cannot open shared object file" not in str(exc):
            raise
        print(
            f"kupon-desktop: Qt cannot load a system library ({exc}); install the package "
            "that provides it with your system's package manager",
            file=sys.stderr,
        )
        return 1
    return int(run_app(demo=args.demo, lang=args.lang))


if __name__ == "__main__":
    sys.exit(main())

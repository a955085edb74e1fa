"""Command-line entry for this package (not yet available)."""

from __future__ import annotations

import argparse
import sys

HELP = "not yet available"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    print(f"kupon-desktop {args.command}: not yet available in this version", file=sys.stderr)
    return 2

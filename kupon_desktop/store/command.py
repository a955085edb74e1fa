"""``kupon-desktop status``: print campaigns and each recipient's state and status.

It first applies any status events the receiver stored since the last look (when the log
can be written), so what it prints is current. With ``--json`` it prints::

    {"campaigns": [{"id": ..., "state": "...", "counts": {"total": N, "queued": …}}],
     "recipients": [{"campaign": ..., "key": K, "address": "...", "state": "...",
                     "platform_id": ..., "status": <code or null>,
                     "status_label": "<English>", "status_label_ru": "<Russian>",
                     "error": <as stored>, "error_text": "<English>",
                     "error_text_ru": "<Russian>"}]}

written as it goes, so a campaign of a million recipients does not sit in memory.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from kupon_desktop.store.log import Log
    from kupon_desktop.store.models import Campaign, Recipient

HELP = "print campaigns and each recipient's state and last status from the local log"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        type=_db_target,
        help="the log database: a file, or a postgresql:// URL (default: this "
        "installation's own file)",
    )
    parser.add_argument("--campaign", metavar="ID", help="only this campaign")
    parser.add_argument("--json", action="store_true", help="print JSON (see --help above)")


def _db_target(text: str) -> Path | str:
    from kupon_desktop.store.connection import is_url

    return text if is_url(text) else Path(text)


def run(
    args: argparse.Namespace,
    extra_json: Callable[[Log, list[Campaign]], dict[str, Any]] | None = None,
) -> int:
    """``extra_json(log, campaigns)``: more top-level keys of the ``--json`` document
    (the A/B tests, which the campaign layer reads: ``campaign/status_command.py``)."""
    from kupon_desktop.paths import default_db_path
    from kupon_desktop.store.errors import LogCorrupt, LogError, LogReadOnly
    from kupon_desktop.store.log import open_log

    path = args.db or default_db_path()
    if isinstance(path, Path) and not path.is_file():
        print(f"kupon-desktop status: no campaign log at {path}", file=sys.stderr)
        return 1
    try:
        try:
            log = open_log(path)
        except LogReadOnly:
            # still worth printing what is there; the newest statuses may be missing
            log = open_log(path, readonly=True)
            print(
                "kupon-desktop status: the log is read-only; statuses received since it "
                "was last opened for writing are not shown",
                file=sys.stderr,
            )
        with log:
            if not log.readonly:
                log.apply_status_events()
            if args.campaign:
                try:
                    campaigns = [log.campaign(args.campaign)]
                except KeyError:
                    print(
                        f"kupon-desktop status: no campaign {args.campaign} in {path}",
                        file=sys.stderr,
                    )
                    return 1
            else:
                campaigns = log.list_campaigns()
            if args.json:
                extra = extra_json(log, campaigns) if extra_json is not None else {}
                listed = _print_json(log, campaigns, sys.stdout, extra)
            else:
                listed = _print_text(
                    log, campaigns, sys.stdout, with_recipients=bool(args.campaign)
                )
            sys.stdout.flush()
            # a damaged page can read as fewer rows without an error: never print a
            # part as if it were the whole
            lost = []
            for c in campaigns:
                missing = log.missing_rows(c.id)
                if missing is None and c.id in listed and listed[c.id] != c.counts.total:
                    missing = f"campaign {c.id} has {c.counts.total} recipients; the file gave " + (
                        f"{listed[c.id]}" if listed[c.id] >= 0 else "some twice or out of order"
                    )
                if missing is not None:
                    lost.append(missing)
            if lost:
                print(
                    f"kupon-desktop status: {LogCorrupt(path, '')} What is missing: "
                    + "; ".join(lost),
                    file=sys.stderr,
                )
                return 1
    except LogError as exc:
        print(f"kupon-desktop status: {exc}", file=sys.stderr)
        return 1
    return 0


def _next(listed: int, key: int) -> int:
    """Recipients listed so far, keys 0, 1, 2 … in order; -1 once one is out of place
    (a damaged page may repeat rows or lose them)."""
    return listed + 1 if listed == key else -1


def _recipient_json(r: Recipient, redact: Callable[[str], str]) -> dict[str, object]:
    from kupon_desktop.reasons import reason_text

    info = r.status_info
    return {
        "campaign": r.campaign,
        "key": r.key,
        "address": r.address,
        "state": r.state.value,
        "platform_id": r.platform_id,
        "status": r.status,
        "status_label": info.label_en if info else None,
        "status_label_ru": info.label_ru if info else None,
        "error": redact(r.error) if r.error else r.error,
        "error_text": redact(reason_text(r.error, "en")) or None,
        "error_text_ru": redact(reason_text(r.error, "ru")) or None,
    }


def _print_json(
    log: Log, campaigns: list[Campaign], out: TextIO, extra: dict[str, Any] | None = None
) -> dict[str, int]:
    """Writes the JSON (``extra``: more top-level keys); returns how many recipients it
    listed per campaign (-1: not keys 0, 1, 2 … in order)."""
    import json

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    out.write('{"campaigns": [')
    out.write(
        ", ".join(
            dump({"id": c.id, "state": c.state.value, "counts": c.counts.as_dict()})
            for c in campaigns
        )
    )
    out.write('],\n "recipients": [')
    first = True
    listed: dict[str, int] = {}
    for c in campaigns:
        listed[c.id] = 0
        for r in log.iter_recipients(c.id):
            out.write(("\n  " if first else ",\n  ") + dump(_recipient_json(r, log.redact)))
            first = False
            listed[c.id] = _next(listed[c.id], r.key)
    out.write("\n]" if not first else "]")
    for key, value in (extra or {}).items():
        out.write(f",\n {dump(key)}: {dump(value)}")
    out.write("}\n")
    return listed


def _print_text(
    log: Log, campaigns: list[Campaign], out: TextIO, *, with_recipients: bool
) -> dict[str, int]:
    """Writes the text; returns how many recipients it listed per campaign (as
    ``_print_json``)."""
    listed: dict[str, int] = {}
    from kupon_desktop.reasons import reason_text

    if not campaigns:
        out.write("no campaigns\n")
    for c in campaigns:
        states = ", ".join(f"{s.value} {n}" for s, n in c.counts.states.items() if n)
        out.write(
            f"{c.id}  {c.created_at:%Y-%m-%d %H:%M}  {c.type:<8} {c.state.value:<11} "
            f"{c.counts.total} recipients: {states or 'none'}\n"
        )
        if with_recipients:
            listed[c.id] = 0
            for r in log.iter_recipients(c.id):
                listed[c.id] = _next(listed[c.id], r.key)
                info = r.status_info
                status = f"{r.status} {info.label_en}" if info else "-"
                out.write(
                    f"  {r.key:>7}  {r.address:<24} {r.state.value:<11} {status:<32} "
                    f"{log.redact(reason_text(r.error, 'en'))}\n"
                )
    return listed

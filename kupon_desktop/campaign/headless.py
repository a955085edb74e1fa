"""``kupon-desktop send`` without ``--dry-run``: a campaign run headless, for automation.

The same engine as the window, under ``asyncio.run``. A progress line goes to stderr;
the campaign id goes to stdout (so a script can ``--resume`` it or ask ``status``).
Exit codes: 0 every recipient settled, 1 a blocking problem in the draft or the list,
2 a usage error, 3 the campaign paused by itself (no funds, token refused, platform
unreachable: the reason is on stderr), 130 interrupted by Ctrl+C (resume it later).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_PAUSED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"kupon-desktop send: {message}", file=sys.stderr)
    return code


def run_send(args: argparse.Namespace) -> int:
    from kupon_desktop import paths
    from kupon_desktop.config import DEFAULT_API_URL, validate_api_url
    from kupon_desktop.store.errors import LogError
    from kupon_desktop.store.log import Log

    try:
        args.api_url = validate_api_url(args.api_url or DEFAULT_API_URL)
    except ValueError as exc:
        return _fail(f"--api-url: {exc}")
    if args.token_env:
        token = os.environ.get(args.token_env, "")
        if not token:
            return _fail(f"no API token: the environment variable {args.token_env} is empty")
    else:
        from kupon_desktop.credentials import TokenStore

        token = TokenStore().get() or ""
        if not token:
            return _fail(
                "no API token: set it in the window (File → Settings) or pass "
                "--token-env VAR naming an environment variable that holds it"
            )
    db = Path(args.db) if args.db else paths.default_db_path()
    try:
        log = Log(db)
    except LogError as exc:
        return _fail(str(exc), EXIT_PROBLEMS)
    try:
        if args.resume:
            log.recover_interrupted()
            campaign_id = args.resume
            try:
                log.campaign(campaign_id)
            except KeyError:
                return _fail(f"no campaign {campaign_id} in {db}")
        else:
            created = _create(args, log)
            if isinstance(created, int):
                return created
            campaign_id = created
        print(campaign_id, flush=True)
        return asyncio.run(_run(args, log, campaign_id, token))
    except LogError as exc:
        return _fail(str(exc), EXIT_PROBLEMS)
    finally:
        log.close()


def _create(args: argparse.Namespace, log: Any) -> str | int:
    """Check, render and store the campaign; its id, or an exit code."""
    from kupon_desktop.audience import apply_rules
    from kupon_desktop.campaign.build import prepare
    from kupon_desktop.campaign.command import (
        UsageError,
        _import_contacts,
        _language,
        audience_rules_from_args,
        draft_from_args,
    )
    from kupon_desktop.compose import check, has_blocking

    try:
        lang = _language(args)
        if not args.contacts or not args.message_type:
            raise UsageError("--contacts and --type are required")
        draft = draft_from_args(args)
        contacts, fields, _warnings = _import_contacts(args, draft)
        rules = audience_rules_from_args(args)
    except UsageError as exc:
        return _fail(str(exc))
    problems = check(draft, contacts, fields)
    plan = None
    if not has_blocking(problems):
        plan = apply_rules(draft, contacts, fields, rules=rules, stop_list=log)
        problems += plan.problems
    for problem in problems:
        if problem.blocking:
            print("error: " + problem.message(lang), file=sys.stderr)
    if has_blocking(problems):
        return EXIT_PROBLEMS
    assert plan is not None
    prepared = prepare(draft, contacts, fields, scheduled=plan.scheduled, excluded=plan.excluded)
    if not any(r.excluded is None for r in prepared.recipients):
        return _fail("no contact has the address this message type needs", EXIT_PROBLEMS)
    snapshot = draft.to_dict()
    snapshot["_source"] = {
        "path": str(Path(args.contacts).resolve()),
        "sheet": getattr(args, "sheet", None),
        "header_row": 0,
    }
    return str(
        log.create_campaign(
            snapshot,
            draft.type.value,
            prepared.recipients,
            name=Path(args.contacts).stem,
            kannel=draft.kannel_status,
        )
    )


async def _run(args: argparse.Namespace, log: Any, campaign_id: str, token: str) -> int:
    from kupon_desktop.api.client import KuponClient
    from kupon_desktop.audience import StopListChecker
    from kupon_desktop.campaign.build import envelope_for, message_factory, send_time_guard
    from kupon_desktop.campaign.engine import CampaignEngine, EngineOptions, Progress
    from kupon_desktop.compose import Draft
    from kupon_desktop.config import DEFAULT_API_URL

    snapshot = log.campaign_draft(campaign_id)
    draft = Draft.from_dict(snapshot)
    options = EngineOptions(batch_size=args.batch_size or EngineOptions.batch_size, rate=args.rate)
    interactive = sys.stderr.isatty()

    def show(p: Progress) -> None:
        line = (
            f"sent {p.done}/{p.total} · accepted {p.accepted} · rejected {p.rejected} "
            f"· unconfirmed {p.unconfirmed} · {p.rate:.0f} msg/s"
        )
        print(
            ("\r" + line) if interactive else line,
            end="" if interactive else "\n",
            file=sys.stderr,
            flush=True,
        )

    async with KuponClient(args.api_url or DEFAULT_API_URL, token) as client:
        engine = CampaignEngine(
            log,
            client,
            campaign_id,
            envelope_for(draft),
            options=options,
            callback_base=args.callback_url,
            message_for=message_factory(draft, send_time_guard(snapshot, draft)),
            on_progress=show,
            stop_check=StopListChecker(log),
        )
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGINT, engine.pause)
            loop.add_signal_handler(signal.SIGTERM, engine.pause)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises instead
            pass
        progress = await engine.run()
    if interactive:
        print(file=sys.stderr)
    if progress.state == "paused":
        from kupon_desktop.campaign.errors import PausedByUser

        reason = engine.stop_reason
        if isinstance(reason, PausedByUser):
            print(
                f"paused; continue with: kupon-desktop send --resume {campaign_id}", file=sys.stderr
            )
            return EXIT_INTERRUPTED
        print(f"paused: {progress.reason}", file=sys.stderr)
        return EXIT_PAUSED
    if args.callback_url is None:
        print(
            "note: no --callback-url, so no delivery statuses will arrive for this campaign",
            file=sys.stderr,
        )
    return EXIT_OK

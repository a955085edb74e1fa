"""``kupon-desktop send`` without ``--dry-run``: a campaign run headless, for automation.

The same session as the window (``campaign.session``), under ``asyncio.run``. A progress
line goes to stderr; the campaign id goes to stdout (so a script can ``--resume`` it or
ask ``status``). A campaign keeps the settings it was started with (callback, rate,
batch size, audience rules and send window); ``--resume`` uses them, and says so and
asks before it changes one.

Exit codes: 0 every recipient settled, 1 a blocking problem in the draft or the list,
2 a usage error, 3 the campaign paused by itself (no funds, token refused, platform
unreachable: the reason is on stderr), 4 not one recipient was confirmed (every answer
was lost: check them before resending; a run with only some unconfirmed says how many
and why on stderr and exits 0), 130 interrupted by Ctrl+C (resume it later).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kupon_desktop.errors import KuponError, pick

if TYPE_CHECKING:
    from kupon_desktop.campaign.session import CampaignSession, RunSettings
    from kupon_desktop.store.log import Log

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_PAUSED, EXIT_UNCONFIRMED = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"kupon-desktop send: {message}", file=sys.stderr)
    return code


def _token(args: argparse.Namespace) -> str | int:
    if args.token_env:
        token = os.environ.get(args.token_env, "")
        if not token:
            return _fail(f"no API token: the environment variable {args.token_env} is empty")
        return token
    from kupon_desktop.credentials import TokenStore

    token = TokenStore().get() or ""
    if not token:
        return _fail(
            "no API token: set it in the window (File → Settings) or pass "
            "--token-env VAR naming an environment variable that holds it"
        )
    return token


def run_send(args: argparse.Namespace) -> int:
    from kupon_desktop import paths
    from kupon_desktop.campaign.command import UsageError, language
    from kupon_desktop.campaign.session import CampaignSession, Platform
    from kupon_desktop.config import DEFAULT_API_URL, validate_api_url
    from kupon_desktop.store.log import Log

    try:
        lang = language(args)
    except UsageError as exc:
        return _fail(str(exc))
    try:
        args.api_url = validate_api_url(args.api_url or DEFAULT_API_URL)
    except ValueError as exc:
        return _fail(f"--api-url: {exc}")
    token = _token(args)
    if isinstance(token, int):
        return token
    db = Path(args.db) if args.db else paths.default_db_path()
    try:
        log = Log(db)
    except KuponError as exc:
        return _fail(exc.message(lang), EXIT_PROBLEMS)
    session = CampaignSession(log, Platform(args.api_url, lambda: token), region=args.region)
    try:
        if args.resume:
            resumed = _resume(args, log, session, lang)
            if isinstance(resumed, int):
                return resumed
            campaign_id = resumed
        else:
            created = _create(args, session, lang)
            if isinstance(created, int):
                return created
            campaign_id = created
        print(campaign_id, flush=True)
        return asyncio.run(_run(session, campaign_id, lang))
    except KuponError as exc:
        return _fail(exc.message(lang), EXIT_PROBLEMS)
    finally:
        log.close()


def run_settings_from_args(args: argparse.Namespace) -> RunSettings:
    from kupon_desktop.campaign.session import RunSettings

    return RunSettings(
        callback=args.callback_url or None,
        rate=None if args.rate is None else float(args.rate),
        batch_size=args.batch_size,
    )


def _create(args: argparse.Namespace, session: CampaignSession, lang: str) -> str | int:
    """Plan and store the campaign; its id, or an exit code."""
    from kupon_desktop.campaign.command import UsageError, plan_from_args

    try:
        plan, _import_problems = plan_from_args(args, session.log)
    except UsageError as exc:
        return _fail(str(exc))
    for problem in plan.problems:
        if problem.blocking:
            print(pick(lang, "ошибка: ", "error: ") + problem.message(lang), file=sys.stderr)
    if plan.blocking:
        return EXIT_PROBLEMS
    return session.create(plan, run=run_settings_from_args(args))


def _resume(args: argparse.Namespace, log: Log, session: CampaignSession, lang: str) -> str | int:
    """The campaign to resume, as it was started: a setting given now that differs is
    named, and used only when the user agrees (a terminal's prompt, or ``--yes``)."""
    from dataclasses import replace

    from kupon_desktop.campaign.errors import UnknownCampaign
    from kupon_desktop.campaign.session import RunSettings

    campaign_id = str(args.resume)
    log.recover_interrupted()
    try:
        log.campaign(campaign_id)
    except KeyError:
        raise UnknownCampaign(campaign_id, str(log.path)) from None
    kept = session.run_settings(campaign_id)
    given = run_settings_from_args(args)
    if kept is None:  # made by an older version: what is given now is all there is
        _store_run_settings(log, campaign_id, given)
        return campaign_id
    # only what the user typed now can differ: an option left out keeps its value
    wanted = RunSettings(
        callback=given.callback if args.callback_url is not None else kept.callback,
        rate=given.rate if args.rate is not None else kept.rate,
        batch_size=given.batch_size if args.batch_size is not None else kept.batch_size,
    )
    changes = kept.differences(wanted)
    if not changes:
        return campaign_id
    for name, old, new in changes:
        shown_old = _shown(name, old)
        print(
            pick(
                lang,
                f"рассылка начата с {name} = {shown_old}; продолжить с {_shown(name, new)}?",
                f"the campaign was started with {name} = {shown_old}; "
                f"resume with {_shown(name, new)}?",
            ),
            file=sys.stderr,
        )
    if not (getattr(args, "yes", False) or _agreed(lang)):
        return _fail(
            pick(
                lang,
                "ничего не изменено: продолжите без этих параметров или добавьте --yes",
                "nothing changed: resume without those options, or add --yes",
            )
        )
    _store_run_settings(log, campaign_id, replace(wanted))
    return campaign_id


def _shown(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name == "callback":
        # the receiver's secret is the last part of its address: never printed
        from urllib.parse import urlsplit

        parts = urlsplit(str(value))
        return f"{parts.scheme}://{parts.netloc}/…"
    return str(value)


def _agreed(lang: str) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(pick(lang, "Изменить? [y/N] ", "Change it? [y/N] "))
    return answer.strip().lower() in ("y", "yes", "д", "да")


def _store_run_settings(log: Log, campaign_id: str, settings: RunSettings) -> None:
    log.update_campaign_draft(campaign_id, {"_run": settings.to_dict()})


async def _run(session: CampaignSession, campaign_id: str, lang: str) -> int:
    from kupon_desktop.campaign.engine import CampaignEngine, Progress
    from kupon_desktop.campaign.errors import PausedByUser, describe_reason

    interactive = sys.stderr.isatty()

    def show(p: Progress) -> None:
        line = pick(
            lang,
            f"отправлено {p.done}/{p.total} · принято {p.accepted} · отклонено {p.rejected} "
            f"· не подтверждено {p.unconfirmed} · {p.rate:.0f} сообщ./с",
            f"sent {p.done}/{p.total} · accepted {p.accepted} · rejected {p.rejected} "
            f"· unconfirmed {p.unconfirmed} · {p.rate:.0f} msg/s",
        )
        print(
            ("\r" + line) if interactive else line,
            end="" if interactive else "\n",
            file=sys.stderr,
            flush=True,
        )

    def on_engine(engine: CampaignEngine) -> None:
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGINT, engine.pause)
            loop.add_signal_handler(signal.SIGTERM, engine.pause)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises instead
            pass

    settings = session.run_settings(campaign_id)
    try:
        progress = await session.run(campaign_id, on_progress=show, on_engine=on_engine)
    finally:
        await session.aclose()
    if interactive:
        print(file=sys.stderr)
    if progress.state == "paused":
        from kupon_desktop.campaign.errors import pause_reason

        if isinstance(pause_reason(progress.reason), PausedByUser):
            print(
                pick(
                    lang,
                    f"приостановлено; продолжить: kupon-desktop send --resume {campaign_id}",
                    f"paused; continue with: kupon-desktop send --resume {campaign_id}",
                ),
                file=sys.stderr,
            )
            return EXIT_INTERRUPTED
        print(
            pick(lang, "приостановлено: ", "paused: ") + describe_reason(progress.reason, lang),
            file=sys.stderr,
        )
        return EXIT_PAUSED
    if settings is not None and settings.callback is None:
        print(
            pick(
                lang,
                "примечание: без --callback-url статусы доставки этой рассылки не придут",
                "note: no --callback-url, so no delivery statuses will arrive for this campaign",
            ),
            file=sys.stderr,
        )
    report = progress.unconfirmed_report()
    if report is not None:
        # always said, with why; a run that confirmed nothing at all is a failure
        print(
            pick(lang, "не подтверждено: ", "unconfirmed: ") + report.message(lang),
            file=sys.stderr,
        )
        if report.everyone:
            return EXIT_UNCONFIRMED
    return EXIT_OK

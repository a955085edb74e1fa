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
    try:
        from kupon_desktop.api.wire import platform_zone

        platform_zone(args.platform_timezone)
    except ValueError as exc:
        log.close()
        return _fail(f"--platform-timezone: {exc}")
    platform = Platform(args.api_url, lambda: token, args.platform_timezone)
    team = _team(args, log)
    if isinstance(team, int):
        log.close()
        return team
    session = CampaignSession(log, platform, region=args.region, team=team)
    if log.lost_recovered:
        print(
            pick(
                lang,
                f"журнал потерял последние записи (файл -wal удалён после сбоя): "
                f"{log.lost_recovered} получателей, которым сообщение могло уйти, помечены "
                "«не подтверждено» — проверьте их перед повторной отправкой",
                f"the log lost its last writes (its -wal was removed after a crash): "
                f"{log.lost_recovered} recipients whose message may have gone out are marked "
                "unconfirmed; check them before resending",
            ),
            file=sys.stderr,
        )
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
        group = session.ab_group_of(campaign_id)
        if group is not None:
            if getattr(args, "winner", None):
                session.decide(group, args.winner.strip().upper())
            return asyncio.run(_run_ab(session, group, lang))
        return asyncio.run(_run(session, campaign_id, lang))
    except KuponError as exc:
        return _fail(exc.message(lang), EXIT_PROBLEMS)
    finally:
        log.close()


def _team(args: argparse.Namespace, log: Any) -> Any:
    """The team server of ``--team-server`` (None: none), or an exit code."""
    url = getattr(args, "team_server", None)
    if not url:
        return None
    from kupon_desktop.config import validate_freshness, validate_team_url

    try:
        url = validate_team_url(url)
        freshness = validate_freshness(args.team_freshness)
    except ValueError as exc:
        return _fail(f"--team-server: {exc}")
    key = os.environ.get(args.team_key_env, "").strip()
    if not key:
        return _fail(
            f"no team user key: the environment variable {args.team_key_env} is empty "
            "(--team-key-env VAR names another)"
        )
    import socket

    log.add_secret(key)  # kept out of every error text the log stores
    from kupon_desktop.team.client import TeamClient
    from kupon_desktop.team.desk import TeamDesk

    return TeamDesk(TeamClient(url, key), log, desk=socket.gethostname(), freshness=freshness)


def run_settings_from_args(args: argparse.Namespace) -> RunSettings:
    from kupon_desktop.campaign.session import BUILTIN_RECEIVER, RunSettings

    # a team member's statuses come through the team server (the session asks it)
    team_callback = BUILTIN_RECEIVER if getattr(args, "team_server", None) else None
    return RunSettings(
        callback=args.callback_url or team_callback,
        rate=None if args.rate is None else float(args.rate),
        batch_size=args.batch_size,
        spend_cap=getattr(args, "spend_cap", None),
    )


def _create(args: argparse.Namespace, session: CampaignSession, lang: str) -> str | int:
    """Plan and store the campaign; its id, or an exit code."""
    from kupon_desktop.campaign.command import UsageError, plan_from_args

    if getattr(args, "list", None) or getattr(args, "segment", None):
        # a segment on campaign outcomes is planned on every status received so far
        session.log.apply_status_events()
    try:
        plan, _import_problems = plan_from_args(args, session.log)
    except UsageError as exc:
        return _fail(str(exc))
    for problem in plan.problems:
        if problem.blocking:
            print(pick(lang, "ошибка: ", "error: ") + problem.message(lang), file=sys.stderr)
    if plan.blocking:
        return EXIT_PROBLEMS
    if getattr(args, "variant", None):
        return _create_ab(args, session, plan, lang)
    return session.create(plan, run=run_settings_from_args(args))


def _create_ab(
    args: argparse.Namespace, session: CampaignSession, plan: Any, lang: str
) -> str | int:
    """An A/B test of ``--text`` and each ``--variant``, every variant checked against
    the list as the first was; the group's id, or an exit code."""
    from dataclasses import replace

    from kupon_desktop.campaign.ab import VARIANT_NAMES, ABSettings, default_metric
    from kupon_desktop.campaign.session import plan_campaign

    variants = [plan.draft] + [replace(plan.draft, text=text) for text in args.variant]
    if len(variants) > len(VARIANT_NAMES):
        return _fail(
            pick(lang, "в A/B-тесте не больше 4 вариантов", "an A/B test has at most 4 variants")
        )
    blocked = False
    for name, draft in zip(VARIANT_NAMES[1:], variants[1:], strict=False):
        checked = plan_campaign(draft, plan.contacts, plan.rules, stop_list=session.log)
        for problem in checked.problems:
            if problem.blocking:
                blocked = True
                print(
                    pick(lang, f"вариант {name}: ошибка: ", f"variant {name}: error: ")
                    + problem.message(lang),
                    file=sys.stderr,
                )
    if blocked:
        return EXIT_PROBLEMS
    settings = ABSettings(
        share=args.test_share / 100.0,
        metric=args.winner_by or default_metric(plan.draft.type),
        decide_after=args.decide_after,
        auto=not args.hold,
        seed=args.ab_seed,
    )
    return session.create_ab(plan, variants, settings, run=run_settings_from_args(args))


def _resume(args: argparse.Namespace, log: Log, session: CampaignSession, lang: str) -> str | int:
    """The campaign to resume, as it was started: a setting given now that differs is
    named, and used only when the user agrees (a terminal's prompt, or ``--yes``)."""

    from kupon_desktop.campaign.errors import UnknownCampaign

    campaign_id = str(args.resume)
    session.recover()
    group = session.ab_group_of(campaign_id)
    members = [cid for cid, _ in log.ab_members(group)] if group else []
    if group is not None:
        campaign_id = members[0]
    try:
        log.campaign(campaign_id)
    except KeyError:
        raise UnknownCampaign(campaign_id, str(log.path)) from None
    resumed = _resume_settings(args, log, session, campaign_id, lang, members or [campaign_id])
    if isinstance(resumed, int):
        return resumed
    return group or campaign_id


def _resume_settings(
    args: argparse.Namespace,
    log: Log,
    session: CampaignSession,
    campaign_id: str,
    lang: str,
    members: list[str],
) -> str | int:
    from dataclasses import replace

    from kupon_desktop.campaign.session import RunSettings

    kept = session.run_settings(campaign_id)
    given = run_settings_from_args(args)
    if kept is None:  # made by an older version: what is given now is all there is
        _store_run_settings(log, campaign_id, given)
        return campaign_id
    # only what the user typed now can differ: an option left out keeps its value
    cap = getattr(args, "spend_cap", None)
    wanted = RunSettings(
        callback=given.callback if args.callback_url is not None else kept.callback,
        rate=given.rate if args.rate is not None else kept.rate,
        batch_size=given.batch_size if args.batch_size is not None else kept.batch_size,
        spend_cap=cap if cap is not None else kept.spend_cap,
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
    for member in members:  # an A/B test's campaigns share their settings
        _store_run_settings(log, member, replace(wanted))
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


async def _run_ab(session: CampaignSession, group: str, lang: str) -> int:
    """An A/B test from where it stands to the end (or a pause, or the user's pick)."""
    from kupon_desktop.campaign.ab import ABStatus

    shown: list[str] = []

    def on_status(status: ABStatus) -> None:
        if shown and shown[-1] == status.phase:
            return
        shown.append(status.phase)
        line = _AB_PHASES.get(status.phase)
        if line is None:
            return
        text = pick(lang, line[1], line[0])
        if status.phase == "waiting" and status.decide_at is not None:
            text += f" {status.decide_at.astimezone():%Y-%m-%d %H:%M:%S}"
        if status.phase == "remainder":
            text += " " + status.why(lang)
        print(f"A/B: {text}", file=sys.stderr, flush=True)

    def on_engine(engine: Any) -> None:
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGINT, session.pause)
            loop.add_signal_handler(signal.SIGTERM, session.pause)
        except (NotImplementedError, RuntimeError):
            pass

    on_engine(None)
    try:
        outcome = await session.run_ab(group, on_status=on_status, on_engine=on_engine)
    finally:
        await session.aclose()
    if outcome.state == "done":
        print("A/B: " + outcome.status.why(lang), file=sys.stderr)
        return EXIT_OK
    if outcome.state == "held":
        print(
            "A/B: "
            + outcome.status.why(lang)
            + pick(
                lang,
                f" Выберите победителя: kupon-desktop send --resume {group} --winner A",
                f" Pick the winner: kupon-desktop send --resume {group} --winner A",
            ),
            file=sys.stderr,
        )
        return EXIT_OK
    progress = outcome.progress
    if outcome.state == "stopped" or progress is None:
        print(
            pick(
                lang,
                f"приостановлено; продолжить: kupon-desktop send --resume {group}",
                f"paused; continue with: kupon-desktop send --resume {group}",
            ),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return _paused(progress.reason, group, lang)


def _paused(reason: str, campaign_id: str, lang: str) -> int:
    """Say why a run paused, and its exit code: 130 for the user's own pause (with how to
    go on), 3 for a reason of the campaign's own (no funds, the token, the platform)."""
    from kupon_desktop.campaign.errors import PausedByUser, describe_reason, pause_reason

    if isinstance(pause_reason(reason), PausedByUser):
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
        pick(lang, "приостановлено: ", "paused: ") + describe_reason(reason, lang),
        file=sys.stderr,
    )
    return EXIT_PAUSED


#: what the command line says as an A/B test moves on, (English, Russian)
_AB_PHASES = {
    "test": ("sending the test variants", "отправка тестовых вариантов"),
    "waiting": ("test sent; the winner is chosen at", "тест отправлен; победитель выбирается в"),
    "remainder": ("sending the winner to the rest.", "отправка победителя остальным."),
}


async def _run(session: CampaignSession, campaign_id: str, lang: str) -> int:
    from kupon_desktop.campaign.engine import CampaignEngine, Progress

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
        return _paused(progress.reason, campaign_id, lang)
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

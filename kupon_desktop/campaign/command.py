"""``kupon-desktop send``: run a campaign headless, or with ``--dry-run`` show what
would be sent and every problem found, without sending anything.

The options are those of the Message page and of the sending engine (``--api-url`` and
below). Both the dry run and the real send plan the campaign with the window's own
workflow (``campaign.session.plan_campaign``): the same de-duplication, checks, audience
rules and cost, so the two faces cannot disagree.

Exit codes: 0 done (or a dry run without blocking problems), 1 a blocking problem
found, 2 a usage error (a bad option, an unreadable file); the real send adds its own
(``campaign.headless``).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from kupon_desktop import wording
from kupon_desktop.console import Utf8Out
from kupon_desktop.vocabulary import CHARSETS, DEFAULT_CHARSET, MessageType

if TYPE_CHECKING:
    from datetime import datetime, tzinfo
    from decimal import Decimal

    import pandas as pd

    from kupon_desktop.audience import AudiencePlan, AudienceRules
    from kupon_desktop.audience.stoplist import StopListLog
    from kupon_desktop.campaign.session import ContactList, Plan
    from kupon_desktop.compose import Draft, Problem, Rendered
    from kupon_desktop.compose.ucs2_guard import Ucs2Advice
    from kupon_desktop.store.log import Log

HELP = "send a campaign headless, or show what it would send with --dry-run"

EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2

#: messages a plain-text dry run prints before "… and N more"
TEXT_PREVIEW = 20


class UsageError(Exception):
    """An option or file the user gave that cannot be used: one line, exit 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    src = parser.add_argument_group("contacts")
    src.add_argument(
        "--contacts", metavar="FILE", help="the contact list (.xlsx, .xls, .ods, .csv)"
    )
    src.add_argument(
        "--sheet", metavar="NAME", help="the workbook sheet (default: the first with data)"
    )
    src.add_argument("--list", metavar="NAME", help="the contact base's list, instead of a file")
    src.add_argument("--segment", metavar="NAME", help="the contact base's segment, instead")
    src.add_argument(
        "--region",
        metavar="CC",
        default="RU",
        help="region for phone numbers written without a country code (default: RU)",
    )
    src.add_argument("--phone-column", metavar="NAME", help="the column holding phone numbers")
    src.add_argument("--email-column", metavar="NAME", help="the column holding e-mails")

    msg = parser.add_argument_group("message")
    msg.add_argument(
        "--type",
        dest="message_type",
        metavar="T",
        choices=[t.value for t in MessageType],
        help="message type: " + ", ".join(t.value for t in MessageType),
    )
    msg.add_argument(
        "--sender",
        metavar="S",
        default="",
        help="sender name; for --type bulk, the scenario mailing's numeric code",
    )
    text = msg.add_mutually_exclusive_group()
    text.add_argument(
        "--text",
        metavar="TEXT",
        help="message text; {column} and {column|default} are replaced per "
        "recipient, {{ and }} are literal braces",
    )
    text.add_argument("--text-file", metavar="F", help="read the message text from a UTF-8 file")
    msg.add_argument("--html-file", metavar="F", help="HTML text (email, push) from a UTF-8 file")
    msg.add_argument("--button", metavar="B", default="", help="button caption")
    msg.add_argument(
        "--action",
        metavar="A",
        default="",
        help="what the button opens: a URL, or a bot command for --type bot",
    )
    msg.add_argument("--image", metavar="URL", default="", help="image address")
    msg.add_argument("--ttl", metavar="M", type=_whole_number, help="message lifetime in minutes")
    msg.add_argument(
        "--send-at",
        metavar='"YYYY-MM-DD HH:MM"',
        help="deferred sending, in the local time zone (or --timezone); must be in the future",
    )
    msg.add_argument(
        "--timezone",
        metavar="ZONE",
        help="time zone of --send-at, e.g. Europe/Moscow (default: this computer's)",
    )
    msg.add_argument(
        "--charset",
        metavar="C",
        default=DEFAULT_CHARSET,
        help="text encoding: " + ", ".join(CHARSETS) + f" (default {DEFAULT_CHARSET})",
    )
    msg.add_argument(
        "--find-token",
        action="store_true",
        help="push/bot: let the platform find tokens by phone number or e-mail",
    )
    msg.add_argument(
        "--kannel-status",
        action="store_true",
        help="statuses in the callback use Kannel-compatible codes",
    )

    out = parser.add_argument_group("output")
    out.add_argument(
        "--dry-run",
        action="store_true",
        help="send nothing: print each rendered message and every problem",
    )
    out.add_argument("--json", action="store_true", help="print one JSON document")
    # SUPPRESS: without it the subcommand's default would overwrite `kupon-desktop --lang ru`
    out.add_argument(
        "--lang",
        choices=["en", "ru"],
        default=argparse.SUPPRESS,
        help="language of the problems (default: en)",
    )

    aud = parser.add_argument_group("audience rules")
    aud.add_argument(
        "--service",
        action="store_true",
        help="a service campaign (not advertising): recipients without consent are kept, "
        "with a warning",
    )
    aud.add_argument(
        "--window",
        metavar="HH:MM-HH:MM",
        default="09:00-22:00",
        help="hours of the recipient's own day when messages may arrive (default "
        "09:00-22:00; 21:00-08:00 runs across midnight; off for none)",
    )
    aud.add_argument(
        "--timezone-column",
        metavar="C",
        help="the column naming each recipient's time zone, UTC offset or Russian region/"
        'city (default: detected from the headers; "" for none)',
    )
    aud.add_argument(
        "--consent-column",
        metavar="C",
        help='the column recording consent to advertising (default: detected; "" for none)',
    )
    aud.add_argument(
        "--default-zone",
        metavar="ZONE",
        default="Europe/Moscow",
        help="time zone of recipients the list and the number say nothing about "
        "(default: Europe/Moscow)",
    )
    aud.add_argument(
        "--price",
        metavar="TYPE=RUB",
        action="append",
        default=[],
        help="price of one message of TYPE (of one segment for sms), e.g. sms=4.2; "
        "repeat for more types (default: example prices)",
    )

    ab = parser.add_argument_group("A/B test (with --variant)")
    ab.add_argument(
        "--variant",
        metavar="TEXT",
        action="append",
        default=[],
        help="another variant of the text (--text is variant A); repeat for up to 4 in "
        "all: a share of the list gets each, the rest the winner",
    )
    ab.add_argument(
        "--test-share",
        metavar="PCT",
        type=float,
        default=20.0,
        help="percent of the list the variants are tried on, split evenly (default 20)",
    )
    ab.add_argument(
        "--winner-by",
        choices=["delivered", "read", "clicked"],
        help="the rate that picks the winner (default: clicked; delivered for channels "
        "that report no reading: sms, hlr, voice, mms)",
    )
    ab.add_argument(
        "--decide-after",
        metavar="MINUTES",
        type=float,
        default=60.0,
        help="minutes after the test is sent before the winner is chosen (default 60)",
    )
    ab.add_argument(
        "--hold",
        action="store_true",
        help="do not send the winner by itself: wait for --resume ID --winner NAME",
    )
    ab.add_argument(
        "--winner",
        metavar="NAME",
        help="with --resume of an A/B test: send the remainder this variant (A, B, ...)",
    )
    ab.add_argument(
        "--ab-seed",
        metavar="N",
        type=int,
        help="seed of the random split (the same seed and list give the same split)",
    )

    snd = parser.add_argument_group("sending")
    snd.add_argument(
        "--spend-cap",
        metavar="RUB",
        type=_money,
        help="the estimated spend the campaign (or the whole A/B test) never passes: it "
        "pauses before, with the rest queued",
    )
    snd.add_argument("--api-url", metavar="URL", help="the platform's API address (a setting)")
    snd.add_argument(
        "--platform-timezone",
        metavar="ZONE",
        default="Europe/Moscow",
        help="the clock the platform reads a deferred send time in: an IANA name or UTC+N "
        "(default Europe/Moscow, as the window's setting)",
    )
    snd.add_argument(
        "--token-env",
        metavar="VAR",
        help="environment variable holding the API token (otherwise the credential store)",
    )
    snd.add_argument(
        "--team-server",
        metavar="URL",
        help="send as a member of a team (kupon-desktop server): its stop list refreshed "
        "first, its approval asked, statuses through it",
    )
    snd.add_argument(
        "--team-key-env",
        metavar="VAR",
        default="KUPON_TEAM_KEY",
        help="environment variable holding your user key on the team server "
        "(default KUPON_TEAM_KEY)",
    )
    snd.add_argument(
        "--team-freshness",
        metavar="SECONDS",
        type=int,
        default=300,
        help="nothing is sent when the team's stop list could not be refreshed for longer "
        "(default 300)",
    )
    snd.add_argument(
        "--callback-url",
        metavar="BASE",
        help="the receiver's address with its secret, e.g. http://127.0.0.1:8080/callback/s3cret",
    )
    snd.add_argument(
        "--db",
        metavar="PATH",
        help="the local log database (default: the installation's own); the dry run reads "
        "its stop list and never creates it",
    )
    snd.add_argument("--batch-size", metavar="N", type=_positive, help="messages per request")
    snd.add_argument("--rate", metavar="N", type=_positive, help="messages per second at most")
    snd.add_argument(
        "--resume",
        metavar="ID",
        help="continue an interrupted campaign, with the settings it was started with",
    )
    snd.add_argument(
        "--yes",
        action="store_true",
        help="with --resume: change the settings the campaign was started with without asking",
    )


def run(args: argparse.Namespace) -> int:
    try:
        lang = language(args)
        if args.resume is not None or not args.dry_run:
            from kupon_desktop.campaign.headless import run_send

            return run_send(args)
        from_base = bool(getattr(args, "list", None) or getattr(args, "segment", None))
        stop_list = _open_stop_list(args.db, from_base=from_base)
    except UsageError as exc:
        print(f"kupon-desktop send: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        plan, import_problems = plan_from_args(args, stop_list)
        ab = _ab_dry_run(args, plan, stop_list, lang) if getattr(args, "variant", None) else None
        return _dry_run(plan, import_problems, as_json=args.json, lang=lang, ab=ab)
    except UsageError as exc:
        print(f"kupon-desktop send: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if stop_list is not None:
            stop_list.close()


def plan_from_args(
    args: argparse.Namespace, stop_list: StopListLog | None, *, now: datetime | None = None
) -> tuple[Plan, list[Problem]]:
    """The campaign the options describe, planned exactly as the window plans it, and
    the import's own report (values rejected, rows repeated) as warnings by row."""
    from kupon_desktop.audience import AudienceError
    from kupon_desktop.campaign.session import plan_campaign

    lang = language(args)
    from_base = getattr(args, "list", None) or getattr(args, "segment", None)
    if not (args.contacts or from_base) or not args.message_type:
        raise UsageError("--contacts and --type are required (--list or --segment for --contacts)")
    if (
        sum(
            bool(x)
            for x in (
                args.contacts,
                from_base,
                getattr(args, "segment", None) and getattr(args, "list", None),
            )
        )
        > 1
    ):
        raise UsageError("give one of --contacts, --list, --segment")
    draft = draft_from_args(args)
    rules = audience_rules_from_args(args)
    if from_base:
        contacts = _base_contacts(args, stop_list, draft, lang)
        import_problems: list[Problem] = []
        if rules.consent_column is None:  # the ledger's column, whatever the fields hold
            from dataclasses import replace

            from kupon_desktop.campaign.from_base import CONSENT_COLUMN

            rules = replace(rules, consent_column=CONSENT_COLUMN)
    else:
        contacts, import_problems = _import_contacts(args)
    try:
        plan = plan_campaign(draft, contacts, rules, stop_list=stop_list, now=now)
    except AudienceError as exc:  # a --timezone-column or --consent-column not in the list
        raise UsageError(exc.message(lang)) from None
    return plan, import_problems


# -- building the draft ----------------------------------------------------------------


def draft_from_args(args: argparse.Namespace) -> Draft:
    from kupon_desktop.compose import Draft, normalize_charset

    text = args.text if args.text is not None else _read_text(args.text_file, "--text-file")
    html = _read_text(args.html_file, "--html-file")
    zone = _zone(args.timezone)
    return Draft(
        type=MessageType(args.message_type),
        sender=args.sender.strip(),
        text=text,
        html_text=html,
        button=args.button.strip(),
        action=args.action.strip(),
        image=args.image.strip(),
        ttl=args.ttl,
        send_at=parse_send_at(args.send_at, zone) if args.send_at else None,
        # a charset the platform does not know is kept as typed, for check() to name it
        charset=normalize_charset(args.charset) or args.charset,
        find_token=args.find_token,
        kannel_status=args.kannel_status,
    )


def parse_send_at(value: str, zone: tzinfo | None = None) -> datetime:
    """``YYYY-MM-DD HH:MM`` (or any ISO 8601 form) in ``zone``, or in the computer's
    own zone for that date (daylight saving included) when ``zone`` is None. A value
    with its own offset keeps it."""
    from datetime import datetime

    text = value.strip()
    try:
        moment = datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise UsageError(
                f'--send-at {value!r} is not a date and time like "2025-03-01 10:00"'
            ) from None
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--timezone {name!r} is not a time zone like Europe/Moscow") from None


def _read_text(path: str | None, option: str) -> str:
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8-sig") as f:
            return f.read()
    except OSError as exc:
        raise UsageError(f"{option} {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{option} {path}: not a UTF-8 text file") from None


def _whole_number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def _money(value: str) -> Decimal:
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(value.replace(",", ".").strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{value!r} is not an amount like 1500.50") from None
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be 0 or more")
    return amount


def _positive(value: str) -> int:
    number = _whole_number(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be greater than 0")
    return number


def language(args: argparse.Namespace) -> str:
    lang = (getattr(args, "lang", None) or "en").lower()[:2]
    if lang not in ("en", "ru"):
        raise UsageError(f"--lang {args.lang!r}: use en or ru")
    return lang


# -- the audience rules ------------------------------------------------------------------


def audience_rules_from_args(args: argparse.Namespace) -> AudienceRules:
    """The stop-list, consent, window and price options as the campaign's rules."""
    from kupon_desktop.audience import AudienceRules, Prices, SendWindow

    try:
        window = SendWindow.parse(args.window)
    except ValueError as exc:
        raise UsageError(f"--window: {exc}") from None
    prices: dict[str, str] = {}
    for item in args.price:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--price {item!r}: write it as TYPE=PRICE, e.g. sms=4.2")
        prices[name.strip().lower()] = value
    try:
        price_table = Prices.from_mapping(prices)
    except ValueError as exc:
        raise UsageError(f"--price: {exc}") from None
    try:
        return AudienceRules(
            window=window,
            default_zone=args.default_zone,
            timezone_column=args.timezone_column,
            consent_column=args.consent_column,
            advertising=not args.service,
            prices=price_table,
        )
    except ValueError as exc:
        raise UsageError(f"--default-zone: {exc}") from None


def _open_stop_list(db: str | None, *, from_base: bool = False) -> Log | None:
    """The log whose stop list the dry run applies; None (an empty list) when the file
    does not exist: a dry run never creates it. Read-only, except for a list or a
    segment of the base: then the statuses the receiver stored but nothing applied yet
    are applied first, so that a segment such as "delivered in the last campaign" is
    planned on them, as the window plans it."""
    from pathlib import Path

    from kupon_desktop.store.errors import LogError
    from kupon_desktop.store.log import open_log

    if db:
        path = Path(db)
    else:
        from kupon_desktop.paths import default_db_path

        path = default_db_path()
    if not path.exists():
        return None
    try:
        if not from_base:
            return open_log(path, readonly=True, busy_timeout=2.0)
        log = open_log(path, busy_timeout=2.0)
        try:
            log.apply_status_events()
        except BaseException:
            log.close()
            raise
        return log
    except LogError as exc:
        raise UsageError(str(exc)) from None


# -- contacts ----------------------------------------------------------------------------


def _import_contacts(args: argparse.Namespace) -> tuple[ContactList, list[Problem]]:
    """The contact file as the window imports it, with every value the import rejected
    and every row it left out reported as a warning by row."""
    from kupon_desktop.campaign.session import ContactList
    from kupon_desktop.compose import Problem, Severity
    from kupon_desktop.compose.personalize import ADDRESS_WORDS_PLAIN
    from kupon_desktop.compose.problems import Bilingual
    from kupon_desktop.contacts.errors import ContactsError
    from kupon_desktop.contacts.importer import import_file
    from kupon_desktop.contacts.reasons import REASONS
    from kupon_desktop.vocabulary import Address

    try:
        result = import_file(
            args.contacts,
            sheet=args.sheet,
            region=args.region,
            phone_column=args.phone_column,
            email_column=args.email_column,
        )
    except ContactsError as exc:
        raise UsageError(exc.message(language(args))) from None
    except OSError as exc:
        raise UsageError(f"{args.contacts}: {exc.strerror or exc}") from None

    warning = Severity.WARNING
    problems: list[Problem] = []
    for r in result.rejected:
        ru_en = REASONS.get(r.code)
        reason = Bilingual(ru_en[1], ru_en[0]) if ru_en else Bilingual(r.reason, r.reason)
        if r.field in ("phone", "email", "push_token"):
            problems.append(
                Problem.make(
                    warning,
                    "import_rejected_value",
                    row=r.row,
                    field=r.field,
                    what=ADDRESS_WORDS_PLAIN[Address(r.field)],
                    value=r.value,
                    reason=reason,
                )
            )
        else:
            problems.append(Problem.make(warning, "import_rejected_row", row=r.row, reason=reason))
    for d in result.duplicates:
        problems.append(Problem.make(warning, "duplicate_row", row=d.row, same_as=d.same_as))
    return ContactList.from_import(result, args.contacts), problems


def _base_contacts(
    args: argparse.Namespace, log: StopListLog | None, draft: Draft, lang: str
) -> ContactList:
    """The list or segment of the base in the log, as it is now."""
    from kupon_desktop.campaign.from_base import contact_list_from_base
    from kupon_desktop.errors import KuponError

    team = _team_base(args, log)
    if team is None and (log is None or not hasattr(log, "base_rows")):
        raise UsageError("no contact base: the log does not exist yet")
    try:
        # the team's base when sending as a member of a team: its members and its
        # consent ledger now, frozen into the campaign as a local list's are
        return contact_list_from_base(
            team or log,  # type: ignore[arg-type]
            draft.type,
            list_name=args.list,
            segment=args.segment,
        )
    except KuponError as exc:
        raise UsageError(exc.message(lang)) from None
    finally:
        if team is not None:
            team.close()


def _team_base(args: argparse.Namespace, log: StopListLog | None) -> Any:
    """The team server's base of ``--team-server`` (None: this computer's)."""
    url = getattr(args, "team_server", None)
    if not url:
        return None
    import os

    from kupon_desktop.config import validate_team_url
    from kupon_desktop.team.base import RemoteBase

    try:
        url = validate_team_url(url)
    except ValueError as exc:
        raise UsageError(f"--team-server: {exc}") from None
    var = getattr(args, "team_key_env", None) or "KUPON_TEAM_KEY"
    key = os.environ.get(var, "").strip()
    if not key:
        raise UsageError(f"no team user key: the environment variable {var} is empty")
    return RemoteBase(url, key, local=log)


# -- the dry run -------------------------------------------------------------------------


def _ab_dry_run(
    args: argparse.Namespace, plan: Plan, stop_list: StopListLog | None, lang: str
) -> dict[str, Any]:
    """Every variant's plan for an A/B test (``--variant``): its text, the same checks as
    variant A, its UCS-2 advice and what it would cost sent to the whole list; and how
    the list would be split (the split itself is drawn when the test is created)."""
    from dataclasses import replace as replaced

    from kupon_desktop.campaign.ab import VARIANT_NAMES, ABSettings, default_metric
    from kupon_desktop.campaign.session import plan_campaign
    from kupon_desktop.errors import KuponError

    texts = [plan.draft.text, *args.variant]
    if len(texts) > len(VARIANT_NAMES):
        raise UsageError(
            "в A/B-тесте не больше 4 вариантов"
            if lang == "ru"
            else "an A/B test has at most 4 variants"
        )
    try:
        settings = ABSettings(
            share=args.test_share / 100.0,
            metric=args.winner_by or default_metric(plan.draft.type),
            decide_after=args.decide_after,
            auto=not args.hold,
            seed=args.ab_seed,
        )
    except KuponError as exc:
        raise UsageError(exc.message(lang)) from None
    sendable = plan.sendable
    test = round(sendable * settings.share)
    variants = []
    listed = {(p.code, p.row) for p in plan.problems}
    for name, text in zip(VARIANT_NAMES, texts, strict=False):
        if name == "A":
            each = plan
        else:
            each = plan_campaign(
                replaced(plan.draft, text=text), plan.contacts, plan.rules, stop_list=stop_list
            )
        advice = _ucs2(each.draft)
        est = each.estimate
        variants.append(
            {
                "variant": name,
                "text": text,
                "recipients": len(range(VARIANT_NAMES.index(name), test, len(texts))),
                "segments": sum(m.segments for m in each.messages),
                "estimate_whole_list": None if est is None else est.as_json(),
                "ucs2_advice": None if advice is None else advice.as_json(),
                # the variant's own: A's (and the list's) are the document's "problems"
                "problems": [
                    {
                        "severity": p.severity.value,
                        "code": p.code,
                        "row": p.row,
                        "message": p.message(lang),
                    }
                    for p in each.problems
                    if name != "A" and (p.code, p.row) not in listed
                ],
                "blocking": each.blocking,
            }
        )
    return {
        "share": settings.share,
        "metric": settings.metric,
        "decide_after_minutes": settings.decide_after,
        "auto": settings.auto,
        "sendable": sendable,
        "test": test,
        "remainder": sendable - test,
        "variants": variants,
    }


def _dry_run(
    plan: Plan,
    import_problems: list[Problem],
    *,
    as_json: bool,
    lang: str,
    ab: dict[str, Any] | None = None,
) -> int:
    # draft-wide problems first (the audience rules' after the draft's and the import's),
    # then everything about single rows in row order
    found = plan.problems + import_problems
    problems = [p for p in found if p.row is None]
    by_row = [p for p in found if p.row is not None]
    by_row.sort(key=lambda p: p.row)  # type: ignore[arg-type, return-value]
    problems += by_row
    audience = plan.audience
    if audience is None:  # the template cannot be rendered: nothing to plan
        from kupon_desktop.audience import apply_rules

        audience = apply_rules(plan.draft, _empty_contacts(), None, [], rules=plan.rules)
    if as_json:
        _print_json(plan.messages, audience, problems, lang, _ucs2(plan.draft), ab)
    else:
        _print_text(plan.messages, audience, problems, lang, _ucs2(plan.draft))
        if ab is not None:
            _print_ab(ab, lang)
    blocked = any(p.blocking for p in problems)
    if ab is not None:
        blocked = blocked or any(v["blocking"] for v in ab["variants"])
    return EXIT_BLOCKED if blocked else EXIT_OK


def _print_ab(ab: dict[str, Any], lang: str) -> None:
    ru = lang == "ru"
    out = Utf8Out()
    out.write(
        (
            f"A/B-тест: {len(ab['variants'])} вар., тест {ab['test']} из {ab['sendable']} "
            f"({ab['share'] * 100:g} %), победитель по {ab['metric']} через "
            f"{ab['decide_after_minutes']:g} мин, остальным {ab['remainder']}\n"
        )
        if ru
        else (
            f"A/B test: {len(ab['variants'])} variants, test {ab['test']} of {ab['sendable']} "
            f"({ab['share'] * 100:g} %), winner by {ab['metric']} after "
            f"{ab['decide_after_minutes']:g} min, the rest {ab['remainder']}\n"
        )
    )
    for v in ab["variants"]:
        est = v["estimate_whole_list"]
        cost = "—" if est is None else f"{est['cost']} {est.get('currency', '')}".strip()
        out.write(
            (
                f"  вариант {v['variant']}: получателей в тесте {v['recipients']}, "
                f"частей на весь список {v['segments']}, оценка на весь список {cost}\n"
            )
            if ru
            else (
                f"  variant {v['variant']}: {v['recipients']} in the test, "
                f"{v['segments']} part(s) for the whole list, {cost} for the whole list\n"
            )
        )
        out.write("    " + v["text"].replace("\n", "\n    ") + "\n")
        for p in v["problems"]:
            word = (
                ("ошибка" if ru else "error")
                if p["severity"] == "error"
                else ("предупреждение" if ru else "warning")
            )
            out.write(f"    {word}: {p['message']}\n")
    out.flush()


def _ucs2(draft: Draft) -> Ucs2Advice | None:
    """The UCS-2 guard's advice for an SMS text (the channel billed by the part)."""
    from kupon_desktop.compose.ucs2_guard import advise

    return advise(draft.text) if draft.type is MessageType.SMS else None


def _empty_contacts() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {c: pd.Series([], dtype="string") for c in ("phone", "email", "push_token")}
    ).assign(row=pd.Series([], dtype="int64"))


def _sent(messages: list[Rendered], plan: AudiencePlan) -> list[tuple[Rendered, int]]:
    """The messages that will be sent (the rules' exclusions left out), each with its
    zone's index in ``plan.zone_keys``. ``render`` leaves out contacts without an
    address, so ``messages`` and the plan are in step."""
    kept = plan.kept.tolist()
    codes = plan.zone_codes.tolist()
    return [(m, codes[i]) for i, m in enumerate(messages) if kept[i]]


def _print_json(
    messages: list[Rendered],
    plan: AudiencePlan,
    problems: list[Problem],
    lang: str,
    ucs2: Ucs2Advice | None = None,
    ab: dict[str, Any] | None = None,
) -> None:
    """The document of issues 6 and 8, streamed: a million messages never sit in memory
    twice. With ``--variant``, an ``ab`` key after the others: every variant's plan."""
    import json

    def dumps(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False)

    zones = plan.zone_keys
    scheduled = [None if t is None else t.isoformat() for t in plan.send_times]
    sent = _sent(messages, plan)
    out = Utf8Out()
    out.write('{"messages": [')
    chunk: list[str] = []
    for i, (m, zone) in enumerate(sent):
        chunk.append(
            ("\n  " if i == 0 else ",\n  ")
            + dumps(
                {
                    "row": m.row,
                    "address": m.address,
                    "text": m.text,
                    "characters": m.characters,
                    "encoding": m.encoding,
                    "segments": m.segments,
                    "timezone": zones[zone],
                    "scheduled_at": scheduled[zone],
                }
            )
        )
        if len(chunk) >= 10_000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    out.write("\n]" if sent else "]")
    out.write(', "excluded": [')
    out.write(",".join("\n  " + dumps(e.as_json()) for e in plan.exclusions))
    out.write("\n]" if plan.exclusions else "]")
    out.write(', "estimate": ' + dumps(plan.estimate.as_json()))
    out.write(', "ucs2_advice": ' + dumps(None if ucs2 is None else ucs2.as_json()))
    out.write(', "problems": [')
    out.write(
        ",".join(
            "\n  "
            + dumps(
                {
                    "severity": p.severity.value,
                    "code": p.code,
                    "row": p.row,
                    "message": p.message(lang),
                }
            )
            for p in problems
        )
    )
    out.write("\n]" if problems else "]")
    if ab is not None:
        out.write(', "ab": ' + dumps(ab))
    out.write("}\n")
    out.flush()


#: the plain-text dry run's own lines, (English, Russian)
_TEXT_LINES = {
    "message": (
        "row {row} → {address}  [{encoding}, {characters} characters, {segments} segment(s)]",
        "строка {row} → {address}  [{encoding}, символов: {characters}, частей: {segments}]",
    ),
    "more": ("… and {count} more (--json prints them all)", "… и ещё {count} (все выводит --json)"),
    "total": (
        "{messages} message(s), {segments} segment(s) in all",
        "сообщений: {messages}, всего частей: {segments}",
    ),
    "longest": (
        "; the longest: row {row}, {characters} characters ({encoding}), {segments} segment(s)",
        "; самое длинное: строка {row}, символов: {characters} ({encoding}), частей: {segments}",
    ),
    "scheduled": ("scheduled for {when} ({zone})", "запланировано на {when} ({zone})"),
    "excluded": (
        "excluded: {count} (stop list: {stop_list}, no consent: {no_consent})",
        "исключено: {count} (стоп-лист: {stop_list}, без согласия: {no_consent})",
    ),
    "estimate": (
        "estimated cost: {cost} ({messages} message(s), {segments} billed unit(s))",
        "оценка стоимости: {cost} (сообщений: {messages}, тарифицируемых единиц: {segments})",
    ),
    "examples": (
        " at example prices (--price sets yours)",
        " по примерным ценам (свои задаёт --price)",
    ),
    "counts": (
        "{errors} error(s), {warnings} warning(s)",
        "ошибок: {errors}, предупреждений: {warnings}",
    ),
    "ucs2": (
        "UCS-2: {chars} make each SMS shorter ({before} part(s)); with plain quotes and dashes "
        "{after}, in Latin letters {translit}",
        "UCS-2: из-за символов {chars} SMS короче (частей: {before}); с простыми кавычками и "
        "дефисами — {after}, латиницей — {translit}",
    ),
    "error": ("error", "ошибка"),
    "warning": ("warning", "предупреждение"),
}


def _print_text(
    messages: list[Rendered],
    plan: AudiencePlan,
    problems: list[Problem],
    lang: str,
    ucs2: Ucs2Advice | None = None,
) -> None:
    from kupon_desktop.compose import summarize

    def say(key: str, **values: Any) -> str:
        return _TEXT_LINES[key][0 if lang == "en" else 1].format(**values)

    sent = _sent(messages, plan)
    out = Utf8Out()
    for m, zone in sent[:TEXT_PREVIEW]:
        out.write(
            say(
                "message",
                row=m.row,
                address=m.address,
                encoding=m.encoding,
                characters=m.characters,
                segments=m.segments,
            )
            + "\n"
        )
        when = plan.send_times[zone]
        if when is not None:
            out.write(
                "    "
                + say("scheduled", when=f"{when:%Y-%m-%d %H:%M}", zone=plan.zone_keys[zone])
                + "\n"
            )
        out.write("    " + m.text.replace("\n", "\n    ") + "\n")
    if len(sent) > TEXT_PREVIEW:
        out.write(say("more", count=len(sent) - TEXT_PREVIEW) + "\n")
    summary = summarize([m for m, _ in sent])
    line = say("total", messages=summary.messages, segments=summary.total_segments)
    if summary.longest is not None:
        lm = summary.longest
        line += say(
            "longest",
            row=lm.row,
            characters=lm.characters,
            encoding=lm.encoding,
            segments=lm.segments,
        )
    out.write(line + "\n")
    if plan.exclusions:
        out.write(
            say(
                "excluded",
                count=len(plan.exclusions),
                stop_list=plan.excluded_count("stop list"),
                no_consent=plan.excluded_count("no consent"),
            )
            + "\n"
        )
    est = plan.estimate
    out.write(
        say(
            "estimate",
            cost=wording.amount(est.cost, lang, est.currency),
            messages=est.messages,
            segments=est.segments,
        )
        + (say("examples") if est.examples else "")
        + "\n"
    )
    if ucs2 is not None:
        out.write(
            say(
                "ucs2",
                chars=" ".join(sorted({ch for _, ch in ucs2.culprits})),
                before=ucs2.before.segments,
                after=ucs2.replaced.length.segments,
                translit=ucs2.transliterated.length.segments,
            )
            + "\n"
        )
    for p in problems:
        out.write(f"{say(p.severity.value)}: {p.message(lang)}\n")
    errors = sum(p.blocking for p in problems)
    out.write(say("counts", errors=errors, warnings=len(problems) - errors) + "\n")
    out.flush()

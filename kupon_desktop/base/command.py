"""``kupon-desktop base``: the contact base from the command line.

::

    kupon-desktop base import FILE --list NAME [--tag T] [--consent-column C]
    kupon-desktop base lists [--deleted]
    kupon-desktop base delete-list NAME | restore-list NAME
    kupon-desktop base export FILE [--list NAME | --segment NAME]      (.xlsx or .csv)
    kupon-desktop base segment create NAME --where Город=Москва --outcome delivered@last
    kupon-desktop base segment list | show NAME | count NAME | delete NAME
    kupon-desktop base tag TAG (--list NAME | --segment NAME) [--remove]
    kupon-desktop base retarget CAMPAIGN GROUP (--as-list NAME | --as-segment NAME)
    kupon-desktop base consent give ADDRESS --wording TEXT [--channel phone|email|all]
    kupon-desktop base consent withdraw ADDRESS [--channel ...] [--note TEXT]
    kupon-desktop base consent-proof ADDRESS --out FILE
    kupon-desktop base hygiene [--last N] [--list NAME] [--apply stoplist|remove]
    kupon-desktop base results [--by channel|source|day|week|month|campaign] [--out FILE]

Every action takes ``--db PATH`` and ``--json``; ``--lang`` (the program-wide option)
picks the language of what is printed. An error is one line on stderr, exit 2.
Imports nothing heavy at module level.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kupon_desktop.console import Utf8Out
from kupon_desktop.errors import pick

HELP = "the contact base: import into a list, lists, segments, export, consent proof"

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_USAGE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    db_help = "the local log database (default: the installation's own)"
    parser.add_argument("--db", metavar="PATH", help=db_help)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    team_help = (
        "the team server's base instead of this computer's (kupon-desktop server); "
        "your user key in $KUPON_TEAM_KEY"
    )
    key_help = "environment variable holding your user key (default KUPON_TEAM_KEY)"
    parser.add_argument("--team-server", metavar="URL", help=team_help)
    parser.add_argument("--team-key-env", metavar="VAR", default="KUPON_TEAM_KEY", help=key_help)

    def action(
        name: str, help_text: str, parent: Any = actions, dest: str = "action"
    ) -> argparse.ArgumentParser:
        sp: argparse.ArgumentParser = parent.add_parser(name, help=help_text, description=help_text)
        sp.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
        sp.add_argument("--team-server", metavar="URL", default=argparse.SUPPRESS, help=team_help)
        sp.add_argument("--team-key-env", metavar="VAR", default=argparse.SUPPRESS, help=key_help)
        sp.add_argument("--json", action="store_true", help="print one JSON document")
        return sp

    def selection(sp: argparse.ArgumentParser) -> None:
        group = sp.add_mutually_exclusive_group()
        group.add_argument("--list", metavar="NAME", help="the contacts of this list")
        group.add_argument("--segment", metavar="NAME", help="the contacts of this segment")

    imp = action("import", "merge a file (.csv, .xlsx, .xls, .ods) into the base and a list")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--list", metavar="NAME", required=True, help="the list (made if new)")
    imp.add_argument("--sheet", metavar="NAME", help="workbook sheet (default: first with data)")
    imp.add_argument("--region", metavar="CC", default="RU", help="numbers' country (RU)")
    imp.add_argument("--phone-column", metavar="C", help="the phone column")
    imp.add_argument("--email-column", metavar="C", help="the e-mail column")
    imp.add_argument(
        "--consent-column",
        metavar="C",
        help="the consent column (default: found by its header; '' for none)",
    )
    imp.add_argument("--tag", action="append", default=[], metavar="T", help="tag every row")

    lists = action("lists", "print the lists with their sizes")
    lists.add_argument("--deleted", action="store_true", help="deleted lists too")
    action("delete-list", "delete a list (it can be restored)").add_argument("name")
    action("restore-list", "restore a deleted list").add_argument("name")

    exp = action("export", "write contacts to FILE (.xlsx or .csv): the base, a list or segment")
    exp.add_argument("file", metavar="FILE")
    selection(exp)

    seg = action("segment", "saved segments: create, list, show, count, delete")
    seg_actions = seg.add_subparsers(dest="segment_action", metavar="WHAT", required=True)
    create = action("create", "save a segment (every condition must hold)", seg_actions)
    create.add_argument("name")
    create.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE")
    create.add_argument("--contains", action="append", default=[], metavar="FIELD=TEXT")
    create.add_argument(
        "--empty", action="append", default=[], metavar="FIELD", help="!FIELD: not empty"
    )
    create.add_argument("--date", action="append", default=[], metavar="FIELD=RANGE")
    create.add_argument(
        "--birthday", action="append", default=[], metavar="FIELD=RANGE", help="every year"
    )
    create.add_argument("--in-list", action="append", default=[], metavar="NAME")
    create.add_argument("--tag", action="append", default=[], metavar="T")
    create.add_argument("--consent", action="append", default=[], metavar="CHANNEL")
    create.add_argument(
        "--outcome",
        action="append",
        default=[],
        metavar="GROUP@CAMPAIGN",
        help="sent/delivered/read/clicked/undelivered @ an id, a name, last, or days:N",
    )
    create.add_argument("--not-outcome", action="append", default=[], metavar="GROUP@CAMPAIGN")
    create.add_argument("--definition", metavar="JSON", help="a condition as JSON")
    action("list", "print the segments with their sizes", seg_actions)
    for name, text in (
        ("show", "print a segment's definition and size"),
        ("count", "print how many contacts a segment holds now"),
        ("delete", "delete a segment"),
    ):
        action(name, text, seg_actions).add_argument("name")

    tag = action("tag", "tag (or untag) the contacts of a list or segment")
    tag.add_argument("tag")
    selection(tag)
    tag.add_argument("--remove", action="store_true")

    ret = action("retarget", "save a campaign's group as a list or a segment")
    ret.add_argument("campaign", help="an id, a name, or last")
    ret.add_argument("group", choices=("sent", "delivered", "read", "clicked", "undelivered"))
    to = ret.add_mutually_exclusive_group(required=True)
    to.add_argument("--as-list", metavar="NAME")
    to.add_argument("--as-segment", metavar="NAME")

    con = action("consent", "record a consent given or withdrawn")
    con_actions = con.add_subparsers(dest="consent_action", metavar="WHAT", required=True)
    give = action("give", "consent given (typed), with its wording", con_actions)
    give.add_argument("address")
    give.add_argument("--wording", required=True, help="what the person agreed to")
    give.add_argument("--channel", choices=("phone", "email", "all"))
    give.add_argument("--region", metavar="CC", default="RU")
    wd = action("withdraw", "consent withdrawn: no advertising from now on", con_actions)
    wd.add_argument("address")
    wd.add_argument("--channel", choices=("phone", "email", "all"), default="all")
    wd.add_argument("--note", default="", help="how it was withdrawn")
    wd.add_argument("--region", metavar="CC", default="RU")

    proof = action("consent-proof", "write the consent proof for a number or e-mail (XLSX)")
    proof.add_argument("address")
    proof.add_argument("--out", metavar="FILE", required=True)
    proof.add_argument("--region", metavar="CC", default="RU")

    hyg = action("hygiene", "contacts whose last messages all failed (20, 22, 23, 25)")
    hyg.add_argument("--last", type=int, default=3, metavar="N", help="messages (default 3)")
    selection(hyg)
    hyg.add_argument("--apply", choices=("stoplist", "remove"), help="act on the suggestions")

    res = action("results", "the funnel across campaigns and its cost")
    res.add_argument(
        "--by",
        choices=("channel", "source", "day", "week", "month", "campaign"),
        action="append",
        help="grouping (repeatable; default channel)",
    )
    res.add_argument("--since", metavar="YYYY-MM-DD")
    res.add_argument("--until", metavar="YYYY-MM-DD")
    res.add_argument("--out", metavar="FILE", help="also write an XLSX, one sheet per grouping")


class _Usage(Exception):
    def __init__(self, en: str, ru: str) -> None:
        super().__init__(en)
        self.en, self.ru = en, ru


def run(args: argparse.Namespace) -> int:
    from kupon_desktop.errors import KuponError

    lang = (getattr(args, "lang", None) or "en").lower()[:2]
    lang = lang if lang in ("en", "ru") else "en"
    name = args.action
    for sub in ("segment_action", "consent_action"):
        if getattr(args, sub, None):
            name += " " + getattr(args, sub)
    try:
        return _ACTIONS[args.action](args, lang)
    except KuponError as exc:
        message = exc.message(lang)
    except _Usage as exc:
        message = pick(lang, exc.ru, exc.en)
    except OSError as exc:
        message = f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
    print(f"kupon-desktop base {name}: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USAGE


def _open(args: argparse.Namespace, *, write: bool = True, team: bool = True) -> Any:
    """The base the action works on: this computer's log, or with ``--team-server``
    the team's base (this computer's log beside it, for what only it holds: the
    messages it sent, its campaigns). ``team``: the action works on the team's base."""
    url = getattr(args, "team_server", None)
    if url:
        if not team:
            raise _Usage(
                "this action works on this computer's own base only (without --team-server)",
                "это действие работает только с собственной базой компьютера (без --team-server)",
            )
        return _open_team(args, url)
    return _open_local(args, write=write)


def _open_team(args: argparse.Namespace, url: str) -> Any:
    import os

    from kupon_desktop.config import validate_team_url
    from kupon_desktop.team.base import RemoteBase

    try:
        url = validate_team_url(url)
    except ValueError as exc:
        en, ru = getattr(exc, "message_en", str(exc)), getattr(exc, "message_ru", str(exc))
        raise _Usage(f"--team-server: {en}", f"--team-server: {ru}") from None
    var = getattr(args, "team_key_env", None) or "KUPON_TEAM_KEY"
    key = os.environ.get(var, "").strip()
    if not key:
        raise _Usage(
            f"no team user key: the environment variable {var} is empty",
            f"нет ключа пользователя команды: переменная окружения {var} пуста",
        )
    local = _open_local(args, write=True)
    return RemoteBase(url, key, local=local)


def _open_local(args: argparse.Namespace, *, write: bool = True) -> Any:
    from kupon_desktop.store.log import open_log

    if args.db:
        path = Path(args.db)
    else:
        from kupon_desktop.paths import default_db_path

        path = default_db_path()
    if not write and not path.exists():
        raise _Usage(f"no log at {path}", f"нет журнала {path}")
    log = open_log(path)
    # the statuses the receiver stored since: a segment "delivered in the last campaign",
    # a retarget or the funnel must see them, as the window does
    log.apply_status_events()
    return log


def _out(args: argparse.Namespace, data: Any, text: str) -> None:
    out = Utf8Out()
    if args.json:
        out.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        out.write(text + ("\n" if text else ""))
    out.flush()


def _selection(args: argparse.Namespace) -> dict[str, Any]:
    if getattr(args, "list", None):
        return {"list": args.list}
    if getattr(args, "segment", None):
        return {"segment": args.segment}
    return {}


def _import(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.base.importing import import_into_base

    with _open(args) as log:
        report = import_into_base(
            log,
            args.file,
            args.list,
            sheet=args.sheet,
            region=args.region,
            phone_column=args.phone_column,
            email_column=args.email_column,
            consent_column=args.consent_column,
            tags=args.tag,
        )
    lines = [report.summary(lang)]
    for r in report.rejected[:50]:
        value = f" «{r.value}»" if r.value else ""
        lines.append(pick(lang, "  строка ", "  row ") + f"{r.row}{value}: {r.reason(lang)}")
    if len(report.rejected) > 50:
        lines.append(
            pick(
                lang,
                f"  … и ещё {len(report.rejected) - 50}",
                f"  … and {len(report.rejected) - 50} more",
            )
        )
    _out(args, report.as_json(), "\n".join(lines))
    return EXIT_OK


def _lists(args: argparse.Namespace, lang: str) -> int:
    with _open(args) as log:
        lists = log.base_lists(deleted=args.deleted)
        size = log.base_size()
    data = {
        "contacts": size,
        "lists": [
            {"name": x.name, "size": x.size, "deleted": x.deleted_at is not None} for x in lists
        ],
    }
    lines = [pick(lang, f"контактов в базе: {size}", f"{size} contact(s) in the base")]
    for x in lists:
        gone = pick(lang, " (удалён)", " (deleted)") if x.deleted_at is not None else ""
        lines.append(f"  {x.name}\t{x.size}{gone}")
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def _delete_list(args: argparse.Namespace, lang: str) -> int:
    with _open(args) as log:
        log.base_delete_list(args.name)
    _out(
        args,
        {"deleted": args.name},
        pick(lang, f"список «{args.name}» удалён", f"list {args.name!r} deleted"),
    )
    return EXIT_OK


def _restore_list(args: argparse.Namespace, lang: str) -> int:
    with _open(args) as log:
        log.base_restore_list(args.name)
    _out(
        args,
        {"restored": args.name},
        pick(lang, f"список «{args.name}» восстановлен", f"list {args.name!r} restored"),
    )
    return EXIT_OK


def _export(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.base.export import export_contacts

    with _open(args) as log:
        count = export_contacts(log, _selection(args), Path(args.file), lang=lang)
    _out(
        args,
        {"file": args.file, "contacts": count},
        pick(
            lang,
            f"контактов: {count}, файл {args.file}",
            f"{count} contact(s) written to {args.file}",
        ),
    )
    return EXIT_OK


def _segment(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.base.segments import definition_from_options

    what = args.segment_action
    with _open(args) as log:
        if what == "create":
            definition = definition_from_options(
                where=args.where,
                contains=args.contains,
                empty=args.empty,
                dates=args.date,
                birthdays=args.birthday,
                lists=args.in_list,
                tags=args.tag,
                consent=args.consent,
                outcomes=args.outcome,
                not_outcomes=args.not_outcome,
                raw=args.definition,
            )
            log.base_save_segment(args.name, definition)
            size = log.base_count({"segment": args.name})
            _out(
                args,
                {"name": args.name, "definition": definition, "size": size},
                pick(
                    lang,
                    f"сегмент «{args.name}» сохранён: {size} контакт(ов)",
                    f"segment {args.name!r} saved: {size} contact(s)",
                ),
            )
        elif what == "list":
            rows = [
                {
                    "name": s.name,
                    "size": log.base_count({"segment": s.name}),
                    "definition": s.definition,
                }
                for s in log.base_segments()
            ]
            _out(args, rows, "\n".join(f"{r['name']}\t{r['size']}" for r in rows))
        elif what == "show":
            definition = log.base_segment(args.name)
            size = log.base_count({"segment": args.name})
            _out(
                args,
                {"name": args.name, "definition": definition, "size": size},
                json.dumps(definition, ensure_ascii=False, indent=2)
                + "\n"
                + pick(lang, f"контактов: {size}", f"{size} contact(s)"),
            )
        elif what == "count":
            size = log.base_count({"segment": args.name})
            _out(args, {"name": args.name, "size": size}, str(size))
        else:
            log.base_delete_segment(args.name)
            _out(
                args,
                {"deleted": args.name},
                pick(lang, f"сегмент «{args.name}» удалён", f"segment {args.name!r} deleted"),
            )
    return EXIT_OK


def _tag(args: argparse.Namespace, lang: str) -> int:
    selection = _selection(args)
    if not selection:
        raise _Usage("name a --list or a --segment", "укажите --list или --segment")
    with _open(args) as log:
        n = log.base_tag(args.tag, selection, remove=args.remove)
    _out(args, {"tag": args.tag, "changed": n}, pick(lang, f"изменено: {n}", f"{n} changed"))
    return EXIT_OK


def _retarget(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.base.retarget import save_group

    with _open(args, team=False) as log:
        done = save_group(
            log, args.campaign, args.group, as_list=args.as_list, as_segment=args.as_segment
        )
    kind_ru = "список" if done.kind == "list" else "сегмент"
    _out(
        args,
        {
            "campaign": done.campaign_id,
            "group": done.group,
            done.kind: done.name,
            "contacts": done.contacts,
            "added_to_base": done.added_to_base,
        },
        pick(
            lang,
            (
                f"{kind_ru} «{done.name}»: {done.contacts} контакт(ов) ({done.group}); "
                f"новых в базе {done.added_to_base}"
            ),
            (
                f"{done.kind} {done.name!r}: {done.contacts} contact(s) ({done.group}); "
                f"{done.added_to_base} new in the base"
            ),
        ),
    )
    return EXIT_OK


def _consent(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.base.consent import give_consent, withdraw_consent

    with _open(args) as log:
        if args.consent_action == "give":
            contact = give_consent(
                log, args.address, args.wording, channel=args.channel, region=args.region
            )
            text = pick(lang, "согласие записано", "consent recorded")
        else:
            contact = withdraw_consent(
                log, args.address, channel=args.channel, note=args.note, region=args.region
            )
            text = pick(
                lang,
                "согласие отозвано: реклама больше не отправляется",
                "consent withdrawn: no advertising from now on",
            )
    _out(args, {"contact": contact, "action": args.consent_action}, text)
    return EXIT_OK


def _proof(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.base.consent import consent_proof

    with _open(args) as log:
        proof = consent_proof(log, args.address, args.out, lang=lang, region=args.region)
    _out(
        args,
        {"file": str(proof.path), "consent_events": proof.events, "messages": proof.messages},
        pick(
            lang,
            f"{proof.path}: событий согласия {proof.events}, сообщений {proof.messages}",
            f"{proof.path}: {proof.events} consent event(s), {proof.messages} message(s)",
        ),
    )
    return EXIT_OK


def _hygiene(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.base import hygiene

    if args.last < 1:
        raise _Usage("--last must be at least 1", "--last — не меньше 1")
    with _open(args, team=False) as log:
        found = hygiene.suggest(log, last=args.last, selection=_selection(args) or None)
        applied = hygiene.apply(log, found, args.apply) if args.apply and found else 0
    data = {
        "suggested": [
            {"contact": s.contact, "address": s.address, "statuses": s.statuses} for s in found
        ],
        "applied": args.apply,
        "changed": applied,
    }
    lines = [f"{s.address}\t{','.join(map(str, s.statuses))}" for s in found]
    lines.append(pick(lang, f"предложено: {len(found)}", f"{len(found)} suggested"))
    if args.apply:
        lines.append(pick(lang, f"изменено: {applied}", f"{applied} changed"))
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def _day(value: str | None, option: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").astimezone()
    except ValueError:
        raise _Usage(
            f"{option} {value!r}: write YYYY-MM-DD", f"{option} «{value}»: пишите ГГГГ-ММ-ДД"
        ) from None


def _results(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.base.results import by_title, export_funnels, funnel

    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    groupings = args.by or ["channel"]
    with _open(args) as log:
        tables = [(by, funnel(log, by, since=since, until=until)) for by in groupings]
    if args.out:
        export_funnels(args.out, [(by_title(by, lang), rows) for by, rows in tables], lang)
    data = {by: [f.as_json() for f in rows] for by, rows in tables}
    lines = []
    for by, rows in tables:
        lines.append(by_title(by, lang))
        for f in rows:
            lines.append(f"  {f.key}\t{f.sent} → {f.delivered} → {f.read} → {f.clicked}\t{f.cost}")
    _out(args, data, "\n".join(lines))
    return EXIT_OK


_ACTIONS = {
    "import": _import,
    "lists": _lists,
    "delete-list": _delete_list,
    "restore-list": _restore_list,
    "export": _export,
    "segment": _segment,
    "tag": _tag,
    "retarget": _retarget,
    "consent": _consent,
    "consent-proof": _proof,
    "hygiene": _hygiene,
    "results": _results,
}

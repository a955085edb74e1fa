"""``kupon-desktop stoplist``: the installation's stop list from the command line.

::

    kupon-desktop stoplist add ADDRESS... [--note N]
    kupon-desktop stoplist remove ADDRESS...
    kupon-desktop stoplist import FILE [--sheet S] [--phone-column C] [--email-column C]
    kupon-desktop stoplist export FILE          (.xlsx or .csv)
    kupon-desktop stoplist list [--json]

Every action takes ``--db PATH`` (default: the installation's own log). ``list`` and
``export`` only read: a log that does not exist is an empty list and is not created.

Exit codes: 0 done; 1 nothing to do (``remove`` of an address not listed); 2 a usage
error (a bad address, an unreadable file, a log that cannot be opened).
Imports nothing heavy at module level.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kupon_desktop.console import Utf8Out

HELP = "show and change the stop list: add, remove, import FILE, export FILE, list"

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_USAGE = 2

#: (English, Russian) lines; ``--lang`` (the program-wide option) picks one
_TEXT = {
    "added": ("added {address} to the stop list", "{address} добавлен в стоп-лист"),
    "already": ("{address} is already on the stop list", "{address} уже в стоп-листе"),
    "removed": ("removed {address} from the stop list", "{address} удалён из стоп-листа"),
    "not_listed": ("{address} is not on the stop list", "{address} нет в стоп-листе"),
    "imported": (
        "{file}: {added} new, {already} already listed, {rejected} value(s) rejected",
        "{file}: новых {added}, уже были в списке {already}, отклонено значений {rejected}",
    ),
    "rejected": (
        "  row {row}, {field}: «{value}» — {reason}",
        "  строка {row}, {field}: «{value}» — {reason}",
    ),
    "exported": ("{count} entr(ies) written to {file}", "записей: {count}, файл {file}"),
    "empty": ("the stop list is empty", "стоп-лист пуст"),
    "total": ("{count} entr(ies)", "записей: {count}"),
}


def _say(lang: str, key: str, **values: Any) -> str:
    return _TEXT[key][0 if lang == "en" else 1].format(**values)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    db_help = "the local log database (default: the installation's own)"
    parser.add_argument("--db", metavar="PATH", help=db_help)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sp = actions.add_parser(name, help=help_text, description=help_text)
        # SUPPRESS: given after the action it wins, before it the parent's value stays
        sp.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
        sp.add_argument(
            "--region",
            metavar="CC",
            default="RU",
            help="country of numbers written without a country code (default: RU)",
        )
        return sp

    add = action("add", "add phone numbers or e-mail addresses, in any usual shape")
    add.add_argument("addresses", nargs="+", metavar="ADDRESS")
    add.add_argument("--note", metavar="N", default="", help="why they are listed")

    remove = action("remove", "remove phone numbers or e-mail addresses")
    remove.add_argument("addresses", nargs="+", metavar="ADDRESS")

    imp = action("import", "add every phone and e-mail of a file (.csv, .xlsx, .xls, .ods)")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--sheet", metavar="NAME", help="workbook sheet (default: first with data)")
    imp.add_argument("--phone-column", metavar="C", help="the phone column: name, letter or number")
    imp.add_argument(
        "--email-column", metavar="C", help="the e-mail column: name, letter or number"
    )
    imp.add_argument("--note", metavar="N", default="", help="note for entries without one")
    imp.add_argument("--json", action="store_true", help="print one JSON document")

    exp = action("export", "write the stop list to FILE (.xlsx or .csv)")
    exp.add_argument("file", metavar="FILE")

    lst = action("list", "print the stop list")
    lst.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace) -> int:
    from kupon_desktop.audience.errors import AudienceError
    from kupon_desktop.contacts.errors import ContactsError
    from kupon_desktop.store.errors import LogError

    lang = (getattr(args, "lang", None) or "en").lower()[:2]
    lang = lang if lang in ("en", "ru") else "en"
    try:
        return _ACTIONS[args.action](args, lang)
    except AudienceError as exc:
        message = exc.message_ru if lang == "ru" and exc.message_ru else str(exc)
    except ContactsError as exc:
        message = str(exc)
    except LogError as exc:
        message = exc.message_ru if lang == "ru" else str(exc)
    except OSError as exc:
        message = f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
    print(f"kupon-desktop stoplist {args.action}: {message}", file=sys.stderr)
    return EXIT_USAGE


def _db_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    from kupon_desktop.paths import default_db_path

    return default_db_path()


def _open(args: argparse.Namespace) -> Any:
    from kupon_desktop.store.log import open_log

    return open_log(_db_path(args))


def _open_to_read(args: argparse.Namespace) -> Any:
    """The log read-only, or None when it does not exist (an empty list; never created)."""
    from kupon_desktop.store.log import open_log

    path = _db_path(args)
    return open_log(path, readonly=True) if path.exists() else None


def _add(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.audience.stoplist import add_address, normalize_address

    # every address checked before any is written: one typo adds nothing
    for text in args.addresses:
        normalize_address(text, args.region)
    with _open(args) as log:
        for text in args.addresses:
            address, new = add_address(log, text, note=args.note, region=args.region)
            _write(_say(lang, "added" if new else "already", address=address) + "\n")
    return EXIT_OK


def _remove(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.audience.stoplist import remove_address

    removed_any = False
    with _open(args) as log:
        for text in args.addresses:
            address, removed = remove_address(log, text, region=args.region)
            removed_any |= removed
            _write(_say(lang, "removed" if removed else "not_listed", address=address) + "\n")
    return EXIT_OK if removed_any else EXIT_NOTHING


def _import(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.audience.stoplist import import_stop_list
    from kupon_desktop.contacts.reasons import reason_text

    with _open(args) as log:
        done = import_stop_list(
            log,
            args.file,
            sheet=args.sheet,
            phone_column=args.phone_column,
            email_column=args.email_column,
            region=args.region,
            note=args.note,
        )
    rejected = done.report.rejected

    def reason(r: Any) -> str:
        return reason_text(r.code, "ru" if lang == "ru" else "en") if r.code else str(r.reason)

    if args.json:
        doc = {
            "added": done.added,
            "already_listed": done.already_listed,
            "rows_read": done.report.rows_read,
            "rejected": [
                {
                    "row": r.row,
                    "field": r.field,
                    "value": r.value,
                    "reason": reason(r),
                    "code": r.code,
                }
                for r in rejected
            ],
        }
        _write(json.dumps(doc, ensure_ascii=False) + "\n")
        return EXIT_OK
    lines = [
        _say(
            lang,
            "imported",
            file=args.file,
            added=done.added,
            already=done.already_listed,
            rejected=len(rejected),
        )
    ]
    lines += [
        _say(lang, "rejected", row=r.row, field=r.field, value=r.value, reason=reason(r))
        for r in rejected
    ]
    _write("\n".join(lines) + "\n")
    return EXIT_OK


def _export(args: argparse.Namespace, lang: str) -> int:
    from kupon_desktop.audience.stoplist import export_stop_list

    path = Path(args.file)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise _usage(
            lang,
            f"{args.file}: give a .xlsx or .csv file name",
            f"{args.file}: укажите файл .xlsx или .csv",
        )
    log = _open_to_read(args)
    try:
        count = export_stop_list(log, path, lang=lang)
    finally:
        if log is not None:
            log.close()
    _write(_say(lang, "exported", count=count, file=args.file) + "\n")
    return EXIT_OK


def _list(args: argparse.Namespace, lang: str) -> int:
    log = _open_to_read(args)
    try:
        entries = log.iter_stop_list() if log is not None else iter(())
        if args.json:
            _write_json_list(entries)
        else:
            _write_text_list(entries, lang)
    finally:
        if log is not None:
            log.close()
    return EXIT_OK


def _entry_json(e: Any) -> dict[str, Any]:
    return {
        "address": e.address,
        "kind": e.kind,
        "added_at": e.added_at.isoformat(timespec="seconds") if e.added_at else None,
        "source": e.source,
        "note": e.note,
    }


def _write_json_list(entries: Any) -> None:
    """``{"entries": [...], "count": N}``, streamed: a long list never sits in memory."""
    out = Utf8Out()
    out.write('{"entries": [')
    count = 0
    for e in entries:
        out.write(
            ("\n  " if count == 0 else ",\n  ") + json.dumps(_entry_json(e), ensure_ascii=False)
        )
        count += 1
    out.write(("\n" if count else "") + f'], "count": {count}}}\n')
    out.flush()


def _write_text_list(entries: Any, lang: str) -> None:
    out = Utf8Out()
    count = 0
    for e in entries:
        added = e.added_at.astimezone().strftime("%Y-%m-%d %H:%M") if e.added_at else ""
        out.write("\t".join((e.address, e.kind, added, e.source, e.note)) + "\n")
        count += 1
    out.write((_say(lang, "total", count=count) if count else _say(lang, "empty")) + "\n")
    out.flush()


def _write(text: str) -> None:
    out = Utf8Out()
    out.write(text)
    out.flush()


def _usage(lang: str, en: str, ru: str) -> Exception:
    from kupon_desktop.audience.errors import AudienceError

    return AudienceError(en, ru)


_ACTIONS = {
    "add": _add,
    "remove": _remove,
    "import": _import,
    "export": _export,
    "list": _list,
}

"""``kupon-desktop contacts FILE``: import a contact list headless and print the
normalized contacts and the rejection report (a summary, or one JSON document).

Imports nothing heavy at module level: pandas and pyarrow load inside :func:`run`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

HELP = "import a contact list (CSV/XLSX/XLS/ODS) and print the contacts and what was rejected"

DEDUPE_CHOICES = ("all", "phone", "email", "push_token", "phone_or_email", "none")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the list: .csv, .tsv, .txt, .xlsx, .xlsm, .xlsb, .xls, .ods")
    parser.add_argument("--sheet", metavar="NAME", help="workbook sheet (default: first with data)")
    parser.add_argument(
        "--region",
        default="RU",
        metavar="CC",
        help="country of numbers written without a country code (default: RU)",
    )
    parser.add_argument(
        "--phone-column", metavar="C", help="the phone column: header name, letter or number"
    )
    parser.add_argument(
        "--email-column", metavar="C", help="the e-mail column: header name, letter or number"
    )
    parser.add_argument(
        "--header-row",
        type=int,
        metavar="N",
        help="the header's row number as Excel shows it; 0 = the file has no header "
        "(default: detected)",
    )
    parser.add_argument(
        "--dedupe",
        choices=DEDUPE_CHOICES,
        default="all",
        help="drop repeated contacts by this address (default: all = same phone, e-mail and token)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def _texts(series: Any) -> list[str | None]:
    """A string column as Python values, None for NA."""
    values: list[str | None] = series.astype(object).where(series.notna(), None).tolist()
    return values


def _reason(rejection: Any, lang: str | None) -> str:
    from kupon_desktop.contacts.reasons import reason_text

    if rejection.code and lang == "ru":
        return reason_text(rejection.code, "ru")
    if rejection.code and lang == "en":
        return reason_text(rejection.code, "en")
    return str(rejection.reason)


def _json_document(result: Any, lang: str | None) -> dict[str, Any]:
    contacts = result.contacts
    names = list(result.field_names)
    fields = [_texts(result.fields[n]) for n in names]
    columns = zip(
        contacts["row"].tolist(),
        _texts(contacts["phone"]),
        _texts(contacts["email"]),
        _texts(contacts["push_token"]),
        *fields,
        strict=True,
    )
    return {
        "contacts": [
            {
                "row": row,
                "phone": phone,
                "email": email,
                "push_token": token,
                "fields": dict(zip(names, values, strict=True)),
            }
            for row, phone, email, token, *values in columns
        ],
        "rejected": [
            {
                "row": r.row,
                "field": r.field,
                "value": r.value,
                "reason": _reason(r, lang),
                "code": r.code,
            }
            for r in result.rejected
        ],
        "duplicates": [{"row": d.row, "same_as": d.same_as} for d in result.duplicates],
        "skipped_blank": result.skipped_blank,
        "rows_read": result.rows_read,
        "imported": result.imported,
        "roles": result.roles,
        "sheet": result.sheet,
        "header_row": result.header_row,
    }


def _print_summary(result: Any, lang: str | None, out: TextIO) -> None:
    roles = ", ".join(f"{role}: «{col}»" for role, col in result.roles.items()) or "—"
    where = f"лист / sheet «{result.sheet}»; " if result.sheet else ""
    print(
        f"{where}строка заголовка / header row: {result.header_row or '—'}; "
        f"столбцы / columns: {roles}",
        file=out,
    )
    print(
        f"прочитано строк / rows read: {result.rows_read}; "
        f"импортировано / imported: {result.imported}; "
        f"отклонено значений / rejected values: {len(result.rejected)}; "
        f"дубликатов / duplicates: {len(result.duplicates)}; "
        f"пустых строк / blank rows: {result.skipped_blank}",
        file=out,
    )
    shown = result.contacts.head(10)
    if len(shown):
        print("\nrow\tphone\temail", file=out)
        for row, phone, email in zip(
            shown["row"].tolist(), _texts(shown["phone"]), _texts(shown["email"]), strict=True
        ):
            print(f"{row}\t{phone or ''}\t{email or ''}", file=out)
        more = result.imported - len(shown)
        if more:
            print(f"… ещё / more: {more}", file=out)
    if result.rejected:
        print("\nотклонено / rejected:", file=out)
        for r in result.rejected:
            print(f"  строка / row {r.row}, {r.field}: «{r.value}» — {_reason(r, lang)}", file=out)
    if result.duplicates:
        print("\nдубликаты / duplicates (строка = та же, что / row = same as):", file=out)
        for d in result.duplicates[:50]:
            print(f"  {d.row} = {d.same_as}", file=out)
        if len(result.duplicates) > 50:
            print(f"  … ещё / more: {len(result.duplicates) - 50}", file=out)


def run(args: argparse.Namespace) -> int:
    from kupon_desktop.contacts.errors import ContactsError
    from kupon_desktop.contacts.importer import import_file

    lang = getattr(args, "lang", None)
    lang = lang if lang in ("ru", "en") else None
    try:
        result = import_file(
            args.file,
            sheet=args.sheet,
            header_row=args.header_row,
            region=args.region.upper(),
            phone_column=args.phone_column,
            email_column=args.email_column,
            dedupe_by=None if args.dedupe == "none" else args.dedupe,
        )
    except ContactsError as exc:
        print(f"kupon-desktop contacts: {exc}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(_json_document(result, lang), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_summary(result, lang, sys.stdout)
    return 0

"""``kupon-desktop contacts FILE``: import a contact list headless and print the
normalized contacts and the rejection report (a summary, or one JSON document).

Imports nothing heavy at module level: pandas and pyarrow load inside :func:`run`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, BinaryIO, TextIO

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
    parser.add_argument(
        "--extra-rows",
        action="store_true",
        help="a cell holding several numbers or e-mails: import each of the others as a row "
        "of its own (default: the first is used and the others are reported)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")


#: contacts encoded per step of the JSON output: bounds the memory the output takes
JSON_CHUNK = 65_536


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


def _json_strings(values: Any) -> Any:
    """A string column as JSON values (``"text"`` or ``null``), one arrow string each:
    escaped in a few vectorized passes; a value holding a control character (rare) is
    encoded by the json module."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(values, pa.string(), from_pandas=True)
    escaped = pc.replace_substring(values, "\\", "\\\\")
    escaped = pc.replace_substring(escaped, '"', '\\"')
    quoted = pc.binary_join_element_wise('"', escaped, '"', "")
    control = pc.fill_null(pc.match_substring_regex(values, "[\\x00-\\x1f\\x7f]"), False)
    if pc.any(control).as_py():
        import numpy as np

        at = np.flatnonzero(control.to_numpy(zero_copy_only=False))
        exact = [json.dumps(v, ensure_ascii=False) for v in values.take(pa.array(at)).to_pylist()]
        mask = np.zeros(len(values), dtype=bool)
        mask[at] = True
        quoted = pc.replace_with_mask(quoted, pa.array(mask), pa.array(exact, pa.string()))
    return pc.fill_null(quoted, "null")


def _write_contacts_json(result: Any, out: BinaryIO) -> None:
    """The contacts as a JSON array, streamed ``JSON_CHUNK`` rows at a time: each row is
    joined from its columns' JSON texts by arrow, and the chunk's bytes written at once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    contacts = result.contacts
    names = list(result.field_names)
    keys = [json.dumps(n, ensure_ascii=False) for n in names]
    n = len(contacts)
    out.write(b"[")
    for start in range(0, n, JSON_CHUNK):
        part = contacts.iloc[start : start + JSON_CHUNK]
        fields = result.fields.iloc[start : start + JSON_CHUNK]
        pieces: list[Any] = [
            '{"row": ',
            pc.cast(pa.array(part["row"].to_numpy()), pa.string()),
            ', "phone": ',
            _json_strings(part["phone"]),
            ', "email": ',
            _json_strings(part["email"]),
            ', "push_token": ',
            _json_strings(part["push_token"]),
            ', "fields": {',
        ]
        for k, (name, key) in enumerate(zip(names, keys, strict=True)):
            pieces += [(", " if k else "") + key + ": ", _json_strings(fields[name])]
        pieces.append("}}, ")
        rows = pc.binary_join_element_wise(*pieces, "")
        _, offsets, data = rows.buffers()
        bounds = np.frombuffer(offsets, dtype=np.int32)[rows.offset : rows.offset + len(rows) + 1]
        # every row ends ", "; the last row of all has nothing after it
        end = int(bounds[-1]) - (2 if start + JSON_CHUNK >= n else 0)
        out.write(memoryview(data)[int(bounds[0]) : end])
    out.write(b"]")


def _json_rest(result: Any, lang: str | None) -> dict[str, Any]:
    from kupon_desktop.contacts.reasons import remark_text

    return {
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
        "repeated": [
            {"row": d.row, "same_as": d.same_as, "field": d.field} for d in result.repeated
        ],
        "remarks": [
            {
                "row": m.row,
                "field": m.field,
                "value": m.value,
                "code": m.code,
                "note": m.note,
                "more": list(m.more),
                "rows": list(m.rows),
                "text": remark_text(m, lang if lang in ("ru", "en") else None),  # type: ignore[arg-type]
            }
            for m in result.remarks
        ],
        "skipped_blank": result.skipped_blank,
        "rows_read": result.rows_read,
        "imported": result.imported,
        "rejected_rows": result.rejected_rows,
        "extra_addresses": result.extra_addresses,
        "roles": result.roles,
        "sheet": result.sheet,
        "header_row": result.header_row,
    }


def write_json(result: Any, lang: str | None, out: BinaryIO) -> None:
    """One JSON document: ``{"contacts": [...], "rejected": [...], ...}``, the contacts
    streamed (a list of millions never sits in memory as Python objects)."""
    out.write(b'{"contacts": ')
    _write_contacts_json(result, out)
    rest = json.dumps(_json_rest(result, lang), ensure_ascii=False)
    out.write(b", " + rest[1:].encode("utf-8"))
    out.write(b"\n")


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
        f"отклонено строк / rejected rows: {result.rejected_rows}; "
        f"отклонено значений / rejected values: {len(result.rejected)}; "
        f"дубликатов / duplicates: {len(result.duplicates)}; "
        f"повторов адреса / repeated addresses: {len(result.repeated)}; "
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
    if result.remarks:
        from kupon_desktop.contacts.reasons import remark_text

        print("\nзамечания / remarks:", file=out)
        for m in result.remarks:
            text = remark_text(m, lang if lang in ("ru", "en") else None)  # type: ignore[arg-type]
            print(f"  строка / row {m.row}, {m.field}: «{m.value}» — {text}", file=out)
        if result.extra_addresses:
            print(
                f"  ещё адресов в ячейках / more addresses in cells: {result.extra_addresses} "
                "(--extra-rows импортирует их отдельными строками / imports them as rows)",
                file=out,
            )
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
            extra_rows=args.extra_rows,
        )
    except ContactsError as exc:
        print(f"kupon-desktop contacts: {exc}", file=sys.stderr)
        return 1
    try:
        if args.json:
            sys.stdout.flush()
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is not None:
                write_json(result, lang, buffer)
                buffer.flush()
            else:  # a text stream without bytes under it (an embedding host)
                import io

                bytes_out = io.BytesIO()
                write_json(result, lang, bytes_out)
                sys.stdout.write(bytes_out.getvalue().decode("utf-8"))
        else:
            _print_summary(result, lang, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped reading (``| head``): end quietly, as other tools do; the
        # interpreter's own flush at exit must not find the broken pipe again
        _silence_stdout()
    return 0


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file under sys.stdout
        pass

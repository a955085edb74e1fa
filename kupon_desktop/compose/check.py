"""Everything that would go wrong with a draft, found before a single message is sent.

:func:`check` returns every problem at once (never the first only): problems with the
draft as a whole come first, in the order of the page's fields, then the problems of
single recipients by row. Any ``error`` blocks sending; a ``warning`` does not.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kupon_desktop.compose.draft import Draft
from kupon_desktop.compose.errors import TemplateSyntaxError
from kupon_desktop.compose.gcpause import gc_paused
from kupon_desktop.compose.personalize import ADDRESS_WORDS, Personalizer, address_column
from kupon_desktop.compose.placeholders import CompiledTemplate, compile_template
from kupon_desktop.compose.problems import Bilingual, Problem, Severity
from kupon_desktop.compose.rules import DraftField, TypeRules, is_cascade_code, rules_for
from kupon_desktop.lazy import on_first_use
from kupon_desktop.vocabulary import (
    CHARSETS,
    DEFAULT_CHARSET,
    Address,
    codec_for,
    unencodable_characters,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray
else:  # imported on first use: the window imports compose at start-up
    np = on_first_use("numpy", "np", globals())

E = Severity.ERROR
W = Severity.WARNING

FIELD_WORDS: dict[DraftField, Bilingual] = {
    DraftField.SENDER: Bilingual("sender name", "имя отправителя"),
    DraftField.TEXT: Bilingual("text", "текст"),
    DraftField.HTML_TEXT: Bilingual("HTML text", "HTML-текст"),
    DraftField.BUTTON: Bilingual("button caption", "надпись на кнопке"),
    DraftField.ACTION: Bilingual("button action", "действие кнопки"),
    DraftField.IMAGE: Bilingual("image", "картинка"),
    DraftField.TTL: Bilingual("lifetime (ttl)", "время жизни (ttl)"),
    DraftField.SEND_AT: Bilingual("send time", "время отправки"),
    DraftField.CHARSET: Bilingual("charset", "кодировка"),
    DraftField.FIND_TOKEN: Bilingual("find_token", "find_token"),
    DraftField.KANNEL_STATUS: Bilingual("kannel_status", "kannel_status"),
}

#: how many row numbers a summary problem quotes before "…"
ROWS_QUOTED = 10

_BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]+)?( [^\r\n]*)?")
_HOST_LABEL = re.compile(r"(?!-)[\w-]{1,63}(?<!-)")


def is_web_url(value: str) -> bool:
    """An absolute http(s) address with a plausible host, no blanks or braces (a link
    with a space breaks in every messenger; the API wants it URL-encoded)."""
    if not value or any(ch.isspace() or ch in '{}<>"' for ch in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https"):
        return False
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.rstrip(".").split(".")
        return len(labels) >= 2 and all(_HOST_LABEL.fullmatch(label) for label in labels)
    return True


def is_bot_command(value: str) -> bool:
    return bool(_BOT_COMMAND.fullmatch(value))


def check(
    draft: Draft,
    contacts: pd.DataFrame | None = None,
    fields: pd.DataFrame | None = None,
    now: datetime | None = None,
) -> list[Problem]:
    """Every problem with ``draft`` sent to ``contacts``/``fields`` at ``now``.

    Without contacts only the draft itself is checked (placeholders are then not
    matched against columns). ``now`` must be timezone-aware; it defaults to the clock.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    rules = rules_for(draft.type)
    problems: list[Problem] = []
    problems += _sender(draft, rules)
    problems += _content(draft, rules)
    problems += _unused_fields(draft, rules)
    problems += _button_action_image(draft, rules)
    problems += _ttl_time_charset(draft, rules, now)
    templates = _templates(draft, rules, problems)
    charset = (
        draft.charset if draft.charset in CHARSETS and rules.enabled(DraftField.CHARSET) else None
    )
    if charset is not None:
        problems += _literal_charset(templates, charset)
    if contacts is not None:
        problems += _recipients(draft, rules, templates, charset, Personalizer(contacts, fields))
    return problems


def _type_word(draft: Draft) -> Bilingual:
    return Bilingual(draft.type.label_en, draft.type.label_ru)


def _sender(draft: Draft, rules: TypeRules) -> list[Problem]:
    if rules.sender_is_cascade_code:
        if not draft.sender:
            return [Problem.make(E, "cascade_code_missing", field="sender")]
        if not is_cascade_code(draft.sender):
            return [Problem.make(E, "cascade_code_invalid", field="sender", value=draft.sender)]
    elif rules.enabled(DraftField.SENDER) and not draft.sender.strip():
        return [Problem.make(W, "sender_missing", field="sender")]
    return []


def _content(draft: Draft, rules: TypeRules) -> list[Problem]:
    wanted = rules.content_any_of
    if not wanted or any(str(getattr(draft, f.value)).strip() for f in wanted):
        return []
    if wanted == (DraftField.TEXT,):
        return [Problem.make(E, "text_missing", field="text", type=_type_word(draft))]
    words = [FIELD_WORDS[f] for f in wanted]
    either = Bilingual(" or ".join(w.en for w in words), " или ".join(w.ru for w in words))
    return [Problem.make(E, "content_missing", field=wanted[0].value, fields=either)]


def _unused_fields(draft: Draft, rules: TypeRules) -> list[Problem]:
    found = [
        Problem.make(
            W, "field_not_used", field=f.value, label=FIELD_WORDS[f], type=_type_word(draft)
        )
        for f in DraftField
        if not rules.enabled(f) and _is_set(draft, f)
    ]
    if any(_is_set(draft, f) for f in rules.scenario_may_override):
        found.append(Problem.make(W, "scenario_overrides", field="button"))
    return found


def _button_action_image(draft: Draft, rules: TypeRules) -> list[Problem]:
    if not rules.enabled(DraftField.BUTTON):
        return []
    found = []
    button, action, image = draft.button.strip(), draft.action.strip(), draft.image.strip()
    if button and not action:
        found.append(Problem.make(E, "button_without_action", field="action", button=button))
    if action and not button:
        found.append(Problem.make(E, "action_without_button", field="button", action=action))
    if action and not is_web_url(action):
        if not rules.action_may_be_command:
            found.append(Problem.make(E, "action_invalid", field="action", value=action))
        elif not is_bot_command(action):
            found.append(Problem.make(E, "action_invalid_bot", field="action", value=action))
    if image and not is_web_url(image):
        found.append(Problem.make(E, "image_invalid", field="image", value=image))
    return found


def _ttl_time_charset(draft: Draft, rules: TypeRules, now: datetime) -> list[Problem]:
    found = []
    ttl = draft.ttl
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int) or ttl <= 0):
        found.append(Problem.make(E, "ttl_invalid", field="ttl", value=ttl))
    if draft.send_at is not None and draft.send_at <= now:
        found.append(
            Problem.make(
                E,
                "send_at_past",
                field="send_at",
                when=_when(draft.send_at),
                now=_when(now.astimezone(draft.send_at.tzinfo)),
            )
        )
    if rules.enabled(DraftField.CHARSET) and draft.charset not in CHARSETS:
        found.append(
            Problem.make(
                E,
                "charset_unknown",
                field="charset",
                charset=draft.charset,
                known=", ".join(CHARSETS),
            )
        )
    return found


def _templates(
    draft: Draft, rules: TypeRules, problems: list[Problem]
) -> list[tuple[DraftField, CompiledTemplate]]:
    """The text and HTML compiled; a syntax error goes to ``problems`` instead."""
    compiled = []
    for f, source, html in (
        (DraftField.TEXT, draft.text, False),
        (DraftField.HTML_TEXT, draft.html_text, True),
    ):
        if not rules.enabled(f) or not source:
            continue
        try:
            compiled.append((f, compile_template(source, html=html)))
        except TemplateSyntaxError as exc:
            problems.append(
                Problem.make(
                    E,
                    f"template_{exc.kind}",
                    field=f.value,
                    label=FIELD_WORDS[f],
                    position=exc.position + 1,
                    excerpt=exc.source,
                )
            )
    return compiled


def _literal_charset(
    templates: list[tuple[DraftField, CompiledTemplate]], charset: str
) -> list[Problem]:
    """What the user typed (literal text and defaults), checked once for all rows."""
    found = []
    for f, tpl in templates:
        typed = "".join(p for p in tpl.parts if isinstance(p, str))
        typed += "".join(p.default or "" for p in tpl.placeholders)
        bad = _unencodable(typed, charset)
        if bad:
            found.append(
                Problem.make(
                    E,
                    "charset_cannot_carry",
                    field=f.value,
                    label=FIELD_WORDS[f],
                    chars=_chars(bad),
                    charset=charset,
                )
            )
    return found


def _recipients(
    draft: Draft,
    rules: TypeRules,
    templates: list[tuple[DraftField, CompiledTemplate]],
    charset: str | None,
    pers: Personalizer,
) -> list[Problem]:
    """Problems that depend on the contact list: draft-wide ones first, then by row."""
    found, usable = _unknown_placeholders(templates, pers.column_names)
    if pers.n == 0:
        return [*found, Problem.make(E, "contacts_empty")]
    address = rules.address_for(draft.find_token)
    missing: NDArray[np.bool_] = pers.addresses(address) == None  # noqa: E711 - elementwise
    addressed = ~missing
    by_row: list[Problem] = []
    column = address_column(address)
    if not addressed.any():
        found.append(
            Problem.make(
                E,
                "no_recipients",
                field=column,
                what=ADDRESS_WORDS[address],
                type=_type_word(draft),
            )
        )
    else:
        params = (("what", ADDRESS_WORDS[address]),)
        with gc_paused():  # possibly hundreds of thousands of rows
            by_row.extend(
                Problem(W, "address_missing", row, column, params)
                for row in pers.rows[missing].tolist()
            )
    if address is Address.PUSH_TOKEN and missing.any():
        by_lookup = pers.addresses(Address.PHONE_OR_EMAIL) != None  # noqa: E711 - elementwise
        reachable = int((missing & by_lookup).sum())
        if reachable:
            found.append(Problem.make(W, "find_token_hint", field="find_token", count=reachable))
    found += _empty_placeholders(usable, pers, addressed)
    if charset is not None:
        by_row += _row_charset(usable, pers, addressed, charset)
    by_row.sort(key=lambda p: p.row or 0)
    return found + by_row


def _unknown_placeholders(
    templates: list[tuple[DraftField, CompiledTemplate]], columns: list[str]
) -> tuple[list[Problem], list[tuple[DraftField, CompiledTemplate]]]:
    """(problems, the templates that can be rendered)."""
    found: list[Problem] = []
    usable = []
    for f, tpl in templates:
        unknown = tpl.unknown(columns)
        for name in unknown:
            close = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
            if close:
                guess = "{" + close[0] + "}"
                hint = Bilingual(f" Did you mean {guess}?", f" Возможно, имелось в виду {guess}?")
            else:
                listed = _names(columns)
                hint = Bilingual(f" Its columns: {listed}.", f" Столбцы списка: {listed}.")
            found.append(
                Problem.make(
                    E,
                    "placeholder_unknown",
                    field=f.value,
                    placeholder="{" + name + "}",
                    name=name,
                    label=FIELD_WORDS[f],
                    hint=hint,
                )
            )
        if not unknown:
            usable.append((f, tpl))
    return found, usable


def _empty_placeholders(
    templates: list[tuple[DraftField, CompiledTemplate]],
    pers: Personalizer,
    addressed: NDArray[np.bool_],
) -> list[Problem]:
    """One warning per column used without a default that is empty for a recipient."""
    found = []
    seen: set[str] = set()
    for _, tpl in templates:
        for ph in tpl.placeholders:
            if ph.default is not None or ph.name in seen:
                continue
            seen.add(ph.name)
            codes, uniques = pers.column(ph.name)
            empty = [i for i, u in enumerate(uniques) if not u]
            if not empty:
                continue
            rows: list[int] = pers.rows[addressed & np.isin(codes, empty)].tolist()
            if rows:
                found.append(
                    Problem.make(
                        W,
                        "placeholder_empty",
                        field=ph.name,
                        placeholder="{" + ph.name + "}",
                        name=ph.name,
                        count=len(rows),
                        rows=_rows(list(rows)),
                    )
                )
    return found


def _row_charset(
    templates: list[tuple[DraftField, CompiledTemplate]],
    pers: Personalizer,
    addressed: NDArray[np.bool_],
    charset: str,
) -> list[Problem]:
    """Characters from the contact file the charset cannot carry: each distinct value is
    checked once, then the rows holding a bad one are named."""
    found = []
    for f, tpl in templates:
        for name in tpl.names:
            codes, uniques = pers.column(name)
            bad = {i: chars for i, u in enumerate(uniques) if (chars := _unencodable(u, charset))}
            if not bad:
                continue
            source = "{" + name + "}" + ("" if f is DraftField.TEXT else " (HTML)")
            for pos in np.flatnonzero(addressed & np.isin(codes, list(bad))).tolist():
                found.append(
                    Problem.make(
                        E,
                        "charset_cannot_carry_row",
                        row=int(pers.rows[pos]),
                        field=f.value,
                        source=source,
                        chars=_chars(bad[int(codes[pos])]),
                        charset=charset,
                    )
                )
    return found


def _is_set(draft: Draft, f: DraftField) -> bool:
    value = getattr(draft, f.value)
    if f is DraftField.CHARSET:
        return bool(value != DEFAULT_CHARSET)
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, bool):
        return value
    return value is not None


def _when(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="minutes")


def _unencodable(text: str, charset: str) -> list[str]:
    # the fast path answers for almost every value; the slow one names the characters
    ucs2 = charset.upper().startswith("UCS")
    try:
        encoded = text.encode(codec_for(charset))
    except UnicodeEncodeError:
        pass
    else:
        if not ucs2 or len(encoded) == 2 * len(text):
            return []
    return unencodable_characters(text, charset)


def _chars(chars: list[str]) -> str:
    return ", ".join(f'"{c}" (U+{ord(c):04X})' for c in chars)


def _rows(rows: list[int]) -> str:
    quoted = ", ".join(str(r) for r in rows[:ROWS_QUOTED])
    return quoted + (", …" if len(rows) > ROWS_QUOTED else "")


def _names(names: list[str]) -> str:
    return ", ".join(names[:20]) + (", …" if len(names) > 20 else "") if names else "—"

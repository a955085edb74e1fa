"""E-mail addresses: trimmed, checked for syntax (never DNS), the domain lower-cased.

:func:`normalize_email` is the reference: ``email-validator`` with
``check_deliverability=False`` decides and gives the normalized form. The column version,
:func:`normalize_email_array`, decides plain ASCII addresses (``ivan.petrov@mail.ru``) in
vectorized passes and asks the library once per distinct *domain* rather than once per
address; everything else (quotes, Unicode, odd spacing, broken addresses) goes to the
library value by value. A property test holds the two to the same answers.
"""

from __future__ import annotations

import re
import threading

import pyarrow as pa
import pyarrow.compute as pc
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES, EMAIL_MAX_LENGTH

from kupon_desktop.contacts.checked import (
    CellExtra,
    CheckedColumn,
    as_array,
    finish_with_library,
    not_blank,
)

# RFC 5322 atext, as email-validator's DOT_ATOM_TEXT has it (ASCII only).
_ATEXT = r"[A-Za-z0-9_!#$%&'*+\-/=?^`{|}~]"
_PLAIN = rf"^[ \t]*(?P<local>{_ATEXT}+(?:\.{_ATEXT}+)*)@(?P<domain>[A-Za-z0-9.\-]+)[ \t]*$"


def _reason(text: str, message: str) -> str:
    if "@" not in text:
        return "email_no_at"
    if "too long" in message:
        return "email_too_long"
    if "after the @-sign" in message or "domain" in message.lower():
        return "email_domain"
    if "before the @-sign" in message:
        return "email_local"
    return "email_invalid"


#: what separates two addresses written in one cell
_SEPARATORS = re.compile(r"[\s,;]+")
_EDGES = "<>()[]{}\"'.:"
_LETTER = re.compile(r"[^\W\d_]")


def check_email(raw: str) -> tuple[str | None, str | None]:
    """``(normalized, None)``, ``(None, reason code)``, or ``(None, None)`` when blank.
    A cell holding several addresses gives its first (see :func:`analyze_email`)."""
    address, code, _ = analyze_email(raw)
    return address, code


def analyze_email(raw: str) -> tuple[str | None, str | None, CellExtra | None]:
    """:func:`check_email` and what the cell held beside its address: further
    addresses (``a@mail.ru, b@mail.ru``) or a note (``ivan@mail.ru (личный)``)."""
    text = raw.strip()
    if not text:
        return None, None, None
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        code = _reason(text, str(exc))
    else:
        return result.normalized, None, None
    found: list[str] = []
    words: list[str] = []
    pieces = re.split(f"({_SEPARATORS.pattern})", text)
    for k in range(0, len(pieces), 2):
        raw_part = pieces[k]
        part = raw_part.strip(_EDGES)
        if "@" not in part:
            if part:
                words.append(part)
            continue
        before = pieces[k - 1] if k else ""
        if k and "@" not in pieces[k - 2] and before.isspace() and raw_part[:1] not in "<([":
            # a word right before the address, only a space between: part of a broken
            # address ("и в а н@mail.ru"), not a note
            return None, code, None
        try:
            found.append(validate_email(part, check_deliverability=False).normalized)
        except EmailNotValidError:
            return None, code, None  # one broken address in the cell: report the cell
    note = " ".join(words)
    if not found or (len(found) == 1 and not _LETTER.search(note)):
        return None, code, None
    more = tuple(a for a in dict.fromkeys(found[1:]) if a.lower() != found[0].lower())
    return found[0], None, CellExtra(note if _LETTER.search(note) else "", more)


def normalize_email(raw: str) -> str | None:
    """The address trimmed, its domain lower-cased (and IDNA-decoded), or None when blank
    or not a valid address. Syntax only: no DNS look-up."""
    return check_email(raw)[0]


def _domain_check(domain: str) -> str | None:
    """The normalized domain if ``domain`` is valid after an @-sign, else None."""
    try:
        return validate_email("a@" + domain, check_deliverability=False).domain
    except EmailNotValidError:
        return None


def fast_emails(raw: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The vectorized fast path alone: ``(decided, normalized)``; ``decided`` is True for
    the plain addresses it settled (all valid), False for those left to the library."""
    parts = pc.extract_regex(raw, _PLAIN)
    local = pc.struct_field(parts, "local")
    domain = pc.utf8_lower(pc.struct_field(parts, "domain"))
    # One library call per distinct domain: a million addresses have a few thousand.
    encoded = pc.dictionary_encode(domain)
    distinct = encoded.dictionary.to_pylist()
    checked = [_domain_check(d) for d in distinct]
    good_domain = pa.array([c is not None for c in checked], pa.bool_())
    norm_domain = pa.array([c or "" for c in checked], pa.string())
    norm_len = pa.array([len(c.encode()) if c is not None else 0 for c in checked], pa.int64())
    indices = encoded.indices
    local_len = pc.utf8_length(local)
    ok = pc.and_kleene(
        good_domain.take(indices),
        pc.and_kleene(
            # The address as given and as normalized must both fit the RFC's 254 octets.
            pc.less_equal(pc.add(pc.add(local_len, 1), pc.utf8_length(domain)), EMAIL_MAX_LENGTH),
            pc.less_equal(pc.add(pc.add(local_len, 1), norm_len.take(indices)), EMAIL_MAX_LENGTH),
        ),
    )
    ok = pc.fill_null(ok, False)
    # RFC 2142 names (info@, sales@...) are case-insensitive: the library lower-cases them.
    lowered = pc.utf8_lower(local)
    mailbox = pc.if_else(
        pc.is_in(lowered, value_set=pa.array(CASE_INSENSITIVE_MAILBOX_NAMES)), lowered, local
    )
    fast = pc.if_else(
        ok,
        pc.binary_join_element_wise(mailbox, norm_domain.take(indices), "@"),
        pa.scalar(None, pa.string()),
    )
    return ok, fast


def normalize_email_array(
    raw: pa.Array | pa.ChunkedArray, cancel: threading.Event | None = None
) -> CheckedColumn:
    """Normalize a whole column; the same answers as :func:`check_email` value by value."""
    raw = as_array(raw)
    if raw.type != pa.string():
        raw = raw.cast(pa.string())
    ok, fast = fast_emails(raw)
    undecided = pc.and_(not_blank(raw), pc.invert(ok))
    return finish_with_library(raw, fast, undecided, analyze_email, cancel)

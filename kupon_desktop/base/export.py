"""The base (or a list, or a segment) written to a spreadsheet: phone, e-mail, every
field, and the consent per channel as the ledger has it now."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kupon_desktop.base.ports import BaseLog, Selection

_CONSENT = {
    "en": ("Phone", "E-mail", "Consent (phone)", "Consent (e-mail)"),
    "ru": ("Телефон", "E-mail", "Согласие (телефон)", "Согласие (e-mail)"),
}


def _state(given: int | None, at: int | None, lang: str) -> str:
    if given is None:
        return ""
    word = ("да" if given else "отозвано") if lang == "ru" else ("yes" if given else "withdrawn")
    if at is None:
        return word
    return f"{word} {datetime.fromtimestamp(at / 1000):%d.%m.%Y}"


def export_contacts(log: BaseLog, selection: Selection, path: Path, *, lang: str = "ru") -> int:
    """Write the contacts; returns how many."""
    from kupon_desktop.exporting import write_table

    key = "ru" if lang == "ru" else "en"
    names, _ = log.base_fields()
    phone_h, email_h, cp_h, ce_h = _CONSENT[key]
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        for batch in log.iter_base(selection):
            for i in range(len(batch.ids)):
                values = json.loads(batch.fields[i])
                count += 1
                yield [
                    batch.phones[i] or "",
                    batch.emails[i] or "",
                    *[values.get(n) or "" for n in names],
                    _state(batch.consent_phone[i], batch.consent_phone_at[i], key),
                    _state(batch.consent_email[i], batch.consent_email_at[i], key),
                ]

    write_table(Path(path), [phone_h, email_h, *names, cp_h, ce_h], rows())
    return count

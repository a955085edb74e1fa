"""Contact import: CSV/TSV/TXT and .xlsx/.xlsm/.xlsb/.xls/.ods into a table of normalized
contacts and a report of what was rejected and why. No Qt.

The public surface is loaded on first use, so ``kupon_desktop.contacts.command`` (and the
CLI's ``--help``) stays light::

    from kupon_desktop.contacts import import_file, preview
    from kupon_desktop.contacts.dedupe import dedupe

(``dedupe`` is not re-exported here: the package attribute ``dedupe`` is the module of
that name, whose import would otherwise replace the function under your feet.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kupon_desktop.lazy import package_exports

if TYPE_CHECKING:
    from kupon_desktop.contacts.dedupe import DedupeBy, DedupeMode
    from kupon_desktop.contacts.emails import check_email, normalize_email
    from kupon_desktop.contacts.errors import (
        ContactsError,
        FileUnreadable,
        ImportCancelled,
        NoAddressColumn,
        NoDataRows,
        UnknownColumn,
        UnknownSheet,
    )
    from kupon_desktop.contacts.importer import import_file, preview
    from kupon_desktop.contacts.phones import check_phone, normalize_phone
    from kupon_desktop.contacts.reasons import REASONS, reason_text
    from kupon_desktop.contacts.result import Duplicate, ImportResult, Preview, Rejection, Remark

_EXPORTS = {
    "DedupeBy": "dedupe",
    "DedupeMode": "dedupe",
    "normalize_email": "emails",
    "check_email": "emails",
    "ContactsError": "errors",
    "FileUnreadable": "errors",
    "ImportCancelled": "errors",
    "NoAddressColumn": "errors",
    "NoDataRows": "errors",
    "UnknownColumn": "errors",
    "UnknownSheet": "errors",
    "import_file": "importer",
    "preview": "importer",
    "normalize_phone": "phones",
    "check_phone": "phones",
    "REASONS": "reasons",
    "reason_text": "reasons",
    "Duplicate": "result",
    "ImportResult": "result",
    "Preview": "result",
    "Rejection": "result",
    "Remark": "result",
}

__all__ = [
    "REASONS",
    "ContactsError",
    "DedupeBy",
    "DedupeMode",
    "Duplicate",
    "FileUnreadable",
    "ImportCancelled",
    "ImportResult",
    "NoAddressColumn",
    "NoDataRows",
    "Preview",
    "Rejection",
    "Remark",
    "UnknownColumn",
    "UnknownSheet",
    "check_email",
    "check_phone",
    "import_file",
    "normalize_email",
    "normalize_phone",
    "preview",
    "reason_text",
]


__getattr__ = package_exports(__name__, _EXPORTS, globals())

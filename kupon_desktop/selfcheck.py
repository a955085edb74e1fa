"""``kupon-desktop --self-check``: import every bundled part and say which is missing.

This is what the installers' CI runs on the bundled program, so it checks the things a
frozen build can lose: Qt plugins, SQLite features, the keyring backend, the spreadsheet
engines, the phone metadata and the translations.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable


def _qt() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QIcon, QImageReader
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["kupon-desktop"])
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if "svg" not in formats:
        raise RuntimeError("the SVG image plugin is missing (icons would be blank)")
    from kupon_desktop.ui.resources import resource_path

    if QIcon(str(resource_path("icons", "app.svg"))).isNull():
        raise RuntimeError("the application icon did not load")
    return f"PySide6 {pyside_version}, platform {app.platformName()}"


def _sqlite() -> str:
    import sqlite3

    con = sqlite3.connect(":memory:")
    try:
        con.execute("select json('{}')")
        mode = con.execute("pragma journal_mode=wal").fetchone()[0]
    finally:
        con.close()
    return f"SQLite {sqlite3.sqlite_version}, JSON ok, journal {mode}"


def _keyring() -> str:
    import keyring

    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _engines() -> str:
    import openpyxl
    import pandas
    import pyarrow
    import python_calamine

    return (f"pandas {pandas.__version__}, pyarrow {pyarrow.__version__}, "
            f"calamine {getattr(python_calamine, '__version__', '?')}, "
            f"openpyxl {openpyxl.__version__}")


def _phones() -> str:
    import phonenumbers

    number = phonenumbers.parse("+79161234567")
    if not phonenumbers.is_valid_number(number):
        raise RuntimeError("phone metadata is missing")
    import email_validator

    email_validator.validate_email("a@example.com", check_deliverability=False)
    return f"phonenumbers {phonenumbers.__version__}"


def _network() -> str:
    for name in ("httpx", "aiohttp", "qasync"):
        importlib.import_module(name)
    return "httpx, aiohttp, qasync"


def _translations() -> str:
    from kupon_desktop.ui.resources import resource_path

    found = []
    for lang in ("ru", "en"):
        path = resource_path("translations", f"kupon_{lang}.qm")
        if not path.is_file():
            raise RuntimeError(f"{path.name} is missing")
        found.append(path.name)
    return ", ".join(found)


CHECKS: dict[str, Callable[[], str]] = {
    "Qt": _qt,
    "SQLite": _sqlite,
    "credential store": _keyring,
    "spreadsheet engines": _engines,
    "phones and e-mail": _phones,
    "network": _network,
    "translations": _translations,
}


def run_self_check() -> int:
    failed = 0
    for name, check in CHECKS.items():
        try:
            detail = check()
        except Exception as exc:  # report every failure, then exit 1
            failed += 1
            print(f"FAIL  {name}: {type(exc).__name__}: {exc}")
        else:
            print(f"ok    {name}: {detail}")
    print("self-check " + ("passed" if not failed else f"failed ({failed})"))
    sys.stdout.flush()
    return 1 if failed else 0

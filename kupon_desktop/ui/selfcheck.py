"""``kupon-desktop --self-check``: load every bundled part and say which is missing.

This is what the installers' CI runs on the bundled program, so it checks the things a
frozen build can lose: Qt's platform, image, icon-engine and style plugins (loaded, not
just listed, so a plugin whose library was left out fails here), Qt's translations,
every module of the program and every subcommand, SQLite features, the keyring backend,
the spreadsheet engines (a real round trip), phone metadata, time zones, TLS
certificates, the message charsets and the program's own resources.

It lives in ``ui/`` because it loads Qt; the command line reaches it only from
``cli.main`` for ``--self-check``, and hands in its own parser to check.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: Qt plugins the program cannot work without, per OS: (plugin folder, file name stem).
#: On Linux the native platform plugins need the desktop's X11/Wayland libraries, which a
#: bundle does not carry; there they are reported, not required (see _qt_plugins).
REQUIRED_PLUGINS: dict[str, list[tuple[str, str]]] = {
    "common": [("platforms", "qoffscreen"), ("imageformats", "qsvg"), ("iconengines", "qsvgicon")],
    "win32": [("platforms", "qwindows"), ("styles", "qmodernwindowsstyle")],
    "darwin": [("platforms", "qcocoa"), ("styles", "qmacstyle")],
    "linux": [("platforms", "qxcb"), ("platforms", "qwayland")],
}

#: The credential store the program should find on each OS.
NATIVE_KEYRING = {"win32": "keyring.backends.Windows", "darwin": "keyring.backends.macOS"}


def _platform() -> str:
    return sys.platform if sys.platform in ("win32", "darwin") else "linux"


def _application() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["kupon-desktop"])


def _qt() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QIcon, QImageReader

    app = _application()
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if "svg" not in formats:
        raise RuntimeError("the SVG image plugin is missing (icons would be blank)")
    from kupon_desktop.ui.resources import resource_path

    pixmap = QIcon(str(resource_path("icons", "app.svg"))).pixmap(64, 64)
    if pixmap.isNull() or pixmap.toImage().pixelColor(32, 32).alpha() == 0:
        raise RuntimeError("the application icon did not render")
    return f"PySide6 {pyside_version}, platform {app.platformName()}"


def _find_plugin(folder: str, stem: str) -> Path | None:
    from PySide6.QtCore import QCoreApplication

    for root in QCoreApplication.libraryPaths():
        directory = Path(root) / folder
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            name = path.name.lower().removeprefix("lib")
            if name.split(".")[0] == stem:
                return path
    return None


def _qt_plugins() -> str:
    from PySide6.QtCore import QPluginLoader

    _application()
    platform = _platform()
    loaded, notes, missing = [], [], []
    for folder, stem in REQUIRED_PLUGINS["common"] + REQUIRED_PLUGINS[platform]:
        path = _find_plugin(folder, stem)
        if path is None:
            missing.append(f"{folder}/{stem}: not in the bundle")
            continue
        loader = QPluginLoader(str(path))
        if loader.load():
            loaded.append(stem)
        elif platform == "linux" and folder == "platforms":
            # present, but the desktop libraries it links (libxcb-*, libwayland-*) are
            # the system's; a headless machine may lack them
            notes.append(f"{stem} present, not loadable here")
        else:
            missing.append(f"{folder}/{stem}: {loader.errorString()}")
    if missing:
        raise RuntimeError("; ".join(missing))
    return "loaded " + ", ".join(loaded) + (f" ({'; '.join(notes)})" if notes else "")


def _qt_translations() -> str:
    from PySide6.QtCore import QTranslator

    _application()
    from kupon_desktop.ui.i18n import qt_translation_dirs

    translator = QTranslator()
    for directory in qt_translation_dirs():
        if translator.load("qtbase_ru", directory):
            return f"qtbase_ru ({directory})"
    raise RuntimeError(
        "qtbase_ru.qm (standard dialogs and buttons in Russian) is in none of "
        + ", ".join(qt_translation_dirs())
    )


def _program_modules() -> str:
    import pkgutil

    import kupon_desktop

    failed: list[str] = []

    def broken_package(name: str) -> None:
        failed.append(f"{name} ({sys.exc_info()[1]!r})")

    names = [
        info.name
        for info in pkgutil.walk_packages(
            kupon_desktop.__path__, "kupon_desktop.", onerror=broken_package
        )
        if info.name != "kupon_desktop.__main__"
    ]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # report them all, not just the first
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    for expected in ("kupon_desktop.cli", "kupon_desktop.ui.main_window"):
        if expected not in names:
            failed.append(f"{expected} (not found: the program's modules are not all bundled)")
    if failed:
        raise RuntimeError("; ".join(failed))
    return f"{len(names)} modules import"


def _command_line(parser: argparse.ArgumentParser, subcommands: Sequence[str]) -> str:
    commands: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:  # argparse keeps the subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            commands = dict(action.choices)
    missing = sorted(set(subcommands) - set(commands))
    if missing:
        raise RuntimeError(f"subcommands missing: {', '.join(missing)}")
    for sub in commands.values():
        sub.format_help()
    return ", ".join(commands)


def _sqlite() -> str:
    import tempfile

    # a file, not :memory:, so that WAL (what the campaign log uses) is really tried
    with tempfile.TemporaryDirectory(prefix="kupon-self-check-") as folder:
        con = sqlite3.connect(Path(folder) / "check.sqlite3")
        try:
            con.execute("select json('{}')")
            mode = con.execute("pragma journal_mode=wal").fetchone()[0]
        finally:
            con.close()
    if mode != "wal":
        raise RuntimeError(f"SQLite refused WAL mode (journal {mode})")
    return f"SQLite {sqlite3.sqlite_version}, JSON ok, journal {mode}"


def _staging() -> str:
    """The contact base stages a file's rows through ADBC's SQLite driver, a shared
    library the bundle must carry beside its Python package."""
    import tempfile

    from kupon_desktop.store.base import Incoming
    from kupon_desktop.store.stage import staged_rows

    rows = Incoming(rows=[2], phones=["79161234567"], emails=[None], fields=['{"Имя":"Анна"}'])
    with (
        tempfile.TemporaryDirectory(prefix="kupon-self-check-") as folder,
        staged_rows(Path(folder), rows, 1) as stage,
    ):
        con = sqlite3.connect(stage)
        try:
            got = con.execute("SELECT phone, fields_json FROM base_in").fetchall()
        finally:
            con.close()
    if got != [("79161234567", '{"Имя":"Анна"}')]:
        raise RuntimeError(f"the staged rows read back as {got!r}")
    return f"ADBC SQLite driver {_distribution_version('adbc-driver-sqlite')}"


def _keyring() -> str:
    import keyring
    from keyring.backends import fail

    platform = _platform()
    native = NATIVE_KEYRING.get(platform, "keyring.backends.SecretService")
    importlib.import_module(native)
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if platform != "linux" and isinstance(backend, fail.Keyring):
        # Windows and macOS always have a store: finding none means the backends'
        # entry points (keyring's metadata) were left out of the bundle
        raise RuntimeError(f"no credential store found ({name}); {native} is bundled")
    if isinstance(backend, fail.Keyring):
        # a Linux desktop without a Secret Service: the program works, but the token
        # lasts only until it closes
        raise CheckWarning(
            f"no credential store ({name}): the API token is kept only until the program "
            "closes; install and unlock a Secret Service (GNOME Keyring, KWallet, KeePassXC)"
        )
    return name


class CheckWarning(Exception):
    """A part that works, but not as a user would want: reported, not a failure."""


def _engines() -> str:
    import openpyxl
    import pandas
    import pyarrow
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv
    import python_calamine

    # a real round trip through each native engine, not just an import
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["phone", "name"])
    sheet.append(["+79161234567", "Анна"])
    data = io.BytesIO()
    book.save(data)
    rows = (
        python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data.getvalue()))
        .get_sheet_by_index(0)
        .to_python()
    )
    if rows[1][1] != "Анна":
        raise RuntimeError(f"calamine read {rows!r} back from an openpyxl workbook")
    table = pa_csv.read_csv(
        io.BytesIO("phone;name\n+79161234567;анна\n".encode()),
        parse_options=pa_csv.ParseOptions(delimiter=";"),
    )
    if pc.utf8_upper(table["name"]).to_pylist() != ["АННА"]:
        raise RuntimeError("pyarrow compute kernels did not run")
    column = pandas.Series(["анна"], dtype="string[pyarrow]").str.upper()
    if column.iloc[0] != "АННА":
        raise RuntimeError("pandas string[pyarrow] columns did not work")
    return (
        f"pandas {pandas.__version__}, pyarrow {pyarrow.__version__}, "
        f"calamine {_distribution_version('python-calamine')}, "
        f"openpyxl {openpyxl.__version__}"
    )


def _distribution_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # a bundle need not carry every package's metadata
        return "?"


def _phones() -> str:
    import phonenumbers

    number = phonenumbers.parse("+79161234567")
    if not phonenumbers.is_valid_number(number):
        raise RuntimeError("phone metadata is missing")
    import email_validator

    email_validator.validate_email("a@example.com", check_deliverability=False)
    return f"phonenumbers {phonenumbers.__version__}"


def _time_zones() -> str:
    from zoneinfo import ZoneInfo

    # Windows has no system zone database: Python then reads the bundled tzdata package
    for name in ("Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad"):
        ZoneInfo(name)
    return "Europe/Moscow, Asia/Vladivostok, Europe/Kaliningrad"


def _network() -> str:
    for name in ("aiohttp", "qasync"):
        importlib.import_module(name)
    import httpx

    context = httpx.create_ssl_context()
    authorities = context.cert_store_stats().get("x509_ca", 0)
    if not authorities:
        raise RuntimeError("no TLS root certificates (certifi's bundle is missing)")
    return f"httpx, aiohttp, qasync; {authorities} TLS root certificates"


def _charsets() -> str:
    from kupon_desktop.vocabulary import CHARSETS

    for codec in sorted(set(CHARSETS.values())):
        "Привет".encode(codec)
    return ", ".join(sorted(set(CHARSETS.values())))


def _translations() -> str:
    from kupon_desktop.ui.resources import resource_path

    found = []
    for lang in ("ru", "en"):
        path = resource_path("translations", f"kupon_{lang}.qm")
        if not path.is_file():
            raise RuntimeError(f"{path.name} is missing")
        found.append(path.name)
    if not resource_path("styles", "app.qss").is_file():
        raise RuntimeError("styles/app.qss is missing")
    return ", ".join(found) + ", app.qss"


def _window_libraries() -> str:
    from kupon_desktop.ui.platform_check import XCB_LIBRARIES, install_line, missing_packages

    if _platform() != "linux":
        return "not needed here"
    missing = missing_packages()
    if missing:
        raise CheckWarning(install_line(missing))
    return f"{len(XCB_LIBRARIES)} X11 (xcb) libraries found"


CHECKS: dict[str, Callable[[], str]] = {
    "Qt": _qt,
    "window libraries": _window_libraries,
    "Qt plugins": _qt_plugins,
    "Qt translations": _qt_translations,
    "program modules": _program_modules,
    "SQLite": _sqlite,
    "contact base staging": _staging,
    "credential store": _keyring,
    "spreadsheet engines": _engines,
    "phones and e-mail": _phones,
    "time zones": _time_zones,
    "network": _network,
    "charsets": _charsets,
    "translations": _translations,
}


def run_self_check(parser: argparse.ArgumentParser, subcommands: Sequence[str]) -> int:
    """Run every check and print one line each; the command line hands in its parser
    (so that this module, which needs Qt, is never imported by the command line's own
    modules: only ``cli.main`` reaches it, and only for ``--self-check``)."""
    checks: dict[str, Callable[[], str]] = {}
    for name, check in CHECKS.items():
        checks[name] = check
        if name == "program modules":
            checks["command line"] = lambda: _command_line(parser, subcommands)
    # a Windows CI log is not UTF-8: a Cyrillic detail must not crash the report itself
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")
    failed = 0
    for name, check in checks.items():
        try:
            detail = check()
        except CheckWarning as warning:
            print(f"warn  {name}: {warning}")
        except Exception as exc:  # report every failure, then exit 1
            failed += 1
            print(f"FAIL  {name}: {type(exc).__name__}: {exc}")
        else:
            print(f"ok    {name}: {detail}")
        sys.stdout.flush()
    print("self-check " + ("passed" if not failed else f"failed ({failed})"))
    sys.stdout.flush()
    return 1 if failed else 0

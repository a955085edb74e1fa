"""The first start on Linux and Qt's own words: a missing X11 library is named with the
package to install before Qt aborts, the README says the same next to its first command,
``--self-check`` calls a missing credential store a warning, and Qt's standard dialogs
speak the interface language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kupon_desktop.ui.platform_check import (
    QT_LIBRARIES,
    README_PACKAGES,
    XCB_LIBRARIES,
    check_window_libraries,
    uses_xcb,
)

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_library_is_named_with_its_package_in_one_line() -> None:
    libraries = {**XCB_LIBRARIES, "libxcb-kupon-missing.so.9": "libxcb-kupon9"}
    line = check_window_libraries(environ={"DISPLAY": ":0"}, platform="linux", libraries=libraries)
    assert line is not None and "\n" not in line
    assert "libxcb-kupon9" in line and "sudo apt-get install -y" in line
    assert line.rstrip().endswith("libxcb-kupon9")  # the command can be copied as it is


def test_a_library_qt_itself_links_is_named_on_any_platform_plugin() -> None:
    # without GLib or libGL ``import PySide6.QtCore`` fails, offscreen or not
    core = {**QT_LIBRARIES, "libkupon-gl-missing.so.1": "libkupon-gl1"}
    line = check_window_libraries(
        environ={"QT_QPA_PLATFORM": "offscreen"}, platform="linux", libraries={}, core=core
    )
    assert line is not None and line.rstrip().endswith("libkupon-gl1")


def test_without_a_library_qt_links_the_window_command_names_it_and_stops(
    monkeypatch, capsys
) -> None:
    # what a minimal Debian showed: the check names the package, and the import that
    # fails after it ends in one line instead of a traceback
    import ctypes
    import importlib.abc

    from kupon_desktop import cli
    from kupon_desktop.ui import platform_check

    real_cdll = ctypes.CDLL

    def cdll(name: str, *args: object, **kwargs: object) -> object:
        if name == "libGL.so.1":
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return real_cdll(name, *args, **kwargs)

    class NoGL(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: object, target: object = None) -> None:
            if name == "kupon_desktop.ui.app":
                raise ImportError(
                    "libGL.so.1: cannot open shared object file: No such file or directory"
                )

    monkeypatch.setattr(platform_check.ctypes, "CDLL", cdll)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delitem(sys.modules, "kupon_desktop.ui.app", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoGL(), *sys.meta_path])
    assert cli.main(["--demo"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("sudo apt-get install -y libgl1"), err
    assert err[1].startswith("kupon-desktop: Qt cannot load a system library (libGL.so.1")
    assert len(err) == 2


def test_no_check_where_qt_takes_another_platform() -> None:
    missing = {"libxcb-kupon-missing.so.9": "libxcb-kupon9"}
    assert (
        check_window_libraries(
            environ={"QT_QPA_PLATFORM": "offscreen"}, platform="linux", libraries=missing
        )
        is None
    )
    assert check_window_libraries(environ={}, platform="win32", libraries=missing) is None
    wayland = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}
    assert not uses_xcb(wayland, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb", **wayland}, "linux")


def test_readme_names_the_packages_next_to_its_first_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.index(".venv/bin/kupon-desktop --demo")
    line = "sudo apt-get install -y " + " ".join(README_PACKAGES)
    assert line in readme
    assert abs(readme.index(line) - first) < 600  # beside it, not pages away
    # every library package the README names is one the check knows
    known = set(XCB_LIBRARIES.values()) | set(QT_LIBRARIES.values())
    assert set(README_PACKAGES) - {"python3-venv"} <= known


def test_self_check_calls_a_missing_credential_store_a_warning(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "KUPON_DESKTOP_HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-m", "kupon_desktop", "--self-check"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    lines = result.stdout.splitlines()
    store = next(line for line in lines if "credential store" in line)
    assert store.startswith("warn  credential store: no credential store"), store
    assert "ok    credential store" not in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr  # a warning, not a failure


def test_qt_standard_dialogs_speak_russian(qtbot) -> None:
    from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel

    from tests.uihelpers import make_window

    make_window(qtbot, lang="ru")
    try:
        dialog = QFileDialog(None, "x")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = {label.text().replace("&", "") for label in dialog.findChildren(QLabel)}
        # Qt 6.11's own Russian catalog misses these two (their source gained an "&")
        assert {"Перейти к:", "Типы файлов:", "Имя файла:"} <= labels, labels
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Yes
            | QDialogButtonBox.StandardButton.No
            | QDialogButtonBox.StandardButton.Cancel
        )
        qtbot.addWidget(buttons)
        texts = {b.text().replace("&", "") for b in buttons.buttons()}
        assert texts == {"Да", "Нет", "Отмена"}, texts
    finally:
        app = QApplication.instance()
        for translator in getattr(app, "_kupon_translators", []):
            app.removeTranslator(translator)
        app._kupon_translators = []  # type: ignore[attr-defined]


def test_shipped_qt_supplement_is_compiled_from_its_source(tmp_path: Path) -> None:
    translations = ROOT / "resources" / "translations"
    tool = Path(sys.executable).parent / "pyside6-lrelease"
    qm = tmp_path / "qt_extra_ru.qm"
    subprocess.run(
        [str(tool), "-silent", str(translations / "qt_extra_ru.ts"), "-qm", str(qm)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert qm.read_bytes() == (translations / "qt_extra_ru.qm").read_bytes()

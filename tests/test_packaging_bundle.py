"""The PyInstaller bundle, built here (Linux) by the same script and spec as the Windows
and macOS installers: it runs, checks itself, serves its subcommands, opens the window,
and carries only what the program uses.

Slow (the build takes a few minutes on two cores), so it is marked ``packaging`` and left
out of the default run:

    .venv/bin/pip install -e ".[test,packaging]"
    .venv/bin/pytest -m packaging tests/test_packaging_bundle.py -s

``KUPON_BUNDLE_DIST=/path/to/dist`` tests a bundle built before (``packaging/build.py
--no-installer --dist /path/to/dist``) instead of building one.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kupon_desktop import __version__
from kupon_desktop.cli import SUBCOMMANDS

pytestmark = [
    pytest.mark.packaging,
    # the layout checks below are Linux's; the installers' CI runs the bundled program's
    # --version and --self-check on Windows and macOS (packaging/github-workflow.yml)
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle checks"),
]

ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = ROOT / "packaging" / "build.py"

#: A guard against the bundle growing back (a Qt module or a test tool creeping in),
#: not the target. Measured on Linux: see the report printed by test_bundle_size.
SIZE_CEILING_MB = 330

#: Qt modules and tools that must not be in the bundle (bundle_filter.py).
UNWANTED_FILES = re.compile(
    r"Qt6?(Quick|Qml|WebEngine|Pdf|3D|Multimedia|VirtualKeyboard|Designer|Lottie|Sql)"
    r"|arrow_flight|gandiva|libgtk|libpango|libcairo"
)
UNWANTED_MODULES = (
    "pytest",
    "_pytest",
    "hypothesis",
    "mypy",
    "IPython",
    "tkinter",
    "matplotlib",
    "PIL",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "phonenumbers.geodata",
)


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kupon_packaging_build", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    existing = os.environ.get("KUPON_BUNDLE_DIST")
    if existing:
        return Path(existing)
    base = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            sys.executable,
            str(BUILD_SCRIPT),
            "--no-installer",
            "--dist",
            str(base / "dist"),
            "--work",
            str(base / "work"),
            "--icons",
            str(base / "icons"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    print(result.stdout)
    return base / "dist"


@pytest.fixture(scope="module")
def exe(dist: Path) -> Path:
    path = build.command_line_executable(dist)
    assert path.is_file(), f"no bundled executable at {path}"
    return path


@pytest.fixture(scope="module")
def internal(dist: Path) -> Path:
    return dist / build.DIST_NAME / "_internal"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The bundle run as a user would: offscreen here, its own home, nothing from the
    development environment's Python leaking in."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "LD_LIBRARY_PATH", "QT_"))
    }
    clean["QT_QPA_PLATFORM"] = "offscreen"
    clean["KUPON_DESKTOP_HOME"] = str(tmp_path / "home")
    return clean


def run(
    exe: Path, *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=exe.parent
    )


def test_version(exe: Path, env: dict[str, str]) -> None:
    result = run(exe, "--version", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"kupon-desktop {__version__}"


def test_self_check_passes(exe: Path, env: dict[str, str]) -> None:
    result = run(exe, "--self-check", env=env)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "self-check passed"
    assert all(line.startswith("ok ") for line in lines[:-1]), result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_subcommand_help(exe: Path, env: dict[str, str], command: str) -> None:
    result = run(exe, command, "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert f"kupon-desktop {command}" in result.stdout


def test_window_opens_in_demo_mode_offscreen(exe: Path, env: dict[str, str]) -> None:
    log = Path(env["KUPON_DESKTOP_HOME"]) / "log" / "kupon-desktop.log"
    proc = subprocess.Popen(
        [str(exe), "--demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=exe.parent,
    )
    try:
        # wait (on the process, not a clock) until the program says it is starting the
        # window: its log line comes just before the window is built and shown
        for _ in range(600):
            try:
                proc.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                pass
            else:
                break
            if log.is_file() and "starting (demo=True" in log.read_text("utf-8"):
                break
        assert proc.poll() is None, "the bundled window exited during start-up"
        assert log.is_file(), "the bundled program wrote no log in a minute"
        # then it must stay up, window shown and demo platform running, for a while
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode in (0, -signal.SIGTERM), err
    assert "Traceback" not in err and "Traceback" not in out, err
    text = log.read_text("utf-8")
    assert "Traceback" not in text and " ERROR " not in text, text


def test_bundle_size(dist: Path) -> None:
    bundle = build.bundle_path(dist)
    size_mb = build.size_of(bundle) / 1_000_000
    internal = bundle / "_internal"
    parts = sorted(
        ((build.size_of(p) / 1_000_000, p.name) for p in internal.iterdir()), reverse=True
    )[:12]
    print(
        f"\nbundle {bundle}: {size_mb:.1f} MB; largest parts: "
        + ", ".join(f"{name} {mb:.1f}" for mb, name in parts)
    )
    assert size_mb < SIZE_CEILING_MB


def test_only_the_qt_parts_the_program_uses(internal: Path) -> None:
    files = [p.relative_to(internal).as_posix() for p in internal.rglob("*")]
    unwanted = [f for f in files if UNWANTED_FILES.search(f)]
    assert not unwanted
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert {p.name for p in (plugins / "platforms").iterdir()} == {
        "libqoffscreen.so",
        "libqxcb.so",
        "libqwayland.so",
    }
    assert (plugins / "imageformats" / "libqsvg.so").is_file()
    assert (plugins / "iconengines" / "libqsvgicon.so").is_file()
    translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()}
    assert translations == {"qtbase_ru.qm", "qtbase_en.qm"}


def test_no_development_tools_inside(exe: Path, internal: Path) -> None:
    from PyInstaller.archive.readers import pkg_archive_contents

    modules = set(pkg_archive_contents(str(exe)))
    inside = sorted(
        m for m in modules if any(m == u or m.startswith(u + ".") for u in UNWANTED_MODULES)
    )
    assert not inside
    assert not [
        p.name
        for p in internal.iterdir()
        if p.name.split("-")[0].split(".")[0] in ("pytest", "hypothesis", "mypy", "PIL")
    ]


def test_program_resources_are_bundled(internal: Path) -> None:
    resources = internal / "kupon_desktop" / "resources"
    for name in (
        "translations/kupon_ru.qm",
        "translations/kupon_en.qm",
        "icons/app.svg",
        "styles/app.qss",
        "__init__.py",
    ):
        assert (resources / name).is_file(), name


@pytest.mark.skipif(not shutil.which("ldd"), reason="needs ldd (Linux)")
def test_every_bundled_library_finds_its_dependencies(internal: Path) -> None:
    """A library left out by a filter rule shows up as "not found" here. Libraries that are
    missing on this machine altogether (X11/Wayland bits of the desktop a headless build
    host lacks) are the system's, not the bundle's, and are tolerated."""
    available = {p.name for p in Path(sys.prefix).rglob("*.so*")}
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))  # as the bootloader sets it
    broken: dict[str, list[str]] = {}
    for path in internal.rglob("*.so*"):
        if path.is_symlink() or not path.is_file():
            continue
        result = subprocess.run(
            ["ldd", str(path)], capture_output=True, text=True, env=env, timeout=60
        )
        missing = re.findall(r"^\s*(\S+) => not found", result.stdout, re.MULTILINE)
        dropped = [name for name in missing if name in available]
        if dropped:
            broken[path.relative_to(internal).as_posix()] = dropped
    assert not broken

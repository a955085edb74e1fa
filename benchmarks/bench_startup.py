"""Start-up to a drawn window, each in a fresh interpreter.

- program: ``kupon_desktop.ui.app.run_app()``, the real start (settings, translations,
  logging, crash handler, the main window with its pages), until the main window's first
  paint has been delivered; the clock starts just before the interpreter is spawned.
- baseline: the same, after importing what the program uses somewhere (pandas, numpy,
  pyarrow, httpx, aiohttp, phonenumbers, openpyxl) at the top, as a script would.
- limit: a bare PySide6 ``QMainWindow`` shown and painted.

Best of ``REPEAT`` spawns each (a cold disk cache or a busy neighbour shows in the worst).
The credential store is keyring's null backend and the home a temporary folder, so the
figure is the program's own, not the operating system's keyring. Target ≤ 0.5 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from benchmarks.common import module_main, row

TARGET_S = 0.5
REPEAT = 5
HEAVY = ("pandas", "numpy", "pyarrow", "httpx", "aiohttp", "phonenumbers", "openpyxl")

_PAINTED = """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class _Painted(QObject):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.done = False

    def eventFilter(self, obj, event):
        if (not self.done and event.type() == QEvent.Type.Paint
                and getattr(obj, "window", None) is not None and obj.window() is self.window):
            self.done = True
            print(time.time(), flush=True)
            QTimer.singleShot(0, self.window.close)
        return False
"""

PROGRAM = """
import time
{heavy}
from kupon_desktop.ui.app import run_app
{painted}
keep = []

def shown(window):
    watcher = _Painted(window)
    keep.append(watcher)
    QApplication.instance().installEventFilter(watcher)

run_app(on_shown=shown)
"""

BARE = """
import time
from PySide6.QtWidgets import QApplication, QMainWindow
{painted}
app = QApplication([])
window = QMainWindow()
window.resize(1000, 700)
watcher = _Painted(window)
app.installEventFilter(watcher)
window.show()
app.exec()
"""


def spawn(code: str, home: Path) -> float:
    """Seconds from just before the spawn to the first paint the child reports."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["KUPON_DESKTOP_HOME"] = str(home)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"start-up child failed: {done.stderr.strip()[-2000:]}")
    painted = float(done.stdout.split()[0])
    return painted - start


def imported_at_start(home: Path) -> list[str]:
    """Which of the heavy modules the window imports before it is drawn."""
    code = PROGRAM.format(heavy="", painted=textwrap.dedent(_PAINTED)) + (
        "\nimport sys\nprint(' '.join(m for m in " + repr(HEAVY) + " if m in sys.modules))\n"
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        KUPON_DESKTOP_HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    lines = done.stdout.strip().splitlines()
    return lines[-1].split() if len(lines) > 1 else []


def run(quick: bool = False, tmpdir: Path | str | None = None) -> list[dict[str, Any]]:
    painted = textwrap.dedent(_PAINTED)
    program = PROGRAM.format(heavy="", painted=painted)
    naive = PROGRAM.format(heavy="\n".join(f"import {m}" for m in HEAVY), painted=painted)
    bare = BARE.format(painted=painted)
    repeat = 3 if quick else REPEAT
    with tempfile.TemporaryDirectory(dir=tmpdir) as work:
        home = Path(work)
        spawn(program, home)  # the first start writes settings and compiles nothing new
        times = {
            name: min(spawn(code, home) for _ in range(repeat))
            for name, code in (("program", program), ("naive", naive), ("bare", bare))
        }
        heavy = imported_at_start(home)
    seconds = times["program"]
    return [
        row(
            "start-up to a drawn window",
            0,
            "s",
            seconds,
            baseline=times["naive"],
            limit=times["bare"],
            target=f"≤ {TARGET_S:g} s",
            passed=seconds <= TARGET_S,
            note=(
                f"fresh interpreter, best of {repeat}; baseline: the same with "
                f"{', '.join(HEAVY)} imported first; limit: a bare PySide6 window; heavy "
                f"modules imported before the first paint: {', '.join(heavy) or 'none'}"
            ),
            heavy_at_start=heavy,
        )
    ]


def main(argv: list[str] | None = None) -> int:
    return module_main("bench_startup", run, argv)


if __name__ == "__main__":
    sys.exit(main())

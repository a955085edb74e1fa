"""Nothing below ui/ may import Qt: the engine runs headless on servers and in CI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kupon_desktop

SCRIPT = r"""
import importlib, sys

class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "qasync"):
            raise ImportError(f"Qt is not allowed here: {name}")
        return None

sys.meta_path.insert(0, NoQt())
for name in sys.argv[1:]:
    importlib.import_module(name)
print("ok", len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(kupon_desktop.__path__, "kupon_desktop."):
        if info.name.startswith(("kupon_desktop.ui", "kupon_desktop.resources")):
            continue
        if info.name == "kupon_desktop.__main__":
            continue
        names.append(info.name)
    return names


def test_every_core_module_imports_without_qt():
    names = core_modules()
    assert "kupon_desktop.cli" in names and "kupon_desktop.vocabulary" in names
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *names], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {len(names)}"

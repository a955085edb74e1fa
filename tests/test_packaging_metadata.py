"""pyproject lists the packages by hand (resources/ is mapped in); a package left out would
be missing from every wheel, pipx install and bundle."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "kupon_desktop").rglob("__init__.py")
    } | {"kupon_desktop.resources"}
    assert found == listed


def test_qt_is_pinned_below_612():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"PySide6-Essentials>=6.8,<6.12"' in text

"""Finding the shipped resources (icons, translations, style sheet) wherever the program
runs from: a checkout, a wheel, pipx or a PyInstaller bundle."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from PySide6.QtGui import QIcon


def resource_path(*parts: str) -> Path:
    return Path(str(resources.files("kupon_desktop.resources").joinpath(*parts)))


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(resource_path("icons", f"{name}.svg")))


def style_sheet() -> str:
    try:
        return resource_path("styles", "app.qss").read_text(encoding="utf-8")
    except OSError:
        return ""

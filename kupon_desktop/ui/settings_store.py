"""The declared settings (``kupon_desktop.config``) stored in QSettings.

The token is never stored here: see ``kupon_desktop.credentials``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from kupon_desktop import ORG_NAME
from kupon_desktop.config import SCHEMA_VERSION, SETTINGS, Settings


def open_qsettings() -> QSettings:
    """The user's settings; under ``KUPON_DESKTOP_HOME`` (tests, portable use) an INI file
    there instead of the platform's registry/plist/config file."""
    home = os.environ.get("KUPON_DESKTOP_HOME")
    if home:
        return QSettings(str(Path(home) / "config" / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORG_NAME, "Kupon Desktop")


def register_audience_settings() -> None:
    """The audience rules' settings (send window, default zone, prices) are declared in
    their own package; the window shows them, so they join the table here."""
    from kupon_desktop.audience.settings import AUDIENCE_SETTINGS

    for setting in AUDIENCE_SETTINGS:
        SETTINGS.setdefault(setting.name, setting)


class QtSettings(Settings):
    """:class:`Settings` whose values are read from and written to QSettings."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        register_audience_settings()
        self.qsettings = qsettings or open_qsettings()
        values: dict[str, Any] = {}
        for name in SETTINGS:
            value = self.qsettings.value(name)
            if value is not None:
                values[name] = value
        super().__init__(values)
        self._migrate()

    def _migrate(self) -> None:
        stored = int(str(self.qsettings.value("meta/schema_version", 0) or 0))
        if stored < SCHEMA_VERSION:
            # version 1 is the first; later versions convert old keys here, step by step
            self.qsettings.setValue("meta/schema_version", SCHEMA_VERSION)

    def set(self, name: str, value: Any) -> Any:
        clean = super().set(name, value)
        self.qsettings.setValue(name, clean)
        return clean

    def sync(self) -> None:
        self.qsettings.sync()

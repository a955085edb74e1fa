"""Where the program keeps its files, per the platform's conventions (platformdirs).

``KUPON_DESKTOP_HOME`` moves all of them under one folder: tests and portable installs
use it so that nothing touches the user's real data.
"""

from __future__ import annotations

import os
from pathlib import Path

from kupon_desktop import APP_NAME, ORG_NAME


def _base(kind: str) -> Path:
    home = os.environ.get("KUPON_DESKTOP_HOME")
    if home:
        path = Path(home) / kind
    else:
        import platformdirs

        if kind == "data":
            found = platformdirs.user_data_dir(APP_NAME, ORG_NAME)
        elif kind == "log":
            found = platformdirs.user_log_dir(APP_NAME, ORG_NAME)
        else:
            found = platformdirs.user_config_dir(APP_NAME, ORG_NAME)
        path = Path(found)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _base("data")


def log_dir() -> Path:
    return _base("log")


def config_dir() -> Path:
    return _base("config")


def default_db_path() -> Path:
    """The installation's own log database."""
    return data_dir() / "kupon.sqlite3"

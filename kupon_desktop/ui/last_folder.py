"""Where a file dialog starts: the folder the user last chose, kept in QSettings, with
the file name the program suggests.

Only the starting path is decided here, so a page's static dialog and the window's
awaited one (``dialogs.py``) start in the same place: ``start_path`` before opening,
``remember`` with what the user chose.
"""

from __future__ import annotations

from pathlib import Path

from kupon_desktop.ui.settings_store import open_qsettings

#: the one folder every save and open dialog of the program starts from
KEY = "dialogs/last_folder"


def last_folder() -> Path:
    """The folder of the file last chosen in a dialog, if it still exists; else the
    user's Documents (or home) folder."""
    stored = open_qsettings().value(KEY)
    if stored:
        folder = Path(str(stored))
        if folder.is_dir():
            return folder
    home = Path.home()
    for name in ("Documents", "Документы"):
        if (home / name).is_dir():
            return home / name
    return home


def start_path(file_name: str = "", *, prefer: str | Path | None = None) -> str:
    """The path a dialog opens at: ``prefer`` (a file the user is likely to want, such
    as the list a campaign came from) when it exists, else ``file_name`` in the last
    folder (or the folder itself when no name is suggested)."""
    if prefer and Path(prefer).is_file():
        return str(prefer)
    folder = last_folder()
    return str(folder / file_name) if file_name else str(folder)


def remember(chosen: str | Path) -> None:
    """Keep the folder of a file the user chose (nothing for an empty choice)."""
    if not chosen:
        return
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    settings = open_qsettings()
    settings.setValue(KEY, str(folder))
    settings.sync()

"""Dialogs from async code without a nested event loop.

qasync runs asyncio on Qt's loop. ``QDialog.exec()`` and the static ``QMessageBox`` /
``QFileDialog`` / ``QInputDialog`` calls start a second, nested loop; run inside a
coroutine, that loop runs other tasks' steps while the first task is suspended mid-step,
asyncio refuses to re-enter them ("Cannot enter into task ... while another task is being
executed") and they never run again. So every dialog here is opened with ``open()``
(window-modal, parented to the window, in front of it) and awaited through its
``finished`` signal: the one event loop keeps running every task while the user reads.

Cancelling the awaiting task closes the dialog (as "rejected"), so a dialog never
outlives the question it asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from kupon_desktop.ui.settings_store import open_qsettings

Button = QMessageBox.StandardButton

#: where each file dialog was last pointed (QSettings key prefix)
LAST_FOLDER_KEY = "dialogs/last_folder/"


def _front(dialog: QDialog, parent: QWidget | None) -> None:
    """Window-modal and in front of ``parent``'s window (never behind it)."""
    if parent is not None and dialog.parentWidget() is None:
        dialog.setParent(parent.window(), dialog.windowFlags() | Qt.WindowType.Dialog)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)


async def run_dialog(dialog: QDialog) -> int:
    """Open ``dialog`` window-modally and wait, without blocking the loop, until it is
    closed; returns its result code (``QDialog.DialogCode``). If the awaiting task is
    cancelled, the dialog is rejected and closed."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[int] = loop.create_future()

    def finished(code: int) -> None:
        if not done.done():
            done.set_result(int(code))

    dialog.finished.connect(finished)
    _front(dialog, dialog.parentWidget())
    dialog.open()
    dialog.raise_()
    dialog.activateWindow()
    try:
        return await done
    except asyncio.CancelledError:
        if dialog.isVisible():
            dialog.reject()
        raise


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    buttons: Button = Button.Ok,
    default: Button = Button.NoButton,
) -> QMessageBox:
    """A message box parented to ``parent``'s window (not yet shown)."""
    box = QMessageBox(icon, title, text, buttons, parent.window() if parent else None)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


async def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.No,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> Button:
    """Ask a question; returns the standard button the user chose (``Escape`` or closing
    the box gives the escape button, ``No``/``Cancel``)."""
    box = message_box(parent, title, text, icon=icon, buttons=buttons, default=default)
    # read before the box is deleted on close
    answer: list[Button] = [Button.NoButton]
    box.buttonClicked.connect(lambda b: answer.__setitem__(0, box.standardButton(b)))
    await run_dialog(box)
    if answer[0] == Button.NoButton:
        escape = Button.Cancel if buttons & Button.Cancel else Button.No
        return escape if buttons & escape else Button.NoButton
    return answer[0]


async def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question, "No" by default; True for "Yes"."""
    return await ask(parent, title, text) == Button.Yes


async def notify(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> None:
    """Show a notice and wait until the user closes it."""
    await run_dialog(message_box(parent, title, text, icon=icon))


def show_notice(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """Show a notice without waiting for it (from a plain slot or a callback): it never
    starts a loop of its own, so it is safe anywhere."""
    box = message_box(parent, title, text, icon=icon)
    _front(box, parent)
    box.open()
    box.raise_()
    return box


def prompt_text(
    parent: QWidget | None, title: str, label: str, on_text: Callable[[str], None]
) -> QInputDialog:
    """Ask for one line of text from a plain slot: returns at once; ``on_text(text)``
    is called if the user confirms."""
    dialog = QInputDialog(parent.window() if parent else None)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.textValueSelected.connect(on_text)
    _front(dialog, parent)
    dialog.open()
    return dialog


class FolderMemory:
    """The folder each kind of file dialog was last pointed at, kept in the settings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings

    @property
    def settings(self) -> QSettings:
        if self._settings is None:
            self._settings = open_qsettings()
        return self._settings

    def get(self, key: str) -> Path:
        value = self.settings.value(LAST_FOLDER_KEY + key)
        if value:
            path = Path(str(value))
            if path.is_dir():
                return path
        return Path.home()

    def remember(self, key: str, chosen: Path) -> None:
        self.settings.setValue(LAST_FOLDER_KEY + key, str(chosen.parent))
        self.settings.sync()


def file_dialog(
    parent: QWidget | None,
    title: str,
    name_filter: str,
    *,
    save: bool,
    key: str,
    suggested: str = "",
    memory: FolderMemory | None = None,
) -> QFileDialog:
    """A non-static file dialog opening in the folder last used for ``key``."""
    memory = memory or FolderMemory()
    folder = memory.get(key)
    dialog = QFileDialog(parent.window() if parent else None, title, str(folder), name_filter)
    dialog.setObjectName(f"fileDialog:{key}")
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        suffix = _first_suffix(name_filter)
        if suffix:
            dialog.setDefaultSuffix(suffix)
        if suggested:
            # a full path (beside the imported file) wins over the remembered folder
            target = Path(suggested) if Path(suggested).is_absolute() else folder / suggested
            dialog.setDirectory(str(target.parent))
            dialog.selectFile(str(target))
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if suggested and Path(suggested).is_file():
            # a file the user most likely wants (the workbook a campaign came from)
            dialog.setDirectory(str(Path(suggested).parent))
            dialog.selectFile(suggested)
    return dialog


def pick_file(
    parent: QWidget | None,
    title: str,
    name_filter: str,
    on_chosen: Callable[[Path], None],
    *,
    save: bool = False,
    key: str = "default",
    suggested: str = "",
    memory: FolderMemory | None = None,
) -> QFileDialog:
    """Ask for a file to open (or, with ``save``, to write), from a plain slot: opens
    the dialog and returns at once; ``on_chosen(path)`` is called if the user picks a
    file. The folder is remembered per ``key`` for the next time."""
    memory = memory or FolderMemory()
    dialog = file_dialog(
        parent, title, name_filter, save=save, key=key, suggested=suggested, memory=memory
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen(name: str) -> None:
        if name:
            path = Path(name)
            memory.remember(key, path)
            on_chosen(path)

    dialog.fileSelected.connect(chosen)
    _front(dialog, parent)
    dialog.open()
    return dialog


def _first_suffix(name_filter: str) -> str:
    """``"Excel (*.xlsx);;CSV (*.csv)"`` → ``"xlsx"``."""
    start = name_filter.find("*.")
    if start < 0:
        return ""
    end = start + 2
    while end < len(name_filter) and name_filter[end].isalnum():
        end += 1
    return name_filter[start + 2 : end]


def active_dialogs() -> list[QDialog]:
    """The dialogs now open (tests answer them, the window closes them on quit)."""
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]

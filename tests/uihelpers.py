"""Building the real window for tests, exactly as the program does, but with an in-memory
credential store."""

from __future__ import annotations

from kupon_desktop.ui.app import build_context, make_application
from kupon_desktop.ui.main_window import MainWindow
from tests.keyring_memory import MemoryKeyring


def make_window(qtbot, *, lang: str = "en", keyring=None, demo: bool = False) -> MainWindow:
    app = make_application()
    ctx = build_context(app, demo=demo, lang=lang, keyring_backend=keyring or MemoryKeyring())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    return window


def simulator_window(qtbot, sim, db_path, *, lang: str = "en") -> MainWindow:
    """The demo window sending to the simulator ``sim``, its log at ``db_path``; the send
    window off (a night-time run would hold every message till morning)."""
    from tests.simhelpers import TOKEN

    window = make_window(qtbot, lang=lang, demo=True)
    window.ctx.settings.set("audience/window", "off")
    window.ctx.api_url = sim.base_url
    window.ctx.session_token = TOKEN
    window.control.db_path = db_path
    return window


def accept_import(qtbot) -> None:
    """Accept the import dialog the window opens for a file, as the user would."""
    from PySide6.QtWidgets import QApplication

    from kupon_desktop.ui.import_dialog import ImportDialog

    def dialog():
        found = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ImportDialog) and w.isVisible()
        ]
        return found[0] if found else None

    qtbot.waitUntil(lambda: dialog() is not None, timeout=20000)
    dialog().accept()

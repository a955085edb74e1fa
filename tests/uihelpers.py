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

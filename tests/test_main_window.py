"""The main window as a user meets it: pages, shortcuts, settings, remembered layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from kupon_desktop.credentials import ACCOUNT, SERVICE
from tests.keyring_memory import LockedKeyring, MemoryKeyring
from tests.uihelpers import make_window


def test_shortcuts_switch_every_page(qtbot):
    window = make_window(qtbot)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for key, page in (
        (Qt.Key.Key_2, "message"),
        (Qt.Key.Key_3, "campaign"),
        (Qt.Key.Key_4, "history"),
        (Qt.Key.Key_5, "stoplist"),
        (Qt.Key.Key_1, "contacts"),
    ):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.current_page == page
        assert window.navigation.currentRow() == window.PAGES.index(page)


def test_clicking_navigation_switches_page(qtbot):
    window = make_window(qtbot)
    window.navigation.setCurrentRow(2)
    assert window.stack.currentWidget() is window.campaign_page


def test_menus_have_the_promised_actions(qtbot):
    window = make_window(qtbot)
    assert window.import_action.shortcut().toString() == "Ctrl+O"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Help"]


def test_window_is_russian_when_asked(qtbot):
    window = make_window(qtbot, lang="ru")
    try:
        titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
        assert titles == ["Файл", "Правка", "Вид", "Справка"]
        assert window.navigation.item(0).text() == "Контакты"
    finally:
        _reset_language()


def _reset_language():
    app = QApplication.instance()
    for translator in getattr(app, "_kupon_translators", []):
        app.removeTranslator(translator)
    app._kupon_translators = []


def test_layout_is_remembered(qtbot):
    window = make_window(qtbot)
    window.resize(790, 590)  # within the offscreen screen (800×600)
    window.show_page(3)
    window.close()
    again = make_window(qtbot)
    assert again.current_page == "history"
    assert (again.width(), again.height()) == (790, 590)


def test_settings_open_and_cancel_changes_nothing(qtbot):
    window = make_window(qtbot)
    before = window.ctx.settings.as_dict()
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    dialog.port.editor.setText("9999")
    dialog.reject()
    assert window.ctx.settings.as_dict() == before


def test_token_round_trips_through_the_credential_store(qtbot, tmp_path):
    store = MemoryKeyring()
    window = make_window(qtbot, keyring=store)
    dialog = window.open_settings()
    token_edit = dialog.token.editor
    assert isinstance(token_edit, QLineEdit)
    assert token_edit.echoMode() == QLineEdit.EchoMode.Password
    token_edit.setText("  tok-1234567890abcdef  ")
    dialog.accept()
    assert store.store[(SERVICE, ACCOUNT)] == "tok-1234567890abcdef"
    assert window.token_label.text() == "Token set"
    # a fresh window reads it back from the store, and the token is in no settings file
    again = make_window(qtbot, keyring=store)
    assert again.open_settings().token.editor.text() == "tok-1234567890abcdef"
    window.ctx.settings.sync()
    for path in tmp_path.parent.rglob("*"):
        if path.is_file():
            assert b"tok-1234567890abcdef" not in path.read_bytes(), path


def test_invalid_values_are_refused_next_to_the_field(qtbot):
    window = make_window(qtbot)
    dialog = window.open_settings()
    dialog.port.editor.setText("70000")
    dialog.api_url.editor.setText("kupon.mobi")
    dialog.region.editor.setText("Russia")
    dialog.accept()
    assert dialog.isVisible(), "the dialog must stay open while a value is wrong"
    assert "65535" in dialog.port.error.text()
    assert "https://" in dialog.api_url.error.text()
    assert "RU" in dialog.region.error.text()
    assert window.ctx.settings.get("receiver/port") == 8765
    dialog.port.editor.setText("8080")
    dialog.api_url.editor.setText("https://api.example.com/bulk")
    dialog.region.editor.setText("kz")
    dialog.accept()
    assert not dialog.isVisible()
    assert window.ctx.settings.get("receiver/port") == 8080
    assert window.ctx.settings.get("api/base_url") == "https://api.example.com/bulk/"
    assert window.ctx.settings.get("contacts/region") == "KZ"


def test_locked_credential_store_keeps_token_in_memory_and_says_so(qtbot):
    window = make_window(qtbot, keyring=LockedKeyring())
    dialog = window.open_settings()
    dialog.token.editor.setText("tok-abcdef123456")
    dialog.accept()
    assert window.ctx.tokens.get() == "tok-abcdef123456"
    assert window.ctx.tokens.problem
    assert "credential store" in window.open_settings().token.error.text()

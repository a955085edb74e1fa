"""The window in Russian shows no English: every page (with a list imported and a campaign
sent, so that tables, tabs and filters are filled), the import step, the confirmation,
Settings, the menus and Qt's own file dialog are walked offscreen, and every string a
user can see (widget texts, tooltips, placeholders, window titles, menu actions, tab
and table headers) is checked for Latin words. Product and format names are allowed.

Strings that live in files other work is changing are listed in ``ELSEWHERE`` with their
file; the test fails on any other Latin word, and reports (xfail) while those remain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from kupon_desktop.compose import Draft
from kupon_desktop.ui.import_dialog import ImportDialog
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import quick_config, running_simulator
from tests.uihelpers import simulator_window

#: names a Russian interface keeps in Latin letters
ALLOWED = {
    word.casefold()
    for word in [
        "Viber",
        "WhatsApp",
        "Telegram",
        "SMS",
        "MMS",
        "push",
        "e-mail",
        "email",
        "URL",
        "HLR",
        "VK",
        "OK",
        "Kupon",
        "Kupon.mobi",
        "CSV",
        "XLSX",
        "XLSM",
        "XLS",
        "ODS",
        "TSV",
        "TXT",
        "HTML",
        "API",
        "ID",
        "Excel",
        "OpenDocument",
        "https",
        "http",
        "localhost",
        "UCS-2",
        "GSM",
        "GSM-7",
        "UTF-8",
        "RU",
        "KZ",
        "BY",
        "UTC",
        "MSK",
        "Europe",
        "Moscow",
        "Ctrl",
        "Shift",
        "Alt",
        "Enter",
        "Esc",
        "F7",
        "PNG",
        "JPEG",
        "JPG",
        "GIF",
        "JSON",
        "Desktop",
        "kupon-desktop",
        "English",
    ]
}
#: parts of a text that are not words of the interface: addresses, paths, patterns,
#: placeholders, time zones, key sequences
_NOT_WORDS = re.compile(
    r"https?://\S+|\S+@\S+|\*\.\w+|\{[^}]*\}|[A-Z][a-z]+/[A-Za-z_]+|\b\d+\.\d+\.\d+\.\d+\S*"
    r"|<[^>]+>|&\w+;|\b[\w-]+\.(?:xlsx|csv|sqlite3|json)\b"
    # a folder, a host name, a charset (UTF-8, UCS-2BE, CP1251), Excel's column letters
    r"|(?:^|(?<=\s))/\S*|\b[\w-]+(?:\.[\w-]+)*\.(?:ru|com|mobi|org|net)\b"
    r"|\b(?:utf|ucs|cp|windows|koi8)-?\d+\w*|^[A-Z]{1,2}$|\bCtrl\+\w+"
    r"|kupon-desktop(?: [a-z]+)?"  # a command to type
    # an A/B test and its variants' names (A, B, C, D), Latin as everywhere
    r"|(?-i:\bA/B\b|(?<![\w/])[A-D](?![\w/]))",
    re.IGNORECASE,
)
_LATIN = re.compile(r"[A-Za-z][A-Za-z.\-']*[A-Za-z]|[A-Za-z]")

#: Latin words still shown by files other work is changing (the Message page, the
#: confirmation and the main window; the Contacts page and the import) -> where
ELSEWHERE: dict[str, str] = {}


#: table columns whose cells the program writes (not the user's data)
PROGRAM_COLUMNS = frozenset(
    {"Статус", "Ошибка", "Канал", "Состояние", "Тип", "Источник", "Примечание", "Столбец"}
    | {"Причина", "Изменён"}
)


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` that are not allowed names."""
    text = _NOT_WORDS.sub(" ", text.replace("&&", "&"))
    words = []
    for word in _LATIN.findall(text.replace("&", "")):
        if word.casefold().strip(".-'") in ALLOWED:
            continue
        if len(word) == 1 and word in "xX":  # 1366x900, "×"
            continue
        words.append(word)
    return words


def _header_texts(model: QAbstractItemModel) -> Iterator[str]:
    for orientation, count in ((Qt.Orientation.Horizontal, model.columnCount()),):
        for section in range(count):
            value = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
            if value:
                yield str(value)


def _menu_texts(menu: QMenu) -> Iterator[str]:
    for action in menu.actions():
        if action.text():
            yield action.text()
        if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
            yield action.toolTip()
        if action.menu() is not None:
            yield from _menu_texts(action.menu())


def visible_texts(root: QWidget) -> dict[str, str]:
    """text -> where (the widget's class and object name) for everything visible."""
    found: dict[str, str] = {}

    def add(text: str | None, where: str) -> None:
        if text and text.strip():
            found.setdefault(text, where)

    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisible():
            continue
        where = f"{type(w).__name__} {w.objectName()}".strip()
        add(w.toolTip(), where + " tooltip")
        if w.isWindow():
            add(w.windowTitle(), where + " title")
        if isinstance(w, (QLabel, QAbstractButton)):
            add(w.text(), where)
        if isinstance(w, QLineEdit):
            add(w.placeholderText(), where + " placeholder")
        if isinstance(w, (QTextEdit, QPlainTextEdit)):
            add(w.placeholderText(), where + " placeholder")
        if isinstance(w, QGroupBox):
            add(w.title(), where)
        if isinstance(w, QProgressBar) and w.isTextVisible():
            add(w.text(), where)
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w.itemText(i), where + " item")
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(w.tabText(i), where + " tab")
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                add(w.item(i).text(), where + " item")
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            headers = list(_header_texts(model))
            for text in headers:
                add(text, where + " header")
            # the cells the program writes itself (the list's own data may be anything)
            for column, header in enumerate(headers):
                if header in PROGRAM_COLUMNS:
                    for row in range(min(model.rowCount(), 50)):
                        add(model.data(model.index(row, column)), f"{where} «{header}» cell")
        for action in w.actions():
            add(action.text(), where + " action")
    return found


def offenders(texts: dict[str, str]) -> dict[str, str]:
    return {text: where for text, where in texts.items() if latin_words(text)}


def test_the_checker_itself() -> None:
    assert latin_words("Отправить SMS через Viber") == []
    assert latin_words("1 из 20 000 sent") == ["sent"]
    assert latin_words("Типы файлов (*.xlsx *.csv)") == []
    assert latin_words("ttl") == ["ttl"]
    assert latin_words("Europe/Moscow, UTC+5") == []
    assert latin_words("Look in:") == ["Look", "in"]


@pytest.fixture
def russian_window(qtbot, qasync_loop, tmp_path):
    with running_simulator(quick_config()) as sim:
        window = simulator_window(qtbot, sim, tmp_path / "demo.sqlite3", lang="ru")
        window.resize(1280, 860)
        window.show()
        started = qasync_loop.create_task(window.startup())
        qtbot.waitUntil(started.done, timeout=20000)
        started.result()
        try:
            yield window
        finally:
            done = qasync_loop.create_task(window.shutdown())
            qtbot.waitUntil(done.done, timeout=20000)
            app = QApplication.instance()
            for translator in getattr(app, "_kupon_translators", []):
                app.removeTranslator(translator)
            app._kupon_translators = []  # type: ignore[attr-defined]


def _top(kind: type) -> QWidget | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


def walk(qtbot, window, tmp_path, monkeypatch) -> dict[str, str]:
    """Every page, dialog and menu with something in it; text -> where it was seen."""
    seen: dict[str, str] = {}

    def collect(root: QWidget, label: str) -> None:
        for text, where in visible_texts(root).items():
            seen.setdefault(text, f"{label}: {where}")

    for i, name in enumerate(window.PAGES):  # empty pages first
        window.show_page(i)
        collect(window, name + " (empty)")
    for action in window.menuBar().actions():
        for text in [action.text(), *_menu_texts(action.menu())]:
            seen.setdefault(text, "menu")

    csv = tmp_path / "клиенты.csv"
    rows = "".join(f"Клиент {i};8 916 {i:07d};Казань\n" for i in range(30))
    csv.write_text("Имя;Телефон;Город\n" + rows + "Без номера;не помню;Тверь\n", "utf-8")
    with qtbot.waitSignal(window.contacts_page.contacts_loaded, timeout=30000):
        window.open_contacts(csv)
        qtbot.waitUntil(lambda: _top(ImportDialog) is not None, timeout=20000)
        dialog = _top(ImportDialog)
        collect(dialog, "import dialog")
        dialog.accept()
    window.show_page(0)
    tabs = window.contacts_page.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        collect(window, f"contacts tab {i}")

    page = window.message_page
    window.show_page(1)
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, скидка 20%!"))
    collect(window, "message")
    for kind in (MessageType.EMAIL, MessageType.VIBER, MessageType.BULK):
        page.set_draft(Draft(type=kind, sender="101", text="{Имя}, скидка 20%!"))
        collect(window, f"message {kind.value}")
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, скидка 20%!"))
    page.start_send()
    qtbot.waitUntil(
        lambda: getattr(window, "confirm_box", None) is not None and window.confirm_box.isVisible(),
        timeout=20000,
    )
    box = window.confirm_box
    collect(box, "confirmation")
    send = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole]
    send[0].click()
    grid = window.campaign_page.model
    qtbot.waitUntil(lambda: grid.rowCount() == 30, timeout=30000)
    qtbot.waitUntil(lambda: not window.campaign_page.running, timeout=30000)
    collect(window, "campaign")

    # the grid's context menu, as it would pop up (exec would block)
    import kupon_desktop.ui.pages.campaign as campaign_module

    menus: list[QMenu] = []

    class RecordingMenu(QMenu):
        def exec(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            menus.append(self)

    monkeypatch.setattr(campaign_module, "QMenu", RecordingMenu)
    window.campaign_page.view.selectRow(0)
    window.campaign_page._menu(window.campaign_page.view.rect().center())
    monkeypatch.undo()
    for menu in menus:
        for text in _menu_texts(menu):
            seen.setdefault(text, "campaign grid menu")

    window.refresh_history()
    window.show_page(3)
    qtbot.waitUntil(lambda: window.history_page.model.rowCount() > 0, timeout=20000)
    collect(window, "history")

    window.show_page(4)
    stop = window.stoplist_page
    stop.address.setText("8 903 111-22-33")
    stop.add_typed()
    qtbot.waitUntil(lambda: stop.model.rowCount() > 0, timeout=20000)
    collect(window, "stop list")

    import kupon_desktop.ui.main_window as window_module

    about: list[str] = []
    monkeypatch.setattr(
        window_module.QMessageBox, "about", lambda _parent, title, text: about.extend([title, text])
    )
    window.about()
    monkeypatch.undo()
    for text in about:
        seen.setdefault(re.sub(r"<[^>]+>", " ", text), "about box")

    settings = window.open_settings()
    collect(settings, "settings")
    settings.reject()

    file_dialog = QFileDialog(window, stop.tr("Import a stop list"))
    file_dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    from kupon_desktop.ui.pages.contacts import file_filter

    file_dialog.setNameFilter(file_filter())
    file_dialog.show()
    collect(file_dialog, "file dialog")
    file_dialog.close()
    return seen


def test_every_page_dialog_and_menu_speaks_russian(
    qtbot, russian_window, tmp_path, monkeypatch
) -> None:
    seen = walk(qtbot, russian_window, tmp_path, monkeypatch)
    assert len(seen) > 150  # the walk reached the pages, not just an empty window
    found = offenders(seen)
    ours = {
        text: where for text, where in found.items() if not set(latin_words(text)) <= set(ELSEWHERE)
    }
    assert not ours, "English in the Russian window:\n" + "\n".join(
        f"  {latin_words(text)} in {text[:90]!r}  ({where})" for text, where in sorted(ours.items())
    )
    left = sorted({word for text in found for word in latin_words(text)} & set(ELSEWHERE))
    if left:
        pytest.xfail(
            "English left in files other work is changing: "
            + "; ".join(f"{word!r} in {ELSEWHERE[word]}" for word in left)
        )

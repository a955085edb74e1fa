"""Every form field of the window given empty, huge, Unicode-edge and injection-shaped
values: the Settings dialog refuses what it cannot take with a message next to the field
(and saves nothing), the Message page builds its draft, previews and checks without an
exception, and reports a blocking problem where the value cannot be sent.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from PySide6.QtWidgets import QLineEdit

from kupon_desktop.compose import Draft
from kupon_desktop.config import DEFAULT_API_URL
from kupon_desktop.vocabulary import MessageType
from tests.keyring_memory import MemoryKeyring
from tests.uihelpers import make_window

MB = 1 << 20
VALUES: dict[str, str] = {
    "empty": "",
    "spaces": "   \t ",
    "huge": "я" * (MB // 4),  # 256 K letters: past any field's sense, a second to render
    "rtl marks": "\u202e\u200fgpj.exe\u202c\u2066x\u2069",
    "nul": "a\x00b\x00",
    "controls": "\x01\x07\x1b[31m\x7f\x85",
    "lone surrogate": "x\ud800y\udfffz",
    "emoji": "😀👍🏽👨‍👩‍👧 🇷🇺",
    "combining": "e\u0301\u0301\u0301 Z\u0334\u0321\u031b\u0349a\u0337l\u035cg\u0358o",
    "sql": "'; DROP TABLE recipients; --",
    "script": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "template": "{{ 7*7 }} }}{{ {Имя {",
    "format": "%s%s%n %d %1 {0} ${x}",
    "path": "../../etc/passwd",
    "newlines": "line1\r\nline2\u2028line3",
}
#: the values the Settings dialog must refuse in a URL, port or region field
SETTING_FIELDS = ("api_url", "callback_url", "port", "region")


def _set_line_edit(edit: QLineEdit, value: str) -> str:
    """Set the text as a user would paste it; returns what the field actually holds (Qt
    caps a line at 32,767 characters and replaces what a QString cannot hold)."""
    edit.setText(value)
    return edit.text()


@pytest.fixture
def window(qtbot):
    return make_window(qtbot, keyring=MemoryKeyring())


# -- the Settings dialog -----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(VALUES))
def test_settings_refuse_each_bad_value_next_to_its_field(qtbot, window, kind):
    value = VALUES[kind]
    before = window.ctx.settings.as_dict()
    for name in SETTING_FIELDS:
        dialog = window.open_settings()
        field = getattr(dialog, name)
        held = _set_line_edit(field.editor, value)
        assert len(held) <= 32767
        dialog.accept()
        if name == "callback_url" and not held.strip():
            # empty means "the built-in receiver": a valid choice
            assert not dialog.isVisible()
            continue
        assert dialog.isVisible(), f"{name} took {kind!r}"
        error = field.error.text()
        assert error and field.error.isVisibleTo(dialog), f"{name}: no message for {kind}"
        assert "\n" not in error and len(error) < 200
        others = [getattr(dialog, n).error.text() for n in SETTING_FIELDS if n != name]
        assert others == ["", "", ""], "a message appeared next to another field"
        dialog.reject()
    after = window.ctx.settings.as_dict()
    assert after == before, "a refused value was saved"


@pytest.mark.parametrize("kind", list(VALUES))
@pytest.mark.parametrize("where", ["path", "host"])
def test_settings_refuse_bad_values_inside_an_address(window, kind, where):
    """The value put where a path or a host name goes: only what the HTTP client can
    send is kept; nothing invisible, no control character, no impossible host."""
    value = VALUES[kind][:2000]
    url = f"https://api.example.com/{value}" if where == "path" else f"https://{value}.example.com/"
    dialog = window.open_settings()
    held = _set_line_edit(dialog.api_url.editor, url)
    dialog.accept()
    if dialog.isVisible():
        assert dialog.api_url.error.text()
        assert window.ctx.settings.get("api/base_url") == DEFAULT_API_URL
        return
    # accepted: what was typed (as the field holds it), usable by the HTTP client as it
    # is, and nothing invisible in it
    import unicodedata

    import httpx

    stored = window.ctx.settings.get("api/base_url")
    assert stored.rstrip("/") == held.strip().rstrip("/")
    url = httpx.URL(stored)  # raises for anything it could not send
    assert url.scheme == "https" and url.host
    assert not [ch for ch in stored if unicodedata.category(ch)[0] in "CZ" and ch != " "]


def test_settings_token_field_takes_anything_and_keeps_it_out_of_files(window, tmp_path):
    for kind, value in VALUES.items():
        dialog = window.open_settings()
        held = _set_line_edit(dialog.token.editor, value)
        dialog.accept()
        assert not dialog.isVisible(), kind
        assert window.ctx.tokens.get() == (held.strip() or None), kind


# -- the Message page --------------------------------------------------------------------


def _contacts() -> Any:
    contacts = pd.DataFrame(
        {
            "row": [2, 3],
            "phone": ["79161234567", "79161234568"],
            "email": ["anna@example.ru", None],
            "push_token": [None, None],
        }
    )
    fields = pd.DataFrame({"Имя": ["Анна", VALUES["script"]]})
    return SimpleNamespace(contacts=contacts, fields=fields, field_names=["Имя"])


def _fill(page: Any, value: str) -> dict[str, str]:
    """Every text field of the page set to ``value``; returns what each holds."""
    held = {}
    # (page.sender is QObject.sender() from outside the page: reach the field by its box)
    held["sender"] = _set_line_edit(page.sender_box.findChild(QLineEdit), value)
    for name in ("button", "action", "image", "test_address"):
        held[name] = _set_line_edit(getattr(page, name), value)
    page.text.setPlainText(value)
    page.html.setPlainText(value)
    held["text"] = page.text.toPlainText()
    held["html"] = page.html.toPlainText()
    return held


def _check(qtbot, page: Any) -> list[Any]:
    task = page.start_check()
    qtbot.waitUntil(task.done, timeout=30000)
    return task.result()


@pytest.mark.parametrize("kind", list(VALUES))
@pytest.mark.parametrize(
    "message_type", [MessageType.SMS, MessageType.VIBER, MessageType.EMAIL, MessageType.BULK]
)
def test_message_page_takes_any_value_without_an_exception(
    qtbot, qasync_loop, window, kind, message_type
):
    page = window.message_page
    crashed: list[Any] = []
    failed: list[Any] = []
    window.ctx.runner.crashed.connect(crashed.append)
    window.ctx.runner.failed.connect(lambda *a: failed.append(a))
    page.set_contacts(_contacts())
    page.type_combo.setCurrentIndex(page.type_combo.findData(message_type.value))
    held = _fill(page, VALUES[kind])

    draft = page.draft()
    assert isinstance(draft, Draft) and draft.type is message_type
    page.update_preview()
    page.step(1)
    problems = _check(qtbot, page)
    assert crashed == [] and failed == []
    shown = [page.problem_list.item(i).text() for i in range(page.problem_list.count())]
    assert len(shown) == len(problems) and all(s.strip() for s in shown)
    blocking = [p for p in problems if p.blocking]
    assert page.send_button.isEnabled() == (not blocking)

    # where the value cannot be sent, Check says so
    text = held["text"]
    if not text.strip() and message_type is not MessageType.EMAIL:
        assert blocking, "an empty text must block sending"
    if message_type is MessageType.BULK and not held["sender"].strip().isdigit():
        assert blocking, "a cascade needs a numeric code"
    if (
        message_type is MessageType.VIBER
        and held["action"].strip()
        and not held["action"].strip().startswith(("http://", "https://"))
    ):
        assert any("action" in (p.field or "") or "action" in p.code for p in blocking), [
            p.code for p in problems
        ]
    if kind == "template" and message_type is not MessageType.EMAIL:
        assert blocking, "an unclosed {placeholder must block sending"


def test_message_page_draft_round_trips_every_value(qtbot, window):
    """What the user typed comes back exactly (autosave and restore), huge values too."""
    page = window.message_page
    for kind, value in VALUES.items():
        page.type_combo.setCurrentIndex(page.type_combo.findData(MessageType.VIBER.value))
        held = _fill(page, value)
        page.autosave()
        again = make_window(qtbot, keyring=MemoryKeyring()).message_page.draft()
        assert again.text == held["text"], kind
        assert again.sender == held["sender"].strip(), kind
        assert again.action == held["action"].strip(), kind


@pytest.mark.parametrize("kind", list(VALUES))
def test_image_preview_of_a_bad_address_is_a_warning_not_a_crash(qtbot, qasync_loop, window, kind):
    """The thumbnail fetch for values that are no web address: a warning sign, no crash,
    and no request (none of them names a host the client could reach)."""
    import httpx

    value = VALUES[kind].strip()
    try:
        url = httpx.URL(value)
        if url.scheme in ("http", "https") and url.host:
            pytest.skip("an absolute address: fetching it would leave the machine")
    except Exception:
        pass  # httpx cannot even parse it: exactly what the page must survive
    page = window.message_page
    crashed: list[Any] = []
    window.ctx.runner.crashed.connect(crashed.append)
    page.image.setText(value)
    done = asyncio.ensure_future(page._fetch_thumbnail(page.image.text().strip()))
    qtbot.waitUntil(done.done, timeout=10000)
    assert done.exception() is None, repr(done.exception())
    assert crashed == []
    if value:
        assert page.thumbnail.text() == "⚠"
        assert "could not be loaded" in page.thumbnail.toolTip()

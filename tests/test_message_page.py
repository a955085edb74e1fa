"""The Message page: only the fields a type sends are enabled, the preview follows the
chosen recipient, Check lists problems and holds Send back, and the draft survives a
restart."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from kupon_desktop.compose import Draft, DraftField, rules_for
from kupon_desktop.vocabulary import MessageType
from tests.uihelpers import make_window


def _contacts():
    contacts = pd.DataFrame(
        {
            "row": [2, 3],
            "phone": ["79161234567", None],
            "email": [None, "olga@example.ru"],
            "push_token": [None, None],
        }
    )
    fields = pd.DataFrame({"Имя": ["Анна", None]})
    return SimpleNamespace(contacts=contacts, fields=fields, field_names=["Имя"])


@pytest.mark.parametrize("message_type", list(MessageType))
def test_enabled_fields_follow_the_type(qtbot, message_type):
    page = make_window(qtbot).message_page
    page.type_combo.setCurrentIndex(page.type_combo.findData(message_type.value))
    rules = rules_for(message_type)
    assert page.text.isEnabled() == rules.enabled(DraftField.TEXT)
    assert page.html_box.isEnabled() == rules.enabled(DraftField.HTML_TEXT)
    assert page.button.isEnabled() == rules.enabled(DraftField.BUTTON)
    assert page.action.isEnabled() == rules.enabled(DraftField.ACTION)
    assert page.image_box.isEnabled() == rules.enabled(DraftField.IMAGE)
    assert page.cascade_pick.isVisibleTo(page) == (message_type is MessageType.BULK)
    expected = "Cascade code:" if message_type is MessageType.BULK else "Sender:"
    assert page.sender_label.text() == expected


def test_preview_steps_through_recipients_with_defaults(qtbot):
    page = make_window(qtbot).message_page
    page.set_contacts(_contacts())
    page.set_draft(
        Draft(type=MessageType.SMS, sender="Shop", text="Здравствуйте, {Имя|клиент}! €5")
    )
    assert page.preview.toPlainText() == "Здравствуйте, Анна! €5"
    assert "UCS-2" in page.preview_length.text()
    page.step(1)
    assert page.preview.toPlainText() == "Здравствуйте, клиент! €5"
    assert "row 3" in page.recipient_label.text()
    # a field inserted from the list lands as a placeholder at the cursor
    page.text.clear()
    page.text.setFocus()
    page.insert_combo.activated.emit(0)
    assert page.text.toPlainText() == "{Имя}"


def test_check_blocks_send_until_fixed(qtbot, qasync_loop):
    page = make_window(qtbot).message_page
    page.set_contacts(_contacts())
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Привет, {Фамилия}!"))
    qtbot.waitUntil(page.start_check().done, timeout=10000)
    assert not page.send_button.isEnabled()
    messages = [page.problem_list.item(i).text() for i in range(page.problem_list.count())]
    assert any("Фамилия" in m for m in messages)
    page.text.setPlainText("Привет, {Имя|друг}!")
    qtbot.waitUntil(page.start_check().done, timeout=10000)
    assert page.send_button.isEnabled()


def test_draft_is_autosaved_and_restored(qtbot):
    window = make_window(qtbot)
    page = window.message_page
    page.set_draft(
        Draft(
            type=MessageType.VIBER,
            sender="Shop",
            text="Скидка 20%",
            button="Открыть",
            action="https://example.ru",
        )
    )
    page.autosave()
    again = make_window(qtbot).message_page
    restored = again.draft()
    assert restored.type is MessageType.VIBER
    assert (restored.text, restored.button) == ("Скидка 20%", "Открыть")


def test_ucs2_guard_turns_a_three_part_quoted_text_into_two_parts_in_one_action(qtbot):
    page = make_window(qtbot).message_page
    text = (
        "Spring sale at Shop: «everything half price» until Sunday — come and see the new "
        "collection, free delivery for orders over 3000 RUB, details on our site and in "
        "the app, see you soon!"
    )
    assert 154 <= len(text) <= 201
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text=text))
    page.update_preview()
    bar = page.ucs2_bar
    assert bar.isVisibleTo(page)
    assert "3 → 2" in bar.button.text()
    assert "«" in bar.label.text() and "—" in bar.label.text()
    # the characters that force UCS-2 are marked in the text itself
    block = page.text.document().firstBlock()
    marked = {r.start for r in block.layout().formats() if r.format.background().color().isValid()}
    assert {text.index("«"), text.index("»"), text.index("—")} <= marked
    bar.button.click()
    assert page.text.toPlainText() == text.replace("«", '"').replace("»", '"').replace("—", "-")
    page.update_preview()
    assert page.counter.text() == f"{len(page.text.toPlainText())} chars · GSM-7 · 2 SMS"
    assert "GSM-7" in page.preview_length.text()
    assert "2 SMS segment" in page.preview_length.text()
    assert not bar.isVisibleTo(page)
    page.text.undo()  # one action, undone at once
    assert page.text.toPlainText() == text


def test_ucs2_guard_is_silent_for_other_channels_and_gsm_texts(qtbot):
    page = make_window(qtbot).message_page
    page.set_draft(Draft(type=MessageType.VIBER, sender="Shop", text="«Скидки»"))
    page.update_preview()
    assert not page.ucs2_bar.isVisibleTo(page)
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Plain text"))
    page.update_preview()
    assert not page.ucs2_bar.isVisibleTo(page)


def test_a_huge_cell_is_cut_in_the_preview_with_a_note(qtbot):
    """A 10 MB cell in the text and in the HTML of an e-mail: the preview lays out a
    bounded part and says so; the HTML document is not rendered on the GUI thread."""
    from kupon_desktop.ui.pages.message import preview as bounds

    page = make_window(qtbot).message_page
    # a long text (no list): cut, with the count of what is not shown
    page.set_draft(Draft(type=MessageType.EMAIL, sender="s@example.ru", text="Ю" * 5000))
    from PySide6.QtCore import QLocale

    assert QLocale().toString(5000 - bounds.TEXT_LIMIT) + " more" in page.preview.toPlainText()
    huge = "Ж" * 10_000_000
    contacts = pd.DataFrame(
        {"row": [2], "phone": [None], "email": ["olga@example.ru"], "push_token": [None]}
    )
    page.set_contacts(
        SimpleNamespace(
            contacts=contacts, fields=pd.DataFrame({"Текст": [huge]}), field_names=["Текст"]
        )
    )
    page.set_draft(
        Draft(
            type=MessageType.EMAIL,
            sender="shop@example.ru",
            text="Письмо: {Текст}",
            html_text="<h1>Акция</h1><p>{Текст}</p>",
        )
    )
    shown = page.preview.toPlainText()
    assert shown.startswith("Письмо: ЖЖЖ")
    assert len(shown) < bounds.TEXT_LIMIT + 200
    assert shown.endswith("(the message is sent whole)")
    html = page.html_preview.toPlainText()
    assert html.startswith("Акция") and len(html) < bounds.TEXT_LIMIT + 200
    assert "is not shown here" in html
    assert "far too long" in page.preview_length.text()
    # an HTML document too big to lay out here is not rendered at all
    page.set_draft(
        Draft(
            type=MessageType.EMAIL,
            sender="s@example.ru",
            text="x",
            html_text="<p>" + "слово " * 50_000 + "</p>",
        )
    )
    assert "too big to preview" in page.html_preview.toPlainText()
    # an ordinary document still renders
    page.set_draft(
        Draft(type=MessageType.EMAIL, sender="s@example.ru", text="x", html_text="<b>Hi</b>")
    )
    assert page.html_preview.toPlainText() == "Hi"


def _choose(page, message_type):
    page.type_combo.setCurrentIndex(page.type_combo.findData(message_type.value))


def test_each_channel_keeps_its_own_sender(qtbot):
    page = make_window(qtbot).message_page
    page.set_draft(Draft(type=MessageType.BULK, sender="Romashka", text="Привет"))
    assert page.sender_edit.text() == "Romashka"
    # the cascade code does not become the e-mail sender: empty the first time
    _choose(page, MessageType.EMAIL)
    assert page.sender_edit.text() == ""
    qtbot.keyClicks(page.sender_edit, "shop@example.ru")
    _choose(page, MessageType.SMS)
    assert page.sender_edit.text() == ""
    page.sender_edit.setText("101")
    assert page.draft().sender == "101"
    # back to each channel: its own last sender, in the draft too
    _choose(page, MessageType.BULK)
    assert page.sender_edit.text() == "Romashka"
    _choose(page, MessageType.EMAIL)
    assert page.draft().sender == "shop@example.ru"
    _choose(page, MessageType.SMS)
    assert page.sender_edit.text() == "101"


def test_a_channel_chosen_first_gets_the_sender_name_typed_for_another(qtbot):
    page = make_window(qtbot).message_page
    page.set_draft(Draft(type=MessageType.SMS, sender="Ромашка", text="Привет"))
    _choose(page, MessageType.VIBER)
    assert page.draft().sender == "Ромашка"
    page.sender_edit.setText("Ромашка Viber")
    _choose(page, MessageType.TELEGRAM)
    assert page.sender_edit.text() == "Ромашка Viber"
    # a name is no cascade code nor an e-mail address
    _choose(page, MessageType.BULK)
    assert page.sender_edit.text() == ""
    _choose(page, MessageType.EMAIL)
    assert page.sender_edit.text() == ""
    # each channel that had one keeps its own
    _choose(page, MessageType.SMS)
    assert page.sender_edit.text() == "Ромашка"
    _choose(page, MessageType.VIBER)
    assert page.sender_edit.text() == "Ромашка Viber"


def test_email_counter_shows_only_characters(qtbot):
    page = make_window(qtbot).message_page
    page.set_draft(Draft(type=MessageType.EMAIL, sender="s@example.ru", text="Привет, мир"))
    assert page.counter.text() == "11 characters"
    assert page.preview_length.text() == "11 characters"
    for word in ("UCS-2", "GSM-7", "SMS"):
        assert word not in page.counter.text()
    # SMS still counts encoding and segments
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Привет, мир"))
    assert page.preview_length.text() == "11 characters · UCS-2 · 1 SMS segment(s)"
    assert page.counter.text() == "11 chars · UCS-2 · 1 SMS"


def test_check_without_contacts_does_not_promise_the_list_is_fine(qtbot):
    page = make_window(qtbot).message_page
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Привет"))
    page.show_problems([], page.draft())
    assert page.check_summary.text() == (
        "The draft has no errors; import contacts to check it against the list."
    )
    page.set_contacts(_contacts())
    page.show_problems([], page.draft())
    assert page.check_summary.text() == "No problems found."


def test_character_counter_stays_on_one_line_within_the_form(qtbot):
    """In Russian, beside the field picker, for a long UCS-2 text: one line, all of it
    inside the form's visible width."""
    window = make_window(qtbot, lang="ru")
    window.resize(1366, 860)
    window.show()
    qtbot.waitExposed(window)
    page = window.message_page
    window.stack.setCurrentWidget(page)
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="Привет, {Имя}! " * 40))
    counter = page.counter
    qtbot.waitUntil(lambda: counter.isVisible() and counter.height() > 0)
    assert "UCS-2" in counter.text()
    assert counter.height() < 2 * counter.fontMetrics().lineSpacing()
    # the layout settles after the text changed: then all of the text has room
    qtbot.waitUntil(lambda: counter.width() >= counter.sizeHint().width(), timeout=3000)
    scroll = counter.parentWidget()
    while not isinstance(scroll, QScrollArea):
        scroll = scroll.parentWidget()
    viewport = scroll.viewport()
    right = counter.mapTo(viewport, counter.rect().topRight()).x()
    assert right <= viewport.width()


def _many_without_email(count: int) -> SimpleNamespace:
    rows = list(range(2, 2 + count))
    contacts = pd.DataFrame(
        {
            "row": rows,
            "phone": [None] * count,
            "email": [None] * (count - 1) + ["olga@example.ru"],
            "push_token": [None] * count,
        }
    )
    return SimpleNamespace(
        contacts=contacts, fields=pd.DataFrame({"Имя": ["Анна"] * count}), field_names=["Имя"]
    )


def _listed(page) -> list[str]:
    return [page.problem_list.item(i).text() for i in range(page.problem_list.count())]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "47 contacts have no e-mail address: rows 2, 3, 4 …"),
        ("ru", "Нет адреса e-mail у контактов: 47 (строки 2, 3, 4 …)"),
    ],
)
def test_many_rows_with_one_problem_are_one_summary_line(qtbot, lang, expected):
    page = make_window(qtbot, lang=lang).message_page
    page.set_contacts(_many_without_email(48))
    page.set_draft(Draft(type=MessageType.EMAIL, sender="s@example.ru", text="Привет, {Имя}"))
    page.show_problems(page._check(page.draft()), page.draft())
    lines = _listed(page)
    assert lines.count(expected) == 1
    assert len(lines) == len({line for line in lines})  # no per-row lines left
    summary = page.problem_list.findItems(expected, Qt.MatchFlag.MatchExactly)[0]
    assert summary.data(Qt.ItemDataRole.UserRole) == list(range(2, 49))
    assert summary.toolTip().startswith("2, 3, 4, 5, 6, 7")
    # five rows or fewer are still listed one by one
    page.set_contacts(_many_without_email(6))
    page.show_problems(page._check(page.draft()), page.draft())
    assert len([line for line in _listed(page) if "e-mail" in line]) == 5


def test_show_rows_link_lists_every_row_of_a_summary_in_place(qtbot):
    from PySide6.QtCore import QPoint

    from kupon_desktop.ui.pages.message.check import RowsLink

    window = make_window(qtbot, lang="ru")
    window.resize(1366, 860)
    window.show()
    qtbot.waitExposed(window)
    page = window.message_page
    window.stack.setCurrentWidget(page)
    page.set_contacts(_many_without_email(48))
    page.set_draft(Draft(type=MessageType.EMAIL, sender="s@example.ru", text="Привет, {Имя}"))
    page.show_problems(page._check(page.draft()), page.draft())
    view = page.problem_list
    summary = view.findItems("Нет адреса e-mail у контактов: 47", Qt.MatchFlag.MatchStartsWith)[0]
    link = view.itemWidget(view.item(view.row(summary) + 1))
    assert isinstance(link, RowsLink)
    assert "показать строки" in link.text()
    qtbot.waitUntil(link.isVisible)
    folded = link.height()
    # a real click on the link (the label's first words)
    left = link.contentsMargins().left()
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=QPoint(left + 8, link.height() // 2))
    assert link.expanded
    every = ", ".join(str(row) for row in range(2, 49))
    assert "строки " + every in link.text()
    assert "скрыть строки" in link.text()
    # the line grew to hold the rows
    assert view.item(view.row(summary) + 1).sizeHint().height() > folded
    link.show_rows(False)
    assert "показать строки" in link.text() and every not in link.text()


def test_ucs2_bar_prices_are_money_in_the_interface_language(qtbot):
    page = make_window(qtbot, lang="ru").message_page
    page.ucs2_bar.price = Decimal("4.50")
    text = "Акция: «всё за полцены» — только до воскресенья! " * 3
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text=text))
    page.update_preview()
    label = page.ucs2_bar.label.text()
    assert page.ucs2_bar.isVisibleTo(page)
    assert "₽" not in label and "RUB" not in label
    before = page.ucs2_bar.advice.before.segments
    price = f"{4.5 * before:.2f}".replace(".", ",") + "\u00a0руб."
    assert f"частей: {before}, {price} за сообщение" in label


def test_the_form_is_never_narrower_than_its_fields_at_a_laptops_width(qtbot):
    # on a 1366 px screen the splitter squeezed the form's scroll area below its fields'
    # width, and with no horizontal scroll bar the counter and the UCS-2 button were cut
    # off (offscreen fonts are narrower than a real screen's: 1250 px here is that case)
    from PySide6.QtWidgets import QScrollArea

    from tests.uihelpers import make_window

    window = make_window(qtbot, lang="ru")
    window.resize(1250, 860)
    window.show()
    window.show_page(window.PAGES.index("message"))
    qtbot.waitExposed(window)
    page = window.message_page
    scroll = next(
        s for s in page.findChildren(QScrollArea) if s.widget() is not None and s.isVisible()
    )
    needed = scroll.widget().minimumSizeHint().width()
    qtbot.waitUntil(lambda: scroll.viewport().width() >= needed, timeout=2000)

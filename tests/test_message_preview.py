"""The Message page's preview shows the message as the recipient will see it: a phone's
chat bubble for the messengers (sender, picture, text, button), a rendered letter for
e-mail (sender, subject, filled placeholders, no image fetched and none broken), and a
placeholder the list has no column for marked, in the interface language."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from PySide6.QtGui import QColor, QImage

from kupon_desktop.compose import Draft
from kupon_desktop.ui.pages.message.phone import BUTTON_COLOURS, IMAGE_WIDTH
from kupon_desktop.vocabulary import MessageType
from tests.uihelpers import make_window


def _contacts() -> SimpleNamespace:
    contacts = pd.DataFrame(
        {
            "row": [2, 3],
            "phone": ["79161234567", "79031112233"],
            "email": ["anna@example.ru", "olga@example.ru"],
            "push_token": [None, None],
        }
    )
    fields = pd.DataFrame({"ФИО": ["Анна Смирнова", "Ольга Петрова"], "Город": ["Тула", None]})
    return SimpleNamespace(contacts=contacts, fields=fields, field_names=["ФИО", "Город"])


def _picture(tmp_path, width: int = 800, height: int = 400):
    path = tmp_path / "весна.png"
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3caa5a"))
    assert image.save(str(path))
    return path


def _bubble_text(page) -> str:
    return page.phone.plain_text()


@pytest.mark.parametrize("message_type", [MessageType.VIBER, MessageType.TELEGRAM])
def test_messenger_preview_is_a_bubble_with_picture_text_and_button(qtbot, tmp_path, message_type):
    page = make_window(qtbot).message_page
    page.set_contacts(_contacts())
    picture = _picture(tmp_path)
    page.set_draft(
        Draft(
            type=message_type,
            sender="Ромашка",
            text="{ФИО}, скидка 20% в {Город|вашем городе}!",
            button="Открыть каталог",
            action="https://example.ru/catalog",
            image=str(picture),
        )
    )
    assert page.faces.currentWidget() is page.phone
    phone = page.phone
    assert phone.sender.text() == "Ромашка"
    assert _bubble_text(page).split("\n") == [
        "Ромашка",
        "Анна Смирнова, скидка 20% в Тула!",
        "Открыть каталог",
    ]
    # the local picture itself, fitted to the bubble
    shown = phone.image.pixmap()
    assert not shown.isNull() and shown.width() == IMAGE_WIDTH
    assert shown.toImage().pixelColor(10, 10) == QColor("#3caa5a")
    # the button looks like one: the messenger's colour behind its caption
    button = phone.button.grab().toImage()
    assert button.pixelColor(button.width() // 2, 3) == QColor(BUTTON_COLOURS[message_type])
    # the next recipient's values, the default for an empty cell
    page.step(1)
    assert "Ольга Петрова, скидка 20% в вашем городе!" in _bubble_text(page)


def test_a_remote_picture_not_fetched_is_a_labelled_frame(qtbot):
    page = make_window(qtbot).message_page
    page.set_contacts(_contacts())
    page.set_draft(
        Draft(
            type=MessageType.VIBER,
            sender="Shop",
            text="Привет",
            image="https://cdn.example.ru/media/banner%20spring.jpg?v=3",
        )
    )
    image = page.phone.image
    assert image.isVisibleTo(page.phone)
    assert image.pixmap().isNull()
    assert image.text().endswith("image: banner spring.jpg")
    # no picture and no button: neither is shown
    page.set_draft(Draft(type=MessageType.WHATSAPP, sender="Shop", text="Привет"))
    assert not page.phone.image.isVisibleTo(page.phone)
    assert not page.phone.button.isVisibleTo(page.phone)


def test_messenger_preview_without_contacts_uses_a_sample_contact(qtbot):
    page = make_window(qtbot, lang="ru").message_page
    page.set_draft(Draft(type=MessageType.VK, sender="Shop", text="{Имя}, ваш код {Промокод}"))
    assert page.faces.currentWidget() is page.phone
    assert "Анна, ваш код ВЕСНА20" in _bubble_text(page)
    assert "образец" in page.recipient_label.text()


@pytest.mark.parametrize(
    ("lang", "note"),
    [("en", "Unknown placeholder(s) {Фамилия}"), ("ru", "Неизвестная подстановка {Фамилия}")],
)
def test_an_unknown_placeholder_is_marked_not_an_error(qtbot, lang, note):
    page = make_window(qtbot, lang=lang).message_page
    page.set_contacts(_contacts())
    page.set_draft(Draft(type=MessageType.SMS, sender="Shop", text="{ФИО} {Фамилия}!"))
    assert page.preview.toPlainText() == "Анна Смирнова {Фамилия}!"
    assert "#ffe3e3" in page.preview.toHtml()  # marked
    assert note in page.preview_length.text()
    assert "unknown placeholder(s):" not in page.preview.toPlainText()
    # the same mark in the bubble and in the letter
    page.set_draft(Draft(type=MessageType.VIBER, sender="Shop", text="{Фамилия}, привет"))
    assert "{Фамилия}, привет" in _bubble_text(page)
    assert "#ffe3e3" in page.phone.text.text()
    page.set_draft(
        Draft(
            type=MessageType.EMAIL,
            sender="shop@example.ru",
            text="Тема",
            html_text="<p>{Фамилия}</p>",
        )
    )
    assert "{Фамилия}" in page.letter.body.toPlainText()
    assert "#ffe3e3" in page.letter.body.toHtml()
    assert note in page.preview_length.text()


LETTER = """<html><head><style>p { color: #333 }</style></head><body>
<h1>Здравствуйте, {ФИО}!</h1>
<img src="https://cdn.example.ru/mail/banner.jpg" width="600">
<p>Скидки в городе {Город|вашем}.</p>
<img alt="Логотип" src='http://example.ru/logo.png'>
</body></html>"""


def test_email_preview_is_the_rendered_letter_with_sender_and_subject(qtbot):
    page = make_window(qtbot, lang="ru").message_page
    page.set_contacts(_contacts())
    page.set_draft(
        Draft(
            type=MessageType.EMAIL,
            sender="shop@example.ru",
            text="{ФИО}, весенняя распродажа",
            html_text=LETTER,
        )
    )
    assert page.faces.currentWidget() is page.letter
    header = page.letter.header.text()
    assert "shop@example.ru" in header and "Анна Смирнова, весенняя распродажа" in header
    assert "От:" in header and "Тема:" in header
    body = page.letter.body.toPlainText()
    assert "Здравствуйте, Анна Смирнова!" in body
    assert "Скидки в городе Тула." in body
    assert "{ФИО}" not in body
    # no image fetched, none broken: a labelled frame, or the alt text
    assert "изображение: banner.jpg" in body
    assert "Логотип" in body
    assert "<img" not in page.letter.body.toHtml()
    # the HTML field's own preview tab shows the same letter
    assert "Здравствуйте, Анна Смирнова!" in page.html_preview.toPlainText()
    assert "изображение: banner.jpg" in page.html_preview.toPlainText()
    # "Open in browser" still gets the real images
    assert 'src="https://cdn.example.ru/mail/banner.jpg"' in page.filled_html


def test_email_preview_without_contacts_fills_a_sample_contact(qtbot):
    page = make_window(qtbot).message_page
    page.set_draft(
        Draft(
            type=MessageType.EMAIL,
            sender="shop@example.ru",
            text="Привет",
            html_text="<p>Здравствуйте, {ФИО}!</p>",
        )
    )
    assert "Здравствуйте, Смирнова Анна Петровна!" in page.letter.body.toPlainText()


def test_a_long_messenger_text_is_shown_whole_in_the_bubble(qtbot):
    """Laid out on a real screen: every line of the text has room in the bubble."""
    window = make_window(qtbot, lang="ru")
    window.resize(1366, 860)
    window.show()
    qtbot.waitExposed(window)
    page = window.message_page
    window.stack.setCurrentWidget(page)
    page.set_contacts(_contacts())
    text = "{ФИО}, весенняя распродажа: −20% на всё до воскресенья!\n" + "Слово " * 60
    page.set_draft(Draft(type=MessageType.VIBER, sender="Shop", text=text, button="Купить"))
    label = page.phone.text
    qtbot.waitUntil(label.isVisible)
    needed = label.heightForWidth(label.width())
    assert needed > 8 * label.fontMetrics().lineSpacing()  # many lines
    button = page.phone.button

    def laid_out() -> bool:
        # the whole text, and the button under it inside the bubble
        return (
            label.height() >= needed
            and button.geometry().top() >= label.geometry().bottom()
            and page.phone.bubble.rect().contains(button.geometry())
        )

    qtbot.waitUntil(laid_out, timeout=3000)


def test_a_picture_fetched_later_takes_its_place_in_the_bubble(qtbot, tmp_path):
    window = make_window(qtbot)
    window.resize(1366, 860)
    window.show()
    qtbot.waitExposed(window)
    page = window.message_page
    window.stack.setCurrentWidget(page)
    url = "https://cdn.example.ru/spring.png"
    page.set_draft(Draft(type=MessageType.VIBER, sender="S", text="Привет", image=url))
    image = page.phone.image
    qtbot.waitUntil(lambda: image.isVisible() and image.height() >= 120)
    assert image.text().endswith("image: spring.png")
    # the field's thumbnail arrives (as its fetch hands it over): the bubble shows it
    page.thumbnails._keep(url, _picture(tmp_path, 480, 300).read_bytes())
    page.thumbnails.loaded()
    assert not image.pixmap().isNull() and image.text() == ""
    qtbot.waitUntil(lambda: image.height() == 150, timeout=3000)

"""The messenger preview: the message as the recipient's phone shows it. The sender's
name on top, then one rounded bubble with the picture, the text and the button.

Plain widgets and a style sheet; everything it lays out is bounded (the text is the
preview's cut text), so it costs the same for any list."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from kupon_desktop.ui.pages.message import preview as bounds
from kupon_desktop.ui.pages.message.marking import text_html
from kupon_desktop.vocabulary import MessageType

#: the messengers shown as a bubble
MESSENGERS = frozenset(
    {
        MessageType.VIBER,
        MessageType.WHATSAPP,
        MessageType.TELEGRAM,
        MessageType.VK,
        MessageType.OK,
        MessageType.BOT,
    }
)

#: each messenger's button colour, so the bubble looks like the app it lands in
BUTTON_COLOURS = {
    MessageType.VIBER: "#7360f2",
    MessageType.WHATSAPP: "#1fa855",
    MessageType.TELEGRAM: "#2a9fd8",
    MessageType.VK: "#0077ff",
    MessageType.OK: "#ee8208",
    MessageType.BOT: "#2a9fd8",
}

#: the picture's width in the bubble
IMAGE_WIDTH = 240

_STYLE = """
#phoneScreen { background-color: #e6eaef; border-radius: 18px; }
#phoneSender { color: #1f2a36; font-weight: bold; padding: 2px 4px; }
#phoneBubble { background-color: #ffffff; border: 1px solid #d3d9e0; border-radius: 14px; }
#phoneText { color: #1f2a36; background: transparent; }
#phoneImage { background-color: #d9dee5; color: #4f5a66; border-radius: 10px; }
#phoneButton { color: #ffffff; border-radius: 10px; padding: 7px 10px; font-weight: bold; }
"""

_LONG_RUN = re.compile(rf"\S{{{bounds.LONG_RUN}}}")


class PhonePreview(QScrollArea):
    """A phone's chat screen with one incoming message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        screen = QFrame()
        screen.setObjectName("phoneScreen")
        screen.setStyleSheet(_STYLE)
        outer = QVBoxLayout(screen)
        outer.setContentsMargins(14, 12, 14, 12)
        outer.setSpacing(6)
        self.sender = QLabel()
        self.sender.setObjectName("phoneSender")
        self.sender.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.sender)

        self.bubble = QFrame()
        self.bubble.setObjectName("phoneBubble")
        inner = QVBoxLayout(self.bubble)
        inner.setContentsMargins(10, 10, 10, 10)
        inner.setSpacing(8)
        self.image = QLabel()
        self.image.setObjectName("phoneImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setWordWrap(True)
        self.image.setFixedWidth(IMAGE_WIDTH)
        inner.addWidget(self.image)
        self.text = QLabel()
        self.text.setObjectName("phoneText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        # a wrapped label sized by the layouts gets the height of a guessed width (the
        # text was cut after four lines): its width is fixed and its height set from it
        self.text.setFixedWidth(IMAGE_WIDTH)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(self.text)
        self.button = QLabel()
        self.button.setObjectName("phoneButton")
        self.button.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button.setTextFormat(Qt.TextFormat.PlainText)
        self.button.setWordWrap(True)
        self.button.setFixedWidth(IMAGE_WIDTH)
        inner.addWidget(self.button)
        outer.addWidget(self.bubble, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addStretch(1)
        self.setWidget(screen)

    def show_message(
        self,
        message_type: MessageType,
        sender: str,
        text: str,
        button: str,
        picture: QPixmap | None,
        picture_label: str,
    ) -> None:
        """``text`` is the rendered text (with the unknown placeholders' markers);
        ``picture`` the loaded image scaled by ``fit``, or None: then ``picture_label``
        (the file or host it comes from) in a neutral frame, and no frame when empty."""
        self.sender.setText(sender or self.tr("(no sender)"))
        self.text.setVisible(bool(text))
        # a run too long to break at a word would widen the bubble past the screen
        shown = _LONG_RUN.sub(lambda m: m.group(0) + "\u200b", text)
        self.text.setText(text_html(shown))
        self.text.setFixedHeight(max(0, self.text.heightForWidth(IMAGE_WIDTH)))
        self.button.setVisible(bool(button))
        self.button.setText(button)
        self.button.setFixedHeight(max(0, self.button.heightForWidth(IMAGE_WIDTH)))
        colour = BUTTON_COLOURS.get(message_type, "#2a9fd8")
        self.button.setStyleSheet(f"background-color: {colour};")
        if picture is not None and not picture.isNull():
            self.image.setPixmap(picture)  # scaled once, when it was loaded
            # heights set here, as for the text: the layouts gave a picture no height
            self.image.setFixedHeight(picture.height())
            self.image.setVisible(True)
        elif picture_label:
            self.image.clear()
            # no emoji: a font without it shows a box
            self.image.setText(
                QCoreApplication.translate("MessagePreview", "image: %1").replace(
                    "%1", picture_label
                )
            )
            self.image.setFixedHeight(max(120, self.image.heightForWidth(IMAGE_WIDTH)))
            self.image.setVisible(True)
        else:
            self.image.clear()
            self.image.setVisible(False)

    def plain_text(self) -> str:
        """What the bubble says, top to bottom (for a test or a screen reader)."""
        parts = [self.sender.text()]
        if self.image.isVisibleTo(self) and self.image.text():
            parts.append(self.image.text())
        if self.text.isVisibleTo(self):
            from PySide6.QtGui import QTextDocument

            doc = QTextDocument()
            doc.setHtml(self.text.text())
            parts.append(doc.toPlainText().replace("\u200b", ""))
        if self.button.isVisibleTo(self):
            parts.append(self.button.text())
        return "\n".join(parts)


def fit(picture: QPixmap) -> QPixmap:
    """A loaded picture at the bubble's width (scaled once, not at every keystroke)."""
    if picture.width() <= IMAGE_WIDTH:
        return picture
    return picture.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)

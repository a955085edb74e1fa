"""The e-mail preview: the letter as a mail program shows it, the sender and subject
above the rendered HTML (its images never fetched, see ``marking``)."""

from __future__ import annotations

import html as _html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget

from kupon_desktop.ui.pages.message.marking import marks_in_html

#: characters of the subject line shown
SUBJECT_LIMIT = 300


class LetterPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = QLabel()
        self.header.setObjectName("letterHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setStyleSheet(
            "#letterHeader { background-color: #f3f5f8; color: #1f2a36; padding: 8px;"
            " border: 1px solid #d3d9e0; border-bottom: none; }"
        )
        layout.addWidget(self.header)
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.body.setFrameShape(QFrame.Shape.Box)
        layout.addWidget(self.body, 1)

    def show_letter(self, sender: str, subject: str, body_html: str) -> None:
        """``subject`` a rendered text (with the unknown placeholders' markers),
        ``body_html`` the document to render as it is."""
        line = subject.strip().split("\n", 1)[0][:SUBJECT_LIMIT]
        self.header.setText(
            "<b>"
            + _html.escape(self.tr("From:"))
            + "</b> "
            + _html.escape(sender or self.tr("(no sender)"))
            + "<br><b>"
            + _html.escape(self.tr("Subject:"))
            + "</b> "
            + marks_in_html(_html.escape(line))
        )
        self.body.setHtml(body_html)

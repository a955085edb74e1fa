"""What every page shares: a title, a one-line hint, and a body."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class Page(QWidget):
    def __init__(self, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 18, 24, 12)
        self.layout_.setSpacing(10)
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")
        self.hint = QLabel(hint)
        self.hint.setObjectName("pageHint")
        self.hint.setWordWrap(True)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.hint)

    def empty_state(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("emptyState")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label


def number(n: int) -> str:
    """A count as the interface language writes it (12 345 in Russian, 12,345 in English)."""
    return QLocale().toString(int(n))

"""What every page shares: a title, a one-line hint, and a body."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt
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


def decimal_number(value: float | Decimal, decimals: int = 2) -> str:
    """A fraction as the interface language writes it (4,50 in Russian, 4.50 in English)."""
    return QLocale().toString(float(value), "f", decimals)


def money(amount: float | Decimal) -> str:
    """An amount in roubles, one way everywhere: "1 234,50 руб." / "1,234.50 RUB"."""
    return (
        decimal_number(amount)
        + "\u00a0"
        + QCoreApplication.translate("Money", "RUB", "currency after an amount")
    )


def moment(value: datetime | None, *, seconds: bool = False) -> str:
    """A date and time in this computer's zone, as the interface language writes it
    (06.12.2026 14:30 in Russian); "" for None."""
    if value is None:
        return ""
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp, as a frame's cell is
        value = value.to_pydatetime()
    local = value.astimezone() if value.tzinfo is not None else value
    when = QDateTime(local.date(), local.time().replace(microsecond=0))
    locale = QLocale()
    fmt = locale.dateTimeFormat(QLocale.FormatType.ShortFormat)
    if seconds and ":ss" not in fmt:
        fmt = fmt.replace(":mm", ":mm:ss", 1)
    # a four-digit year: "6.12.26" is ambiguous in a table read months later
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy", 1)
    return locale.toString(when, fmt)

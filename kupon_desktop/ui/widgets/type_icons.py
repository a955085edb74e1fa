"""An icon for each message type: the channel's colour with its initials, drawn once."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from kupon_desktop.vocabulary import MessageType

_LOOK = {
    MessageType.SMS: ("#4a5666", "SMS"),
    MessageType.VIBER: ("#7360f2", "V"),
    MessageType.WHATSAPP: ("#25d366", "W"),
    MessageType.TELEGRAM: ("#229ed9", "T"),
    MessageType.VK: ("#0077ff", "VK"),
    MessageType.OK: ("#ee8208", "OK"),
    MessageType.EMAIL: ("#d93025", "@"),
    MessageType.PUSH: ("#5f6368", "P"),
    MessageType.VOICE: ("#0f9d58", "☎"),
    MessageType.MMS: ("#8e44ad", "MMS"),
    MessageType.BOT: ("#00897b", "B"),
    MessageType.HLR: ("#795548", "H"),
    MessageType.BULK: ("#1f6feb", "⇢"),
}


@cache
def type_icon(message_type: MessageType, size: int = 32) -> QIcon:
    colour, text = _LOOK[message_type]
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), size * 0.25, size * 0.25)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * (0.5 if len(text) <= 1 else 0.36 if len(text) == 2 else 0.28)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)

"""A small chart of the campaign's statuses over time: stacked areas per status group,
sampled at each poll. Drawn with QPainter (QtCharts is not worth its size for this)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

GROUPS = ("delivered", "engaged", "failed", "unconfirmed", "pending")
COLOURS = {
    "delivered": QColor("#2da44e"),
    "engaged": QColor("#0969da"),
    "failed": QColor("#cf222e"),
    "unconfirmed": QColor("#bf8700"),
    "pending": QColor("#afb8c1"),
}
MAX_SAMPLES = 600


class StatusChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples: list[dict[str, int]] = []
        self.setMinimumHeight(70)

    def clear(self) -> None:
        self.samples.clear()
        self.update()

    def add(self, counts: dict[str, int]) -> None:
        if self.samples and self.samples[-1] == counts:
            return
        self.samples.append(dict(counts))
        if len(self.samples) > MAX_SAMPLES:
            del self.samples[::2]  # keep the whole span at half the resolution
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(QColor("#d0d7de")))
        painter.drawRect(rect)
        if len(self.samples) < 2:
            painter.setPen(QColor("#6e7781"))
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter, self.tr("The chart fills in as statuses arrive")
            )
            return
        total = max(sum(s.values()) for s in self.samples) or 1
        n = len(self.samples)
        base = [0.0] * n
        for group in GROUPS:
            top = [base[i] + self.samples[i].get(group, 0) for i in range(n)]
            path = QPainterPath()
            x = lambda i: rect.left() + rect.width() * i / (n - 1)  # noqa: E731
            y = lambda v: rect.bottom() - rect.height() * v / total  # noqa: E731
            path.moveTo(QPointF(x(0), y(base[0])))
            for i in range(n):
                path.lineTo(QPointF(x(i), y(top[i])))
            for i in reversed(range(n)):
                path.lineTo(QPointF(x(i), y(base[i])))
            path.closeSubpath()
            painter.fillPath(path, COLOURS[group])
            base = top

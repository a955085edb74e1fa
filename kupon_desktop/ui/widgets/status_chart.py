"""The campaign's statuses over time: stacked areas per group, a legend with the latest
counts, a time axis, and the values at the moment under the mouse. Live, it samples the
grid at each poll; for a campaign reopened from History it is filled with the whole
span read back from the log (``campaign.timeline``). Drawn with QPainter (QtCharts is
not worth its size for this)."""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

#: the session's count groups (``campaign.counts.Group``), bottom to top; spelled out
#: here rather than imported from ``campaign.timeline``, which loads numpy at start-up
GROUPS = ("delivered", "engaged", "failed", "unconfirmed", "not_sent", "pending")
COLOURS = {
    "delivered": QColor("#2da44e"),
    "engaged": QColor("#0969da"),
    "failed": QColor("#cf222e"),
    "unconfirmed": QColor("#bf8700"),
    "not_sent": QColor("#8250df"),
    "pending": QColor("#afb8c1"),
}
MAX_SAMPLES = 600
LEGEND_H = 18
AXIS_H = 16


def group_label(group: str) -> str:
    labels = {
        "delivered": QCoreApplication.translate("StatusChart", "Delivered"),
        "engaged": QCoreApplication.translate("StatusChart", "Read / clicked"),
        "failed": QCoreApplication.translate("StatusChart", "Failed"),
        "unconfirmed": QCoreApplication.translate("StatusChart", "Unconfirmed"),
        "not_sent": QCoreApplication.translate("StatusChart", "Not sent"),
        "pending": QCoreApplication.translate("StatusChart", "Pending"),
    }
    return labels.get(group, group)


class StatusChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: (seconds since the epoch, counts per group)
        self.samples: list[tuple[float, dict[str, int]]] = []
        self.hover: int | None = None
        self.setMinimumHeight(70 + LEGEND_H + AXIS_H)
        self.setMouseTracking(True)

    def clear(self) -> None:
        self.samples.clear()
        self.hover = None
        self.update()

    def add(self, counts: dict[str, int], at: float | None = None) -> None:
        if self.samples and self.samples[-1][1] == counts:
            return
        self.samples.append((time.time() if at is None else at, dict(counts)))
        if len(self.samples) > MAX_SAMPLES:
            del self.samples[::2]  # keep the whole span at half the resolution
        self.update()

    def set_history(self, samples: list[tuple[float, dict[str, int]]]) -> None:
        """The whole span at once (a campaign reopened); later live samples add to it."""
        self.samples = [(at, dict(counts)) for at, counts in samples][-MAX_SAMPLES:]
        self.hover = None
        self.update()

    # -- geometry --------------------------------------------------------------------

    def _plot(self) -> QRectF:
        legend = LEGEND_H * len(self._legend_lines())
        return QRectF(self.rect()).adjusted(1, legend + 1, -1, -AXIS_H - 1)

    def _legend_lines(self) -> list[list[tuple[str, str, float]]]:
        """The legend's items (group, text, width) in lines that fit the chart's width: a
        narrow window wraps them instead of cutting the last ones off."""
        latest = self.samples[-1][1] if self.samples else {}
        metrics = QFontMetrics(self.font())
        locale = QLocale()
        lines: list[list[tuple[str, str, float]]] = [[]]
        x = 4.0
        for group in reversed(GROUPS):
            text = group_label(group)
            if group in latest:
                text += f" {locale.toString(int(latest[group]))}"
            width = 14 + metrics.horizontalAdvance(text) + 12
            if lines[-1] and x + width - 12 > self.width():
                lines.append([])
                x = 4.0
            lines[-1].append((group, text, width))
            x += width
        return lines

    def _x(self, plot: QRectF, at: float) -> float:
        first, last = self.samples[0][0], self.samples[-1][0]
        span = (last - first) or 1.0
        return plot.left() + plot.width() * (at - first) / span

    def _nearest(self, x: float) -> int | None:
        if len(self.samples) < 2:
            return None
        plot = self._plot()
        return min(
            range(len(self.samples)), key=lambda i: abs(self._x(plot, self.samples[i][0]) - x)
        )

    # -- hover -----------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._nearest(event.position().x())
        if index != self.hover:
            self.hover = index
            self.update()
        if index is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self.values_text(index), self)

    def leaveEvent(self, event: object) -> None:
        self.hover = None
        self.update()

    def values_text(self, index: int) -> str:
        at, counts = self.samples[index]
        locale = QLocale()
        lines = [_clock(at)]
        for group in reversed(GROUPS):
            if group in counts:
                lines.append(f"{group_label(group)}: {locale.toString(int(counts[group]))}")
        return "\n".join(lines)

    # -- painting --------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._legend(painter)
        plot = self._plot()
        painter.setPen(QPen(QColor("#d0d7de")))
        painter.drawRect(plot)
        if len(self.samples) < 2:
            painter.setPen(QColor("#6e7781"))
            painter.drawText(
                plot, Qt.AlignmentFlag.AlignCenter, self.tr("The chart fills in as statuses arrive")
            )
            return
        total = max(sum(s.values()) for _, s in self.samples) or 1
        n = len(self.samples)
        xs = [self._x(plot, at) for at, _ in self.samples]

        def y(v: float) -> float:
            return plot.bottom() - plot.height() * v / total

        base = [0.0] * n
        for group in GROUPS:
            top = [base[i] + self.samples[i][1].get(group, 0) for i in range(n)]
            path = QPainterPath()
            path.moveTo(QPointF(xs[0], y(base[0])))
            for i in range(n):
                path.lineTo(QPointF(xs[i], y(top[i])))
            for i in reversed(range(n)):
                path.lineTo(QPointF(xs[i], y(base[i])))
            path.closeSubpath()
            painter.fillPath(path, COLOURS[group])
            base = top
        self._axis(painter, plot)
        if self.hover is not None and 0 <= self.hover < n:
            painter.setPen(QPen(QColor("#1b2430"), 1, Qt.PenStyle.DashLine))
            x = xs[self.hover]
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

    def _legend(self, painter: QPainter) -> None:
        for k, line in enumerate(self._legend_lines()):
            x, top = 4.0, k * LEGEND_H
            for group, text, width in line:
                painter.fillRect(QRectF(x, top + 4, 10, 10), COLOURS[group])
                painter.setPen(QColor("#25303d"))
                painter.drawText(QPointF(x + 14, top + 13), text)
                x += width

    def _axis(self, painter: QPainter, plot: QRectF) -> None:
        first, last = self.samples[0][0], self.samples[-1][0]
        painter.setPen(QColor("#5b6776"))
        metrics = QFontMetrics(self.font())
        ticks = max(2, min(6, int(plot.width() // 110)))
        baseline = plot.bottom() + AXIS_H - 3
        for i in range(ticks):
            at = first + (last - first) * i / (ticks - 1)
            text = _clock(at)
            x = plot.left() + plot.width() * i / (ticks - 1)
            width = metrics.horizontalAdvance(text)
            left = min(max(plot.left(), x - width / 2), plot.right() - width)
            painter.drawText(QPointF(left, baseline), text)


def _clock(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%H:%M:%S")

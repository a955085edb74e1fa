"""The Campaign page's A/B panel: an A/B test's variants side by side (counts, rates, a bar
chart of the winner metric, the confidence of the difference) and where the test stands:
testing (time to the decision), the winner and why, or waiting for the user's pick.

It only shows ``campaign.ab.ABStatus`` (read by the existing poll) and asks for a pick
through :attr:`ABPanel.winner_picked`; the decision is the session's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop import wording
from kupon_desktop.ui.pages.base import decimal_number, number

METRIC_ORDER = ("delivered", "read", "clicked")
_BAR = QColor("#2563eb")
_WINNER = QColor("#16a34a")


def percent(rate: float) -> str:
    """ "12,5 %" / "12.5 %"."""
    return decimal_number(rate * 100, 1) + "\u00a0%"


class ABBars(QWidget):
    """One bar per variant: its rate of the winner metric, the best (or the winner) green."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float, bool]] = []
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(78)

    def set_bars(self, bars: list[tuple[str, float, bool]]) -> None:
        if bars != self.bars:
            self.bars = bars
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.bars:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        label_w = metrics.horizontalAdvance("WW")
        value_w = metrics.horizontalAdvance("100,0 %  ")
        row_h = self.height() / max(1, len(self.bars))
        top = max((r for _, r, _ in self.bars), default=0.0) or 1.0
        span = max(1.0, self.width() - label_w - value_w - 8)
        text_color = self.palette().windowText().color()
        for i, (name, rate, best) in enumerate(self.bars):
            y = i * row_h
            painter.setPen(text_color)
            painter.drawText(QRectF(0, y, label_w, row_h), Qt.AlignmentFlag.AlignVCenter, name)
            width = span * rate / top
            bar = QRectF(label_w, y + row_h * 0.2, max(1.0, width), row_h * 0.6)
            painter.fillRect(bar, _WINNER if best else _BAR)
            painter.drawText(
                QRectF(label_w + width + 6, y, value_w, row_h),
                Qt.AlignmentFlag.AlignVCenter,
                percent(rate),
            )
        painter.end()


class VariantColumn(QFrame):
    """One variant: sent, delivered, read, clicked (count and rate), and its Pick button."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.title)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.values: dict[str, QLabel] = {}
        captions = {
            "sent": self.tr("Sent"),
            "delivered": self.tr("Delivered"),
            "read": self.tr("Read"),
            "clicked": self.tr("Clicked"),
        }
        for row, (key, caption) in enumerate(captions.items()):
            grid.addWidget(QLabel(caption), row, 0)
            value = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setObjectName(f"ab_{name}_{key}")
            grid.addWidget(value, row, 1)
            self.values[key] = value
        layout.addLayout(grid)
        self.pick = QPushButton(self.tr("Send %1 to the rest").replace("%1", name))
        self.pick.setObjectName(f"pick_{name}")
        self.pick.hide()
        layout.addWidget(self.pick)

    def show_variant(self, variant: Any, metric: str, mark: str) -> None:
        title = self.tr("Variant %1").replace("%1", variant.name)
        self.title.setText(title + (" — " + mark if mark else ""))
        self.values["sent"].setText(number(variant.sent))
        for key in METRIC_ORDER:
            hits = variant.by_metric.get(key, 0)
            text = f"{number(hits)} · {percent(variant.rate_of(key))}"
            label = self.values[key]
            label.setText(text)
            label.setStyleSheet("font-weight: 600;" if key == metric else "")


class ABPanel(QGroupBox):
    """The A/B test of the open campaign (hidden for a plain campaign)."""

    #: (group, variant name): the user picks the winner
    winner_picked = Signal(str, str)

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(self.tr("A/B test"), parent)
        self.setObjectName("abPanel")
        self.language = language
        self.status: Any = None
        self.columns: dict[str, VariantColumn] = {}
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setObjectName("abState")
        self.state.setWordWrap(True)
        self.state.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.state)
        body = QHBoxLayout()
        self.column_row = QHBoxLayout()
        body.addLayout(self.column_row, 3)
        chart_box = QVBoxLayout()
        self.chart_title = QLabel()
        self.chart_title.setObjectName("pageHint")
        chart_box.addWidget(self.chart_title)
        self.bars = ABBars()
        chart_box.addWidget(self.bars)
        self.confidence = QLabel()
        self.confidence.setObjectName("abConfidence")
        self.confidence.setWordWrap(True)
        chart_box.addWidget(self.confidence)
        chart_box.addStretch(1)
        body.addLayout(chart_box, 2)
        layout.addLayout(body)
        self.why = QLabel()
        self.why.setObjectName("abWhy")
        self.why.setWordWrap(True)
        layout.addWidget(self.why)
        self.hide()

    def metric_label(self, metric: str) -> str:
        return {
            "delivered": self.tr("delivered"),
            "read": self.tr("read"),
            "clicked": self.tr("clicked"),
        }.get(metric, metric)

    def show_status(self, status: Any, now: datetime | None = None) -> None:
        """Show an A/B test's status (None: hide the panel)."""
        self.status = status
        if status is None:
            self.hide()
            return
        now = now or datetime.now(UTC)
        metric = status.settings.metric
        names = [v.name for v in status.variants]
        if list(self.columns) != names:
            for column in self.columns.values():
                self.column_row.removeWidget(column)
                column.deleteLater()
            self.columns = {}
            for name in names:
                column = VariantColumn(name)
                column.pick.clicked.connect(
                    lambda _=False, n=name: (
                        self.status is not None and self.winner_picked.emit(self.status.group, n)
                    )
                )
                self.column_row.addWidget(column)
                self.columns[name] = column
        winner = (status.winner or {}).get("variant")
        comparison = status.comparison
        leader = winner or (
            comparison.best if comparison and any(v.sent for v in status.variants) else None
        )
        held = status.phase == "held"
        for v in status.variants:
            if v.name == winner:
                mark = self.tr("winner")
            elif v.name == leader and status.phase in ("test", "waiting", "deciding", "held"):
                mark = self.tr("leads")
            else:
                mark = ""
            column = self.columns[v.name]
            column.show_variant(v, metric, mark)
            column.pick.setVisible(held)
        self.chart_title.setText(
            self.tr("Winner metric: %1 (share of the messages sent)").replace(
                "%1", self.metric_label(metric)
            )
        )
        self.bars.set_bars([(v.name, v.rate, v.name == leader) for v in status.variants])
        if comparison is not None and comparison.runner_up is not None:
            text = self.tr("Confidence of the difference %1 vs %2: %3").replace(
                "%1", comparison.best
            )
            text = text.replace("%2", comparison.runner_up).replace(
                # "> 99,9 %", not "100,0 %": a test is never certain
                "%3",
                wording.percent(comparison.confidence * 100, self.language),
            )
            text += " — " + (
                self.tr("significant") if comparison.significant else self.tr("not significant yet")
            )
            self.confidence.setText(text)
        else:
            self.confidence.setText("")
        self.state.setText(self.phase_text(status, now))
        self.why.setText(status.why(self.language))
        self.show()

    def phase_text(self, status: Any, now: datetime) -> str:
        phase = status.phase
        share = round(status.settings.share * 100)
        if phase == "test":
            return self.tr("Testing: the variants are being sent to %1 % of the list").replace(
                "%1", str(share)
            )
        if phase == "waiting":
            left = 0.0 if status.decide_at is None else (status.decide_at - now).total_seconds()
            return self.tr("Testing: the winner is chosen in %1").replace("%1", self.duration(left))
        if phase == "deciding":
            return self.tr("Choosing the winner…")
        if phase == "held":
            return self.tr("Waiting for your choice: pick the variant the rest of the list gets")
        winner = (status.winner or {}).get("variant", "")
        rest = status.remainder_counts
        if phase == "remainder":
            return (
                self.tr("Variant %1 won: sending it to the rest (%2 of %3)")
                .replace("%1", winner)
                .replace("%2", number(rest.sent))
                .replace("%3", number(rest.planned))
            )
        if phase == "done":
            if winner:
                return (
                    self.tr("Done: variant %1 won and was sent to the rest (%2)")
                    .replace("%1", winner)
                    .replace("%2", number(rest.sent))
                )
            return self.tr("Done")
        return self.tr("Being created")

    def duration(self, seconds: float) -> str:
        total = max(0, round(seconds))
        minutes, secs = divmod(total, 60)
        hours, minutes = divmod(minutes, 60)
        if hours:
            return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", f"{minutes:02d}")
        return self.tr("%1 min %2 s").replace("%1", str(minutes)).replace("%2", f"{secs:02d}")


__all__ = ["ABBars", "ABPanel", "VariantColumn", "percent"]

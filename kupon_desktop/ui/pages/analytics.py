"""The Analytics page: the funnel sent → delivered → read → clicked and the cost across
campaigns, grouped per channel, per list or segment (or file), per day, week, month or
campaign, over a period; a chart of the funnel of the row selected (or of all rows);
export to XLSX. The figures are ``kupon_desktop.base.results``'s (the log's counters)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from kupon_desktop.ui.dialogs import pick_file
from kupon_desktop.ui.models.frame import FrameTableModel
from kupon_desktop.ui.pages.base import Page, decimal_number, number
from kupon_desktop.ui.pages.contacts import make_table

BY = ("channel", "source", "day", "week", "month", "campaign")
STAGES = ("sent", "delivered", "read", "clicked")
COLOURS = ("#6e7781", "#2da44e", "#0969da", "#8250df")


class FunnelChart(QWidget):
    """Four bars, each as wide as its share of "sent", with the count and the rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[int] = [0, 0, 0, 0]
        self.labels: list[str] = ["", "", "", ""]
        self.title = ""
        self.setMinimumHeight(150)

    def set_funnel(self, title: str, values: list[int], labels: list[str]) -> None:
        self.title, self.values, self.labels = title, list(values), list(labels)
        self.update()

    def bar_texts(self) -> list[str]:
        """What each bar says: the count, and after "sent" its share of it, as the
        interface language writes numbers."""
        first = self.values[0] if self.values else 0
        return [
            number(v) + (f" ({decimal_number(100 * v / first, 1)}%)" if first and i else "")
            for i, v in enumerate(self.values)
        ]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        text_colour = self.palette().text().color()
        painter.setPen(text_colour)
        painter.drawText(
            QRectF(rect.left(), rect.top(), rect.width(), 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.title,
        )
        top = rect.top() + 24
        label_w = min(170.0, rect.width() * 0.3)
        bar_h = max(12.0, (rect.bottom() - top) / 4 - 6)
        sent = max(self.values[0], 1)
        texts = self.bar_texts()
        for i, (value, label) in enumerate(zip(self.values, self.labels, strict=True)):
            y = top + i * (bar_h + 6)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(rect.left(), y, label_w - 6, bar_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            full = rect.width() - label_w
            width = full * min(1.0, value / sent) if self.values[0] else 0.0
            painter.setPen(QPen(Qt.PenStyle.NoPen))
            painter.setBrush(QColor(COLOURS[i]))
            painter.drawRect(QRectF(rect.left() + label_w, y, max(width, 1.0), bar_h))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(rect.left() + label_w + 6, y, full - 6, bar_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                texts[i],
            )


class AnalyticsPage(Page):
    said = Signal(str)

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Analytics"),
            self.tr(
                "How campaigns did: sent, delivered, read, clicked and the cost, per "
                "channel, per list or segment, per period."
            ),
            parent,
        )
        self.language = language
        self.log: Any = None
        self.runner: Any = None
        self.funnels: list[Any] = []

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Group by:")))
        self.by = QComboBox()
        titles = {
            "channel": self.tr("channel"),
            "source": self.tr("list, segment or file"),
            "day": self.tr("day"),
            "week": self.tr("week"),
            "month": self.tr("month"),
            "campaign": self.tr("campaign"),
        }
        for key in BY:
            self.by.addItem(titles[key], key)
        self.by.currentIndexChanged.connect(lambda _i: self.start_reload())
        row.addWidget(self.by)
        self.period = QCheckBox(self.tr("From"))
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.dateChanged.connect(lambda _d: self.period.isChecked() and self.start_reload())
        self.period.toggled.connect(lambda _c: self.start_reload())
        row.addWidget(self.period)
        row.addWidget(self.since)
        row.addWidget(QLabel(self.tr("to")))
        row.addWidget(self.until)
        row.addStretch(1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.start_reload)
        self.export_button = QPushButton(self.tr("Export XLSX…"))
        self.export_button.clicked.connect(self.choose_export)
        row.addWidget(self.refresh_button)
        row.addWidget(self.export_button)
        self.layout_.addLayout(row)

        self.summary = QLabel()
        self.summary.setObjectName("pageHint")
        self.layout_.addWidget(self.summary)
        self.chart = FunnelChart()
        self.chart.setObjectName("funnelChart")
        self.chart.setFixedHeight(170)
        self.layout_.addWidget(self.chart)
        self.model = FrameTableModel()
        self.view = make_table(self.model)
        self.view.setSortingEnabled(False)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _p: self.show_chart(current.row())
        )
        self.layout_.addWidget(self.view, 1)

    def attach(self, log: Any, runner: Any) -> None:
        self.log, self.runner = log, runner

    def headers(self) -> list[str]:
        return [
            self.tr("Group"),
            self.tr("Campaigns"),
            self.tr("Recipients"),
            self.tr("Sent"),
            self.tr("Delivered"),
            self.tr("Read"),
            self.tr("Clicked"),
            self.tr("Delivered %"),
            self.tr("Read %"),
            self.tr("Clicked %"),
            self.tr("Cost, RUB"),
        ]

    def stage_labels(self) -> list[str]:
        return [self.tr("Sent"), self.tr("Delivered"), self.tr("Read"), self.tr("Clicked")]

    def period_bounds(self) -> tuple[datetime | None, datetime | None]:
        if not self.period.isChecked():
            return None, None
        since = self.since.date().toPython()
        until = self.until.date().toPython()
        start = datetime(since.year, since.month, since.day).astimezone()
        end = datetime(until.year, until.month, until.day).astimezone() + timedelta(days=1)
        return start, end

    @Slot()
    def start_reload(self) -> Any:
        if self.runner is None or self.log is None:
            return None
        return self.runner.start(self.reload(), what=self.tr("Analytics"))

    async def reload(self) -> list[Any]:
        import pandas as pd

        from kupon_desktop.base.results import funnel

        by = str(self.by.currentData())
        since, until = self.period_bounds()
        funnels = await asyncio.to_thread(funnel, self.log, by, since=since, until=until)
        self.funnels = funnels

        def pct(f: Any, part: int) -> str:
            rate = f.rate(part)
            return "" if rate is None else decimal_number(100 * rate, 1)

        rows = [
            [
                self.key_label(f.key),
                number(f.campaigns),
                number(f.recipients),
                number(f.sent),
                number(f.delivered),
                number(f.read),
                number(f.clicked),
                pct(f, f.delivered),
                pct(f, f.read),
                pct(f, f.clicked),
                decimal_number(f.cost),
            ]
            for f in funnels
        ]
        frame = pd.DataFrame(rows, columns=[str(i) for i in range(11)])
        self.model.set_frame(frame, self.headers())
        self.view.resizeColumnsToContents()
        total_cost = sum((f.cost for f in funnels), start=0)
        self.summary.setText(
            self.tr("%1 group(s), %2 campaign(s), cost %3 RUB")
            .replace("%1", number(len(funnels)))
            .replace("%2", number(sum(f.campaigns for f in funnels)))
            .replace("%3", decimal_number(total_cost))
        )
        self.show_chart(-1)
        return funnels

    def key_label(self, key: str) -> str:
        """A source key ("list: X", "segment: Y", "file: Z") or a channel ("sms") in the
        interface language."""
        from kupon_desktop.vocabulary import MessageType

        try:
            channel = MessageType(key)
        except ValueError:
            pass
        else:
            return channel.label_ru if self.language == "ru" else channel.label_en
        kind, sep, name = key.partition(": ")
        if sep and kind in ("list", "segment", "file"):
            word = {"list": self.tr("list"), "segment": self.tr("segment"), "file": self.tr("file")}
            return f"{word[kind]}: {name}"
        return key

    def show_chart(self, row: int) -> None:
        if 0 <= row < len(self.funnels):
            f = self.funnels[row]
            title = self.key_label(f.key)
            values = [f.sent, f.delivered, f.read, f.clicked]
        else:
            title = self.tr("All campaigns")
            values = [sum(getattr(f, s) for f in self.funnels) for s in STAGES]
        self.chart.set_funnel(title, values, self.stage_labels())

    @Slot()
    def choose_export(self) -> None:
        pick_file(
            self,
            self.tr("Export analytics"),
            "Excel (*.xlsx)",
            lambda path: (
                self.runner is not None
                and self.runner.start(self.export_file(path), what=self.tr("Analytics"))
            ),
            save=True,
            key="analytics",
            suggested=self.tr("analytics.xlsx", "default file name"),
        )

    async def export_file(self, path: Path) -> None:
        """Every grouping of the period, one sheet each."""
        from kupon_desktop.base.results import by_title, export_funnels, funnel

        since, until = self.period_bounds()
        lang = "ru" if self.language == "ru" else "en"

        def write() -> None:
            tables = [
                (by_title(by, lang), funnel(self.log, by, since=since, until=until)) for by in BY
            ]
            export_funnels(path, tables, lang)

        await asyncio.to_thread(write)
        self.said.emit(self.tr("Analytics exported to %1").replace("%1", str(path)))

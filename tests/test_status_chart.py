"""The status chart reads as a chart: a legend with the latest counts, a time axis, the
values under the mouse, and a whole history set at once (a campaign reopened)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage

from kupon_desktop.ui.widgets.status_chart import StatusChart

T0 = 1_765_000_000.0


def _history():
    return [
        (T0 + 60 * i, {"delivered": i, "failed": 0, "not_sent": 2, "pending": 10 - i})
        for i in range(11)
    ]


def test_hover_shows_the_values_at_that_moment(qtbot):
    chart = StatusChart()
    qtbot.addWidget(chart)
    chart.resize(600, 120)
    chart.set_history(_history())
    chart.show()
    qtbot.waitExposed(chart)
    plot = chart._plot()
    x = int(plot.left() + plot.width() * 0.5)
    qtbot.mouseMove(chart, QPoint(x, int(plot.center().y())))
    qtbot.waitUntil(lambda: chart.hover is not None)
    assert chart.hover == 5
    text = chart.values_text(chart.hover)
    assert "Delivered: 5" in text and "Pending: 5" in text and "Not sent: 2" in text


def test_legend_axis_and_areas_are_drawn(qtbot):
    chart = StatusChart()
    qtbot.addWidget(chart)
    chart.resize(600, 120)
    chart.set_history(_history())
    drawn = QImage(chart.size(), QImage.Format.Format_ARGB32)
    drawn.fill(Qt.GlobalColor.white)
    chart.render(drawn)
    green = sum(
        1
        for x in range(0, 600, 4)
        for y in range(0, 120, 4)
        if drawn.pixelColor(x, y).name() == "#2da44e"
    )
    assert green > 50  # the delivered area, and its legend swatch
    # a live sample after the history extends it; the same counts again add nothing
    chart.add({"delivered": 9, "failed": 1, "not_sent": 2, "pending": 0}, at=T0 + 700)
    chart.add({"delivered": 9, "failed": 1, "not_sent": 2, "pending": 0}, at=T0 + 800)
    assert len(chart.samples) == 12

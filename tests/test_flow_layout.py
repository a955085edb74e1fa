"""The Campaign page in a narrow window: every button (the actions, the filters with
their counts) whole, on as many lines as it takes, and the chart's legend wrapped (at
about 760 px the last buttons were cut off and the filters squeezed unreadable)."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from kupon_desktop.campaign.counts import CampaignCounts, Group
from tests.uihelpers import make_window


def _whole(page, buttons: list[QPushButton]) -> list[str]:
    """The buttons not shown whole inside the page."""
    cut = []
    for b in buttons:
        if b.isHidden():
            continue
        right = b.mapTo(page, b.rect().topRight()).x()
        if right > page.width() or b.width() < b.sizeHint().width():
            cut.append(b.text())
    return cut


def _lines(buttons: list[QPushButton]) -> int:
    """How many lines the shown buttons make (a button below another's bottom starts one)."""
    tops = sorted(b.y() for b in buttons if not b.isHidden())
    lines, bottom = 0, -1
    for top in tops:
        if top >= bottom:
            lines += 1
            bottom = top + min(b.height() for b in buttons)
    return lines


def test_a_narrow_window_wraps_the_campaign_buttons_instead_of_cutting_them(qtbot):
    window = make_window(qtbot, lang="ru")
    page = window.campaign_page
    page.body.show()
    page.empty.hide()
    buttons = [
        page.pause_button,
        page.resume_button,
        page.cancel_button,
        page.retarget_button,
        page.stop_failed_button,
        page.export_button,
        page.export_into_button,
    ]
    # a million-recipient campaign's counts on the filter buttons
    page.counts = CampaignCounts(
        1_000_000, 0, 0, 1_000_000, 0, 0, 0, 0, {g: 166_666 for g in Group}
    )
    page.refresh_counts()
    window.resize(1500, 800)
    window.show()
    window.show_page(window.PAGES.index("campaign"))
    qtbot.waitExposed(window)
    assert _lines(buttons) == 1  # one line where there is room
    window.resize(740, 800)
    qtbot.waitUntil(lambda: _lines(buttons) > 1)
    assert _whole(page, buttons) == []
    filters = list(page.filter_buttons.values())
    assert _whole(page, filters) == []
    assert _lines(filters) > 1
    page.chart.add({g.value: 1_000 for g in Group}, at=0.0)
    assert len(page.chart._legend_lines()) > 1
    assert all(
        sum(width for _g, _t, width in line) - 12 <= page.chart.width()
        for line in page.chart._legend_lines()
    )
    # the progress bar starts below the last line of buttons
    lowest = max(b.y() + b.height() for b in buttons if not b.isHidden())
    assert page.progress.mapTo(page.body, page.progress.rect().topLeft()).y() >= lowest

"""The History page orders campaigns the way a person reads its cells: counts as numbers
(1 000 after 999), dates as time, while each cell is written in the interface language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt

from kupon_desktop.campaign.session import CampaignSession, Platform
from kupon_desktop.store import NewRecipient, open_log
from kupon_desktop.ui.pages.history import HistoryPage


def _campaign(log, name: str, size: int) -> None:
    recipients = (NewRecipient(f"+7916{n:07d}", "Привет") for n in range(size))
    log.create_campaign({"text": "Привет"}, "sms", recipients, name=name)


def test_counts_sort_as_numbers_and_read_in_the_locale(qtbot, tmp_path: Path) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    try:
        with open_log(tmp_path / "log.sqlite3") as log:
            for name, size in (("малая", 5), ("большая", 1000), ("средняя", 999)):
                _campaign(log, name, size)
            page = HistoryPage("ru")
            qtbot.addWidget(page)
            page.show_campaigns(
                CampaignSession(log, Platform("http://127.0.0.1:1", lambda: "t")).history()
            )
        model = page.model
        total = 4  # date, name, channel, state, then the recipients' count
        model.sort(total, Qt.SortOrder.AscendingOrder)
        shown = [model.data(model.index(r, total)) for r in range(model.rowCount())]
        assert shown == ["5", "999", "1\xa0000"]
        names = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
        assert names == ["малая", "средняя", "большая"]
        # by time (three campaigns made within a moment may share a millisecond: the
        # order of equal times is not asserted)
        model.sort(0, Qt.SortOrder.AscendingOrder)
        times = [model.frame.at[model.source_row(r), "date"] for r in range(3)]
        assert times == sorted(times)
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def test_the_teams_campaigns_sort_as_numbers_too(qtbot) -> None:
    page = HistoryPage("en")
    qtbot.addWidget(page)
    team = [
        {
            "name": name,
            "type": "sms",
            "recipients": n,
            "approval": "not_needed",
            "created_at": 1_765_000_000_000 + i,
            "statuses": {"1": n // 2},
            "user": "anna",
        }
        for i, (name, n) in enumerate((("big", 1000), ("small", 5), ("mid", 999)))
    ]
    page.show_team(team)
    model = page.team_model
    recipients = 5  # date, name, user, computer, channel, then the recipients
    model.sort(recipients, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, 1)) for r in range(3)] == ["small", "mid", "big"]
    assert model.data(model.index(2, recipients)) == QLocale().toString(1000)
    assert model.data(model.index(0, 0))  # the time, written for the eye

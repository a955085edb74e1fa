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
            page.show_campaigns(CampaignSession(log, Platform("http://127.0.0.1:1", lambda: "t")).history())
        model = page.model
        total = 4  # date, name, channel, state, then the recipients' count
        model.sort(total, Qt.SortOrder.AscendingOrder)
        shown = [model.data(model.index(r, total)) for r in range(model.rowCount())]
        assert shown == ["5", "999", "1\xa0000"]
        names = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
        assert names == ["малая", "средняя", "большая"]
        model.sort(0, Qt.SortOrder.DescendingOrder)  # newest first, by time
        assert [model.data(model.index(r, 1)) for r in range(3)] == [
            "средняя",
            "большая",
            "малая",
        ]
    finally:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))

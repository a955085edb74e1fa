"""The History page's counts for a campaign nobody has open: its statuses keep arriving
(the receiver writes them into the log), and History shows them when it is shown again,
with no need to open the campaign first."""

from __future__ import annotations

import pytest

from kupon_desktop.campaign.counts import Group
from kupon_desktop.store.models import NewRecipient, NewStatusEvent
from tests.uihelpers import make_window

N = 6


@pytest.fixture
def window(qtbot, qasync_loop, tmp_path):
    win = make_window(qtbot, demo=True)
    win.control.db_path = tmp_path / "history.sqlite3"
    win.show()
    started = qasync_loop.create_task(win.startup())
    qtbot.waitUntil(started.done, timeout=20000)
    started.result()
    yield win
    done = qasync_loop.create_task(win.shutdown())
    qtbot.waitUntil(done.done, timeout=20000)


def _go(window, page: str) -> None:
    window.navigation.setCurrentRow(window.PAGES.index(page))


def test_history_shows_statuses_that_came_for_a_campaign_not_open(qtbot, window):
    log = window.control.log
    recipients = [NewRecipient(f"7916000000{k}", "Текст", k + 2, None, None) for k in range(N)]
    cid = log.create_campaign({"type": "sms"}, "sms", recipients, name="Вчерашняя")
    keys = list(range(N))
    log.mark_in_flight(cid, keys)
    log.mark_accepted(cid, [(k, 1000 + k) for k in keys])
    _go(window, "history")

    def shown(group: Group) -> int:
        frame = window.history_page.model.frame
        return -1 if frame is None or frame.empty else int(frame.iloc[0][group.value])

    qtbot.waitUntil(lambda: shown(Group.PENDING) == N, timeout=10000)
    _go(window, "contacts")
    # what the receiver does with the platform's callbacks: events into the log
    log.append_status_events(NewStatusEvent(1000 + k, 1, cid, k) for k in keys[:4])
    _go(window, "history")
    qtbot.waitUntil(lambda: shown(Group.DELIVERED) == 4, timeout=10000)
    assert shown(Group.PENDING) == N - 4

"""The send window: its parsing, across midnight, across Russia's zones from Kaliningrad
to Kamchatka, a zone without daylight saving beside one with it, and a campaign
composed at 23:00 Moscow time scheduled for 09:00 of each recipient's own zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from kupon_desktop.audience import AudienceRules, SendTimeGuard, SendWindow, apply_rules
from kupon_desktop.audience.regions import zones_covered
from kupon_desktop.compose import Draft

MOSCOW = ZoneInfo("Europe/Moscow")


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "start", "end", "shown"),
    [
        ("09:00-22:00", time(9), time(22), "09:00-22:00"),
        ("9-22", time(9), time(22), "09:00-22:00"),
        (" 21:00 – 08:00 ", time(21), time(8), "21:00-08:00"),
        ("08.30-20.15", time(8, 30), time(20, 15), "08:30-20:15"),
        ("22:00-24:00", time(22), time(0), "22:00-00:00"),
        ("off", time(0), time(0), "off"),
        ("00:00-00:00", time(0), time(0), "off"),
    ],
)
def test_parse(text: str, start: time, end: time, shown: str) -> None:
    window = SendWindow.parse(text)
    assert (window.start, window.end) == (start, end)
    assert str(window) == shown
    assert SendWindow.parse(str(window)) == window


@pytest.mark.parametrize("text", ["", "9", "25:00-08:00", "09:60-10:00", "morning", "9-22-23"])
def test_parse_refuses_with_a_readable_message(text: str) -> None:
    with pytest.raises(ValueError, match="09:00-22:00"):
        SendWindow.parse(text)


def test_default_is_nine_to_ten_pm_end_excluded() -> None:
    w = SendWindow()
    assert (w.start, w.end) == (time(9), time(22))
    assert w.is_open_at(time(9)) and w.is_open_at(time(21, 59, 59))
    assert not w.is_open_at(time(22)) and not w.is_open_at(time(8, 59))


def test_window_across_midnight() -> None:
    night = SendWindow.parse("21:00-08:00")
    assert (
        night.is_open_at(time(23, 30))
        and night.is_open_at(time(0))
        and night.is_open_at(time(7, 59))
    )
    assert not night.is_open_at(time(8)) and not night.is_open_at(time(20, 59))
    zone = ZoneInfo("Asia/Yekaterinburg")
    # closed in the day: opens the same evening
    assert night.opening_after(at("Asia/Yekaterinburg", 2030, 3, 1, 12), zone) == at(
        "Asia/Yekaterinburg", 2030, 3, 1, 21
    )
    # open after midnight and in the evening: at once
    assert night.opening_after(at("Asia/Yekaterinburg", 2030, 3, 1, 2), zone) is None
    assert night.opening_after(at("Asia/Yekaterinburg", 2030, 3, 1, 21), zone) is None
    # a day window: after its end, tomorrow's start; before its start, today's
    day = SendWindow()
    assert day.opening_after(at("Asia/Yekaterinburg", 2030, 3, 1, 22), zone) == at(
        "Asia/Yekaterinburg", 2030, 3, 2, 9
    )
    assert day.opening_after(at("Asia/Yekaterinburg", 2030, 3, 1, 3), zone) == at(
        "Asia/Yekaterinburg", 2030, 3, 1, 9
    )
    # across the end of a month and of a year
    assert day.opening_after(at("Asia/Yekaterinburg", 2030, 12, 31, 23), zone) == at(
        "Asia/Yekaterinburg", 2031, 1, 1, 9
    )


#: one city per Russian zone, UTC+2 to UTC+12, with its offset
ELEVEN_ZONES = [
    ("Europe/Kaliningrad", 2),
    ("Europe/Moscow", 3),
    ("Europe/Samara", 4),
    ("Asia/Yekaterinburg", 5),
    ("Asia/Omsk", 6),
    ("Asia/Novosibirsk", 7),
    ("Asia/Irkutsk", 8),
    ("Asia/Yakutsk", 9),
    ("Asia/Vladivostok", 10),
    ("Asia/Magadan", 11),
    ("Asia/Kamchatka", 12),
]


@pytest.mark.parametrize(("zone", "hours"), ELEVEN_ZONES)
def test_the_same_moment_across_russia(zone: str, hours: int) -> None:
    """18:00 UTC on 1 July: 20:00 in Kaliningrad (open) ... 06:00 next day in Kamchatka
    (closed until 09:00 there). Summer or winter does not matter: none of them changes
    its clocks."""
    moment = datetime(2030, 7, 1, 18, tzinfo=UTC)
    local_hour = (18 + hours) % 24
    opening = SendWindow().opening_after(moment, ZoneInfo(zone))
    if 9 <= local_hour < 22:
        assert opening is None
    else:
        assert opening is not None
        assert opening.tzinfo == ZoneInfo(zone)
        assert (opening.hour, opening.minute) == (9, 0)
        assert opening.utcoffset() == timedelta(hours=hours)
        assert opening > moment
        assert opening - moment < timedelta(hours=15)
    winter = SendWindow().opening_after(moment.replace(month=1), ZoneInfo(zone))
    assert (winter is None) == (opening is None)


def test_the_region_table_covers_all_eleven_offsets() -> None:
    offsets = {
        ZoneInfo(z).utcoffset(datetime(2030, 1, 1)) // timedelta(hours=1) for z in zones_covered()
    }
    assert offsets == set(range(2, 13))


def test_a_zone_without_daylight_saving_beside_one_with_it() -> None:
    """Kaliningrad keeps UTC+2 all year; Berlin is UTC+1 in winter and +2 in summer, and
    on 31 March 2030 its clocks jump from 02:00 to 03:00."""
    window = SendWindow.parse("02:30-22:00")
    berlin, kaliningrad = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/Kaliningrad")
    before = datetime(2030, 3, 30, 23, 0, tzinfo=UTC)  # 00:00 in Berlin, 01:00 Kaliningrad
    # Kaliningrad: 02:30 on the 31st is 00:30 UTC, as every day
    k = window.opening_after(before, kaliningrad)
    assert k is not None and k.astimezone(UTC) == datetime(2030, 3, 31, 0, 30, tzinfo=UTC)
    # Berlin: 02:30 does not exist that night; the window opens at the first real minute
    # after the gap (03:30 summer time, 01:30 UTC), never before it
    b = window.opening_after(before, berlin)
    assert b is not None
    assert b.astimezone(UTC) == datetime(2030, 3, 31, 1, 30, tzinfo=UTC)
    assert (b.hour, b.minute) == (3, 30) and b.utcoffset() == timedelta(hours=2)
    # 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer; in Kaliningrad
    # 07:00 UTC all year
    w = SendWindow()
    jan = w.opening_after(datetime(2030, 1, 10, 3, tzinfo=UTC), berlin)
    jul = w.opening_after(datetime(2030, 7, 10, 3, tzinfo=UTC), berlin)
    assert jan is not None and jan.astimezone(UTC).hour == 8
    assert jul is not None and jul.astimezone(UTC).hour == 7
    for month in (1, 7):
        k = w.opening_after(datetime(2030, month, 10, 3, tzinfo=UTC), kaliningrad)
        assert k is not None and k.astimezone(UTC).hour == 7


def test_fixed_offsets_work_like_zones() -> None:
    plus5 = timezone(timedelta(hours=5))
    opening = SendWindow().opening_after(datetime(2030, 1, 1, 20, tzinfo=UTC), plus5)
    assert opening == datetime(2030, 1, 2, 9, tzinfo=plus5)


def test_send_at_and_window_combine_the_later_wins() -> None:
    w = SendWindow()
    now = at("Europe/Moscow", 2030, 3, 1, 12)
    omsk = ZoneInfo("Asia/Omsk")
    # nothing asked, window open: at once
    assert w.send_time(omsk, now=now) is None
    # send-at inside the window: the send-at, shown in the recipient's zone
    send_at = at("Europe/Moscow", 2030, 3, 1, 15)
    got = w.send_time(omsk, now=now, send_at=send_at)
    assert got == send_at and got is not None and got.tzinfo == omsk
    # send-at 20:00 Moscow is 23:00 in Omsk: the window's next opening wins
    late = at("Europe/Moscow", 2030, 3, 1, 20)
    assert w.send_time(omsk, now=now, send_at=late) == at("Asia/Omsk", 2030, 3, 2, 9)
    # a send-at already past counts as now
    past = at("Europe/Moscow", 2030, 3, 1, 8)
    assert w.send_time(omsk, now=now, send_at=past) is None
    # no quiet hours at all
    assert SendWindow.parse("off").send_time(omsk, now=now) is None


def test_composed_at_23_moscow_is_scheduled_for_9_in_each_recipients_zone() -> None:
    cities = [
        ("Калининград", "Europe/Kaliningrad"),
        ("Москва", "Europe/Moscow"),
        ("Самара", "Europe/Samara"),
        ("Екатеринбург", "Asia/Yekaterinburg"),
        ("Омск", "Asia/Omsk"),
        ("Новосибирск", "Asia/Novosibirsk"),
        ("Иркутск", "Asia/Irkutsk"),
        ("Якутск", "Asia/Yakutsk"),
        ("Владивосток", "Asia/Vladivostok"),
        ("Магадан", "Asia/Magadan"),
        ("Петропавловск-Камчатский", "Asia/Kamchatka"),
    ]
    n = len(cities)
    contacts = pd.DataFrame(
        {
            "row": list(range(2, 2 + n)),
            "phone": pd.array([f"7916000{i:04d}" for i in range(n)], dtype="string"),
            "email": pd.array([None] * n, dtype="string"),
            "push_token": pd.array([None] * n, dtype="string"),
        }
    )
    fields = pd.DataFrame({"Город": pd.array([c for c, _ in cities], dtype="string")})
    draft = Draft(text="Hello", sender="Shop")
    now = datetime(2030, 1, 15, 23, 0, tzinfo=MOSCOW)
    plan = apply_rules(draft, contacts, fields, now=now)
    assert plan.timezone_column == "Город"
    assert plan.zones_of() == [z for _, z in cities]
    for (_, zone), row in zip(cities, contacts["row"], strict=True):
        when = plan.scheduled(row)
        assert when is not None, zone
        assert when.tzinfo == ZoneInfo(zone)
        assert (when.hour, when.minute) == (9, 0), zone
        assert when > now
        # the next morning there: Kaliningrad's is 11 hours away, Kamchatka's 1 hour
        assert timedelta(0) < when - now <= timedelta(hours=11)
    assert plan.scheduled(3) == datetime(2030, 1, 16, 9, tzinfo=MOSCOW)
    assert plan.scheduled(12) == datetime(2030, 1, 16, 9, tzinfo=ZoneInfo("Asia/Kamchatka"))
    assert plan.zone_counts() == {"column": n, "number": 0, "default": 0}
    deferred = [p for p in plan.problems if p.code == "deferred_by_window"]
    assert len(deferred) == 1 and "11 message(s)" in deferred[0].message("en")

    # the same list at 14:00 Moscow time: it is 22:00 in Magadan and 23:00 in Kamchatka
    afternoon = apply_rules(draft, contacts, fields, now=now.replace(hour=14))
    waiting = {
        zone: afternoon.scheduled(row)
        for (_, zone), row in zip(cities, contacts["row"], strict=True)
        if afternoon.scheduled(row) is not None
    }
    assert waiting == {
        "Asia/Magadan": datetime(2030, 1, 16, 9, tzinfo=ZoneInfo("Asia/Magadan")),
        "Asia/Kamchatka": datetime(2030, 1, 16, 9, tzinfo=ZoneInfo("Asia/Kamchatka")),
    }


def test_guard_checks_the_window_again_when_the_message_goes_out() -> None:
    rules = AudienceRules(timezone_column="Город")

    class Recipient:
        def __init__(self, scheduled_at: datetime | None, city: str, address: str) -> None:
            self.scheduled_at = scheduled_at
            self.fields = {"Город": city}
            self.address = address

    guard = SendTimeGuard(rules)
    # planned "at once" at 21:50, sent at 23:30 after a pause: waits for 09:00 there
    late = datetime(2030, 1, 15, 23, 30, tzinfo=MOSCOW)
    assert guard(Recipient(None, "Москва", "79160000000"), late) == datetime(
        2030, 1, 16, 9, tzinfo=MOSCOW
    )
    # a planned time still ahead stands
    ahead = datetime(2030, 1, 16, 9, tzinfo=ZoneInfo("Asia/Omsk"))
    assert guard(Recipient(ahead, "Омск", "79160000000"), late) == ahead
    # no column value: the number (a Kamchatka landline), else the default zone
    assert guard(Recipient(None, "", "74152123456"), late) == datetime(
        2030, 1, 16, 9, tzinfo=ZoneInfo("Asia/Kamchatka")
    )
    noon = datetime(2030, 1, 15, 12, tzinfo=MOSCOW)
    assert guard(Recipient(None, "", "79160000000"), noon) is None

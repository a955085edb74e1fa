"""A recipient's time zone: the column's value (IANA name, UTC offset, Moscow time,
Russian region or city), else the phone number, else the campaign default."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import phonenumbers
import pytest
from phonenumbers.timezone import time_zones_for_number

from kupon_desktop.audience import AudienceRules, UnknownColumn, apply_rules
from kupon_desktop.audience.regions import place_zones
from kupon_desktop.audience.timezones import (
    check_zone,
    detect_timezone_column,
    tzinfo_for,
    zone_key,
    zone_of_number,
    zones_from_phones,
)
from kupon_desktop.compose import Draft


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Europe/Moscow", "Europe/Moscow"),
        ("asia/kamchatka", "Asia/Kamchatka"),
        (" Asia/Yekaterinburg ", "Asia/Yekaterinburg"),
        ("America/New York", "America/New_York"),
        ("+05:00", "UTC+05:00"),
        ("-3", "UTC-03:00"),
        ("UTC+5", "UTC+05:00"),
        ("utc +5:30", "UTC+05:30"),
        ("GMT+3", "UTC+03:00"),  # as people mean it (the IANA "Etc/GMT+3" is UTC-3)
        ("Etc/GMT+3", "Etc/GMT+3"),
        ("UTC−03:30", "UTC-03:30"),  # a typographic minus
        ("UTC+0545", "UTC+05:45"),
        ("UTC", "UTC"),
        ("GMT", "UTC"),
        ("+0", "UTC"),
        ("МСК", "Europe/Moscow"),
        ("мск+4", "UTC+07:00"),
        ("MSK-1", "UTC+02:00"),
        ("МСК+9", "UTC+12:00"),
        ("Калининград", "Europe/Kaliningrad"),
        ("г. Москва", "Europe/Moscow"),
        ("Санкт-Петербург", "Europe/Moscow"),
        ("СПб", "Europe/Moscow"),
        ("Saint Petersburg", "Europe/Moscow"),
        ("Свердловская обл.", "Asia/Yekaterinburg"),
        ("Sverdlovsk Oblast", "Asia/Yekaterinburg"),
        ("Sverdlovskaya oblast", "Asia/Yekaterinburg"),
        ("Ekaterinburg", "Asia/Yekaterinburg"),
        ("Республика Татарстан", "Europe/Moscow"),
        ("Саратовская область", "Europe/Saratov"),
        ("Новосибирск", "Asia/Novosibirsk"),
        ("Алтайский край", "Asia/Barnaul"),
        ("Республика Саха (Якутия)", "Asia/Yakutsk"),
        ("Ханты-Мансийский автономный округ — Югра", "Asia/Yekaterinburg"),
        ("Приморский край", "Asia/Vladivostok"),
        ("Южно-Сахалинск", "Asia/Sakhalin"),
        ("Kamchatka", "Asia/Kamchatka"),
        ("Petropavlovsk-Kamchatsky", "Asia/Kamchatka"),
        ("ЧУКОТКА", "Asia/Anadyr"),
        ("Орёл", "Europe/Moscow"),
        ("Орел", "Europe/Moscow"),
        # an address: the first part that names a place; streets never do
        ("Россия, Свердловская обл., г. Екатеринбург, ул. Ленина, д. 5", "Asia/Yekaterinburg"),
        ("ул. Московская, д. 1, Омск", "Asia/Omsk"),
        ("Иркутск (UTC+8)", "Asia/Irkutsk"),
    ],
)
def test_zone_key(text: str, key: str) -> None:
    assert zone_key(text) == key
    tz = tzinfo_for(key)
    assert tz.utcoffset(datetime(2030, 1, 1)) is not None


@pytest.mark.parametrize("text", ["", "  ", "Атлантида", "5", "+15", "UTC+5:75", "Mars/Base"])
def test_values_that_name_no_zone(text: str) -> None:
    assert zone_key(text) is None


def test_check_zone_explains() -> None:
    assert check_zone("europe/moscow") == "Europe/Moscow"
    with pytest.raises(ValueError, match="Europe/Moscow"):
        check_zone("Narnia")
    with pytest.raises(ValueError):
        tzinfo_for("Narnia/Cair_Paravel")


def test_fixed_offset_keys_round_trip() -> None:
    tz = tzinfo_for("UTC+05:45")
    assert tz.utcoffset(None) == timedelta(hours=5, minutes=45)
    assert tzinfo_for("UTC-03:00").utcoffset(None) == timedelta(hours=-3)


def test_every_place_in_the_table_is_a_real_zone() -> None:
    table = place_zones()
    assert len(table) > 400
    for zone in set(table.values()):
        ZoneInfo(zone)


def test_detecting_the_column() -> None:
    assert detect_timezone_column(["Имя", "Город", "Часовой пояс"]) == "Часовой пояс"
    assert detect_timezone_column(["Name", "Time zone"]) == "Time zone"
    assert detect_timezone_column(["Name", "TZ"]) == "TZ"
    assert detect_timezone_column(["Имя", "Регион доставки"]) == "Регион доставки"
    assert detect_timezone_column(["Имя", "Город"]) == "Город"
    assert detect_timezone_column(["Имя", "Сумма покупок"]) is None


# -- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "zone"),
    [
        ("74012123456", "Europe/Kaliningrad"),  # the library says Bucharest (summer time)
        ("78452123456", "Europe/Saratov"),  # the library says Moscow (UTC+3, not +4)
        ("74952123456", "Europe/Moscow"),
        ("73432123456", "Asia/Yekaterinburg"),
        ("73812123456", "Asia/Omsk"),
        ("74152123456", "Asia/Kamchatka"),
        ("79161234567", None),  # a Russian mobile: anywhere in Russia
        ("77011234567", None),  # a Kazakh mobile: two zones
        ("380441234567", "Europe/Kyiv"),
        ("", None),
        ("not digits", None),
    ],
)
def test_zone_of_number(digits: str, zone: str | None) -> None:
    assert zone_of_number(digits) == zone


def test_vectorized_numbers_agree_with_the_library() -> None:
    rng = random.Random(8)
    areas = ["343", "383", "391", "423", "495", "812", "846", "401", "845", "302", "4152"]
    numbers = (
        [f"79{rng.randrange(10**9):09d}" for _ in range(300)]
        + [f"7{a}{rng.randrange(10**9):09d}"[:11] for a in areas for _ in range(20)]
        + ["4915112345678", "12025550123", "998901234567", "77172123456"]
    )
    got = zones_from_phones(pd.Series([*numbers, None], dtype="string")).tolist()
    assert got[-1] is None
    single = 0
    for digits, zone in zip(numbers, got, strict=False):
        number = phonenumbers.parse("+" + digits)
        zones = time_zones_for_number(number)
        expected = zones[0] if len(zones) == 1 and zones[0] != "Etc/Unknown" else None
        if digits.startswith("740") and expected == "Europe/Bucharest":
            expected = "Europe/Kaliningrad"
        if digits.startswith("7845") and expected == "Europe/Moscow":
            expected = "Europe/Saratov"
        assert zone == expected, digits
        single += zone is not None
    assert single >= 150  # the landlines have zones of their own


# -- in a plan: column, then number, then default ----------------------------------------


def _frames(phones: list[str], **columns: list[str | None]) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(phones)
    contacts = pd.DataFrame(
        {
            "row": list(range(2, 2 + n)),
            "phone": pd.array(phones, dtype="string"),
            "email": pd.array([None] * n, dtype="string"),
            "push_token": pd.array([None] * n, dtype="string"),
        }
    )
    fields = pd.DataFrame({k: pd.array(v, dtype="string") for k, v in columns.items()})
    return contacts, fields


def test_column_then_number_then_default() -> None:
    contacts, fields = _frames(
        ["79161234567", "74152123456", "79161234568", "79161234569"],
        Пояс=["UTC+7", None, "Атлантида", None],
    )
    rules = AudienceRules(default_zone="asia/omsk")
    plan = apply_rules(
        Draft(text="x"),
        contacts,
        fields,
        rules=rules,
        now=datetime(2030, 1, 1, 12, tzinfo=ZoneInfo("UTC")),
    )
    assert plan.rules.default_zone == "Asia/Omsk"
    assert plan.zones_of() == ["UTC+07:00", "Asia/Kamchatka", "Asia/Omsk", "Asia/Omsk"]
    assert plan.zone_counts() == {"column": 1, "number": 1, "default": 2}
    [unknown] = [p for p in plan.problems if p.code == "timezone_unknown"]
    assert unknown.message("en").startswith('The time zone column "Пояс" has 1 value(s)')
    assert "rows 4" in unknown.message("en") and "Атлантида" in unknown.message("ru")


def test_named_column_must_exist_and_empty_name_means_none() -> None:
    contacts, fields = _frames(["79161234567"], Город=["Омск"])
    draft = Draft(text="x")
    with pytest.raises(UnknownColumn) as info:
        apply_rules(draft, contacts, fields, rules=AudienceRules(timezone_column="TZ"))
    assert "«TZ»" in str(info.value) and "«Город»" in str(info.value)
    assert "часового пояса" in info.value.message_ru
    plan = apply_rules(draft, contacts, fields, rules=AudienceRules(timezone_column=""))
    assert plan.zones_of() == ["Europe/Moscow"] and plan.timezone_column is None
    plan = apply_rules(draft, contacts, fields, rules=AudienceRules(timezone_column="город"))
    assert plan.zones_of() == ["Asia/Omsk"] and plan.timezone_column == "Город"

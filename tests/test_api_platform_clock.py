"""The platform's clock is a setting: a send time goes out as ``sent_date`` in the zone
the user names (default Europe/Moscow), and the platform, keeping that clock, sends at
the moment meant. The client against the simulator over loopback."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kupon_desktop.api.client import KuponClient
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import ResultKind
from kupon_desktop.api.wire import platform_zone
from kupon_desktop.config import PLATFORM_TIMEZONE, SETTINGS, Settings
from kupon_desktop.vocabulary import MessageType
from tests.simhelpers import TOKEN, inspect, quick_config, running_simulator


def test_the_setting_defaults_to_moscow_and_refuses_what_is_no_zone():
    assert Settings().get(PLATFORM_TIMEZONE) == "Europe/Moscow"
    moscow = platform_zone(Settings().get(PLATFORM_TIMEZONE))
    assert moscow.utcoffset(datetime(2026, 1, 1)) == timedelta(hours=3)
    assert Settings({PLATFORM_TIMEZONE: "Asia/Yekaterinburg"}).get(PLATFORM_TIMEZONE) == (
        "Asia/Yekaterinburg"
    )
    validate = SETTINGS[PLATFORM_TIMEZONE].validate
    assert validate(" UTC+5 ") == "UTC+5"
    for bad in ("Mars/Olympus", "UTC+15", "", "Moscow time"):
        with pytest.raises(ValueError, match=r"time zone|14 hours"):
            validate(bad)


@pytest.mark.parametrize(
    "zone,offset",
    [("Asia/Yekaterinburg", 5), ("Europe/Moscow", 3), ("UTC+10", 10), ("UTC", 0)],
)
def test_a_send_time_reaches_the_platform_on_its_own_clock(zone, offset):
    meant = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=1)
    envelope = Envelope(MessageType.SMS, sender="Shop")
    with running_simulator(quick_config(utc_offset_hours=offset)) as sim:

        async def main():
            async with KuponClient(
                sim.base_url, TOKEN, platform_timezone=platform_zone(zone)
            ) as client:
                assert client.platform_timezone == platform_zone(zone)
                return await client.send_message(
                    envelope, OutgoingMessage("79161234567", "Завтра", send_at=meant)
                )

        result = asyncio.run(main())
        (message,) = inspect(sim)["messages"]
    assert result.kind is ResultKind.SUCCESS
    # what the platform read, on its clock, is the moment meant
    platform_clock = timezone(timedelta(hours=offset))
    read = datetime.strptime(message["sent_date"], "%Y-%m-%d %H:%M")
    assert read.replace(tzinfo=platform_clock) == meant

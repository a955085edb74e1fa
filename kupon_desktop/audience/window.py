"""The send window (quiet hours): the hours of the recipient's own day when a message
may arrive.

The window is ``[start, end)`` in the recipient's local time: 09:00–22:00 lets a message
arrive at 09:00 and at 21:59, not at 22:00. A window whose start is after its end runs
across midnight (21:00–08:00 allows the evening and the night); start equal to end
means no quiet hours at all.

A message that would arrive while the window is closed is deferred to the window's
next opening *in that recipient's zone* (the platform does deferred sending, so this is
its ``sent_date``). The campaign's own "send at" and the window combine: the later wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from kupon_desktop.audience.errors import InvalidRule

_WINDOW = re.compile(
    r"\s*(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?\s*[-–—]\s*(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?\s*"
)
_OFF = frozenset({"off", "none", "no", "always", "нет", "выкл", "круглосуточно", "всегда", "24/7"})
#: how a window without quiet hours is written back in Russian
ALWAYS_RU = "круглосуточно"


def _clock(hours: str, minutes: str | None) -> time | None:
    h, m = int(hours), int(minutes or 0)
    if h == 24 and m == 0:
        return time(0)  # "22:00-24:00": midnight is the end of the day
    if h > 23 or m > 59:
        return None
    return time(h, m)


@dataclass(frozen=True, slots=True)
class SendWindow:
    start: time = time(9, 0)
    end: time = time(22, 0)

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise TypeError(f"SendWindow.{name} must be a naive time, not {value!r}")

    @classmethod
    def parse(cls, text: str) -> SendWindow:
        """``09:00-22:00``, ``9-22``, ``21:00–08:00`` (across midnight), ``22:00-24:00``;
        ``off`` (or ``00:00-00:00``) for no quiet hours. ValueError says what is wrong."""
        if text.strip().casefold() in _OFF:
            return cls(time(0), time(0))
        m = _WINDOW.fullmatch(text)
        start = end = None
        if m is not None:
            start, end = _clock(m["h1"], m["m1"]), _clock(m["h2"], m["m2"])
        if start is None or end is None:
            raise InvalidRule(
                f"{text!r} is not a send window: write it like 09:00-22:00 "
                "(21:00-08:00 runs across midnight; off for none)",
                f"«{text.strip()}» — не часы рассылки: напишите как 09:00-22:00 "
                "(21:00-08:00 — через полночь; «круглосуточно» — без ограничений)",
            )
        return cls(start, end)

    @property
    def always_open(self) -> bool:
        return self.start == self.end

    def __str__(self) -> str:
        """``09:00-22:00`` (what :meth:`parse` reads back), or ``off``."""
        if self.always_open:
            return "off"
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def text(self, lang: str) -> str:
        """As a user reads it: ``09:00-22:00``, or "круглосуточно" / "off" with no quiet
        hours (:meth:`parse` reads either back)."""
        if self.always_open and lang.lower().startswith("ru"):
            return ALWAYS_RU
        return str(self)

    def is_open_at(self, local: time) -> bool:
        """Whether a message may arrive at this local time of day."""
        local = local.replace(tzinfo=None)
        if self.always_open:
            return True
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # across midnight

    def opening_after(self, moment: datetime, zone: tzinfo) -> datetime | None:
        """None when the window is open at ``moment`` (aware) in ``zone``; otherwise the
        window's next opening there, as an aware time in ``zone``."""
        if moment.tzinfo is None:
            raise ValueError("SendWindow needs an aware time")
        local = moment.astimezone(zone)
        clock = local.time()
        if self.is_open_at(clock):
            return None
        # Closed: the next opening is today's start if it is still ahead, else tomorrow's.
        # (Across midnight the closed hours lie between end and start, so start is ahead.)
        day = local.date() if clock < self.start else local.date() + timedelta(days=1)
        opening = datetime.combine(day, self.start, tzinfo=zone)
        # a start inside a daylight-saving gap does not exist: going through UTC gives the
        # real instant (the clock's first minute after the gap)
        return opening.astimezone(UTC).astimezone(zone)

    def send_time(
        self, zone: tzinfo, *, now: datetime, send_at: datetime | None = None
    ) -> datetime | None:
        """When a message to someone in ``zone`` should arrive: None for "at once" (the
        window is open now and there is no send-at), else an aware time in ``zone``:
        the send-at, or the window's next opening after it, whichever is later."""
        base = now if send_at is None or send_at <= now else send_at
        opening = self.opening_after(base, zone)
        if opening is not None:
            return opening
        if send_at is not None and send_at > now:
            return send_at.astimezone(zone)
        return None

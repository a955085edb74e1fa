"""Pacing: a token bucket for messages per second, shared by every sender task."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """At most ``rate`` messages a second on average, in bursts of up to ``burst``.
    ``rate=None`` means no limit."""

    def __init__(self, rate: float | None, burst: float | None = None) -> None:
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate or 1.0)
        self._tokens = self.burst
        self._stamp = time.monotonic()
        self._lock = asyncio.Lock()

    async def take(self, n: int) -> None:
        if not self.rate:
            return
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                # a batch larger than the bucket waits until the bucket is full, then goes
                need = min(float(n), self.burst)
                if self._tokens >= need:
                    self._tokens -= n
                    return
                await asyncio.sleep((need - self._tokens) / self.rate)

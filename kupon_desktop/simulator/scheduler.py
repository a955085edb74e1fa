"""One timer for every future step of every simulated message.

A run can hold hundreds of thousands of pending steps (status changes, callback
retries); a heap with a single armed ``loop.call_at`` keeps that to a tuple per step,
with no task or timer handle per message.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Scheduler:
    """Runs plain callables at loop times. Must be used from its loop's thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._heap: list[tuple[float, int, Callable[..., Any], tuple[Any, ...]]] = []
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self._armed_for = float("inf")
        self._closed = False

    def __len__(self) -> int:
        return len(self._heap)

    def call_later(self, delay: float, fn: Callable[..., Any], *args: Any) -> None:
        if self._closed:
            return
        due = self._loop.time() + max(0.0, delay)
        heapq.heappush(self._heap, (due, next(self._seq), fn, args))
        if due < self._armed_for:
            self._arm(due)

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._heap.clear()

    def _arm(self, due: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._armed_for = due
        self._timer = self._loop.call_at(due, self._fire)

    def _fire(self) -> None:
        # asyncio may fire a timer up to its clock resolution early: count the step it
        # was armed for as due, or it would be re-armed for the same instant.
        now = max(self._loop.time(), self._armed_for)
        self._timer = None
        self._armed_for = float("inf")
        heap = self._heap
        while heap and heap[0][0] <= now and not self._closed:
            _, _, fn, args = heapq.heappop(heap)
            try:
                fn(*args)
            except Exception:  # one bad step must not stop every other message
                log.exception("simulator step %r failed", fn)
        if heap and not self._closed:
            self._arm(heap[0][0])

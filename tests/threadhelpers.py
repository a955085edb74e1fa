"""Running one piece of work in several threads at the same moment, for tests of what
several processes (the window, the receiver, the engine) do to one log at once."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_at_once(
    work: Callable[[], object], count: int, timeout: float = 60.0
) -> list[BaseException]:
    """Run ``work`` in ``count`` threads released together (a barrier), wait for them,
    and return what they raised (empty: none did)."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run() -> None:
        try:
            start.wait(timeout=timeout)
            work()
        except BaseException as exc:  # reported to the caller
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread did not finish in time"
    return errors

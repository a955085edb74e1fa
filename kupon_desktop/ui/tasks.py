"""One way to start asyncio work from the window.

``TaskRunner.start(coro)`` runs a coroutine on the application's qasync loop, keeps it
until it ends (so shutdown can cancel it), and routes a failure to the user: an
expected failure (a :class:`kupon_desktop.errors.KuponError`) becomes a calm message in
the interface language, any other exception goes to the crash dialog with its
traceback. Nothing is lost silently.

``Supervisor.keep(name, factory)`` is for the long-lived tasks (the status poll, the
engine run, the feed): if one dies, its failure is shown once (not again on every
restart of the same streak of failures) and it is started again after a back-off.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from kupon_desktop.errors import KuponError

log = logging.getLogger(__name__)


def is_expected(exc: BaseException) -> bool:
    """An expected failure is one the program names on purpose (a ``KuponError``);
    anything else is a bug and goes to the crash dialog."""
    return isinstance(exc, KuponError)


class TaskRunner(QObject):
    #: (title, message) of an expected failure the user can act on
    failed = Signal(str, str)
    #: an unexpected exception (a bug)
    crashed = Signal(object)

    def __init__(self, parent: QObject | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self._tasks: set[asyncio.Task[Any]] = set()
        #: the interface language expected failures are shown in
        self.language = language

    def start(
        self,
        coro: Coroutine[Any, Any, Any],
        *,
        what: str = "",
        on_done: Callable[[Any], None] | None = None,
    ) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def finished(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if t.cancelled():
                return
            exc = t.exception()
            if exc is None:
                if on_done is not None:
                    on_done(t.result())
                return
            # a page may have put the text it wants shown on the error (``shown``)
            message = (
                getattr(exc, "shown", None) or exc.message(self.language)
                if isinstance(exc, KuponError)
                else None
            )
            if message:
                log.warning("%s failed: %s", what or "task", message)
                self.failed.emit(what, str(message))
            else:
                log.error("%s crashed", what or "task", exc_info=exc)
                self.crashed.emit(exc)

        task.add_done_callback(finished)
        return task

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def shutdown(self) -> None:
        """Cancel every task still running and wait for them to unwind."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


#: seconds to wait before each restart of a task that died (the last one repeats)
BACKOFF = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
#: a task that ran this long before dying starts a new streak: its failure is shown again
QUIET_AFTER = 30.0


@dataclass
class Supervised:
    """One long-lived task kept running by a :class:`Supervisor`."""

    name: str
    factory: Callable[[], Coroutine[Any, Any, Any]]
    what: str
    restart: Callable[[BaseException], bool]
    max_restarts: int | None
    backoff: tuple[float, ...]
    task: asyncio.Task[Any] | None = None
    #: restarts so far, and failures in the current streak
    restarts: int = 0
    streak: int = 0
    failures: list[BaseException] = field(default_factory=list)


class Supervisor(QObject):
    """Keeps long-lived tasks alive: a task that raises is started again after a
    back-off (``BACKOFF``), and its failure reaches the user once per streak through
    the runner's ``failed``/``crashed`` signals (in front of the window), not on every
    restart. A task that returns (or is cancelled) is not restarted."""

    #: (name, restarts so far) each time a task is started again
    restarted = Signal(str, int)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        backoff: Sequence[float] = BACKOFF,
        quiet_after: float = QUIET_AFTER,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.backoff = tuple(backoff)
        self.quiet_after = quiet_after
        self.jobs: dict[str, Supervised] = {}

    def keep(
        self,
        name: str,
        factory: Callable[[], Coroutine[Any, Any, Any]],
        *,
        what: str = "",
        restart: Callable[[BaseException], bool] | None = None,
        max_restarts: int | None = None,
        backoff: Sequence[float] | None = None,
        on_done: Callable[[Any], None] | None = None,
    ) -> asyncio.Task[Any]:
        """Run ``factory()`` now and again whenever it raises (while ``restart(exc)``
        is true and fewer than ``max_restarts`` restarts were made). A task of the same
        name still running is cancelled first. When it may not restart, the failure
        goes to the runner as any task's would."""
        self.stop(name)
        job = Supervised(
            name,
            factory,
            what or name,
            restart or (lambda _exc: True),
            max_restarts,
            tuple(backoff or self.backoff),
        )
        self.jobs[name] = job
        job.task = self.runner.start(self._supervise(job), what=job.what, on_done=on_done)
        return job.task

    def running(self, name: str) -> bool:
        job = self.jobs.get(name)
        return job is not None and job.task is not None and not job.task.done()

    def stop(self, name: str) -> None:
        job = self.jobs.pop(name, None)
        if job is not None and job.task is not None and not job.task.done():
            job.task.cancel()

    async def _supervise(self, job: Supervised) -> Any:
        while True:
            started = time.monotonic()
            try:
                return await job.factory()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                job.failures.append(exc)
                if time.monotonic() - started >= self.quiet_after:
                    job.streak = 0
                job.streak += 1
                spent = job.max_restarts is not None and job.restarts >= job.max_restarts
                if spent or not job.restart(exc):
                    raise  # the runner shows it (once: the task ends here)
                if job.streak == 1:
                    self._report(job, exc)
                else:
                    self._again(job, exc)
                delay = job.backoff[min(job.streak - 1, len(job.backoff) - 1)]
                await asyncio.sleep(delay)
                job.restarts += 1
                log.info("restarting %s (restart %d)", job.name, job.restarts)
                self.restarted.emit(job.name, job.restarts)

    @staticmethod
    def _again(job: Supervised, exc: BaseException) -> None:
        log.warning("%s failed again (%d in a row): %s", job.name, job.streak, exc)

    def _report(self, job: Supervised, exc: BaseException) -> None:
        message = exc.message(self.runner.language) if isinstance(exc, KuponError) else None
        if message:
            log.warning("%s failed, restarting: %s", job.name, message)
            self.runner.failed.emit(job.what, str(message))
        else:
            log.error("%s crashed, restarting", job.name, exc_info=exc)
            self.runner.crashed.emit(exc)

    async def shutdown(self) -> None:
        for name in list(self.jobs):
            self.stop(name)

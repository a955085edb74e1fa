"""One way to start asyncio work from the window.

``TaskRunner.start(coro)`` runs a coroutine on the application's qasync loop, keeps it
until it ends (so shutdown can cancel it), and routes a failure to the user: an
expected failure (a :class:`kupon_desktop.errors.KuponError`) becomes a calm message in
the interface language, any other exception goes to the crash dialog with its
traceback. Nothing is lost silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
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


def settle(future: asyncio.Future[Any], value: Any) -> None:
    """Give ``future`` its result unless it has one (a dialog's ``finished`` may fire
    after the awaiting task was cancelled)."""
    if not future.done():
        future.set_result(value)

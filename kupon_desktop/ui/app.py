"""Starting the window: one QApplication, one qasync event loop, translations, logging,
crash handling, and a clean shutdown (pending tasks cancelled before the loop closes)."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kupon_desktop import APP_NAME, ORG_DOMAIN, ORG_NAME, __version__
from kupon_desktop.credentials import FEED_KEY_ACCOUNT, TEAM_KEY_ACCOUNT, TokenStore
from kupon_desktop.logsetup import SecretRedactor, setup_logging
from kupon_desktop.ui.context import AppContext
from kupon_desktop.ui.crash import CrashHandler
from kupon_desktop.ui.dialogs import show_notice
from kupon_desktop.ui.i18n import install_translators, resolve_language
from kupon_desktop.ui.resources import icon, style_sheet
from kupon_desktop.ui.settings_store import QtSettings
from kupon_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("app"))
    sheet = style_sheet()
    if app.styleSheet() != sheet:  # setting it again re-styles every live widget
        app.setStyleSheet(sheet)
    return app


def build_context(
    app: QApplication, *, demo: bool, lang: str | None, keyring_backend: object | None = None
) -> AppContext:
    """Everything the window needs, made in one place so tests build the same thing."""
    redactor = SecretRedactor()
    settings = QtSettings()
    language = resolve_language(lang or settings.get("ui/language"))
    # kept on the application: a QTranslator that is garbage-collected stops translating
    app.setProperty("kupon_language", language)
    # a context built again (tests, a language switch) replaces the translators: left
    # installed, every tr() call would go through all of them
    for old in getattr(app, "_kupon_translators", []):
        app.removeTranslator(old)
        old.deleteLater()
    app._kupon_translators = install_translators(app, language)  # type: ignore[attr-defined]
    tokens = TokenStore(keyring_backend, on_secret=redactor.add)
    feed_keys = TokenStore(keyring_backend, on_secret=redactor.add, account=FEED_KEY_ACCOUNT)
    team_keys = TokenStore(keyring_backend, on_secret=redactor.add, account=TEAM_KEY_ACCOUNT)
    runner = TaskRunner(app, language)
    return AppContext(
        settings=settings,
        tokens=tokens,
        feed_keys=feed_keys,
        team_keys=team_keys,
        runner=runner,
        redactor=redactor,
        demo=demo,
        api_url=settings.get("api/base_url"),
        language=language,
    )


class _Closed(QObject):
    fired = Signal()


#: seconds the clean shutdown may take before the process ends anyway (Quit always quits)
QUIT_DEADLINE = 20.0


@dataclass
class Assembled:
    """The running program's parts, built by :func:`assemble` (``run_app`` and the
    journey tests build them the same way)."""

    app: QApplication
    ctx: AppContext
    crash: CrashHandler
    window: Any
    demo_platform: Any = None
    notices: NoticeBoard = field(default_factory=lambda: NoticeBoard())
    #: the heavy libraries imported in a worker thread (see ``warm_up``)
    warmed: Any = None


def warm_up() -> None:
    """Import the data libraries in a worker thread once the window is up: imported on
    the GUI thread at the first import of a list, they held the window for a second and
    a half."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import kupon_desktop.audience
    import kupon_desktop.compose
    import kupon_desktop.contacts.importer  # noqa: F401


class NoticeBoard:
    """Failures shown in front of the window, each text once while its box is open
    (a failure repeating every poll must not stack boxes)."""

    def __init__(self) -> None:
        self.open: dict[tuple[str, str], QMessageBox] = {}

    def show(self, parent: QWidget | None, title: str, message: str) -> None:
        key = (title, message)
        if key in self.open:
            return
        box = show_notice(parent, title or APP_NAME, message)
        self.open[key] = box
        box.finished.connect(lambda _code: self.open.pop(key, None))


def assemble(
    *,
    demo: bool = False,
    lang: str | None = None,
    keyring_backend: object | None = None,
    db_path: Path | None = None,
) -> Assembled:
    """Build everything ``run_app`` runs: application, context, crash handling, the
    demo platform and the window (not shown yet)."""
    from kupon_desktop.ui.main_window import MainWindow

    app = make_application()
    app.setQuitOnLastWindowClosed(False)  # the coroutine in serve() decides when to stop
    ctx = build_context(app, demo=demo, lang=lang, keyring_backend=keyring_backend)
    crash = CrashHandler(ctx.redactor, app)
    ctx.runner.crashed.connect(crash.report)

    demo_platform = None
    if demo:
        demo_platform = _start_demo_platform(ctx)

    from kupon_desktop import paths

    if db_path is None and demo:
        # the demo keeps its campaigns apart from the user's real log
        db_path = paths.data_dir() / "demo.sqlite3"
    window = MainWindow(ctx, db_path)
    crash.window = window
    parts = Assembled(app, ctx, crash, window, demo_platform)
    ctx.runner.failed.connect(lambda title, message: parts.notices.show(window, title, message))
    return parts


async def serve(parts: Assembled, on_shown: Callable[[object], None] | None = None) -> None:
    """Show the window and run until it is closed, then shut down in order. Whatever
    hangs on the way out, the process ends: after ``QUIT_DEADLINE`` seconds the rest of
    the shutdown is abandoned (the log is crash-safe: nothing is lost or sent twice)."""
    ctx, window = parts.ctx, parts.window
    loop = asyncio.get_running_loop()
    parts.crash.install(loop)
    done = asyncio.Event()
    closed = _Closed()
    window.destroyed.connect(closed.fired)
    closed.fired.connect(done.set)
    window.quitting.connect(done.set)
    parts.app.lastWindowClosed.connect(done.set)
    window.show()
    parts.warmed = ctx.runner.start(asyncio.to_thread(warm_up), what="start-up")
    ctx.runner.start(window.startup(), what="start-up")
    if on_shown is not None:
        on_shown(window)
    await done.wait()

    async def close_down() -> None:
        try:
            await window.prepare_quit()
        except Exception:
            log.exception("shutdown step prepare_quit failed")
        await window.shutdown()

    try:
        await asyncio.wait_for(close_down(), QUIT_DEADLINE)
    except TimeoutError:
        log.error("shutdown took over %ss: the rest is skipped", QUIT_DEADLINE)


def run_app(
    *, demo: bool = False, lang: str | None = None, on_shown: Callable[[object], None] | None = None
) -> int:
    """Open the window and run until it is closed; returns the exit code."""
    import qasync

    parts = assemble(demo=demo, lang=lang)
    log_path = setup_logging(parts.ctx.redactor)
    log.info(
        "%s %s starting (demo=%s, language=%s)", APP_NAME, __version__, demo, parts.ctx.language
    )
    try:
        # an explicit loop factory, not qasync.run: that one installs a global event-loop
        # policy, and then every asyncio.run() in another thread (the status receiver,
        # the demo simulator) would build a Qt loop off the GUI thread
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(parts.app)) as runner:
            runner.run(serve(parts, on_shown))
            # a worker thread stuck in the log would hold the loop's close (it joins
            # them): Quit must end the process all the same
            _end_anyway_after(QUIT_DEADLINE)
    finally:
        if parts.demo_platform is not None:
            parts.demo_platform.stop()
        log.info("closed; log at %s", log_path)
    return 0


def _end_anyway_after(seconds: float) -> None:
    def end() -> None:
        log.error("the program did not end %ss after Quit: ending it", seconds)
        logging.shutdown()
        os._exit(0)

    timer = threading.Timer(seconds, end)
    timer.daemon = True
    timer.start()


#: the word the demo's A/B tests favour: a variant whose text holds it is delivered,
#: read and clicked more often (the Message page's A/B section says so in the demo)
DEMO_FAVOURED_WORD = "скидка"
#: the simulator's markers for it (its stem, in either case: "скидку", "Скидки")
DEMO_VARIANT_BIAS = {"скидк": 3.0, "Скидк": 3.0, "СКИДК": 3.0}


def _start_demo_platform(ctx: AppContext):  # type: ignore[no-untyped-def]
    """Start the built-in simulator on a free loopback port and point the window at it.
    Ten times faster than real life, so statuses arrive while the user watches; an A/B
    test has a real winner (``DEMO_VARIANT_BIAS``)."""
    from kupon_desktop.simulator.config import DEMO_TOKEN, SimulatorConfig
    from kupon_desktop.simulator.runner import SimulatorThread

    sim = SimulatorThread(SimulatorConfig(time_scale=10.0, variant_bias=dict(DEMO_VARIANT_BIAS)))
    ctx.api_url = sim.start()
    ctx.session_token = DEMO_TOKEN
    return sim

"""Starting the window: one QApplication, one qasync event loop, translations, logging,
crash handling, and a clean shutdown (pending tasks cancelled before the loop closes)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from kupon_desktop import APP_NAME, ORG_DOMAIN, ORG_NAME, __version__
from kupon_desktop.credentials import FEED_KEY_ACCOUNT, TokenStore
from kupon_desktop.logsetup import SecretRedactor, setup_logging
from kupon_desktop.ui.context import AppContext
from kupon_desktop.ui.crash import CrashHandler
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
    runner = TaskRunner(app, language)
    return AppContext(
        settings=settings,
        tokens=tokens,
        feed_keys=feed_keys,
        runner=runner,
        redactor=redactor,
        demo=demo,
        api_url=settings.get("api/base_url"),
        language=language,
    )


class _Closed(QObject):
    fired = Signal()


def run_app(
    *, demo: bool = False, lang: str | None = None, on_shown: Callable[[object], None] | None = None
) -> int:
    """Open the window and run until it is closed; returns the exit code."""
    import qasync

    from kupon_desktop.ui.main_window import MainWindow
    from kupon_desktop.ui.platform_check import check_window_libraries

    # said before Qt starts: its own abort names one library at most
    missing = check_window_libraries()
    if missing is not None:
        print(missing, file=sys.stderr, flush=True)
    app = make_application()
    app.setQuitOnLastWindowClosed(False)  # the coroutine below decides when to stop
    ctx = build_context(app, demo=demo, lang=lang)
    log_path = setup_logging(ctx.redactor)
    log.info("%s %s starting (demo=%s, language=%s)", APP_NAME, __version__, demo, ctx.language)
    crash = CrashHandler(ctx.redactor, app)
    ctx.runner.crashed.connect(crash.report)
    ctx.runner.failed.connect(
        lambda title, message: QMessageBox.warning(app.activeWindow(), title or APP_NAME, message)
    )

    demo_platform = None
    if demo:
        demo_platform = _start_demo_platform(ctx)

    from kupon_desktop import paths

    # the demo keeps its campaigns apart from the user's real log
    window = MainWindow(ctx, paths.data_dir() / "demo.sqlite3" if demo else None)
    closed = _Closed()
    window.destroyed.connect(closed.fired)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        crash.install(loop)
        done = asyncio.Event()
        closed.fired.connect(done.set)
        app.lastWindowClosed.connect(done.set)
        window.show()
        ctx.runner.start(window.startup(), what="start-up")
        if on_shown is not None:
            on_shown(window)
        await done.wait()
        await ctx.runner.shutdown()
        await window.shutdown()

    try:
        # an explicit loop factory, not qasync.run: that one installs a global event-loop
        # policy, and then every asyncio.run() in another thread (the status receiver,
        # the demo simulator) would build a Qt loop off the GUI thread
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.run(main())
    finally:
        if demo_platform is not None:
            demo_platform.stop()
        log.info("closed; log at %s", log_path)
    return 0


def _start_demo_platform(ctx: AppContext):  # type: ignore[no-untyped-def]
    """Start the built-in simulator on a free loopback port and point the window at it.
    Ten times faster than real life, so statuses arrive while the user watches."""
    from kupon_desktop.simulator.config import DEMO_TOKEN, SimulatorConfig
    from kupon_desktop.simulator.runner import SimulatorThread

    sim = SimulatorThread(SimulatorConfig(time_scale=10.0))
    ctx.api_url = sim.start()
    ctx.session_token = DEMO_TOKEN
    return sim

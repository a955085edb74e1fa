"""Shared test set-up. Qt runs offscreen; every file the program writes goes to a
temporary home, never the developer's real data, settings or credential store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("kupon-home")
    monkeypatch.setenv("KUPON_DESKTOP_HOME", str(home))
    yield home


@pytest.fixture(autouse=True)
def _httpx_log_level():
    """``setup_logging`` quiets httpx for the program; a test's call must not quiet it
    for the tests after it (their captured logs)."""
    import logging

    httpx_log = logging.getLogger("httpx")
    level = httpx_log.level
    yield
    httpx_log.setLevel(level)


@pytest.fixture(autouse=True)
def _interface_language():
    """A window made in Russian installs its translators on the one application: taken
    away after the test, or every later window speaks Russian whatever it was asked
    (a test of English texts then fails only in some orders)."""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return  # no Qt in this test
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    for translator in getattr(app, "_kupon_translators", []):
        app.removeTranslator(translator)
    if app is not None:
        app._kupon_translators = []  # type: ignore[attr-defined]


@pytest.fixture
def demo_window(qtbot, qasync_loop, tmp_path):
    """(window, simulator): the demo window sending to a simulator of its own, shut down
    after the test."""
    from tests.simhelpers import quick_config, running_simulator
    from tests.uihelpers import simulator_window

    with running_simulator(quick_config()) as sim:
        window = simulator_window(qtbot, sim, tmp_path / "demo.sqlite3")
        yield window, sim
        done = qasync_loop.create_task(window.shutdown())
        qtbot.waitUntil(done.done, timeout=20000)


@pytest.fixture(scope="session")
def _session_qasync_loop(qapp):
    """One qasync loop for the whole run, as the program has one for its lifetime (a
    second QEventLoop on the same QApplication after closing the first stalls)."""
    import asyncio

    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    # already_running marks the loop as running in this thread for good; only the tests
    # that ask for it get it, so that asyncio.run() works in the others
    asyncio.events._set_running_loop(None)
    yield loop
    asyncio.events._set_running_loop(loop)
    loop.stop()
    loop.close()  # joins the worker threads of asyncio.to_thread
    asyncio.set_event_loop(None)


@pytest.fixture
def qasync_loop(_session_qasync_loop, qapp):
    """The application's qasync loop, driven by pytest-qt's event processing (qtbot.wait*),
    as it is driven by QApplication.exec() in the program. Tasks a test leaves running
    are cancelled after it."""
    import asyncio

    loop = _session_qasync_loop
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            from pytestqt.qtbot import QtBot

            QtBot(qapp).waitUntil(lambda: all(t.done() for t in pending), timeout=5000)
    finally:
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


# -- the store on PostgreSQL ------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL cluster for the session (``tests/pgcluster.py``), or a skip
    naming what is missing."""
    from tests.pgcluster import PgCluster

    cluster = PgCluster.start()
    if isinstance(cluster, str):
        if os.environ.get("KUPON_REQUIRE_POSTGRESQL"):  # CI: installed, so it must run
            pytest.fail(cluster)
        pytest.skip(cluster)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh, empty PostgreSQL database for one test: its ``postgresql://`` URL."""
    url = pg_cluster.new_database()
    try:
        yield url
    finally:
        pg_cluster.drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def log_target(request, tmp_path):
    """Where a test opens its log, once per backend: a SQLite file, then a PostgreSQL
    database (``open_log`` takes either)."""
    if request.param == "sqlite":
        return tmp_path / "log.sqlite3"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def make_log_target(request, tmp_path):
    """A maker of new, empty logs, once per backend: ``make_log_target(name)`` gives a
    new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return lambda name="log": tmp_path / f"{name}.sqlite3"
    cluster = request.getfixturevalue("pg_cluster")
    made: list[str] = []

    def make(name: str = "log") -> str:
        made.append(cluster.new_database())
        return made[-1]

    request.addfinalizer(lambda: [cluster.drop(url) for url in made])
    return make

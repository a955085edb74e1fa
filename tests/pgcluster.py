"""A throwaway PostgreSQL cluster for the tests that run the store on PostgreSQL.

``KUPON_TEST_DATABASE=postgresql://…`` names a server to use instead (its user must be
allowed to create databases). Otherwise Debian's ``postgresql`` package (or any
``initdb``/``pg_ctl`` on the PATH) starts one cluster per test session in a temporary
folder: its own port on 127.0.0.1 and its socket in that folder, trust authentication,
removed at the end. ``initdb`` refuses to run as root, so under root the cluster runs as
``nobody`` (or ``KUPON_TEST_PG_USER``), owning the folder. Each test gets a database of
its own (:func:`PgCluster.new_database`).

``fsync`` is off in the throwaway cluster: a test never cuts the power, and the store's
own durability on PostgreSQL is the server's (a committed transaction survives a crash
of the program whatever its settings).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

MISSING = "PostgreSQL not found: install Debian's postgresql package or set KUPON_TEST_DATABASE"


def find_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None."""
    own = os.environ.get("KUPON_TEST_PG_BIN")
    candidates = [own] if own else []
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """A running server and how to reach it."""

    def __init__(self, admin_url: str, stop: list[list[str]] | None = None, folder: str = ""):
        self.admin_url = admin_url
        self._stop = stop or []
        self._folder = folder
        self._names = itertools.count(1)
        self._made: list[str] = []

    @classmethod
    def start(cls, *, durable: bool = False) -> PgCluster | str:
        """A running cluster, or the reason there is none. ``durable``: fsync and full
        page writes on, as a production server runs (the benchmarks' cluster)."""
        given = os.environ.get("KUPON_TEST_DATABASE")
        if given:
            return cls(given)
        bindir = find_bin()
        if bindir is None:
            return MISSING
        folder = tempfile.mkdtemp(prefix="kupon-pg-")
        data = os.path.join(folder, "data")
        port = _free_port()
        run_as: list[str] = []
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            user = os.environ.get("KUPON_TEST_PG_USER", "nobody")
            runuser = shutil.which("runuser")
            if runuser is None:
                return "PostgreSQL cannot run as root and runuser is missing"
            run_as = [runuser, "-u", user, "--"]
            shutil.chown(folder, user)
        os.chmod(folder, 0o755)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "cwd": folder}
        init = subprocess.run(
            [
                *run_as,
                str(bindir / "initdb"),
                "-D",
                data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            **quiet,
            check=False,
        )
        if init.returncode:
            shutil.rmtree(folder, ignore_errors=True)
            return f"initdb failed: {init.stderr.decode(errors='replace').strip()[-500:]}"
        settings = (
            "-c shared_buffers=256MB"
            if durable
            else "-c fsync=off -c full_page_writes=off -c shared_buffers=64MB"
        )
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200 "
            + settings
        )
        ctl = [*run_as, str(bindir / "pg_ctl"), "-D", data, "-w", "-t", "60"]
        started = subprocess.run(
            [*ctl, "-o", options, "-l", os.path.join(folder, "server.log"), "start"],
            **quiet,
            check=False,
        )
        if started.returncode:
            tail = Path(folder, "server.log").read_text(errors="replace")[-800:]
            shutil.rmtree(folder, ignore_errors=True)
            return f"PostgreSQL did not start: {tail.strip()}"
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        return cls(url, [[*ctl, "-m", "immediate", "stop"]], folder)

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        name = f"kupon_test_{os.getpid()}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        self._made.append(name)
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{quote(name)}"

    def drop(self, url: str) -> None:
        """Drop a database :meth:`new_database` made (pooled connections included)."""
        from kupon_desktop.store.pg import close_pools

        close_pools(url)
        name = url.rpartition("/")[2]
        if name in self._made:
            self._made.remove(name)
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def restart(self) -> bool:
        """Restart a cluster this session started (False for ``KUPON_TEST_DATABASE``'s):
        every connection to it is dropped, as when a production server restarts."""
        if not self._stop:
            return False
        ctl = self._stop[0][:-3]  # without "-m immediate stop"
        log = os.path.join(self._folder, "server.log")
        subprocess.run(
            [*ctl, "-m", "fast", "-l", log, "restart"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self._folder,
            check=True,
        )
        return True

    def stop(self) -> None:
        from kupon_desktop.store.pg import close_pools

        close_pools()
        for name in list(self._made):
            with contextlib.suppress(Exception):
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for cmd in self._stop:
            subprocess.run(cmd, capture_output=True, check=False, cwd=self._folder or None)
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)

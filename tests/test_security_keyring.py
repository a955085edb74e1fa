"""The token through a real credential store: Debian's gnome-keyring as the Secret
Service, in a private D-Bus session this test starts (and stops), unlocked with a known
password, reached through ``keyring``'s SecretService backend, as on a Linux desktop.

Skips, saying why, when gnome-keyring or dbus-daemon is missing; with
``KUPON_REQUIRE_SECRET_SERVICE=1`` (CI, after ``scripts/ci_secret_service.sh``) it fails
instead. Afterwards the token must be in no file: not under KUPON_DESKTOP_HOME, and not
in clear in the keyring's own files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kupon_desktop.credentials import ACCOUNT, SERVICE, TokenStore

TOKEN = "kupon-ss-token-7f3a9c0e41d2"
PASSWORD = b"kupon-test-keyring"
START_TIMEOUT = 15.0


def _unavailable(reason: str) -> None:
    if os.environ.get("KUPON_REQUIRE_SECRET_SERVICE") == "1":
        pytest.fail(f"a Secret Service is required here but {reason}")
    pytest.skip(
        f"no Secret Service for this test: {reason} "
        "(bash scripts/ci_secret_service.sh installs gnome-keyring and dbus-daemon)"
    )


def _first_line(proc: subprocess.Popen[bytes], timeout: float) -> str:
    """The first line the process prints, read in a thread so a silent child cannot
    block the test."""
    assert proc.stdout is not None
    box: list[bytes] = []
    reader = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return box[0].decode().strip() if box else ""


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _name_has_owner(name: str) -> bool:
    """Asked of the bus itself, so that it does not start (activate) the service."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = DBusAddress(
        "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
    )
    with open_dbus_connection(bus="SESSION") as conn:
        reply = conn.send_and_get_reply(
            new_method_call(bus, "NameHasOwner", "s", (name,)), timeout=5
        )
    return bool(reply.body[0])


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private session bus with an unlocked gnome-keyring on it; yields the folder
    holding the keyring's own files."""
    dbus_daemon = shutil.which("dbus-daemon")
    keyring_daemon = shutil.which("gnome-keyring-daemon")
    if dbus_daemon is None or keyring_daemon is None:
        _unavailable("gnome-keyring-daemon or dbus-daemon is not installed")
    pytest.importorskip("secretstorage", reason="keyring's SecretService backend needs it")
    root = tmp_path / "desktop"
    env_dirs = {
        "HOME": root / "home",
        "XDG_RUNTIME_DIR": root / "run",
        "XDG_DATA_HOME": root / "data",
        "XDG_CONFIG_HOME": root / "config",
        "XDG_CACHE_HOME": root / "cache",
    }
    for name, path in env_dirs.items():
        path.mkdir(parents=True)
        path.chmod(0o700)
        monkeypatch.setenv(name, str(path))
    bus = subprocess.Popen(
        [dbus_daemon, "--session", "--nofork", "--print-address=1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    keyring_proc: subprocess.Popen[bytes] | None = None
    try:
        address = _first_line(bus, START_TIMEOUT)
        if not address:
            _unavailable("dbus-daemon did not start a session bus")
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        keyring_proc = subprocess.Popen(
            [keyring_daemon, "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ),
        )
        assert keyring_proc.stdin is not None
        keyring_proc.stdin.write(PASSWORD)
        keyring_proc.stdin.close()
        # The daemon's name on the bus is its only sign of being ready; no event to await.
        deadline = time.monotonic() + START_TIMEOUT
        while not _name_has_owner("org.freedesktop.secrets"):
            if keyring_proc.poll() is not None or time.monotonic() > deadline:
                _unavailable("gnome-keyring-daemon did not come up on the session bus")
            time.sleep(0.05)
        yield env_dirs["XDG_DATA_HOME"]
    finally:
        if keyring_proc is not None:
            _stop(keyring_proc)
        _stop(bus)


def _files_holding(root: Path, secret: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret in p.read_bytes()]


def test_token_stored_read_and_deleted_through_gnome_keyring(secret_service, _private_home):
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    backend = SecretServiceKeyring()
    assert backend.priority > 0, "keyring does not find the Secret Service viable"
    seen: list[str] = []
    store = TokenStore(backend, on_secret=seen.append)
    assert store.persistent and store.problem is None
    assert store.get() is None

    store.set(f"  {TOKEN}\n")
    assert seen == [TOKEN]
    # what another program (or the next start) reads straight from the Secret Service
    assert SecretServiceKeyring().get_password(SERVICE, ACCOUNT) == TOKEN
    assert TokenStore(SecretServiceKeyring()).get() == TOKEN
    assert store.problem is None, store.problem

    # the keyring keeps it encrypted in its own files, and the program keeps it nowhere
    keyrings = list((secret_service / "keyrings").glob("*.keyring"))
    assert keyrings, "gnome-keyring wrote no keyring file"
    assert _files_holding(secret_service.parent, TOKEN.encode()) == []
    assert _files_holding(_private_home, TOKEN.encode()) == []

    store.delete()
    assert store.get() is None
    assert TokenStore(SecretServiceKeyring()).get() is None
    store.delete()  # deleting what is not there is fine
    assert store.problem is None
    assert _files_holding(_private_home, TOKEN.encode()) == []


def test_the_default_keyring_is_the_secret_service_when_one_runs(secret_service):
    """With no backend passed, TokenStore asks keyring for the best one: on a desktop with
    a Secret Service it must be that one, not a file or memory store."""
    import keyring.core
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    previous = keyring.core.get_keyring()
    try:
        # choose again, now that a Secret Service runs (keyring may wrap it in its
        # "chainer" when another backend is importable, as this suite's memory one is)
        keyring.core.init_backend()
        store = TokenStore()
        assert store.persistent, store.problem
        store.set(TOKEN)
        assert SecretServiceKeyring().get_password(SERVICE, ACCOUNT) == TOKEN
        assert TokenStore().get() == TOKEN
        store.delete()
        assert SecretServiceKeyring().get_password(SERVICE, ACCOUNT) is None
        assert TokenStore().get() is None
    finally:
        keyring.core.set_keyring(previous)

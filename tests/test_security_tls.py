"""Only HTTPS to the platform (loopback excepted), and a certificate the client cannot
verify is reported, never skipped.

A real aiohttp HTTPS server on 127.0.0.1 answers the documented JSON with a certificate
from a throwaway CA (``trustme``). Trusted through ``KuponClient(verify=...)`` the send
succeeds; with the default trust store it is NOT_SENT with a message naming the
certificate problem, and the server saw no request at all.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
import trustme
from aiohttp import web

from kupon_desktop.api.client import KuponClient
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import ResultKind, SendResult
from kupon_desktop.config import PLAIN_HTTP_REFUSED, InvalidSetting, Settings, validate_api_url
from kupon_desktop.vocabulary import MessageType

TOKEN = "tls-test-token-5e1f0c"
SMS = Envelope(MessageType.SMS, sender="Shop")
ONE = OutgoingMessage("79161234567", "Привет")


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@asynccontextmanager
async def https_platform(
    ca: trustme.CA, seen: list[bytes], names: tuple[str, ...] = ("127.0.0.1", "localhost")
) -> AsyncIterator[str]:
    """A stand-in platform behind TLS on a free loopback port, its certificate issued for
    ``names``; yields its base URL and records each request body in ``seen``."""

    async def answer(request: web.Request) -> web.Response:
        seen.append(await request.read())
        return web.json_response({"type": "success", "id": 1})

    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(server_ctx)
    app = web.Application()
    app.router.add_post("/api/v1/bulk/send-message", answer)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ctx)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"https://127.0.0.1:{port}/api/v1/bulk/"
    finally:
        await runner.cleanup()


def send_once(
    ca: trustme.CA,
    make_client: Callable[[str], KuponClient],
    names: tuple[str, ...] = ("127.0.0.1", "localhost"),
) -> tuple[SendResult, list[bytes]]:
    seen: list[bytes] = []

    async def scenario() -> SendResult:
        async with https_platform(ca, seen, names) as url, make_client(url) as client:
            return await client.send_message(SMS, ONE)

    return asyncio.run(scenario()), seen


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


def test_trusted_certificate_sends(ca: trustme.CA) -> None:
    result, seen = send_once(
        ca, lambda url: KuponClient(url, TOKEN, trust_env=False, verify=trusting(ca))
    )
    assert result.kind is ResultKind.SUCCESS and result.platform_id == "1"
    assert len(seen) == 1 and TOKEN.encode() in seen[0]


def test_untrusted_certificate_is_reported_and_nothing_is_sent(ca: trustme.CA) -> None:
    # the default trust store: the throwaway CA is in it nowhere
    result, seen = send_once(ca, lambda url: KuponClient(url, TOKEN, trust_env=False))
    assert result.kind is ResultKind.NOT_SENT
    assert "certificate cannot be trusted" in result.message, result.message
    assert "unable to get local issuer certificate" in result.message
    assert TOKEN not in result.message
    assert seen == [], "a request reached the server over an unverified connection"


def test_certificate_for_another_name_is_reported(ca: trustme.CA) -> None:
    """Trusted CA, wrong host name (the certificate is for kupon.example only)."""
    result, seen = send_once(
        ca,
        lambda url: KuponClient(url, TOKEN, trust_env=False, verify=trusting(ca)),
        names=("kupon.example",),
    )
    assert result.kind is ResultKind.NOT_SENT
    assert "certificate cannot be trusted" in result.message, result.message
    assert "127.0.0.1" in result.message  # what the certificate does not cover
    assert seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://1-pulse.kupon.mobi/api/v1/bulk/",
        "http://10.0.0.5:8080/api/v1/bulk/",
        "http://[2001:db8::1]/api/v1/bulk/",
        "http://localhost.evil.example/",
    ],
)
def test_client_refuses_plain_http_to_another_computer(url: str) -> None:
    with pytest.raises(ValueError, match="https://") as info:
        KuponClient(url, TOKEN)
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/api/v1/bulk/",
        "http://127.3.4.5/",
        "http://localhost:1/",
        "http://[::1]:9/",
    ],
)
def test_client_allows_plain_http_on_loopback(url: str) -> None:
    async def make() -> None:
        await KuponClient(url, TOKEN).aclose()

    asyncio.run(make())


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://1-pulse.kupon.mobi/api/v1/bulk/", True),
        ("https://10.0.0.5/api/", True),
        ("http://127.0.0.1:8080/api/v1/bulk", True),
        ("http://127.255.0.1/", True),
        ("http://localhost:8080/", True),
        ("http://LOCALHOST/", True),
        ("http://[::1]:8080/", True),
        ("http://1-pulse.kupon.mobi/api/v1/bulk/", False),
        ("http://192.168.1.10/api/", False),
        ("http://[::ffff:7f00:1]/", False),  # written as IPv6, not the loopback address
        ("http://0.0.0.0/", False),
        ("http://localhost.example.com/", False),
    ],
)
def test_settings_refuse_plain_http_unless_loopback(value: str, ok: bool) -> None:
    if ok:
        assert validate_api_url(value).endswith("/")
        assert Settings().set("api/base_url", value) == validate_api_url(value)
    else:
        with pytest.raises(InvalidSetting) as info:
            Settings().set("api/base_url", value)
        assert info.value.message == PLAIN_HTTP_REFUSED
        assert "https://" in info.value.message and "localhost" in info.value.message


def test_stored_plain_http_address_falls_back_to_the_default() -> None:
    """A value written by an older version (or by hand) is not used as it is."""
    from kupon_desktop.config import DEFAULT_API_URL

    settings = Settings({"api/base_url": "http://1-pulse.kupon.mobi/api/v1/bulk/"})
    assert settings.get("api/base_url") == DEFAULT_API_URL


def test_settings_dialog_explains_plain_http_in_russian(qtbot) -> None:
    from PySide6.QtWidgets import QApplication

    from tests.uihelpers import make_window

    window = make_window(qtbot, lang="ru")
    try:
        dialog = window.open_settings()
        dialog.api_url.editor.setText("http://1-pulse.kupon.mobi/api/v1/bulk/")
        dialog.accept()
        assert dialog.isVisible()
        text = dialog.api_url.error.text()
        assert "https://" in text and "только для этого компьютера" in text, text
        dialog.api_url.editor.setText("http://127.0.0.1:8080/api/v1/bulk/")
        dialog.accept()
        assert not dialog.isVisible()
        assert window.ctx.settings.get("api/base_url") == "http://127.0.0.1:8080/api/v1/bulk/"
    finally:
        app: Any = QApplication.instance()
        for translator in getattr(app, "_kupon_translators", []):
            app.removeTranslator(translator)
        app._kupon_translators = []


def test_headless_send_refuses_plain_http(tmp_path) -> None:
    import subprocess
    import sys

    env = {"KUPON_TOKEN": TOKEN, "KUPON_DESKTOP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "kupon_desktop",
            "send",
            "--api-url",
            "http://1-pulse.kupon.mobi/api/v1/bulk/",
            "--contacts",
            str(tmp_path / "x.csv"),
            "--type",
            "sms",
            "--text",
            "x",
            "--db",
            str(tmp_path / "log.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "https://" in lines[0] and "Traceback" not in run.stderr
    assert not (tmp_path / "log.sqlite3").exists()


@asynccontextmanager
async def tunnelling_proxy(seen: list[str]) -> AsyncIterator[int]:
    """An office network's HTTP proxy on a free loopback port: it tunnels ``CONNECT
    name:port`` to 127.0.0.1:port (whatever the name) and records each request line."""
    writers: list[asyncio.StreamWriter] = []

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        line = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n", 1)[0].decode()
        seen.append(line)
        method, target, _ = line.split(" ")
        if method != "CONNECT":
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection(
            "127.0.0.1", int(target.rsplit(":", 1)[1])
        )
        writers.append(up_writer)
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for writer in writers:
            writer.close()


def test_the_platform_is_reached_through_the_proxy_the_environment_names(
    ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind an office proxy (``HTTPS_PROXY``) the request goes through it, TLS end to
    end with the platform (the proxy sees only the CONNECT line); without the proxy the
    platform's name does not even resolve."""
    lines: list[str] = []
    seen: list[bytes] = []
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)

    async def scenario() -> SendResult:
        async with (
            https_platform(ca, seen, ("kupon.test",)) as url,
            tunnelling_proxy(lines) as proxy_port,
        ):
            monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy_port}")
            url = url.replace("127.0.0.1", "kupon.test")
            async with KuponClient(url, TOKEN, verify=trusting(ca)) as client:
                return await client.send_message(SMS, ONE)

    result = asyncio.run(scenario())
    assert result.kind is ResultKind.SUCCESS, result.message
    assert len(lines) == 1 and lines[0].startswith("CONNECT kupon.test:"), lines
    assert len(seen) == 1 and TOKEN.encode() in seen[0]


def test_a_platform_on_this_computer_is_never_reached_through_a_proxy(
    ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's platform runs on 127.0.0.1: an office proxy in the environment (here one
    that is not even running) must not stand in its way."""
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    result, seen = send_once(ca, lambda url: KuponClient(url, TOKEN, verify=trusting(ca)))
    assert result.kind is ResultKind.SUCCESS, result.message
    assert len(seen) == 1

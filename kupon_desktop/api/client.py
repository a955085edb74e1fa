"""The one client of the Kupon.mobi bulk API.

Use::

    from kupon_desktop.api.client import KuponClient
    from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
    from kupon_desktop.api.results import ResultKind, SendResult

    async with KuponClient(base_url, token) as client:
        envelope = Envelope(MessageType.VIBER, sender="Shop", charset="UTF-8")
        result = await client.send_message(envelope, OutgoingMessage("79161234567", "Hi"))
        results = await client.send_list_messages(envelope, [msg1, msg2, ...])

``KuponClient(base_url, token, *, connect_timeout=5, read_timeout=30, write_timeout=30,
pool_timeout=10, max_connections=10, keepalive_expiry=5, transport=None,
platform_timezone=wire.PLATFORM_TIMEZONE, honour_retry_after=True, trust_env=True,
verify=None)``

* ``platform_timezone``: the clock the platform reads ``sent_date`` in; from the user's
  setting ``api/platform_timezone`` through ``wire.platform_zone(name)`` (default
  Europe/Moscow). An aware ``send_at`` is converted to it.

* ``base_url`` ends in ``/api/v1/bulk/`` (a missing trailing slash is added). It must be
  ``https://``; plain ``http://`` is refused (``ValueError``) unless the host is this
  computer (``localhost``, 127.0.0.0/8, ``::1``: the simulator), because the token
  travels in every request body.
* ``trust_env``: the environment's proxy (``HTTPS_PROXY``, ``NO_PROXY``: an office
  network's) is used for the platform, never for one on this computer (the demo's);
  the environment's certificate settings as httpx reads them.
* ``verify``: an ``ssl.SSLContext`` holding the certificate authorities to trust (a
  company proxy's CA, a test CA); ``None`` keeps httpx's default trust store. There is
  no way to turn verification off: a certificate the client cannot verify makes every
  send NOT_SENT with a message that names the certificate problem (nothing was sent).
* ``send_message(envelope, message) -> SendResult`` and
  ``send_list_messages(envelope, messages) -> list[SendResult]`` (one per message, in
  order) never raise for anything the network or the platform does: every outcome is a
  :class:`SendResult` (see :mod:`kupon_desktop.api.results` for the four kinds). They
  raise :class:`~kupon_desktop.api.errors.ValidationError` before any request when a
  message cannot be put on the wire (a character the charset cannot carry, no address,
  a bad ttl), and ``ClientClosed`` after ``aclose()``. A cancelled send propagates
  ``CancelledError``; treat a message whose send was cancelled as UNKNOWN.
* After an answer with ``Retry-After`` (429, 503) every later request from this client
  waits that long before going out (``honour_retry_after``); the result still says
  NOT_SENT/UNKNOWN, so retrying stays the engine's decision.
* One ``httpx.AsyncClient`` per ``KuponClient``: HTTP/1.1, keep-alive, explicit
  timeouts, ``User-Agent: KuponDesktop/<version>``. Its default transport is aiohttp's
  connection pool (``httpx-aiohttp``; four times httpx's own for small requests, see
  :mod:`kupon_desktop.api.transport`), which the client calls directly for its POSTs
  (``direct_post``: no httpx request/response objects, same errors). ``transport``
  replaces it (``max_connections``/``keepalive_expiry`` then do not apply).
* The token goes only into POST bodies: never into a URL, a log line, an exception, a
  result or a repr (``repr(client)`` shows the base URL only).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import tzinfo
from types import TracebackType
from typing import NamedTuple
from urllib.parse import quote, quote_plus

import httpx

from kupon_desktop import __version__
from kupon_desktop.api import transport as _transport
from kupon_desktop.api import wire
from kupon_desktop.api.errors import ClientClosed
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import ResultKind, SendResult
from kupon_desktop.config import PLAIN_HTTP_REFUSED, is_loopback_host

log = logging.getLogger(__name__)

USER_AGENT = f"KuponDesktop/{__version__}"

#: httpx failures after which the platform cannot have processed the request: it was
#: never (fully) written. A write that failed part-way leaves a form body the server
#: cannot parse, so it cannot have been accepted either.
_NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.ProxyError,
    # an injected transport that does not map its errors onto httpx's
    ConnectionRefusedError,
    socket.gaierror,
)

#: what a send catches and turns into a result (aiohttp's own errors can pass httpx's
#: mapping unchanged, see api/transport.py)
_CAUGHT: tuple[type[Exception], ...] = (httpx.HTTPError, OSError, *_transport.TRANSPORT_ERRORS)

#: The longest Retry-After this client will hold its requests for; a longer wait is
#: still reported in the result for the engine to schedule.
_MAX_HOLD = 300.0


class _Secret:
    """A string that shows itself nowhere: not in repr, str, tracebacks' locals."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__


class _Spellings:
    """The token's spellings, shown nowhere (as :class:`_Secret`)."""

    __slots__ = ("_values",)

    def __init__(self, values: tuple[str, ...]) -> None:
        self._values = values

    def reveal(self) -> tuple[str, ...]:
        return self._values

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__


class KuponClient:
    """An async client of the bulk API; see the module docstring for the contract."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        write_timeout: float = 30.0,
        pool_timeout: float = 10.0,
        max_connections: int = 10,
        keepalive_expiry: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        platform_timezone: tzinfo = wire.PLATFORM_TIMEZONE,
        honour_retry_after: bool = True,
        trust_env: bool = True,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        if not token:
            raise ValueError("an API token is required")
        url = httpx.URL(base_url)
        if url.scheme == "http" and not is_loopback_host(url.host):
            raise ValueError(f"{base_url}: {PLAIN_HTTP_REFUSED}")
        if not base_url.endswith("/"):
            base_url += "/"
        self._base_url = base_url
        self._token = _Secret(token)
        #: the token as an answer may quote it, longest first (hidden like the token)
        self._spellings = _Spellings(
            tuple(
                sorted(
                    {
                        token,
                        quote(token, safe=""),
                        quote_plus(token),
                        json.dumps(token)[1:-1],
                        json.dumps(token, ensure_ascii=False)[1:-1],
                        html.escape(token),
                    },
                    key=len,
                    reverse=True,
                )
            )
        )
        self._tz = platform_timezone
        self._honour_retry_after = honour_retry_after
        self._not_before = 0.0  # time.monotonic() before which no request goes out
        self._closed = False
        # requests go to pre-parsed absolute URLs: httpx would otherwise parse and merge
        # the base URL on every request (a tenth of the client's time for small ones)
        self._urls = {
            endpoint: httpx.URL(base_url + endpoint)
            for endpoint in (wire.SEND_MESSAGE, wire.SEND_LIST_MESSAGES)
        }
        # the pool limit is kept here, as httpx's pool kept it: at most max_connections
        # requests out, a request that finds none free within pool_timeout is NOT_SENT
        # (aiohttp's own limit would fold the wait into its connect timeout)
        self._slots = asyncio.Semaphore(max_connections) if transport is None else None
        self._pool_timeout = pool_timeout
        self._headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Content-Type": wire.FORM_CONTENT_TYPE,
        }
        self._timeouts = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=write_timeout, pool=pool_timeout
        ).as_dict()
        self._http = _transport.async_client(
            base_url=base_url,
            timeout=httpx.Timeout(
                connect=connect_timeout,
                read=read_timeout,
                write=write_timeout,
                pool=pool_timeout,
            ),
            limits=httpx.Limits(
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                keepalive_expiry=keepalive_expiry,
            ),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            http1=True,
            http2=False,
            follow_redirects=False,
            transport=transport,
            trust_env=trust_env,
            # a platform on this computer (the demo's, a test's) is never reached
            # through a proxy, whatever the environment says
            proxy_from_env=not is_loopback_host(url.host),
            verify=True if verify is None else verify,
        )
        # the transport each endpoint goes through, picked once (httpx's mounts are
        # fixed at construction): the default one posts straight through aiohttp
        # (``direct_post``, the environment's proxy included), an injected one gets an
        # ``httpx.Request``
        pick = getattr(self._http, "_transport_for_url", None)  # httpx's mount lookup
        self._routes: dict[str, _Route] = {}
        for endpoint, endpoint_url in self._urls.items():
            chosen = pick(endpoint_url) if pick is not None else None
            self._routes[endpoint] = _Route(
                endpoint_url, str(endpoint_url), chosen, getattr(chosen, "direct_post", None)
            )

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<KuponClient {self._base_url} ({state})>"

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def platform_timezone(self) -> tzinfo:
        """The platform's clock a ``send_at`` is written in (``sent_date``)."""
        return self._tz

    async def __aenter__(self) -> KuponClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        await self._http.aclose()

    # ------------------------------------------------------------------ sending

    async def send_message(self, envelope: Envelope, message: OutgoingMessage) -> SendResult:
        """Send one message (to one or several addresses) through ``send-message``."""
        body = wire.encode_send_message(self._token.reveal(), envelope, message, tz=self._tz)
        response = await self._post(wire.SEND_MESSAGE, body)
        if isinstance(response, SendResult):
            result = response
        else:
            status, headers, content = response
            result = self._scrub(wire.parse_send_response(status, headers, content))
        self._note_retry_after(result)
        log.debug("%s: %s %s", wire.SEND_MESSAGE, result.kind.value, result.http_status or "")
        return result

    async def send_list_messages(
        self, envelope: Envelope, messages: Sequence[OutgoingMessage]
    ) -> list[SendResult]:
        """Send a batch through ``send-list-messages``; one result per message, in order."""
        body = wire.encode_send_list_messages(self._token.reveal(), envelope, messages, tz=self._tz)
        response = await self._post(wire.SEND_LIST_MESSAGES, body)
        if isinstance(response, SendResult):
            results = [response] * len(messages)
        else:
            status, headers, content = response
            results = [
                self._scrub(r)
                for r in wire.parse_list_response(status, headers, content, len(messages))
            ]
        if results:
            self._note_retry_after(results[0])
        if log.isEnabledFor(logging.DEBUG):  # the tally costs a pass over the results
            log.debug(
                "%s: %d messages, %s", wire.SEND_LIST_MESSAGES, len(messages), _tally(results)
            )
        return results

    async def _post(
        self, endpoint: str, body: bytes
    ) -> tuple[int, Mapping[str, str], bytes] | SendResult:
        if self._closed:
            raise ClientClosed("the Kupon.mobi client is closed")
        if self._honour_retry_after:
            wait = self._not_before - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        slots = self._slots
        if slots is not None:
            if slots.locked():
                try:
                    await asyncio.wait_for(slots.acquire(), self._pool_timeout)
                except TimeoutError:
                    return self._scrub(
                        _transport_failure(
                            endpoint,
                            httpx.PoolTimeout(
                                f"no free connection within {self._pool_timeout:g} s"
                            ),
                        )
                    )
            else:
                await slots.acquire()
        try:
            return await self._exchange(self._routes[endpoint], body)
        except _CAUGHT as exc:
            return self._scrub(_transport_failure(endpoint, exc))
        finally:
            if slots is not None:
                slots.release()

    async def _exchange(self, route: _Route, body: bytes) -> tuple[int, Mapping[str, str], bytes]:
        """One POST straight through the transport httpx picked for the URL (aiohttp's,
        or an injected one). ``AsyncClient.send`` would add
        cookies, auth, redirects and hooks, none of which this API uses, at a quarter
        of the CPU of a small request; the default transport skips httpx's request and
        response objects too (``direct_post``, benchmarks/README.md)."""
        if route.direct is not None:
            return await route.direct(route.text, self._headers, body, self._timeouts)
        request = httpx.Request(
            "POST",
            route.url,
            headers=self._headers,
            content=body,
            extensions={"timeout": self._timeouts},
        )
        if route.transport is None:  # a future httpx without a mount lookup
            response = await self._http.send(request)
            return response.status_code, _lower(response.headers), response.content
        response = await route.transport.handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        return response.status_code, _lower(response.headers), content

    def _note_retry_after(self, result: SendResult) -> None:
        if self._honour_retry_after and result.retry_after:
            until = time.monotonic() + min(result.retry_after, _MAX_HOLD)
            self._not_before = max(self._not_before, until)

    def _scrub(self, result: SendResult) -> SendResult:
        """The token must not leak even if the platform or a library echoed it: as it
        is, or as a form body, a URL or JSON spells it (an answer that quotes the
        request, which a 4xx's text now reaches the log with)."""
        message = result.message
        spellings = self._spellings.reveal()
        if not any(spelling in message for spelling in spellings):
            return result
        for spelling in spellings:
            message = message.replace(spelling, "<token>")
        return SendResult(
            result.kind, result.platform_id, message, result.retry_after, result.http_status
        )


class _Route(NamedTuple):
    """Where an endpoint's requests go: its URL (parsed and as text), the transport
    httpx picked for it, and that transport's ``direct_post`` if it has one."""

    url: httpx.URL
    text: str
    transport: httpx.AsyncBaseTransport | None
    #: (status, headers with case-insensitive or lower-case names, body)
    direct: Callable[..., Awaitable[tuple[int, Mapping[str, str], bytes]]] | None


def _lower(headers: httpx.Headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _describe(exc: BaseException, name: str | None = None) -> str:
    """``ReadError: connection reset``: httpx often wraps the telling error without text."""
    name = name or type(exc).__name__
    seen: BaseException | None = exc
    while seen is not None:
        if str(seen):
            return f"{name}: {seen}"
        seen = seen.__cause__ or seen.__context__
    return name


def _certificate_problem(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            # aiohttp's ClientConnectorCertificateError is one too, wrapping ssl's own
            return getattr(seen, "certificate_error", seen)
        seen = seen.__cause__ or seen.__context__
    return None


def _transport_failure(endpoint: str, exc: Exception) -> SendResult:
    bad_certificate = _certificate_problem(exc)
    if bad_certificate is not None:
        # Never retried past, never skipped: the user has to see it (a wrong address, a
        # proxy that intercepts TLS, a clock far off). The handshake failed, so the token
        # never left this computer.
        reason = bad_certificate.verify_message or str(bad_certificate)
        return SendResult(
            ResultKind.NOT_SENT,
            message=(
                f"{endpoint}: not sent: the server's TLS certificate cannot be trusted "
                f"(certificate verify failed: {reason}); nothing was sent"
            ),
        )
    httpx_says = isinstance(exc, _NOT_SENT_ERRORS)
    # the aiohttp error behind httpx's decides where there is one (see api/transport.py)
    not_sent = _transport.surely_not_sent(exc, httpx_says)
    detail = _describe(exc, _transport.error_name(exc))
    if not_sent:
        return SendResult(
            ResultKind.NOT_SENT, message=f"{endpoint}: not sent ({detail}); safe to retry"
        )
    # ReadTimeout, ReadError (reset), RemoteProtocolError (closed without an answer),
    # DecodingError and anything else after the request went out.
    return SendResult(
        ResultKind.UNKNOWN,
        message=(
            f"{endpoint}: no usable answer ({detail}); the platform may have accepted the request"
        ),
    )


def _tally(results: Sequence[SendResult]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.kind.value] = counts.get(r.kind.value, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in counts.items())


__all__ = ["USER_AGENT", "KuponClient"]

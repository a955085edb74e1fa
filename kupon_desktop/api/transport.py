"""The HTTP transport under the client: aiohttp's connection pool behind httpx's interface
(the ``httpx-aiohttp`` package), and what its failures mean for a message.

Why not httpx's own pool: on the target machine it tops out near 750 requests/s for
small requests at any concurrency (and falls to about 420 at 64 concurrent), while the
same client over aiohttp's pool reaches about 3,000 (``benchmarks/README.md``). The
client keeps httpx's interface (``httpx.AsyncClient``, ``httpx.Request``/``Response``,
injectable ``httpx.AsyncBaseTransport``), so tests and callers are unchanged. Its own
POSTs take a shortcut through the default transport (``direct_post``: aiohttp's session
called directly: equivalent headers, the same timeouts and mapped exceptions), which cut
the client's CPU per small request from about 200 to 110–120 µs.

``httpx-aiohttp`` maps aiohttp's exceptions onto httpx's coarsely: a connection the
server dropped *after* reading the request comes out as ``httpx.ConnectTimeout``, which
would read as "not sent, safe to retry" and send the message twice. So the decision is
taken here from the aiohttp exception itself (kept as the ``__cause__``):
:func:`surely_not_sent` is true only when the connection was never made.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import aiohttp
import httpx

#: aiohttp errors that the httpx mapping may let through unchanged; the client catches
#: them like httpx's own (e.g. a malformed status line is ``ClientResponseError``).
TRANSPORT_ERRORS: tuple[type[Exception], ...] = (aiohttp.ClientError,)

#: aiohttp failures after which no byte of the request was written: the connection (TCP,
#: TLS, proxy) was never established, or no connection was free in time, or the URL was
#: unusable. Everything else after the request started may have reached the platform.
_NOT_CONNECTED: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorError,  # refused, DNS, TLS handshake, certificate, proxy
    aiohttp.ConnectionTimeoutError,  # connect (or wait for a pooled connection) timed out
    aiohttp.InvalidURL,
)


def async_client(*, proxy_from_env: bool = True, **options: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` (same keyword arguments) whose default transport is
    aiohttp's pool; a ``transport=`` given is used as it is. ``proxy_from_env``: with
    ``trust_env``, requests go through the proxy the environment names (``HTTPS_PROXY``,
    ``HTTP_PROXY``, ``NO_PROXY``), as httpx's own transport would: httpx reads those
    only for its own transports, so aiohttp's session is told to."""
    from httpx_aiohttp import HttpxAiohttpClient

    if options.get("transport") is None:
        options["transport"] = _eager_transport(
            verify=options.get("verify", True),
            trust_env=options.get("trust_env", True),
            limits=options.get("limits", httpx.Limits()),
            proxy_from_env=proxy_from_env and options.get("trust_env", True),
        )
    return HttpxAiohttpClient(**options)


def _eager_transport(*, proxy_from_env: bool, **options: Any) -> httpx.AsyncBaseTransport:
    from httpx_aiohttp import AiohttpTransport
    from httpx_aiohttp.transport import map_aiohttp_exceptions

    class EagerAiohttpTransport(AiohttpTransport):
        """Reads the whole answer (a small JSON document) inside the transport and
        hands httpx a response that is already read: streaming it through httpx's and
        the package's iterator layers cost a tenth of a small request's CPU."""

        def get_client(self) -> aiohttp.ClientSession:
            if self.client is not None:
                return super().get_client()
            # the package's session, plus the environment's proxy (it builds its
            # session without ``trust_env``, so a user behind a proxy got nowhere)
            limits = self.limits
            connector = aiohttp.TCPConnector(
                keepalive_timeout=limits.keepalive_expiry,
                ssl=self.ssl_context,
                # 0 is aiohttp's "no limit"
                limit=limits.max_connections if limits.max_connections is not None else 0,
            )
            return aiohttp.ClientSession(connector=connector, trust_env=proxy_from_env)

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await super().handle_async_request(request)
            stream = response.stream
            raw = getattr(stream, "_aiohttp_response", None)
            if raw is None:  # a later httpx-aiohttp: let httpx stream it
                return response
            try:
                with map_aiohttp_exceptions():
                    body = await raw.read()
            finally:
                await stream.aclose()  # type: ignore[union-attr]
            return httpx.Response(
                status_code=response.status_code,
                headers=response.headers,
                content=body,
                request=request,
                extensions=response.extensions,
            )

        async def direct_post(
            self,
            url: str,
            headers: Mapping[str, str],
            body: bytes,
            timeout: Mapping[str, float | None],
        ) -> tuple[int, Mapping[str, str], bytes]:
            """One POST straight through aiohttp's session: (status, headers, body); the
            headers are aiohttp's case-insensitive mapping. The same request and the same
            exceptions (mapped onto httpx's, aiohttp's as the cause) as
            ``handle_async_request``, without building an ``httpx.Request`` and two
            ``httpx.Response``s around it: that wrapping was a third of the client's CPU
            per small request (benchmarks/README.md). aiohttp adds ``Host``,
            ``Content-Length`` and ``Accept-Encoding`` and decompresses the answer, as
            httpx did."""
            session = self.client
            if not isinstance(session, aiohttp.ClientSession):
                session = self.client = self.get_client()
            try:
                async with session.request(
                    "POST",
                    url,
                    headers=headers,
                    data=body,
                    allow_redirects=False,
                    compress=False,
                    timeout=_client_timeout(timeout),
                ) as response:
                    return response.status, response.headers, await response.read()
            except Exception:
                # mapped only on the way out (entering the mapping for every request
                # cost more than the rest of this method)
                with map_aiohttp_exceptions():
                    raise

    return EagerAiohttpTransport(**options)


@functools.lru_cache(maxsize=8)
def _client_timeout_of(
    connect: float | None, read: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(sock_connect=connect, sock_read=read, connect=pool)


def _client_timeout(timeout: Mapping[str, float | None]) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for httpx's (as ``httpx-aiohttp`` maps them: the pool timeout
    bounds the wait for a connection and its setup; aiohttp has no write timeout)."""
    return _client_timeout_of(timeout.get("connect"), timeout.get("read"), timeout.get("pool"))


def aiohttp_cause(exc: BaseException) -> BaseException | None:
    """The aiohttp exception behind ``exc`` (itself or a cause), if there is one."""
    seen: BaseException | None = exc
    for _ in range(8):  # causes do not nest deeper than this here
        if seen is None:
            return None
        if isinstance(seen, aiohttp.ClientError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def surely_not_sent(exc: BaseException, httpx_says: bool) -> bool:
    """Whether the request surely never reached the platform. ``httpx_says`` is the
    answer from httpx's exception class, used when no aiohttp error is behind it (httpx's
    own transport, an injected one)."""
    cause = aiohttp_cause(exc)
    if cause is None:
        return httpx_says
    return isinstance(cause, _NOT_CONNECTED)


#: how an aiohttp failure is named in a result's message: httpx's name for the same
#: thing where there is one (messages read the same whichever transport ran), else
#: aiohttp's own; the first match counts
_NAMES: tuple[tuple[type[BaseException], str], ...] = (
    (aiohttp.ConnectionTimeoutError, "ConnectTimeout"),
    (aiohttp.ClientProxyConnectionError, "ProxyError"),
    (aiohttp.ClientConnectorError, "ConnectError"),
    (aiohttp.SocketTimeoutError, "ReadTimeout"),
    (aiohttp.ServerTimeoutError, "ReadTimeout"),
    (aiohttp.InvalidURL, "UnsupportedProtocol"),
)


def error_name(exc: BaseException) -> str:
    """The class name to show for a failure (httpx's mapping of aiohttp's errors names a
    dropped connection ``ConnectTimeout``; this names it ``ServerDisconnectedError``)."""
    cause = aiohttp_cause(exc)
    if cause is None:
        return type(exc).__name__
    for kind, name in _NAMES:
        if isinstance(cause, kind):
            return name
    return type(cause).__name__

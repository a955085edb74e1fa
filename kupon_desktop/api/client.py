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
platform_timezone=wire.PLATFORM_TIMEZONE, honour_retry_after=True, trust_env=True)``

* ``base_url`` ends in ``/api/v1/bulk/`` (a missing trailing slash is added).
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
  timeouts, ``User-Agent: KuponDesktop/<version>``. ``transport`` replaces httpx's
  connection pool (``max_connections``/``keepalive_expiry`` then do not apply).
* The token goes only into POST bodies: never into a URL, a log line, an exception, a
  result or a repr (``repr(client)`` shows the base URL only).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Sequence
from datetime import tzinfo
from types import TracebackType

import httpx

from kupon_desktop import __version__
from kupon_desktop.api import wire
from kupon_desktop.api.errors import ClientClosed
from kupon_desktop.api.outgoing import Envelope, OutgoingMessage
from kupon_desktop.api.results import ResultKind, SendResult

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
    ) -> None:
        if not token:
            raise ValueError("an API token is required")
        if not base_url.endswith("/"):
            base_url += "/"
        self._base_url = base_url
        self._token = _Secret(token)
        self._tz = platform_timezone
        self._honour_retry_after = honour_retry_after
        self._not_before = 0.0  # time.monotonic() before which no request goes out
        self._closed = False
        self._http = httpx.AsyncClient(
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
        )

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<KuponClient {self._base_url} ({state})>"

    @property
    def base_url(self) -> str:
        return self._base_url

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
        log.debug("%s: %d messages, %s", wire.SEND_LIST_MESSAGES, len(messages), _tally(results))
        return results

    async def _post(
        self, endpoint: str, body: bytes
    ) -> tuple[int, dict[str, str], bytes] | SendResult:
        if self._closed:
            raise ClientClosed("the Kupon.mobi client is closed")
        if self._honour_retry_after:
            wait = self._not_before - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        try:
            response = await self._http.post(
                endpoint, content=body, headers={"Content-Type": wire.FORM_CONTENT_TYPE}
            )
        except (httpx.HTTPError, OSError) as exc:
            return self._scrub(_transport_failure(endpoint, exc))
        headers = {k.lower(): v for k, v in response.headers.items()}
        return response.status_code, headers, response.content

    def _note_retry_after(self, result: SendResult) -> None:
        if self._honour_retry_after and result.retry_after:
            until = time.monotonic() + min(result.retry_after, _MAX_HOLD)
            self._not_before = max(self._not_before, until)

    def _scrub(self, result: SendResult) -> SendResult:
        """The token must not leak even if the platform or a library echoed it."""
        token = self._token.reveal()
        if token in result.message:
            return SendResult(
                result.kind,
                result.platform_id,
                result.message.replace(token, "<token>"),
                result.retry_after,
                result.http_status,
            )
        return result


def _describe(exc: BaseException) -> str:
    """``ReadError: connection reset``: httpx often wraps the telling error without text."""
    name = type(exc).__name__
    seen: BaseException | None = exc
    while seen is not None:
        if str(seen):
            return f"{name}: {seen}"
        seen = seen.__cause__ or seen.__context__
    return name


def _transport_failure(endpoint: str, exc: Exception) -> SendResult:
    detail = _describe(exc)
    if isinstance(exc, _NOT_SENT_ERRORS):
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

"""``TeamClient``: the team server's JSON API over HTTPS (httpx, async).

The user key goes only into the ``Authorization`` header: never into a URL, a log line
or an error text (httpx's own errors name the URL, which holds no key).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Sequence
from typing import Any

import httpx

from kupon_desktop.team.errors import TeamError, TeamUnreachable

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
#: ids per request when reporting a campaign's platform ids
MESSAGES_CHUNK = 10_000


class TeamClient:
    def __init__(
        self,
        base_url: str,
        key: str,
        *,
        verify: ssl.SSLContext | bool = True,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._settings: dict[str, Any] = {
            "base_url": self.base_url + "/api/v1",
            "headers": {"Authorization": f"Bearer {key}"},
            "verify": verify,
            "timeout": timeout,
            "follow_redirects": False,
        }
        self._http = self._make()

    def _make(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(**self._settings)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> TeamClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._http.is_closed:  # closed with the session, which may run again
            self._http = self._make()
        try:
            answer = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise TeamUnreachable(self.base_url, type(exc).__name__) from None
        try:
            data = answer.json()
        except ValueError:
            data = None
        if answer.status_code >= 400 or not isinstance(data, dict):
            error = data.get("error") if isinstance(data, dict) else None
            if isinstance(error, dict) and "message_en" in error:
                raise TeamError(
                    str(error["message_en"]),
                    str(error.get("message_ru") or error["message_en"]),
                    status=answer.status_code,
                    code=str(error.get("code") or ""),
                )
            raise TeamError(
                f"The team server at {self.base_url} answered HTTP {answer.status_code} "
                "to " + path + ": is the address right?",
                f"Сервер команды по адресу {self.base_url} ответил HTTP "
                f"{answer.status_code} на {path}: верен ли адрес?",
                status=answer.status_code,
            )
        return data

    async def me(self) -> dict[str, Any]:
        """The user, its role, the callback base for the platform, the server's time."""
        return await self._call("GET", "/me")  # type: ignore[no-any-return]

    async def stop_list(self, since: int) -> dict[str, Any]:
        """``{"full", "version", "entries", "server_time"}``: changes after ``since``
        (0: the whole list, every entry an "add")."""
        return await self._call("GET", "/stoplist", params={"since": since})  # type: ignore[no-any-return]

    async def change_stop_list(
        self, add: Iterable[dict[str, Any]] = (), remove: Iterable[str] = ()
    ) -> dict[str, Any]:
        body = {"add": list(add), "remove": list(remove)}
        return await self._call("POST", "/stoplist", json=body)  # type: ignore[no-any-return]

    async def register(
        self,
        campaign_id: str,
        *,
        name: str,
        type: str,
        recipients: int,
        advertising: bool,
        desk: str,
    ) -> dict[str, Any]:
        body = {
            "id": campaign_id,
            "name": name,
            "type": type,
            "recipients": recipients,
            "advertising": advertising,
            "desk": desk,
        }
        return await self._call("POST", "/campaigns", json=body)  # type: ignore[no-any-return]

    async def campaigns(self) -> list[dict[str, Any]]:
        return (await self._call("GET", "/campaigns"))["campaigns"]  # type: ignore[no-any-return]

    async def campaign(self, campaign_id: str) -> dict[str, Any]:
        return await self._call("GET", f"/campaigns/{campaign_id}")  # type: ignore[no-any-return]

    async def approve(self, campaign_id: str) -> dict[str, Any]:
        return await self._call("POST", f"/campaigns/{campaign_id}/approve")  # type: ignore[no-any-return]

    async def report_messages(self, campaign_id: str, pairs: Sequence[tuple[int, int]]) -> int:
        """Report (recipient key, platform id) pairs; returns how many were new."""
        new = 0
        for start in range(0, len(pairs), MESSAGES_CHUNK):
            chunk = [[k, p] for k, p in pairs[start : start + MESSAGES_CHUNK]]
            data = await self._call(
                "POST", f"/campaigns/{campaign_id}/messages", json={"messages": chunk}
            )
            new += int(data["new"])
        return new

    async def statuses(
        self, campaign_id: str, after: int, *, limit: int | None = None
    ) -> dict[str, Any]:
        """``{"statuses": [{cursor, recipient, platform_id, code, at}], "cursor"}``: at
        most ``limit`` (the server's own page size when None)."""
        params = {"after": after} if limit is None else {"after": after, "limit": limit}
        return await self._call(  # type: ignore[no-any-return]
            "GET", f"/campaigns/{campaign_id}/statuses", params=params
        )

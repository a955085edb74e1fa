"""``RemoteBase``: the team server's contact base behind the same calls as the local one
(``base/ports.py``'s ``BaseLog``), so that the base's commands, the Base page and a
campaign's list or segment use the server's base without a second implementation.

Its calls are blocking, as the local log's are: the window runs them in a worker
thread (``asyncio.to_thread``), the command line in its one thread. Each call is one
request or a few (a selection's rows come by their ids in parts; a file's normalized
columns go in parts and are merged by the server in one transaction at the end).

What the server's base does not hold stays on this desk: the messages this desk sent
(a consent proof lists them), its campaigns (the results, a segment dialog's list of
campaigns), and its copy of the team's stop list (pulled before every send). Those
calls go to ``local``, this desk's own log, when one is given.

The user key goes only into the ``Authorization`` header.
"""

from __future__ import annotations

import json
import ssl
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import httpx

from kupon_desktop.store.base import (
    BaseNameError,
    ConsentEvent,
    ContactRows,
    Incoming,
    ListInfo,
    MergeCounts,
    SegmentInfo,
    SourceRef,
)
from kupon_desktop.store.models import Campaign, Counts, StopEntry
from kupon_desktop.team.errors import TeamError, TeamUnreachable

#: rows of a file per request of an import
IMPORT_CHUNK = 20_000
#: ids per request when a selection's rows are read
ROWS_CHUNK = 20_000
#: a merge of a large file may take the server a while
TIMEOUT = httpx.Timeout(300.0, connect=5.0)


class RemoteBase:
    """The team's base at ``base_url`` as user ``key``; ``local``: this desk's log."""

    #: ``base/ui_queries.select_ids`` hands a selection's ids to the server
    remote = True

    def __init__(
        self,
        base_url: str,
        key: str,
        *,
        local: Any = None,
        verify: ssl.SSLContext | bool = True,
        timeout: httpx.Timeout = TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.local = local
        self._http = httpx.Client(
            base_url=self.base_url + "/api/v1",
            headers={"Authorization": f"Bearer {key}"},
            verify=verify,
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
        )
        #: the last card read (contact id → the server's answer), until the next write
        self._card: tuple[int, dict[str, Any]] | None = None

    # -- the connection ---------------------------------------------------------------

    @property
    def path(self) -> str:
        return self.base_url

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RemoteBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        if self.local is not None:
            self.local.close()

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        if method == "POST":
            self._card = None  # a write may change the card; a read costs nothing here
        try:
            answer = self._http.request(method, "/base" + path, **kw)
        except httpx.HTTPError as exc:
            raise TeamUnreachable(self.base_url, type(exc).__name__) from None
        try:
            data = answer.json()
        except ValueError:
            data = None
        if answer.status_code < 400 and isinstance(data, dict):
            return data
        error = data.get("error") if isinstance(data, dict) else None
        if isinstance(error, dict) and "message_en" in error:
            en = str(error["message_en"])
            ru = str(error.get("message_ru") or en)
            if error.get("code") == "base":
                # the base's own refusal (a name unknown, taken or deleted), as locally
                raise BaseNameError(en, ru)
            raise TeamError(en, ru, status=answer.status_code, code=str(error.get("code") or ""))
        raise TeamError(
            f"The team server at {self.base_url} answered HTTP {answer.status_code} to "
            f"/base{path}: is the address right?",
            f"Сервер команды по адресу {self.base_url} ответил HTTP {answer.status_code} "
            f"на /base{path}: верен ли адрес?",
            status=answer.status_code,
        )

    # -- importing -----------------------------------------------------------------------

    def base_merge(
        self,
        list_name: str | None,
        incoming: Incoming,
        source: SourceRef,
        *,
        tags: Sequence[str] = (),
    ) -> MergeCounts:
        """The rows go in parts; the server merges them all in one transaction."""
        names, columns = _columns(incoming)
        consent = incoming.consent is not None
        started = self._call(
            "POST",
            "/imports",
            json={"field_names": names, "name_field": incoming.name_field, "consent": consent},
        )
        key = str(started["id"])
        n = len(incoming.rows)
        for a in range(0, n, IMPORT_CHUNK):
            b = min(n, a + IMPORT_CHUNK)
            part: dict[str, Any] = {
                "rows": [int(r) for r in incoming.rows[a:b]],
                "phones": list(incoming.phones[a:b]),
                "emails": list(incoming.emails[a:b]),
                "columns": [list(c[a:b]) for c in columns],
            }
            if consent:
                assert incoming.consent is not None
                part["consent"] = list(incoming.consent[a:b])
                part["wording"] = (
                    list(incoming.wording[a:b]) if incoming.wording else [None] * (b - a)
                )
            self._call("POST", f"/imports/{key}/rows", json=part)
        done = self._call(
            "POST",
            f"/imports/{key}/commit",
            json={
                "list": list_name,
                "tags": list(tags),
                "source": {"kind": source.kind, "name": source.name, "detail": source.detail},
            },
        )
        return MergeCounts(
            added=int(done["added"]),
            updated=int(done["updated"]),
            unchanged=int(done["unchanged"]),
            conflicts=[(int(r), str(w)) for r, w in done["conflicts"]],
            source=int(done["source"]),
        )

    # -- lists, tags, segments -----------------------------------------------------------

    def base_lists(self, *, deleted: bool = False) -> list[ListInfo]:
        data = self._call("GET", "/lists", params={"deleted": int(deleted)})
        return [ListInfo(**x) for x in data["lists"]]

    def _list(self, action: str, name: str, **more: Any) -> Any:
        return self._call("POST", f"/lists/{action}", json={"name": name, **more})

    def base_create_list(self, name: str) -> None:
        self._list("create", name)

    def base_delete_list(self, name: str) -> None:
        self._list("delete", name)

    def base_restore_list(self, name: str) -> None:
        self._list("restore", name)

    def base_rename_list(self, old: str, new: str) -> None:
        self._list("rename", old, new=new)

    def base_add_to_list(self, name: str, selection: dict[str, Any]) -> int:
        return int(self._list("add", name, selection=selection)["added"])

    def base_remove_contacts(self, ids: Iterable[int], *, from_list: str | None = None) -> int:
        body = {"ids": [int(i) for i in ids], "from_list": from_list}
        return int(self._call("POST", "/contacts/remove", json=body)["removed"])

    def base_tag(self, tag: str, selection: dict[str, Any], *, remove: bool = False) -> int:
        body = {"tag": tag, "selection": selection, "remove": remove}
        return int(self._call("POST", "/tags", json=body)["changed"])

    def _summary(self) -> dict[str, Any]:
        return self._call("GET", "")  # type: ignore[no-any-return]

    def base_tags(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self._summary()["tags"].items()}

    def base_save_segment(self, name: str, definition: dict[str, Any]) -> None:
        self._call("POST", "/segments/save", json={"name": name, "definition": definition})

    def base_segments(self) -> list[SegmentInfo]:
        return [SegmentInfo(**s) for s in self._call("GET", "/segments")["segments"]]

    def base_segment(self, name: str) -> dict[str, Any]:
        for s in self.base_segments():
            if s.name == name:
                return dict(s.definition)
        raise BaseNameError(f"no segment named {name!r}", f"нет сегмента «{name}»")

    def base_delete_segment(self, name: str) -> None:
        self._call("POST", "/segments/delete", json={"name": name})

    # -- reading a selection -------------------------------------------------------------

    def base_count(self, selection: dict[str, Any]) -> int:
        return int(self._call("POST", "/count", json={"selection": selection})["count"])

    def remote_select_ids(self, selection: dict[str, Any], search: str = "") -> array[int]:
        data = self._call("POST", "/ids", json={"selection": selection, "search": search})
        return array("q", data["ids"])

    def base_select_ids(self, selection: dict[str, Any]) -> list[int]:
        return list(self.remote_select_ids(selection))

    def base_rows(
        self, selection: dict[str, Any], *, ids: Sequence[int] | None = None
    ) -> ContactRows:
        """A selection's rows (its ids first, then their rows in parts), or ``ids``'."""
        wanted = list(ids) if ids is not None else self.base_select_ids(selection)
        parts = [
            self._call("POST", "/rows", json={"ids": [int(i) for i in wanted[a : a + ROWS_CHUNK]]})
            for a in range(0, len(wanted), ROWS_CHUNK)
        ]
        names = [
            "ids",
            "phones",
            "emails",
            "fields",
            "consent_phone",
            "consent_phone_at",
            "consent_email",
            "consent_email_at",
        ]
        return ContactRows(*[[v for p in parts for v in p[name]] for name in names])

    def iter_base(
        self, selection: dict[str, Any], *, batch_size: int = ROWS_CHUNK
    ) -> Iterator[ContactRows]:
        wanted = self.base_select_ids(selection)
        for a in range(0, len(wanted), batch_size):
            yield self.base_rows({}, ids=wanted[a : a + batch_size])

    def base_fields(self) -> tuple[list[str], str | None]:
        data = self._summary()
        return [str(f) for f in data["fields"]], data["name_field"]

    def base_size(self) -> int:
        return int(self._summary()["size"])

    def base_find(self, address: str) -> int | None:
        found = self._call("GET", "/find", params={"address": address})["contact"]
        return None if found is None else int(found)

    # -- one contact ---------------------------------------------------------------------

    def _card_of(self, contact: int) -> dict[str, Any] | None:
        """The server's card of one contact (read once for a card's several calls)."""
        if self._card is not None and self._card[0] == contact:
            return self._card[1]
        try:
            data = self._call("GET", f"/contacts/{int(contact)}")
        except TeamError as exc:
            if exc.code == "no_contact":
                return None
            raise
        self._card = (int(contact), data)
        return data  # type: ignore[no-any-return]

    def base_contact(self, contact: int) -> tuple[str | None, str | None, str, int, int] | None:
        self._card = None  # a card opened again is read again
        data = self._card_of(contact)
        if data is None:
            return None
        phone, email, fields, created, updated = data["contact"]
        return phone, email, str(fields), int(created), int(updated)

    def base_contact_history(self, contact: int) -> list[tuple[int, str, str, dict[str, Any]]]:
        data = self._card_of(contact)
        if data is None:
            return []
        return [(int(at), str(k), str(n), dict(before)) for at, k, n, before in data["history"]]

    def base_contact_lists(self, contact: int) -> list[str]:
        data = self._card_of(contact)
        return [] if data is None else [str(x) for x in data["lists"]]

    def base_consent_events(self, contact: int) -> list[ConsentEvent]:
        data = self._card_of(contact)
        return [] if data is None else [ConsentEvent(**e) for e in data["consent"]]

    # -- consent -------------------------------------------------------------------------

    def base_consent_record(
        self,
        contact: int,
        channel: str,
        *,
        given: bool,
        how: str,
        source: SourceRef,
        wording: str = "",
        row: int | None = None,
        at: int | None = None,
    ) -> None:
        """One event in the team's ledger: from this moment every desk's next list or
        segment read carries it (a withdrawal: no advertising from any desk)."""
        body = {
            "contact": int(contact),
            "channel": channel,
            "given": bool(given),
            "how": how,
            "source": {"kind": source.kind, "name": source.name, "detail": source.detail},
            "wording": wording,
            "row": row,
            "at": at,
        }
        try:
            self._call("POST", "/consent", json=body)
        except TeamError as exc:
            if exc.code == "no_contact":
                raise KeyError(contact) from None
            raise

    def stopped_among(self, addresses: Iterable[str]) -> set[str]:
        """Those of ``addresses`` on the team's stop list (the server's, not the copy)."""
        wanted = list(addresses)
        if not wanted:
            return set()
        return set(self._call("POST", "/stopped", json={"addresses": wanted})["stopped"])

    # -- what stays on this desk ---------------------------------------------------------

    def iter_stop_list(self, *, batch_size: int = 10_000) -> Iterator[StopEntry]:
        """This desk's copy of the team's stop list (pulled before every send)."""
        if self.local is None:
            return iter(())
        return self.local.iter_stop_list(batch_size=batch_size)  # type: ignore[no-any-return]

    def stop_list_add(self, entries: Iterable[StopEntry]) -> int:
        """Into this desk's stop list; pushed to the team's before the next send."""
        if self.local is None:
            raise TeamError(
                "No local log to add to the stop list",
                "Нет локального журнала для стоп-листа",
            )
        return int(self.local.stop_list_add(entries))

    def base_messages_to(self, addresses: Sequence[str]) -> list[tuple[Any, ...]]:
        """The messages this desk sent to these addresses."""
        return [] if self.local is None else list(self.local.base_messages_to(addresses))

    def list_campaigns(self) -> list[Campaign]:
        return [] if self.local is None else list(self.local.list_campaigns())

    def campaign_draft(self, campaign_id: str) -> dict[str, Any]:
        return dict(self._local("campaign_draft")(campaign_id))

    def counts(self, campaign_id: str) -> Counts:
        return self._local("counts")(campaign_id)  # type: ignore[no-any-return]

    def base_campaign_range(self, campaign: str) -> tuple[str, int, int, str, int]:
        raise _not_on_server()

    def base_add_recipients(
        self, campaign_id: str, where: str, params: Sequence[Any], source: SourceRef
    ) -> tuple[int, int]:
        raise _not_on_server()

    def _local(self, name: str) -> Any:
        if self.local is None:
            raise _not_on_server()
        return getattr(self.local, name)


def _not_on_server() -> TeamError:
    return TeamError(
        "The team's base does not hold this desk's campaigns' recipients: saving a "
        "campaign's group as a list works on a desk's own base only.",
        "База команды не хранит получателей рассылок этого компьютера: сохранить группу "
        "рассылки списком можно только в собственной базе компьютера.",
    )


def _columns(incoming: Incoming) -> tuple[list[str], list[list[str | None]]]:
    """The rows' fields as one column per name (``Incoming`` carries either)."""
    if incoming.columns is not None:
        return list(incoming.field_names), [list(c) for c in incoming.columns]
    objects = [json.loads(f) if f else {} for f in incoming.fields] or [{} for _ in incoming.rows]
    names = list(incoming.field_names)
    for obj in objects:
        names += [k for k in obj if k not in names]
    return names, [[None if o.get(n) is None else str(o[n]) for o in objects] for n in names]

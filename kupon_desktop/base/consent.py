"""The consent ledger: per contact and channel ("phone": every message type sent to the
number; "email"), when and how consent was given (a file's row, or typed with its
wording) and when it was withdrawn.

A withdrawal takes effect at once: the next list or segment read for a campaign carries
"нет" in its consent column (``base.audience``), which the audience rules exclude from
advertising. A stop-list entry excludes the address from every message anyway; the
proof lists it as a withdrawal too.

:func:`consent_proof` writes what a lawyer asks for (38-FZ art. 18 puts the burden of
proof on the sender): one workbook with the contact, every consent event and stop-list
entry, and every message the log holds for the address, with date, text and status.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kupon_desktop.base.errors import BaseError, UnknownContact
from kupon_desktop.errors import pick
from kupon_desktop.vocabulary import STATE_LABELS

if TYPE_CHECKING:
    from kupon_desktop.base.ports import BaseLog

CHANNELS = ("phone", "email")
HOW_TYPED = "typed"
HOW_MANUAL = "manual"


def normalize_address(address: str, region: str = "RU") -> str:
    """A typed number or e-mail in the form the base keys it by."""
    from kupon_desktop.contacts import normalize_email, normalize_phone

    typed = address.strip()
    if "@" in typed:
        email = normalize_email(typed)
        if email is None:
            raise BaseError(f"{typed!r} is not an e-mail address", f"«{typed}» — не e-mail")
        return email.lower()
    phone = normalize_phone(typed, region)
    if phone is None:
        raise BaseError(
            f"{typed!r} is not a phone number or an e-mail address",
            f"«{typed}» — не номер телефона и не e-mail",
        )
    return phone


def _contact(log: BaseLog, address: str, region: str) -> tuple[int, str]:
    key = normalize_address(address, region)
    contact = log.base_find(key)
    if contact is None:
        raise UnknownContact(address)
    return contact, key


def _channels(channel: str | None, key: str) -> list[str]:
    if channel is None:
        return ["email" if "@" in key else "phone"]
    if channel == "all":
        return list(CHANNELS)
    if channel not in CHANNELS:
        raise BaseError(
            f"channel {channel!r}: use phone, email or all",
            f"канал «{channel}»: phone, email или all",
        )
    return [channel]


def give_consent(
    log: BaseLog,
    address: str,
    wording: str,
    *,
    channel: str | None = None,
    region: str = "RU",
) -> int:
    """Consent typed by the user, with the wording the person agreed to; the channel
    defaults to the address's own. Returns the contact id."""
    from kupon_desktop.store.base import SourceRef

    if not wording.strip():
        raise BaseError(
            "a consent needs the wording the person agreed to",
            "для согласия нужен текст, с которым человек согласился",
        )
    contact, key = _contact(log, address, region)
    for ch in _channels(channel, key):
        log.base_consent_record(
            contact, ch, given=True, how=HOW_TYPED, source=SourceRef("typed"), wording=wording
        )
    return contact


def withdraw_consent(
    log: BaseLog,
    address: str,
    *,
    channel: str | None = "all",
    how: str = HOW_MANUAL,
    note: str = "",
    region: str = "RU",
) -> int:
    """A withdrawal (a manual action, a reply): excluded from advertising from now on."""
    from kupon_desktop.store.base import SourceRef

    contact, key = _contact(log, address, region)
    for ch in _channels(channel, key):
        log.base_consent_record(
            contact, ch, given=False, how=how, source=SourceRef(how), wording=note
        )
    return contact


# -- the proof ---------------------------------------------------------------------------

_HOW = {
    "file": ("imported from a file", "импорт из файла"),
    "typed": ("typed by the user", "введено вручную"),
    "manual": ("withdrawn by the user", "отозвано вручную"),
    "reply": ("a reply", "ответ получателя"),
    "stop list": ("stop list", "стоп-лист"),
}
#: a consent event's channel, in the proof's language: a lawyer reads "телефон"
_CHANNELS = {"phone": ("phone", "телефон"), "email": ("e-mail", "e-mail")}
_HEADERS = {
    "contact": (("Field", "Value"), ("Поле", "Значение")),
    "consent": (
        ("Date", "Channel", "Event", "How", "Source", "Row", "Wording"),
        ("Дата", "Канал", "Событие", "Как получено", "Источник", "Строка", "Формулировка"),
    ),
    "messages": (
        ("Sent", "Campaign", "Type", "Text", "Status", "Status text", "Status at"),
        ("Отправлено", "Рассылка", "Тип", "Текст", "Статус", "Текст статуса", "Время статуса"),
    ),
}
_SHEETS = {
    "contact": ("Contact", "Контакт"),
    "consent": ("Consent", "Согласие"),
    "messages": ("Messages", "Сообщения"),
}


@dataclass(frozen=True)
class Proof:
    path: Path
    events: int
    messages: int


def _when(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000).astimezone().strftime("%d.%m.%Y %H:%M:%S %z")


def consent_proof(
    log: BaseLog, address: str, out: str | Path, *, lang: str = "ru", region: str = "RU"
) -> Proof:
    """The proof for one number or e-mail (see the module's note) as an XLSX."""
    from kupon_desktop.vocabulary import status_info

    en = not lang.lower().startswith("ru")
    k = 0 if en else 1
    contact, _key = _contact(log, address, region)
    rows = log.base_rows({}, ids=[contact])
    phone, email = rows.phones[0], rows.emails[0]
    import json

    fields = json.loads(rows.fields[0])
    contact_rows: list[list[Any]] = [
        [pick(lang, "Телефон", "Phone"), phone or ""],
        ["E-mail", email or ""],
        *[[name, value] for name, value in fields.items()],
        [pick(lang, "Списки", "Lists"), ", ".join(log.base_contact_lists(contact))],
        [pick(lang, "Выгружено", "Exported"), _when(int(datetime.now().timestamp() * 1000))],
    ]
    consent_rows: list[list[Any]] = []
    for e in log.base_consent_events(contact):
        event = pick(lang, "дано", "given") if e.given else pick(lang, "отозвано", "withdrawn")
        how = _HOW.get(e.how, (e.how, e.how))[k]
        channel = _CHANNELS.get(e.channel, (e.channel, e.channel))[k]
        consent_rows.append([_when(e.at), channel, event, how, e.detail, e.row or "", e.wording])
    addresses = [a for a in (phone, email) if a]
    stopped = log.stopped_among(addresses)
    if stopped:
        for entry in log.iter_stop_list():
            if entry.address in stopped:
                consent_rows.append(
                    [
                        entry.added_at.astimezone().strftime("%d.%m.%Y %H:%M:%S %z")
                        if entry.added_at
                        else "",
                        _CHANNELS.get(entry.kind, (entry.kind, entry.kind))[k],
                        pick(lang, "отозвано (стоп-лист)", "withdrawn (stop list)"),
                        _HOW["stop list"][k],
                        entry.source,
                        "",
                        entry.note,
                    ]
                )
    message_rows: list[list[Any]] = []
    for _cid, name, type_, state, status, sent_at, status_at, text in log.base_messages_to(
        addresses
    ):
        label = ""
        if status is not None:
            info = status_info(int(status))
            label = info.label_en if en else info.label_ru
        else:
            # (Russian, English) there, the other way round here
            label = STATE_LABELS.get(str(state), (str(state), str(state)))[1 - k]
        message_rows.append(
            [
                _when(sent_at),
                name,
                type_,
                text or "",
                status if status is not None else "",
                label,
                _when(status_at),
            ]
        )
    write_workbook(
        Path(out),
        [
            (_SHEETS["contact"][k], _HEADERS["contact"][k], contact_rows),
            (_SHEETS["consent"][k], _HEADERS["consent"][k], consent_rows),
            (_SHEETS["messages"][k], _HEADERS["messages"][k], message_rows),
        ],
    )
    return Proof(Path(out), len(consent_rows), len(message_rows))


def write_workbook(
    path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> None:
    """Several sheets in one XLSX, written atomically; every text cell is text (never a
    formula, whatever it starts with)."""
    import os
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title[:31])

        def cell(value: Any, ws: Any = ws, header: bool = False) -> Any:
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                c.data_type = "s"
            if header:
                c.font = bold
            return c

        ws.append([cell(h, header=True) for h in headers])
        for row in rows:
            ws.append([cell(v) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kupon-", suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

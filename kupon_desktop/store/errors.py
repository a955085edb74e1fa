"""The log's expected failures, each with a message a marketer understands.

Everything the store raises for a cause outside the program (another program holding the
file, a full disk, a read-only folder, a damaged file) is a :class:`LogError`; anything
else escaping the store is a bug. The window shows ``str(error)`` (English) or
``error.message_ru``; the command line prints one line and exits non-zero.

Tree::

    LogError
    ├── LogLocked      another process holds the database
    ├── DiskFull       no space left for the log
    ├── LogReadOnly    the file or its folder cannot be written
    ├── LogCorrupt     the file is damaged or is not a log at all
    ├── LogTooNew      written by a newer version of the program
    ├── LogLinked      the file has several names (hard links)
    ├── LogFilesChanged  its -wal or -shm was removed, replaced or cut short while open
    └── CampaignBusy   another window or command is sending this campaign
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from kupon_desktop.errors import KuponError

__all__ = [
    "CampaignBusy",
    "DiskFull",
    "LogCorrupt",
    "LogError",
    "LogFilesChanged",
    "LogLinked",
    "LogLocked",
    "LogReadOnly",
    "LogTooNew",
    "translate_error",
]


class LogError(KuponError):
    """The local log could not be used. ``path`` names the database file."""

    text_en = "The campaign log {path} could not be read or written ({detail})."
    text_ru = "Не удалось прочитать или записать журнал рассылок {path} ({detail})."

    def __init__(self, path: str | Path, detail: str = "") -> None:
        self.path = str(path)
        self.detail = detail
        super().__init__(self.text_en.format(path=self.path, detail=detail))

    @property
    def message_ru(self) -> str:
        return self.text_ru.format(path=self.path, detail=self.detail)


class LogLocked(LogError):
    text_en = (
        "The campaign log {path} is busy: another program or another copy of Kupon Desktop "
        "is holding it. Close that program and try again; nothing was lost."
    )
    text_ru = (
        "Журнал рассылок {path} занят другой программой или другой копией Kupon Desktop. "
        "Закройте её и повторите; ничего не потеряно."
    )


class DiskFull(LogError):
    text_en = (
        "The disk that holds the campaign log {path} is full. Free some space and try "
        "again; everything saved before is kept."
    )
    text_ru = (
        "Диск с журналом рассылок {path} заполнен. Освободите место и повторите; "
        "всё сохранённое ранее цело."
    )


class LogReadOnly(LogError):
    text_en = (
        "The campaign log {path} cannot be written: the file or its folder is read-only "
        "or not yours. Check the folder's permissions, or choose another folder."
    )
    text_ru = (
        "В журнал рассылок {path} нельзя записать: файл или папка только для чтения или "
        "принадлежат другому пользователю. Проверьте права на папку или выберите другую."
    )


class LogCorrupt(LogError):
    text_en = (
        "The campaign log {path} is damaged or is not a Kupon Desktop log. Keep the file "
        "for support; move it away (or restore a backup) to start with a new log."
    )
    text_ru = (
        "Журнал рассылок {path} повреждён или не является журналом Kupon Desktop. "
        "Сохраните файл для поддержки; переместите его (или восстановите копию), чтобы "
        "начать новый журнал."
    )


class LogTooNew(LogError):
    text_en = (
        "The campaign log {path} was written by a newer version of Kupon Desktop "
        "({detail}). Update the program to open it."
    )
    text_ru = (
        "Журнал рассылок {path} записан более новой версией Kupon Desktop ({detail}). "
        "Обновите программу, чтобы открыть его."
    )


class LogLinked(LogError):
    text_en = (
        "The campaign log {path} has {detail} names (hard links). SQLite keeps the log's "
        "recent changes in a file named after the name a program opened, so two programs "
        "using two names would not see each other's changes, send messages twice and "
        "damage the log. Keep one name (delete the other links) and open it by that name."
    )
    text_ru = (
        "У журнала рассылок {path} несколько имён (жёстких ссылок): {detail}. SQLite "
        "хранит последние изменения журнала в файле, названном по имени, через которое "
        "его открыли, поэтому две программы, открывшие его под разными именами, не увидят "
        "изменений друг друга, отправят сообщения дважды и повредят журнал. Оставьте одно "
        "имя (удалите остальные ссылки) и открывайте журнал по нему."
    )


class LogFilesChanged(LogError):
    text_en = (
        "Another program changed the files beside the campaign log {path} while it was "
        "open ({detail}): a backup, sync or cleaning tool must leave its -wal and -shm "
        "files alone. Close every Kupon Desktop window and command that uses this log, "
        "then start again: what was saved is kept, and nothing is sent twice."
    )
    text_ru = (
        "Другая программа изменила файлы рядом с журналом рассылок {path}, пока он был "
        "открыт ({detail}): программы резервного копирования, синхронизации и очистки не "
        "должны трогать его файлы -wal и -shm. Закройте все окна и команды Kupon Desktop, "
        "работающие с этим журналом, и запустите снова: сохранённое цело, повторно "
        "ничего не отправится."
    )


class CampaignBusy(LogError):
    text_en = (
        "This campaign is being sent by another window or command ({detail}). Wait for it "
        "to finish or stop it there."
    )
    text_ru = (
        "Эту рассылку уже отправляет другое окно или команда ({detail}). Дождитесь "
        "окончания или остановите её там."
    )


# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_BY_SQLITE_CODE: dict[int, type[LogError]] = {
    _SQLITE_BUSY: LogLocked,
    _SQLITE_LOCKED: LogLocked,
    _SQLITE_READONLY: LogReadOnly,
    _SQLITE_CANTOPEN: LogReadOnly,
    _SQLITE_CORRUPT: LogCorrupt,
    _SQLITE_NOTADB: LogCorrupt,
    _SQLITE_FULL: DiskFull,
}


def translate_error(exc: BaseException, path: str | Path) -> LogError | None:
    """The named failure for a sqlite3 or OS error, or None when it is not one we expect
    (a programming error, which must surface as itself)."""
    if isinstance(exc, LogError):
        return exc
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:
            return None
        primary = code & 0xFF
        cls = _BY_SQLITE_CODE.get(primary)
        if cls is not None:
            return cls(path, str(exc))
        if primary == _SQLITE_IOERR:
            return LogError(path, f"disk error: {exc}")
        return None
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DiskFull(path, exc.strerror or "")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return LogReadOnly(path, exc.strerror or "")
        return LogError(path, exc.strerror or str(exc))
    return None

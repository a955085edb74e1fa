"""The Campaign page's model: one row per recipient, a million rows, updated live.

Rows live in compact column arrays (numpy for what changes, Arrow-backed strings for
what does not); ``data()`` reads one cell on demand. Updates arrive in batches from the
poll of the log and end in one ``dataChanged`` per run of adjacent changed rows (a
signal per row cost 36–40 ms for 10,000 rows, one range 4–6 ms). Sorting is an argsort
and filtering a mask over whole arrays, as in ``frame.py``.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from kupon_desktop.api.models import STATUSES, MessageType, StatusGroup, status_info

_Index = QModelIndex | QPersistentModelIndex
NO_STATUS = -32768


class RowState(enum.IntEnum):
    """A recipient's place in the sending pipeline (mirrors the log's states)."""

    QUEUED = 0
    IN_FLIGHT = 1
    ACCEPTED = 2
    REJECTED = 3
    UNCONFIRMED = 4
    SKIPPED = 5
    EXCLUDED = 6
    SCHEDULED = 7

    @classmethod
    def parse(cls, name: str) -> RowState:
        return cls[name.upper()]


class Filter(enum.Enum):
    ALL = "all"
    PENDING = "pending"
    DELIVERED = "delivered"
    ENGAGED = "engaged"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"


COLUMNS = ("recipient", "name", "channel", "platform_id", "status", "changed", "error")

_STATE_LABELS = {
    RowState.QUEUED: ("В очереди", "Queued"),
    RowState.IN_FLIGHT: ("Отправляется", "Sending"),
    RowState.ACCEPTED: ("Принято платформой", "Accepted"),
    RowState.REJECTED: ("Отклонено", "Rejected"),
    RowState.UNCONFIRMED: ("Не подтверждено", "Unconfirmed"),
    RowState.SKIPPED: ("Пропущено", "Skipped"),
    RowState.EXCLUDED: ("Исключено", "Excluded"),
    RowState.SCHEDULED: ("Запланировано", "Scheduled"),
}

_GROUP_COLOURS = {
    Filter.PENDING: QColor("#5b6776"),
    Filter.DELIVERED: QColor("#1a7f37"),
    Filter.ENGAGED: QColor("#0b5cad"),
    Filter.FAILED: QColor("#b42318"),
    Filter.UNCONFIRMED: QColor("#9a6700"),
}

# status code -> filter group, as a lookup table over int16 codes (offset by 32768)
_GROUP_CODE = {f: i for i, f in enumerate(Filter)}


def _status_group_table() -> np.ndarray:
    table = np.full(65536, _GROUP_CODE[Filter.FAILED], dtype=np.int8)  # unknown codes
    for code, info in STATUSES.items():
        group = {
            StatusGroup.PENDING: Filter.PENDING,
            StatusGroup.DELIVERED: Filter.DELIVERED,
            StatusGroup.ENGAGED: Filter.ENGAGED,
            StatusGroup.FAILED: Filter.FAILED,
            StatusGroup.OTHER: Filter.PENDING,
        }[info.group]
        table[code + 32768] = _GROUP_CODE[group]
    return table


_GROUP_BY_STATUS = _status_group_table()


_STATE_CODE = {state.name.lower(): int(state) for state in RowState}


def _epoch(value: Any) -> float:
    from datetime import datetime

    if isinstance(value, (int, float)):
        return float(value) / (1000.0 if value > 1e11 else 1.0)
    return datetime.fromisoformat(str(value)).timestamp()


@dataclass(slots=True)
class RowUpdate:
    """A change to one recipient, as read from the log."""

    row: int
    state: RowState
    status: int | None = None
    platform_id: str | None = None
    error: str | None = None
    changed_at: float | None = None
    channel: MessageType | None = None
    scheduled_at: float | None = None


class StatusGridModel(QAbstractTableModel):
    def __init__(self, language: str = "en", parent: Any = None) -> None:
        super().__init__(parent)
        self._ru = language == "ru"
        self._headers = self._make_headers()
        self.load([], [], MessageType.SMS)

    def _make_headers(self) -> list[str]:
        if self._ru:
            return ["Получатель", "Имя", "Канал", "ID платформы", "Статус", "Изменён", "Ошибка"]
        return ["Recipient", "Name", "Channel", "Platform ID", "Status", "Changed", "Error"]

    # -- loading and updating --------------------------------------------------------

    def load(self, addresses: Sequence[str] | pd.Series, names: Sequence[str] | pd.Series,
             channel: MessageType, states: np.ndarray | None = None) -> None:
        """Replace the grid with a campaign's recipients (row i = recipient key i)."""
        self.beginResetModel()
        n = len(addresses)
        self._address = pd.array(list(addresses) if not isinstance(addresses, pd.Series)
                                 else addresses, dtype="string[pyarrow]")
        self._name = pd.array(list(names) if not isinstance(names, pd.Series) else names,
                              dtype="string[pyarrow]") if len(names) else None
        self._channel_default = channel
        self._channels: dict[int, MessageType] = {}
        self._state = (np.asarray(states, dtype=np.int8) if states is not None
                       else np.zeros(n, dtype=np.int8))
        self._status = np.full(n, NO_STATUS, dtype=np.int16)
        self._changed = np.zeros(n, dtype=np.float64)
        self._scheduled: dict[int, float] = {}
        self._platform_id = np.full(n, None, dtype=object)
        self._error: dict[int, str] = {}
        self._filter = Filter.ALL
        self._search = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._order = np.arange(n, dtype=np.int64)
        self._pos: np.ndarray | None = None
        self.endResetModel()

    def load_columns(self, columns: dict[str, list[Any]], channel: MessageType) -> None:
        """Load a campaign as read by ``Log.read_columns`` (row i = recipient key i)."""
        n = len(columns["key"])
        names = columns.get("name") or []
        has_names = any(v is not None for v in names)
        states = np.array([_STATE_CODE[s] for s in columns["state"]], dtype=np.int8)
        self.load(columns["address"], names if has_names else [], channel, states)
        self.beginResetModel()
        self._fill(np.arange(n), columns)
        self.endResetModel()

    def apply_columns(self, columns: dict[str, list[Any]]) -> int:
        """Apply the rows ``Log.read_columns(keys=…)`` returned for changed recipients."""
        rows = np.asarray(columns["key"], dtype=np.int64)
        inside = rows < len(self._state)
        if not inside.all():  # keys past the loaded rows: keep each column aligned
            picked = np.flatnonzero(inside).tolist()
            columns = {name: [values[i] for i in picked] for name, values in columns.items()}
            rows = rows[inside]
        if len(rows) == 0:
            return 0
        before = self._groups(rows) if self._filter is not Filter.ALL else None
        self._state[rows] = np.array([_STATE_CODE[s] for s in columns["state"]],
                                     dtype=np.int8)
        self._fill(rows, columns)
        if before is not None and np.any(before != self._groups(rows)):
            self._rebuild()
            return 1
        return self._emit_changed(rows)

    def _fill(self, rows: np.ndarray, columns: dict[str, list[Any]]) -> None:
        # Whole-column conversions in C (None becomes NaN through float) rather than a
        # Python expression per row: a million rows in about 0.25 s instead of 0.8 s.
        status = columns.get("status")
        if status is not None:
            codes = np.array(status, dtype=np.float64)
            self._status[rows] = np.where(np.isnan(codes), NO_STATUS,
                                          np.clip(codes, -32768, 32767)).astype(np.int16)
        pid = columns.get("platform_id")
        if pid is not None:
            # kept as the log gives them (int, or str from ``apply``); shown with str()
            self._platform_id[rows] = pid
        error = columns.get("error")
        if error is not None:
            listed = rows.tolist()
            with_error = [i for i, e in enumerate(error) if e]
            for i in with_error:
                self._error[listed[i]] = error[i]
            if self._error and len(with_error) < len(listed):
                cleared = set(listed).difference(listed[i] for i in with_error)
                for r in cleared.intersection(self._error):
                    del self._error[r]
        status_at, sent_at = columns.get("status_at"), columns.get("sent_at")
        if status_at is not None and sent_at is not None:
            latest = np.fmax(np.array(status_at, dtype=np.float64),
                             np.array(sent_at, dtype=np.float64))
            self._changed[rows] = np.nan_to_num(latest, nan=0.0) / 1000.0
        scheduled = columns.get("scheduled_at")
        if scheduled is not None:
            listed = rows.tolist()
            for i, value in enumerate(scheduled):
                if value:
                    self._scheduled[listed[i]] = _epoch(value)

    def apply(self, updates: Sequence[RowUpdate]) -> int:
        """Apply a batch of changes; returns how many ``dataChanged`` signals it sent."""
        if not updates:
            return 0
        rows = np.fromiter((u.row for u in updates), dtype=np.int64, count=len(updates))
        before = self._groups(rows) if self._filter is not Filter.ALL else None
        now = time.time()
        for u in updates:
            r = u.row
            self._state[r] = int(u.state)
            if u.status is not None:
                self._status[r] = max(-32768, min(32767, u.status))
            if u.platform_id is not None:
                self._platform_id[r] = u.platform_id
            if u.error is not None:
                self._error[r] = u.error
            elif u.state in (RowState.ACCEPTED, RowState.QUEUED):
                self._error.pop(r, None)
            if u.channel is not None:
                self._channels[r] = u.channel
            if u.scheduled_at is not None:
                self._scheduled[r] = u.scheduled_at
            self._changed[r] = u.changed_at if u.changed_at is not None else now
        if before is not None and np.any(before != self._groups(rows)):
            self._rebuild()  # rows entered or left the filtered view
            return 1
        return self._emit_changed(rows)

    def apply_arrays(self, rows: np.ndarray, states: np.ndarray, statuses: np.ndarray,
                     changed_at: np.ndarray) -> int:
        """The fast path for large batches of status changes (no per-row objects)."""
        if len(rows) == 0:
            return 0
        before = self._groups(rows) if self._filter is not Filter.ALL else None
        self._state[rows] = states
        has = statuses != NO_STATUS
        self._status[rows[has]] = statuses[has]
        self._changed[rows] = changed_at
        if before is not None and np.any(before != self._groups(rows)):
            self._rebuild()
            return 1
        return self._emit_changed(rows)

    def _emit_changed(self, rows: np.ndarray) -> int:
        if self._pos is None:
            view = rows if self._is_identity() else self._view_rows(rows)
        else:
            view = self._pos[rows]
            view = view[view >= 0]
        if len(view) == 0:
            return 0
        view = np.unique(view)
        breaks = np.flatnonzero(np.diff(view) != 1)
        starts = np.concatenate(([view[0]], view[breaks + 1]))
        ends = np.concatenate((view[breaks], [view[-1]]))
        last = self.columnCount() - 1
        if len(starts) > 256:
            # very scattered changes: one range over them costs less than many signals
            starts, ends = starts[:1], ends[-1:]
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            self.dataChanged.emit(self.index(a, 0), self.index(b, last))
        return len(starts)

    def _is_identity(self) -> bool:
        return self._sort is None and self._filter is Filter.ALL and not self._search

    def _view_rows(self, rows: np.ndarray) -> np.ndarray:
        self._pos = np.full(len(self._state), -1, dtype=np.int64)
        self._pos[self._order] = np.arange(len(self._order))
        view = self._pos[rows]
        return view[view >= 0]

    # -- groups, counts, filters -----------------------------------------------------

    def _groups(self, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        state = self._state[rows]
        status = self._status[rows]
        groups = _GROUP_BY_STATUS[status.astype(np.int64) + 32768]
        groups = np.where(status == NO_STATUS, _GROUP_CODE[Filter.PENDING], groups)
        groups = np.where(state == RowState.UNCONFIRMED, _GROUP_CODE[Filter.UNCONFIRMED],
                          groups)
        failed = (state == RowState.REJECTED) | (state == RowState.SKIPPED) | (
            state == RowState.EXCLUDED)
        return np.where(failed, _GROUP_CODE[Filter.FAILED], groups)

    def counts(self) -> dict[Filter, int]:
        groups = self._groups()
        found = np.bincount(groups, minlength=len(Filter))
        result: dict[Filter, int] = {
            f: int(found[_GROUP_CODE[f]]) for f in Filter if f is not Filter.ALL}
        result[Filter.ALL] = len(self._state)
        return result

    def state_counts(self) -> dict[RowState, int]:
        found = np.bincount(self._state, minlength=len(RowState))
        return {s: int(found[s]) for s in RowState}

    def set_filter(self, which: Filter) -> None:
        self._filter = which
        self._rebuild()

    def set_search(self, text: str) -> None:
        self._search = text.strip()
        self._rebuild()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        n = len(self._state)
        order = np.arange(n, dtype=np.int64)
        if self._sort is not None:
            column, direction = self._sort
            keys = self._sort_keys(COLUMNS[column])
            order = np.argsort(keys, kind="stable")
            if direction == Qt.SortOrder.DescendingOrder:
                order = order[::-1]
        mask = np.ones(n, dtype=bool)
        if self._filter is not Filter.ALL:
            mask &= self._groups() == _GROUP_CODE[self._filter]
        if self._search:
            mask &= self._search_mask(self._search)
        self._order = order[mask[order]]
        self._pos = None
        self.endResetModel()

    def _sort_keys(self, column: str) -> np.ndarray:
        if column == "recipient":
            return self._address.to_numpy(dtype=object, na_value="")
        if column == "name" and self._name is not None:
            return self._name.fillna("").to_numpy(dtype=object)
        if column == "status":
            return self._status.astype(np.int32) * 16 + self._state
        if column == "changed":
            return self._changed
        if column == "platform_id":
            return np.array(["" if p is None else str(p) for p in self._platform_id],
                            dtype=object)
        if column == "error":
            keys = np.full(len(self._state), "", dtype=object)
            for r, e in self._error.items():
                keys[r] = e
            return keys
        return np.arange(len(self._state))

    def _search_mask(self, text: str) -> np.ndarray:
        series = pd.Series(self._address)
        mask = series.str.contains(text, case=False, regex=False, na=False).to_numpy(bool)
        if self._name is not None:
            mask |= pd.Series(self._name).str.contains(
                text, case=False, regex=False, na=False).to_numpy(bool)
        return mask

    def source_row(self, view_row: int) -> int:
        return int(self._order[view_row])

    # -- Qt model interface ----------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return section + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = int(self._order[index.row()])
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return self._text(r, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return _GROUP_COLOURS.get(list(Filter)[int(self._groups(np.array([r]))[0])])
        return None

    def status_text(self, r: int) -> str:
        state = RowState(int(self._state[r]))
        status = int(self._status[r])
        waiting = status in (NO_STATUS, -1)  # -1: "waiting to be sent" (deferred)
        if (waiting and r in self._scheduled and state in (
                RowState.ACCEPTED, RowState.QUEUED, RowState.SCHEDULED)
                and self._scheduled[r] > time.time()):
            when = time.strftime("%d.%m %H:%M", time.localtime(self._scheduled[r]))
            return ("Запланировано на " if self._ru else "Scheduled for ") + when
        if status != NO_STATUS and state not in (RowState.REJECTED, RowState.UNCONFIRMED):
            info = status_info(status)
            return info.label_ru if self._ru else info.label_en
        if (r in self._scheduled and state in (RowState.ACCEPTED, RowState.QUEUED,
                                               RowState.SCHEDULED)
                and self._scheduled[r] > time.time()):
            when = time.strftime("%d.%m %H:%M", time.localtime(self._scheduled[r]))
            return ("Запланировано на " if self._ru else "Scheduled for ") + when
        return _STATE_LABELS[state][0 if self._ru else 1]

    def _text(self, r: int, column: str) -> str:
        if column == "recipient":
            value = self._address[r]
            return "" if value is pd.NA else str(value)
        if column == "name":
            if self._name is None:
                return ""
            value = self._name[r]
            return "" if value is pd.NA else str(value)
        if column == "channel":
            channel = self._channels.get(r, self._channel_default)
            return channel.label_ru if self._ru else channel.label_en
        if column == "platform_id":
            value = self._platform_id[r]
            return "" if value is None else str(value)
        if column == "status":
            return self.status_text(r)
        if column == "changed":
            t = self._changed[r]
            return time.strftime("%d.%m.%Y %H:%M:%S", time.localtime(t)) if t else ""
        if column == "error":
            return self._error.get(r, "")
        return ""

    # -- for actions and export ------------------------------------------------------

    def row_snapshot(self, r: int) -> dict[str, Any]:
        status = int(self._status[r])
        return {
            "recipient": self._text(r, "recipient"),
            "name": self._text(r, "name"),
            "channel": self._text(r, "channel"),
            "platform_id": self._text(r, "platform_id"),
            "state": RowState(int(self._state[r])).name.lower(),
            "status": None if status == NO_STATUS else status,
            "status_label": self.status_text(r),
            "changed": self._text(r, "changed"),
            "error": self._text(r, "error"),
        }

    def group_of(self, r: int) -> Filter:
        return list(Filter)[int(self._groups(np.array([r]))[0])]

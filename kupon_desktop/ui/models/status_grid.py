"""The Campaign page's model: one row per recipient, a million rows, updated live.

Rows live in compact column arrays (numpy for what changes, Arrow-backed strings for
what does not); ``data()`` reads one cell on demand. Updates arrive in batches from the
poll of the log and end in one ``dataChanged`` per run of adjacent changed rows (a
signal per row cost 36–40 ms for 10,000 rows, one range 4–6 ms). Sorting is an argsort
and filtering a mask over whole arrays, as in ``frame.py``.

numpy and pandas are imported on first use, not with the module: the window builds this
model at start-up, and those imports alone took longer than the 0.5 s the window has to
appear (benchmarks/README.md). An empty model answers Qt without them.
"""

from __future__ import annotations

import enum
import functools
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from kupon_desktop.campaign.counts import Group, status_group
from kupon_desktop.lazy import on_first_use
from kupon_desktop.reasons import reason_text
from kupon_desktop.vocabulary import STATUSES, MessageType, status_info

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = on_first_use("numpy", "np", globals())
    pd = on_first_use("pandas", "pd", globals())

_Index = QModelIndex | QPersistentModelIndex
NO_STATUS = -32768
#: no platform id (the platform's ids are positive numbers)
NO_ID = -(2**63)


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
    """The grid's filters: all rows, or one group of ``campaign.counts`` (same values)."""

    ALL = "all"
    PENDING = Group.PENDING.value
    DELIVERED = Group.DELIVERED.value
    ENGAGED = Group.ENGAGED.value
    FAILED = Group.FAILED.value
    UNCONFIRMED = Group.UNCONFIRMED.value
    NOT_SENT = Group.NOT_SENT.value


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
    Filter.NOT_SENT: QColor("#8c959f"),
}

# status code -> filter group, as a lookup table over int16 codes (offset by 32768)
_GROUP_CODE = {f: i for i, f in enumerate(Filter)}


def import_arrays() -> None:
    """Import numpy and pandas now. Call it before reading a large campaign: imported
    after a million rows were read into lists, their long-lived objects land among the
    lists' freed memory and keep it resident (450 MB instead of 360 MB for 1,000,000)."""
    np.ndarray  # noqa: B018 - the first attribute read imports the module
    pd.NA  # noqa: B018


@functools.cache
def _status_group_table() -> np.ndarray:
    """Status code (offset by 32768) -> filter code, from ``campaign.counts.status_group``:
    the grid groups its rows exactly as the counts are made."""
    # a code the vendor does not document (none of STATUSES) is grouped as status_group
    # groups one: 32767 stands for them all
    table = np.full(65536, _GROUP_CODE[Filter(status_group(32767).value)], dtype=np.int8)
    for code in STATUSES:
        table[code + 32768] = _GROUP_CODE[Filter(status_group(code).value)]
    return table


_STATE_CODE = {state.name.lower(): int(state) for state in RowState}
_FILTERS = list(Filter)
# roles as plain ints: ``data`` compares them for every cell of every repaint
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_ANSWERED_ROLES = frozenset(
    int(r.value)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
    )
)


def _epoch(value: Any) -> float:
    from datetime import datetime

    if isinstance(value, (int, float)):
        return float(value) / (1000.0 if value > 1e11 else 1.0)
    return datetime.fromisoformat(str(value)).timestamp()


class StatusGridModel(QAbstractTableModel):
    def __init__(self, language: str = "en", parent: Any = None) -> None:
        super().__init__(parent)
        self._ru = language == "ru"
        self._headers = self._make_headers()
        # empty without numpy: the arrays are made on first use (``__getattr__``)
        self._channel_default = MessageType.SMS
        self._channels: dict[int, MessageType] = {}
        self._scheduled: dict[int, float] = {}
        self._error: dict[int, str] = {}
        self._platform_text: dict[int, str] = {}  # the rare id that is not a number
        self._filter = Filter.ALL
        self._search = ""
        self._hits_for: tuple[str, Any] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._order: Any = ()
        self._pos: np.ndarray | None = None

    _ARRAYS = frozenset(("_address", "_name", "_state", "_status", "_changed", "_platform_id"))

    def __getattr__(self, name: str) -> Any:
        # only reached for attributes not set yet: the arrays of a model never loaded
        if name not in StatusGridModel._ARRAYS:
            raise AttributeError(name)
        self._set_rows([], [], self._channel_default)
        if isinstance(self._order, tuple):
            self._order = np.arange(0, dtype=np.int64)
        return object.__getattribute__(self, name)

    def _make_headers(self) -> list[str]:
        if self._ru:
            return ["Получатель", "Имя", "Канал", "ID платформы", "Статус", "Изменён", "Ошибка"]
        return ["Recipient", "Name", "Channel", "Platform ID", "Status", "Changed", "Error"]

    # -- loading and updating --------------------------------------------------------

    def load(
        self,
        addresses: Sequence[str] | pd.Series,
        names: Sequence[str] | pd.Series,
        channel: MessageType,
        states: np.ndarray | None = None,
    ) -> None:
        """Replace the grid with a campaign's recipients (row i = recipient key i)."""
        self.beginResetModel()
        n = self._set_rows(addresses, names, channel, states)
        self._filter = Filter.ALL
        self._search = ""
        self._hits_for = None
        self._sort = None
        self._order = np.arange(n, dtype=np.int64)
        self._pos = None
        self.endResetModel()

    def _set_rows(
        self,
        addresses: Sequence[str] | pd.Series,
        names: Sequence[str] | pd.Series,
        channel: MessageType,
        states: np.ndarray | None = None,
    ) -> int:
        n = len(addresses)
        self._address = pd.array(
            list(addresses) if not isinstance(addresses, pd.Series) else addresses,
            dtype="string[pyarrow]",
        )
        self._name = (
            pd.array(
                list(names) if not isinstance(names, pd.Series) else names, dtype="string[pyarrow]"
            )
            if len(names)
            else None
        )
        self._channel_default = channel
        self._channels = {}
        self._state = (
            np.asarray(states, dtype=np.int8) if states is not None else np.zeros(n, dtype=np.int8)
        )
        self._status = np.full(n, NO_STATUS, dtype=np.int16)
        self._changed = np.zeros(n, dtype=np.float64)
        self._scheduled = {}
        # an int64 per row, not a Python object: a million ints kept from the log's
        # lists pinned their memory arenas (90 MB more resident after loading)
        self._platform_id = np.full(n, NO_ID, dtype=np.int64)
        self._platform_text = {}
        self._error = {}
        return n

    def load_columns(self, columns: dict[str, list[Any]], channel: MessageType) -> None:
        """Load a campaign as read by ``Log.read_columns`` (row i = recipient key i)."""
        n = len(columns["key"])
        names = columns.get("name") or []
        has_names = any(v is not None for v in names)
        states = np.fromiter(map(_STATE_CODE.__getitem__, columns["state"]), np.int8, n)
        self.load(columns["address"], names if has_names else [], channel, states)
        self.beginResetModel()
        self._fill(np.arange(n), columns)
        self.endResetModel()

    def apply_columns(self, columns: dict[str, Any]) -> int:
        """Apply changed recipients' columns: "key" and any of the loaded columns, as
        lists (``Log.read_columns(keys=…)``) or numpy arrays (``Log.poll_changes``); a
        column left out keeps its values."""
        rows = np.asarray(columns["key"], dtype=np.int64)
        inside = rows < len(self._state)
        if not inside.all():  # keys past the loaded rows: keep each column aligned
            picked = np.flatnonzero(inside).tolist()
            columns = {name: [values[i] for i in picked] for name, values in columns.items()}
            rows = rows[inside]
        if len(rows) == 0:
            return 0
        before = self._groups(rows) if self._filter is not Filter.ALL else None
        if "state" in columns:
            self._state[rows] = np.fromiter(
                map(_STATE_CODE.__getitem__, columns["state"]), np.int8, len(rows)
            )
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
            self._status[rows] = np.where(
                np.isnan(codes), NO_STATUS, np.clip(codes, -32768, 32767)
            ).astype(np.int16)
        pid = columns.get("platform_id")
        if pid is not None:
            try:
                self._platform_id[rows] = np.fromiter(
                    (NO_ID if v is None else v for v in pid), np.int64, len(rows)
                )
                if self._platform_text:
                    for r in rows.tolist():
                        self._platform_text.pop(r, None)
            except (TypeError, ValueError, OverflowError):
                for r, v in zip(rows.tolist(), pid, strict=True):
                    self._set_platform_id(r, v)
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
        if status_at is not None:
            # the later of the status time and the sending time (kept when not given)
            latest = np.array(status_at, dtype=np.float64)
            if sent_at is not None:
                latest = np.fmax(latest, np.array(sent_at, dtype=np.float64))
                self._changed[rows] = np.nan_to_num(latest, nan=0.0) / 1000.0
            else:
                self._changed[rows] = np.fmax(latest / 1000.0, self._changed[rows])
        scheduled = columns.get("scheduled_at")
        if scheduled is not None:
            listed = rows.tolist()
            for i, value in enumerate(scheduled):
                if value:
                    self._scheduled[listed[i]] = _epoch(value)

    def _set_platform_id(self, r: int, value: Any) -> None:
        """One row's id: a number in the array, anything else as its text."""
        if value is None:
            self._platform_id[r] = NO_ID
            self._platform_text.pop(r, None)
            return
        text = str(value)
        if text.isdigit() and str(int(text)) == text and int(text) < 2**63:
            self._platform_id[r] = int(text)
            self._platform_text.pop(r, None)
        else:
            self._platform_id[r] = NO_ID
            self._platform_text[r] = text

    def _emit_changed(self, rows: np.ndarray) -> int:
        if self._pos is None:
            view = rows if self._is_identity() else self._view_rows(rows)
        else:
            view = self._pos[rows]
            view = view[view >= 0]
        if len(view) == 0:
            return 0
        if len(view) > 1 and not np.all(view[1:] > view[:-1]):
            view = np.unique(view)  # the log's keys come sorted: a sort only if not
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
        groups = _status_group_table()[status.astype(np.int64) + 32768]
        groups = np.where(status == NO_STATUS, _GROUP_CODE[Filter.PENDING], groups)
        # the state decides first, as campaign.counts.group_of does
        groups = np.where(state == RowState.REJECTED, _GROUP_CODE[Filter.FAILED], groups)
        groups = np.where(state == RowState.UNCONFIRMED, _GROUP_CODE[Filter.UNCONFIRMED], groups)
        not_sent = (state == RowState.SKIPPED) | (state == RowState.EXCLUDED)
        return np.where(not_sent, _GROUP_CODE[Filter.NOT_SENT], groups)

    def counts(self, searched: bool = False) -> dict[Filter, int]:
        """Rows per filter group; with ``searched``, only the rows the search finds (the
        filter buttons' counts follow the search)."""
        groups = self._groups()
        if searched and self._search:
            groups = groups[self._hits()]
        found = np.bincount(groups, minlength=len(Filter))
        result: dict[Filter, int] = {
            f: int(found[_GROUP_CODE[f]]) for f in Filter if f is not Filter.ALL
        }
        result[Filter.ALL] = len(groups)
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
        # -1 is Qt's "no sort column" (a header whose arrow is cleared): the rows as
        # stored, not the last column's order
        self._sort = (column, order) if column >= 0 else None
        self._rebuild()

    def _rebuild(self) -> None:
        if isinstance(self._order, tuple):
            return  # never loaded: nothing to order yet (the view sorts at start-up)
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
            mask &= self._hits()
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
            return np.array(
                [self._text(r, "platform_id") for r in range(len(self._state))], dtype=object
            )
        if column == "error":
            keys = np.full(len(self._state), "", dtype=object)
            for r, e in self._error.items():
                keys[r] = e
            return keys
        return np.arange(len(self._state))

    def _hits(self) -> np.ndarray:
        """The search's matches, worked out once per query (recipients and names do not
        change while a campaign is shown; statuses do, and are not searched)."""
        cached = self.__dict__.get("_hits_for")
        if cached is None or cached[0] != self._search or len(cached[1]) != len(self._state):
            self._hits_for = (self._search, self._search_mask(self._search))
        return self._hits_for[1]

    def _search_mask(self, text: str) -> np.ndarray:
        """Rows whose recipient or name matches ``text``; a query typed like a phone
        (``8 (916) 555``, ``916 123``) is matched the way phones are stored."""
        from kupon_desktop.contacts.search import search_mask

        columns = [self._address] if self._name is None else [self._address, self._name]
        mask = search_mask(columns, text)
        return np.ones(len(self._state), dtype=bool) if mask is None else mask

    def source_row(self, view_row: int) -> int:
        return int(self._order[view_row])

    # -- Qt model interface ----------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return section + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks about seven roles per cell on every repaint; the four this model
        # does not answer return before any other work (a third of a tick's repaint).
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        column = COLUMNS[index.column()]
        if role == _FOREGROUND:
            if column != "status":
                return None
            return _GROUP_COLOURS.get(_FILTERS[self._group_code(int(self._order[index.row()]))])
        return self._text(int(self._order[index.row()]), column)

    def _group_code(self, r: int) -> int:
        """``_groups`` for one row, without numpy's per-call cost."""
        state = int(self._state[r])
        if state in (RowState.REJECTED, RowState.SKIPPED, RowState.EXCLUDED):
            return _GROUP_CODE[Filter.FAILED]
        if state == RowState.UNCONFIRMED:
            return _GROUP_CODE[Filter.UNCONFIRMED]
        status = int(self._status[r])
        if status == NO_STATUS:
            return _GROUP_CODE[Filter.PENDING]
        return int(_status_group_table()[status + 32768])

    def status_text(self, r: int) -> str:
        state = RowState(int(self._state[r]))
        status = int(self._status[r])
        waiting = status in (NO_STATUS, -1)  # -1: "waiting to be sent" (deferred)
        if (
            waiting
            and r in self._scheduled
            and state in (RowState.ACCEPTED, RowState.QUEUED, RowState.SCHEDULED)
            and self._scheduled[r] > time.time()
        ):
            when = time.strftime("%d.%m %H:%M", time.localtime(self._scheduled[r]))
            return ("Запланировано на " if self._ru else "Scheduled for ") + when
        if status != NO_STATUS and state not in (RowState.REJECTED, RowState.UNCONFIRMED):
            info = status_info(status)
            return info.label_ru if self._ru else info.label_en
        if (
            r in self._scheduled
            and state in (RowState.ACCEPTED, RowState.QUEUED, RowState.SCHEDULED)
            and self._scheduled[r] > time.time()
        ):
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
            if r in self._platform_text:
                return self._platform_text[r]
            value = int(self._platform_id[r])
            return "" if value == NO_ID else str(value)
        if column == "status":
            return self.status_text(r)
        if column == "changed":
            t = self._changed[r]
            return time.strftime("%d.%m.%Y %H:%M:%S", time.localtime(t)) if t else ""
        if column == "error":
            return reason_text(self._error.get(r), "ru" if self._ru else "en")
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
        return _FILTERS[self._group_code(r)]

"""A read-only table model over a pandas DataFrame, fine with a million rows.

Cells are read on demand from the frame's own (Arrow-backed) columns: nothing is copied
into Python objects per cell. Sorting is an argsort inside the model and filtering a
boolean mask, both over whole columns at once; ``QSortFilterProxyModel`` took 107 s to
sort a million rows where the argsort takes half a second.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kupon_desktop.lazy import on_first_use

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:  # the window makes empty models at start-up, before it needs pandas
    np = on_first_use("numpy", "np", globals())
    pd = on_first_use("pandas", "pd", globals())

_Index = QModelIndex | QPersistentModelIndex


#: characters of a cell shown in a grid (and in its tooltip): the rest is cut
CELL_LIMIT = 500
TIP_LIMIT = 2000


class FrameTableModel(QAbstractTableModel):
    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        headers: list[str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._columns: list[Any] = []
        self._formats: list[Callable[[Any], str] | None] = []
        self._order: Any = ()  # an empty model needs neither pandas nor numpy
        self._mask: np.ndarray | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        if frame is not None:
            self.set_frame(frame, headers)

    def __getattr__(self, name: str) -> Any:
        # only reached while no frame was set: the empty frame is made on first use
        if name != "_frame":
            raise AttributeError(name)
        self._frame = pd.DataFrame()
        if isinstance(self._order, tuple):
            self._order = np.arange(0)
        return self._frame

    # -- data ------------------------------------------------------------------------

    def set_frame(
        self,
        frame: pd.DataFrame,
        headers: list[str] | None = None,
        formats: Mapping[str, Callable[[Any], str]] | None = None,
    ) -> None:
        """Show ``frame``. ``formats`` maps a column to the function that writes its cells
        for the eye (a count with the locale's separators, a time as a date): the frame
        keeps the values, so sorting orders numbers and times, not their text."""
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        self._headers = list(headers) if headers is not None else [str(c) for c in frame.columns]
        self._columns = [_shown(self._frame[c].array) for c in self._frame.columns]
        formats = formats or {}
        self._formats = [formats.get(c) for c in self._frame.columns]
        self._mask = None
        self._sort = None
        self._order = np.arange(len(self._frame))
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def update_row(self, row: int, values: dict[str, Any]) -> None:
        """Change some cells of frame row ``row`` in place (one ``dataChanged``, the
        selection and the scroll position kept)."""
        for column, value in values.items():
            self._frame.at[row, column] = value
        self._columns = [self._frame[c].array for c in self._frame.columns]
        shown = np.flatnonzero(self._order == row)
        if len(shown):
            view_row = int(shown[0])
            self.dataChanged.emit(
                self.index(view_row, 0), self.index(view_row, len(self._columns) - 1)
            )

    def source_row(self, row: int) -> int:
        """The frame row shown at view row ``row``."""
        return int(self._order[row])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        value = self._columns[index.column()][self._order[index.row()]]
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return ""
        shown = self._formats[index.column()] if self._formats else None
        text = shown(value) if shown is not None else str(value)
        if len(text) > CELL_LIMIT:
            # a cell of megabytes would be laid out whole at every paint: show its start
            limit = CELL_LIMIT if role == Qt.ItemDataRole.DisplayRole else TIP_LIMIT
            return text[:limit] + "…"
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return section + 1

    # -- sorting and filtering -------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self._sort = (column, order)
        self._apply()

    def set_filter_text(self, text: str) -> None:
        """Show only the rows where some column contains ``text`` (case-insensitive); a
        query typed like a phone (``8 (916) 555``, ``916 123``) also finds the number
        however it is written (``contacts.search``)."""
        from kupon_desktop.contacts.search import search_mask

        self._mask = search_mask((self._frame[c] for c in self._frame.columns), text)
        self._apply()

    def shown(self) -> int:
        """How many rows the filter lets through."""
        return len(self._order)

    def _apply(self) -> None:
        # a reset rather than a layout change: the selection is dropped instead of being
        # left pointing at rows that moved
        self.beginResetModel()
        order = np.arange(len(self._frame))
        if self._sort is not None:
            column, direction = self._sort
            series = self._frame.iloc[:, column]
            if pd.api.types.is_datetime64_any_dtype(series):
                # by time, not by the text of a time (which drops zero fractions)
                keys = series.dt.tz_localize(None) if series.dt.tz is not None else series
                keys = keys.to_numpy(dtype="datetime64[ns]").astype("int64")
            elif pd.api.types.is_numeric_dtype(series):
                keys = series.to_numpy(dtype=float, na_value=np.inf)
            else:
                keys = series.astype("string").fillna("").str.lower().to_numpy(dtype=object)
            order = np.argsort(keys, kind="stable")
            if direction == Qt.SortOrder.DescendingOrder:
                order = order[::-1]
        if self._mask is not None:
            order = order[self._mask[order]]
        self._order = order
        self.endResetModel()


def _shown(column: Any) -> Any:
    """``column`` as the grid reads it: text cells longer than ``CELL_LIMIT`` are cut
    once here, in Arrow (whole columns in C), so that painting and sizing a row never
    copy a cell of megabytes into Python. The frame itself keeps every character."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        data = (
            pa.chunked_array(pa.array(column))
            if not isinstance(column, pa.ChunkedArray)
            else column
        )
    except (ImportError, TypeError, ValueError, pa.ArrowException):
        return column
    if not (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        return column
    data = data.cast(pa.large_string())
    lengths = pc.utf8_length(data)
    longest = pc.max(lengths).as_py()
    if longest is None or longest <= CELL_LIMIT:
        return column
    ellipsis = pa.scalar("…", pa.large_string())
    empty = pa.scalar("", pa.large_string())
    cut = pc.binary_join_element_wise(pc.utf8_slice_codeunits(data, 0, CELL_LIMIT), ellipsis, empty)
    return pd.arrays.ArrowStringArray(pc.if_else(pc.greater(lengths, CELL_LIMIT), cut, data))

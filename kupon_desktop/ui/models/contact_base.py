"""The Base page's contact table: it holds only the ids of the contacts shown (an array of
64-bit integers: a million in 8 MB) and reads their rows from the log in pages of
:data:`PAGE` as the view asks for them, in a worker thread. A row not read yet shows
"…" until its page arrives; then one ``dataChanged`` covers the page. A few hundred
pages are kept (the ones seen last); the view's rows have a fixed height, so scrolling
through a million asks for the rows on screen only.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

_Index = QModelIndex | QPersistentModelIndex

#: rows read from the log at a time
PAGE = 200
#: pages kept in memory (the view's neighbourhood and a little history)
KEEP_PAGES = 64

#: reads the rows of some ids (``kupon_desktop.base.ui_queries.PageRows``), off the GUI
#: thread; started as a task by ``start``
Loader = Callable[[Sequence[int]], Awaitable[Any]]
Starter = Callable[[Awaitable[Any]], Any]


class ContactTableModel(QAbstractTableModel):
    #: a page arrived (tests and the card wait on it)
    page_loaded = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: array[int] = array("q")
        self._fields: list[str] = []
        self._headers: list[str] = []
        self._pages: OrderedDict[int, Any] = OrderedDict()
        self._pending: set[int] = set()
        self._loader: Loader | None = None
        self._start: Starter | None = None
        #: bumped on every reset: a page read for the ids before is dropped
        self._generation = 0
        self.consent_labels = {1: "yes", 0: "withdrawn", None: ""}

    # -- what is shown ---------------------------------------------------------------

    def attach(self, loader: Loader, start: Starter) -> None:
        self._loader, self._start = loader, start

    def set_ids(self, ids: array[int], fields: list[str], headers: Sequence[str]) -> None:
        """Show these contacts (``headers``: phone, e-mail, then ``fields``, then the two
        consent columns, as the interface names them)."""
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._fields = list(fields)
        self._headers = list(headers)
        self._pages.clear()
        self._pending.clear()
        self.endResetModel()

    def clear(self) -> None:
        self.set_ids(array("q"), [], [])

    def contact_id(self, row: int) -> int | None:
        return int(self._ids[row]) if 0 <= row < len(self._ids) else None

    def row_of(self, contact: int) -> int | None:
        """The row showing ``contact`` (ids are in ascending order: a bisection)."""
        from bisect import bisect_left

        k = bisect_left(self._ids, contact)
        return k if k < len(self._ids) and self._ids[k] == contact else None

    def refresh(self) -> None:
        """Read the rows on screen again (a contact changed: its consent, a field)."""
        self._generation += 1
        self._pages.clear()
        self._pending.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1)
            )

    @property
    def ids(self) -> array[int]:
        return self._ids

    # -- the model -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._ids)) or not (0 <= column < len(self._headers)):
            return None
        page = self._page(row // PAGE)
        if page is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        k = row % PAGE
        nf = len(self._fields)
        if column == 0:
            return page.phones[k]
        if column == 1:
            return page.emails[k]
        if column < 2 + nf:
            value = page.fields[k].get(self._fields[column - 2])
            return "" if value is None else str(value)
        consent = page.consent_phone[k] if column == 2 + nf else page.consent_email[k]
        return self.consent_labels.get(consent, "")

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- pages -----------------------------------------------------------------------

    def _page(self, number: int) -> Any:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if number not in self._pending and self._loader is not None and self._start is not None:
            self._pending.add(number)
            self._start(self._load(number, self._generation))
        return None

    async def _load(self, number: int, generation: int) -> None:
        assert self._loader is not None
        ids = self._ids[number * PAGE : (number + 1) * PAGE]
        try:
            rows = await self._loader(list(ids))
        finally:
            if generation == self._generation:
                self._pending.discard(number)
        if generation != self._generation:
            return  # the model was reset (another list, a search) while it was read
        self._pages[number] = rows
        while len(self._pages) > KEEP_PAGES:
            self._pages.popitem(last=False)
        first = number * PAGE
        last = min(len(self._ids), first + PAGE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        self.page_loaded.emit(number)

    async def prefetch(self, number: int = 0) -> None:
        """Read a page now, not when the view first paints it: the first screen is read
        before other reads (a segment's count) queue up for the log."""
        if number in self._pages or number in self._pending or self._loader is None:
            return
        if number * PAGE >= len(self._ids):
            return
        self._pending.add(number)
        await self._load(number, self._generation)

    def loaded(self, row: int) -> Any:
        """The page row ``row`` is on, if it was read (None otherwise)."""
        return self._pages.get(row // PAGE)

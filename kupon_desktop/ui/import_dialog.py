"""The mapping step of an import: what the file looks like and what was understood.

The user sees the first rows as read, the detected header row and the column chosen for
each role (phone, e-mail, push token, name), and may change any of them and the sheet of
a workbook. The choices go to ``contacts.import_file`` unchanged.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

_Index = QModelIndex | QPersistentModelIndex


class _PreviewModel(QAbstractTableModel):
    def __init__(self, preview: Any) -> None:
        super().__init__()
        self.preview = preview
        self.header_row = preview.header_row

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.preview.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else (len(self.preview.rows[0]) if self.preview.rows else 0)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        is_header = self.preview.row_numbers[index.row()] == self.header_row
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.preview.rows[index.row()][index.column()]
            return value if len(value) <= 80 else value[:80] + "…"
        if role == Qt.ItemDataRole.FontRole and is_header:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and is_header:
            return QBrush(QColor("#dbe7fd"))
        if role == Qt.ItemDataRole.ForegroundRole and (
            self.preview.row_numbers[index.row()] < self.header_row
        ):
            return QBrush(QColor("#8a94a3"))  # title rows above the header
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(self.preview.row_numbers[section])
        return _letter(section)

    def set_header_row(self, number: int) -> None:
        self.beginResetModel()
        self.header_row = number
        self.endResetModel()


def _letter(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class ImportDialog(QDialog):
    def __init__(
        self, preview: Any, parent: QWidget | None = None, load_preview: Any = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import %1").replace("%1", preview.path.name))
        self.resize(900, 560)
        self._load_preview = load_preview
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Check what was understood. The header row is highlighted; rows above it are "
                "skipped. Change the sheet, the header row or any column's role if needed."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("pageHint")
        layout.addWidget(intro)

        top = QFormLayout()
        self.sheet = QComboBox()
        self.sheet.currentTextChanged.connect(self._sheet_changed)
        top.addRow(self.tr("Sheet:"), self.sheet)
        self.header = QSpinBox()
        self.header.setSpecialValueText(self.tr("no header"))
        self.header.valueChanged.connect(self._header_changed)
        top.addRow(self.tr("Header row:"), self.header)
        self.details = QLabel()
        self.details.setObjectName("pageHint")
        top.addRow("", self.details)
        layout.addLayout(top)

        self.view = QTableView()
        self.view.verticalHeader().setDefaultSectionSize(22)
        layout.addWidget(self.view, 1)

        roles_row = QHBoxLayout()
        self.role_combos: dict[str, QComboBox] = {}
        for role, label in (
            ("phone", self.tr("Phone")),
            ("email", self.tr("E-mail")),
            ("push_token", self.tr("Push token")),
            ("name", self.tr("Name")),
        ):
            box = QVBoxLayout()
            caption = QLabel(label)
            caption.setObjectName("pageHint")
            combo = QComboBox()
            combo.setMinimumWidth(150)
            box.addWidget(caption)
            box.addWidget(combo)
            roles_row.addLayout(box)
            self.role_combos[role] = combo
        roles_row.addStretch(1)
        layout.addLayout(roles_row)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._updating = False
        self.show_preview(preview)

    def show_preview(self, preview: Any) -> None:
        self._updating = True
        try:
            self.preview = preview
            self.model = _PreviewModel(preview)
            self.view.setModel(self.model)
            self.sheet.clear()
            self.sheet.addItems(preview.sheets)
            self.sheet.setCurrentText(preview.sheet or "")
            self.sheet.setEnabled(preview.kind == "workbook" and len(preview.sheets) > 1)
            last = preview.row_numbers[-1] if preview.row_numbers else 0
            self.header.setRange(0, max(last, preview.header_row))
            self.header.setValue(preview.header_row)
            bits = []
            if preview.encoding:
                bits.append(self.tr("encoding %1").replace("%1", preview.encoding))
            if preview.delimiter:
                shown = {"\t": "Tab", ";": ";", ",": ",", "|": "|"}.get(
                    preview.delimiter, preview.delimiter
                )
                bits.append(self.tr("separator %1").replace("%1", shown))
            self.details.setText(" · ".join(bits))
            self._fill_roles(preview.columns, preview.roles)
        finally:
            self._updating = False
        self.view.resizeColumnsToContents()

    def _columns_for(self, header_row: int) -> list[str]:
        if header_row and header_row in self.preview.row_numbers:
            cells = self.preview.rows[self.preview.row_numbers.index(header_row)]
            return [c.strip() or _letter(i) for i, c in enumerate(cells)]
        return [_letter(i) for i in range(self.model.columnCount())]

    def _fill_roles(self, columns: list[str], roles: dict[str, str]) -> None:
        for role, combo in self.role_combos.items():
            combo.clear()
            combo.addItem(self.tr("(none)"), "")
            for name in columns:
                combo.addItem(name, name)
            chosen = roles.get(role)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)

    @Slot(int)
    def _header_changed(self, value: int) -> None:
        if self._updating:
            return
        self.model.set_header_row(value)
        current = {r: c.currentData() for r, c in self.role_combos.items()}
        columns = self._columns_for(value)
        self._fill_roles(columns, {r: c for r, c in current.items() if c in columns})

    @Slot(str)
    def _sheet_changed(self, name: str) -> None:
        if self._updating or not name or self._load_preview is None:
            return
        # kept so the task is not garbage-collected while it runs
        self._reload_task = asyncio.ensure_future(self._reload(name))

    async def _reload(self, sheet: str) -> None:
        preview = await self._load_preview(sheet)
        if preview is not None:
            self.show_preview(preview)

    def options(self) -> dict[str, Any]:
        """The user's choices, as ``import_file`` keyword arguments."""
        return {
            "sheet": self.preview.sheet if self.preview.kind == "workbook" else None,
            "header_row": self.header.value(),
            "roles": {
                role: (combo.currentData() or None) for role, combo in self.role_combos.items()
            },
        }

"""Who a campaign goes to: the file imported on the Contacts page, a list or a segment of
the base. Shown at the top of the Message page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

FILE, LIST, SEGMENT = "file", "list", "segment"


class AudiencePicker(QWidget):
    #: (kind, name): the user picked another audience
    picked = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audiencePicker")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Send to:")))
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("the file on the Contacts page"), FILE)
        self.kind_combo.addItem(self.tr("a list of the base"), LIST)
        self.kind_combo.addItem(self.tr("a segment of the base"), SEGMENT)
        self.name_combo = QComboBox()
        self.name_combo.setMinimumWidth(220)
        self.status = QLabel()
        self.status.setObjectName("pageHint")
        layout.addWidget(self.kind_combo)
        layout.addWidget(self.name_combo)
        layout.addWidget(self.status, 1)
        self.lists: list[str] = []
        self.segments: list[str] = []
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.name_combo.activated.connect(lambda _i: self._emit())
        self._kind_changed()

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def name(self) -> str:
        return self.name_combo.currentText() if self.kind != FILE else ""

    def set_names(self, lists: list[str], segments: list[str]) -> None:
        """The base's lists and segments (after a change on the Base page); the one
        picked stays picked if it still exists."""
        self.lists, self.segments = list(lists), list(segments)
        if self.kind != FILE:
            self._fill(keep=self.name)

    def pick(self, kind: str, name: str = "") -> None:
        self.kind_combo.blockSignals(True)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self.kind_combo.blockSignals(False)
        self._fill(keep=name)
        self._emit()

    def _kind_changed(self) -> None:
        self._fill(keep="")
        self._emit()

    def _fill(self, keep: str) -> None:
        names = {LIST: self.lists, SEGMENT: self.segments}.get(self.kind, [])
        self.name_combo.blockSignals(True)
        self.name_combo.clear()
        self.name_combo.addItems(names)
        if keep in names:
            self.name_combo.setCurrentIndex(names.index(keep))
        self.name_combo.blockSignals(False)
        self.name_combo.setVisible(self.kind != FILE)
        self.name_combo.setEnabled(bool(names))
        if self.kind != FILE and not names:
            self.status.setText(
                self.tr("No lists yet: import a file on the Base page.")
                if self.kind == LIST
                else self.tr("No segments yet: make one on the Base page.")
            )

    def _emit(self) -> None:
        self.picked.emit(self.kind, self.name)

"""The segment editor: a name and simple conditions (a field equals / contains / is empty,
a list, a tag, consent, an outcome in a campaign or in the last N days), all or any of
them, each may be negated. It builds the definition ``kupon_desktop.base.segments``
documents; the log checks it when it is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

#: the kinds of condition, in the order the combo lists them
KINDS = (
    "equals",
    "contains",
    "empty",
    "date",
    "list",
    "tag",
    "consent",
    "withdrawn",
    "outcome_campaign",
    "outcome_days",
)
OUTCOMES = ("sent", "delivered", "read", "clicked", "undelivered")
#: a date field's ranges (the segment grammar's), in the order the combo lists them
DATE_RANGES = ("today", "this_week", "this_month", "next_days", "last_days")


class ConditionRow(QWidget):
    removed = Signal(object)
    changed = Signal()

    def __init__(self, choices: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.negate = QCheckBox(self.tr("not"))
        self.negate.setToolTip(self.tr("Contacts for whom this condition does not hold"))
        self.kind = QComboBox()
        labels = {
            "equals": self.tr("Field equals"),
            "contains": self.tr("Field contains"),
            "empty": self.tr("Field is empty"),
            "date": self.tr("Field is a date"),
            "list": self.tr("In list"),
            "tag": self.tr("Has tag"),
            "consent": self.tr("Consent given"),
            "withdrawn": self.tr("Consent withdrawn"),
            "outcome_campaign": self.tr("Outcome in campaign"),
            "outcome_days": self.tr("Outcome in the last days"),
        }
        for key in KINDS:
            self.kind.addItem(labels[key], key)
        self.field = QComboBox()
        self.field.setEditable(True)
        self.field.addItems(choices.get("fields", []))
        self.value = QLineEdit()
        self.value.setPlaceholderText(self.tr("value"))
        self.list_name = QComboBox()
        self.list_name.addItems(choices.get("lists", []))
        self.tag = QComboBox()
        self.tag.setEditable(True)
        self.tag.addItems(choices.get("tags", []))
        self.channel = QComboBox()
        self.channel.addItem(self.tr("phone"), "phone")
        self.channel.addItem(self.tr("e-mail"), "email")
        self.outcome = QComboBox()
        outcome_labels = {
            "sent": self.tr("sent"),
            "delivered": self.tr("delivered"),
            "read": self.tr("read"),
            "clicked": self.tr("clicked"),
            "undelivered": self.tr("undelivered"),
        }
        for key in OUTCOMES:
            self.outcome.addItem(outcome_labels[key], key)
        self.date_range = QComboBox()
        range_labels = {
            "today": self.tr("today"),
            "this_week": self.tr("this week"),
            "this_month": self.tr("this month"),
            "next_days": self.tr("in the next days"),
            "last_days": self.tr("in the last days"),
        }
        for key in DATE_RANGES:
            self.date_range.addItem(range_labels[key], key)
        self.every_year = QCheckBox(self.tr("every year"))
        self.every_year.setToolTip(
            self.tr("Compare the day and month only, whatever the year: birthdays")
        )
        self.campaign = QComboBox()
        self.campaign.addItem(self.tr("the last campaign"), "last")
        for cid, label in choices.get("campaigns", []):
            self.campaign.addItem(label, cid)
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setValue(30)
        self.days.setSuffix(self.tr(" days"))
        self.remove = QPushButton("✕")
        self.remove.setToolTip(self.tr("Remove this condition"))
        self.remove.setFixedWidth(28)
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        for w in (self.negate, self.kind, self.field, self.value, self.list_name, self.tag):
            layout.addWidget(w)
        for w in (self.date_range, self.channel, self.outcome, self.campaign, self.days):
            layout.addWidget(w)
        layout.addWidget(self.every_year)
        layout.addStretch(1)
        layout.addWidget(self.remove)
        self.kind.currentIndexChanged.connect(self._apply_kind)
        for combo in (self.field, self.list_name, self.tag, self.channel, self.outcome):
            combo.currentIndexChanged.connect(self.changed)
        self.date_range.currentIndexChanged.connect(self._apply_kind)
        self.every_year.toggled.connect(self.changed)
        self.days.valueChanged.connect(self.changed)
        self.value.textChanged.connect(self.changed)
        self.negate.toggled.connect(self.changed)
        self._apply_kind()

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(KINDS.index(kind))

    def _apply_kind(self) -> None:
        kind = self.kind.currentData()
        shown = {
            "equals": (self.field, self.value),
            "contains": (self.field, self.value),
            "empty": (self.field,),
            "date": (self.field, self.date_range, self.every_year)
            + ((self.days,) if self.date_range.currentData() in ("next_days", "last_days") else ()),
            "list": (self.list_name,),
            "tag": (self.tag,),
            "consent": (self.channel,),
            "withdrawn": (self.channel,),
            "outcome_campaign": (self.outcome, self.campaign),
            "outcome_days": (self.outcome, self.days),
        }[kind]
        for w in (
            self.field,
            self.value,
            self.list_name,
            self.tag,
            self.channel,
            self.outcome,
            self.campaign,
            self.days,
            self.date_range,
            self.every_year,
        ):
            w.setVisible(w in shown)
        self.changed.emit()

    def condition(self) -> dict[str, Any] | None:
        """The condition as the segment grammar writes it (None: not filled in)."""
        kind = self.kind.currentData()
        cond: dict[str, Any]
        field = self.field.currentText().strip()
        if kind in ("equals", "contains", "empty"):
            if not field:
                return None
            if kind == "empty":
                cond = {"field": field, "op": "empty"}
            else:
                value = self.value.text()
                if kind == "contains" and not value:
                    return None
                cond = {"field": field, "op": kind, "value": value}
        elif kind == "date":
            if not field:
                return None
            span = self.date_range.currentData()
            cond = {"field": field, "op": "date", "range": span}
            if span in ("next_days", "last_days"):
                cond["days"] = self.days.value()
            if self.every_year.isChecked():
                cond["every_year"] = True
        elif kind == "list":
            if not self.list_name.currentText():
                return None
            cond = {"list": self.list_name.currentText()}
        elif kind == "tag":
            if not self.tag.currentText().strip():
                return None
            cond = {"tag": self.tag.currentText().strip()}
        elif kind == "consent":
            cond = {"consent": self.channel.currentData()}
        elif kind == "withdrawn":
            cond = {"consent": self.channel.currentData(), "state": "withdrawn"}
        elif kind == "outcome_campaign":
            cond = {"outcome": self.outcome.currentData(), "campaign": self.campaign.currentData()}
        else:
            cond = {"outcome": self.outcome.currentData(), "days": self.days.value()}
        return {"not": cond} if self.negate.isChecked() else cond


class SegmentDialog(QDialog):
    """Opened with ``open()``; ``definition()`` and ``name()`` once accepted.
    ``counter(definition, done)`` (set by the page) counts the contacts off the GUI
    thread and calls ``done(count_or_message)``."""

    def __init__(
        self,
        choices: dict[str, Any],
        parent: QWidget | None = None,
        counter: Callable[[dict[str, Any], Callable[[str], None]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New segment"))
        self.setMinimumWidth(760)
        self.choices = choices
        self.counter = counter
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. Moscow, delivered, not clicked"))
        form.addRow(self.tr("Name:"), self.name_edit)
        self.match = QComboBox()
        self.match.addItem(self.tr("every condition holds"), "all")
        self.match.addItem(self.tr("any condition holds"), "any")
        form.addRow(self.tr("Contacts for whom:"), self.match)
        layout.addLayout(form)
        self.rows_box = QVBoxLayout()
        layout.addLayout(self.rows_box)
        self.rows: list[ConditionRow] = []
        add = QPushButton(self.tr("Add condition"))
        add.clicked.connect(lambda: self.add_row())
        self.count_button = QPushButton(self.tr("Count"))
        self.count_button.clicked.connect(self.count)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageHint")
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(self.count_button)
        row.addWidget(self.count_label, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.add_row()

    def add_row(self, kind: str | None = None) -> ConditionRow:
        row = ConditionRow(self.choices, self)
        if kind is not None:
            row.set_kind(kind)
        row.removed.connect(self._remove_row)
        row.changed.connect(lambda: self.count_label.clear())
        self.rows.append(row)
        self.rows_box.addWidget(row)
        return row

    def _remove_row(self, row: ConditionRow) -> None:
        if row in self.rows and len(self.rows) > 1:
            self.rows.remove(row)
            row.setParent(None)
            row.deleteLater()

    def definition(self) -> dict[str, Any] | None:
        conds = [c for c in (r.condition() for r in self.rows) if c is not None]
        if not conds:
            return None
        if len(conds) == 1:
            return conds[0]
        return {str(self.match.currentData()): conds}

    def name(self) -> str:
        return self.name_edit.text().strip()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def count(self) -> None:
        definition = self.definition()
        if definition is None:
            self.show_error(self.tr("Fill in at least one condition."))
            return
        self.show_error("")
        if self.counter is not None:
            self.count_label.setText(self.tr("Counting…"))
            self.counter(definition, self.count_label.setText)

    def _accept(self) -> None:
        if not self.name():
            self.show_error(self.tr("Give the segment a name."))
            self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self.definition() is None:
            self.show_error(self.tr("Fill in at least one condition."))
            return
        self.accept()

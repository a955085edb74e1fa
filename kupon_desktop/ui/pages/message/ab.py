"""The Message page's A/B test and spend cap: what the user asks for, read into the
session's own types (``campaign.ab.ABSettings``, the variants' drafts, a ``Decimal``
cap). The split, the decision and the sending are the session's (``campaign/ab.py``).

Variant A is the page's own text; B, C and D are typed here, each with an optional
sender of its own (empty: A's).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop.campaign.ab import VARIANT_NAMES, ABSettings, default_metric
from kupon_desktop.compose import Draft, Problem
from kupon_desktop.ui.pages.base import decimal_number, money
from kupon_desktop.ui.widgets.ucs2_guard import Ucs2Bar
from kupon_desktop.vocabulary import MessageType

#: the shortest decision time offered: at once (a demo, a quick look; statuses still on
#: their way then count as not delivered); an hour is the default
MIN_DECIDE_MINUTES = 0


@dataclass
class ABRequest:
    """What Send asks of the session for an A/B test."""

    variants: list[Draft]
    settings: ABSettings


class VariantEditor(QWidget):
    """One extra variant: its text (with the UCS-2 guard) and an optional sender."""

    remove_requested = Signal(object)
    edited = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        head = QHBoxLayout()
        self.title = QLabel(self.tr("Variant %1").replace("%1", name))
        self.title.setStyleSheet("font-weight: 600;")
        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText(self.tr("sender (empty: as variant A)"))
        self.remove = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon), "")
        self.remove.setToolTip(self.tr("Remove variant %1").replace("%1", name))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        head.addWidget(self.title)
        head.addWidget(self.sender_edit, 1)
        head.addWidget(self.remove)
        layout.addLayout(head)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("The text of variant %1").replace("%1", name))
        self.text.setFixedHeight(72)
        layout.addWidget(self.text)
        self.ucs2_bar = Ucs2Bar(self.text)
        layout.addWidget(self.ucs2_bar)
        self.text.textChanged.connect(self.edited)
        self.sender_edit.textChanged.connect(self.edited)

    def rename(self, name: str) -> None:
        self.name = name
        self.title.setText(self.tr("Variant %1").replace("%1", name))
        self.remove.setToolTip(self.tr("Remove variant %1").replace("%1", name))
        self.text.setPlaceholderText(self.tr("The text of variant %1").replace("%1", name))

    def draft(self, base: Draft) -> Draft:
        sender = self.sender_edit.text().strip()
        return replace(base, text=self.text.toPlainText(), sender=sender or base.sender)


class ABSection(QGroupBox):
    """ "A/B test": off by default (a checkable group). Variants B–D, the test share, the
    winner metric, the decision time, and who sends the winner."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("A/B test"), parent)
        self.setObjectName("abSection")
        self.setCheckable(True)
        self.setChecked(False)
        self.editors: list[VariantEditor] = []
        #: the price of one SMS part, for the variants' UCS-2 guard
        self.price: Decimal | None = None
        outer = QVBoxLayout(self)
        self.body = QWidget()
        outer.addWidget(self.body)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.intro = QLabel(
            self.tr(
                "Variant A is the text above. A share of the list gets each variant; when "
                "the decision time comes, the rest gets the winner."
            )
        )
        self.intro.setObjectName("pageHint")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.variant_box = QVBoxLayout()
        self.variant_box.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.variant_box)
        self.add_button = QPushButton(self.tr("Add variant"))
        self.add_button.clicked.connect(self.add_variant)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        layout.addLayout(add_row)

        form = QFormLayout()
        self.share = QSpinBox()
        self.share.setRange(2, 90)
        self.share.setValue(20)
        self.share.setSuffix(" %")
        self.share.setToolTip(self.tr("Split evenly among the variants, at random"))
        form.addRow(self.tr("Test share:"), self.share)
        self.metric_combo = QComboBox()
        for key, label in (
            ("delivered", self.tr("delivered")),
            ("read", self.tr("read")),
            ("clicked", self.tr("clicked")),
        ):
            self.metric_combo.addItem(label, key)
        form.addRow(self.tr("Winner by:"), self.metric_combo)
        decide_row = QHBoxLayout()
        decide_row.setContentsMargins(0, 0, 0, 0)
        self.decide_after = QSpinBox()
        self.decide_after.setRange(MIN_DECIDE_MINUTES, 999)
        self.decide_after.setValue(1)
        self.decide_after.setSpecialValueText(self.tr("at once"))
        self.decide_unit = QComboBox()
        self.decide_unit.addItem(self.tr("hours"), 60)
        self.decide_unit.addItem(self.tr("minutes"), 1)
        decide_row.addWidget(self.decide_after)
        decide_row.addWidget(self.decide_unit)
        decide_row.addStretch(1)
        form.addRow(self.tr("Decide after:"), decide_row)
        self.auto = QRadioButton(self.tr("send the winner automatically"))
        self.hold = QRadioButton(self.tr("wait for my choice"))
        self.auto.setChecked(True)
        self.who = QButtonGroup(self)
        self.who.addButton(self.auto)
        self.who.addButton(self.hold)
        who_row = QVBoxLayout()
        who_row.setContentsMargins(0, 0, 0, 0)
        who_row.addWidget(self.auto)
        who_row.addWidget(self.hold)
        form.addRow(self.tr("Then:"), who_row)
        layout.addLayout(form)
        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("pageHint")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.hide()
        layout.addWidget(self.demo_hint)

        self.toggled.connect(self._toggled)
        for signal in (
            self.share.valueChanged,
            self.metric_combo.currentIndexChanged,
            self.decide_after.valueChanged,
            self.decide_unit.currentIndexChanged,
            self.auto.toggled,
        ):
            signal.connect(self.changed)
        self._metric_for: MessageType | None = None
        self._toggled(False)

    # -- the variants ----------------------------------------------------------------

    @Slot()
    def add_variant(self) -> VariantEditor | None:
        if len(self.editors) >= len(VARIANT_NAMES) - 1:
            return None
        editor = VariantEditor(VARIANT_NAMES[len(self.editors) + 1])
        editor.ucs2_bar.price = self.price
        editor.remove_requested.connect(self.remove_variant)
        editor.edited.connect(self.changed)
        editor.edited.connect(lambda e=editor: self._guard(e))
        self.editors.append(editor)
        self.variant_box.addWidget(editor)
        self._update_buttons()
        self.changed.emit()
        return editor

    @Slot(object)
    def remove_variant(self, editor: VariantEditor) -> None:
        if editor not in self.editors or len(self.editors) <= 1:
            return
        self.editors.remove(editor)
        self.variant_box.removeWidget(editor)
        editor.deleteLater()
        for i, e in enumerate(self.editors):
            e.rename(VARIANT_NAMES[i + 1])
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(len(self.editors) < len(VARIANT_NAMES) - 1)
        for e in self.editors:
            e.remove.setEnabled(len(self.editors) > 1)

    def _toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        if on and not self.editors:
            self.add_variant()
        self.changed.emit()

    def _guard(self, editor: VariantEditor) -> None:
        editor.ucs2_bar.update_for(self._metric_for or MessageType.SMS, editor.text.toPlainText())

    def set_type(self, message_type: MessageType) -> None:
        """The channel changed: the metric it can report by default, the guard for SMS."""
        if message_type is self._metric_for:
            return
        self._metric_for = message_type
        self.metric_combo.setCurrentIndex(
            max(0, self.metric_combo.findData(default_metric(message_type)))
        )
        for e in self.editors:
            self._guard(e)

    def set_demo(self, favoured: str) -> None:
        """In the demo: which variant text the simulator favours (a real winner)."""
        text = QCoreApplication.translate(
            "ABSection",
            "Demo: the simulator delivers and opens texts containing «%1» more often, so "
            "the variant with that word wins.",
        ).replace("%1", favoured)
        self.demo_hint.setText(text)
        self.demo_hint.setVisible(True)
        self.setToolTip(text)

    # -- what Send asks for ----------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self.isChecked()

    def variant_drafts(self, base: Draft) -> list[tuple[str, Draft]]:
        """(name, draft) of every variant but A."""
        return [(e.name, e.draft(base)) for e in self.editors]

    def settings(self) -> ABSettings:
        minutes = self.decide_after.value() * int(self.decide_unit.currentData())
        return ABSettings(
            share=self.share.value() / 100.0,
            metric=str(self.metric_combo.currentData()),
            decide_after=float(minutes),
            auto=self.auto.isChecked(),
        )

    def request(self, base: Draft) -> ABRequest | None:
        """The A/B test to create with ``base`` as variant A (None: the section is off)."""
        if not self.enabled:
            return None
        return ABRequest([base] + [d for _, d in self.variant_drafts(base)], self.settings())


def add_variant_problems(
    view: QListWidget,
    name: str,
    problems: list[Problem],
    language: str,
    known: list[Problem] | None = None,
) -> None:
    """Append a variant's own problems to the Check list, each named by its variant; one
    variant A has too (``known``: the list's, such as no consent column) is not repeated."""
    listed = {(p.code, p.row) for p in known or []}
    problems = [p for p in problems if (p.code, p.row) not in listed]
    style = view.style()
    error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
    warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    lang = "ru" if language == "ru" else "en"
    prefix = QCoreApplication.translate("ABSection", "Variant %1: ").replace("%1", name)
    seen: set[str] = set()
    for problem in problems:
        text = prefix + problem.message(lang)
        if problem.row is not None:
            # the rows are the list's, and the list's own problems are listed under A
            if problem.code in seen:
                continue
            seen.add(problem.code)
        item = QListWidgetItem(error_icon if problem.blocking else warning_icon, text)
        item.setToolTip(text)
        view.addItem(item)


class SpendCapField(QWidget):
    """The campaign's spend cap: empty for none; prefilled from Settings."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setObjectName("spendCap")
        self.edit.setPlaceholderText(self.tr("no cap"))
        self.edit.setMaximumWidth(140)
        self.edit.setToolTip(
            self.tr(
                "Sending pauses before the estimated spend would pass this amount; the rest "
                "stays queued. The default is set in Settings."
            )
        )
        self.edit.textChanged.connect(self.changed)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        layout.addWidget(self.edit)
        layout.addWidget(QLabel(QCoreApplication.translate("Money", "RUB")))
        layout.addWidget(self.error, 1)

    def set_default(self, value: Any) -> None:
        """The Settings' default cap ("" or an amount as text)."""
        text = "" if value in (None, "") else decimal_number(Decimal(str(value)))
        self.edit.setText(text)

    def cap(self, language: str) -> Decimal | None:
        """The cap typed ("4,50" and "4.50" alike); ValueError (bilingual
        ``InvalidRule``) with the message shown beside the field when it is no amount."""
        from kupon_desktop.audience.settings import spend_cap_of

        self.error.setText("")
        try:
            return spend_cap_of(self.edit.text())
        except ValueError as exc:
            message = getattr(exc, "message", None)
            self.error.setText(message(language) if callable(message) else str(exc))
            raise

    def describe(self, cap: Decimal) -> str:
        return money(cap)


__all__ = [
    "MIN_DECIDE_MINUTES",
    "ABRequest",
    "ABSection",
    "SpendCapField",
    "VariantEditor",
    "add_variant_problems",
]

"""The UCS-2 guard of the Message page: the characters that make an SMS UCS-2 (and so
cost more parts) highlighted in the text, and one action that replaces them, with the
parts and the price per message before and after. The advice itself is Qt-free
(``compose/ucs2_guard.py``), the same that ``send --dry-run`` prints."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import (
    QColor,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from kupon_desktop.compose.ucs2_guard import Ucs2Advice, advise, culprit_positions
from kupon_desktop.ui.pages.base import money
from kupon_desktop.vocabulary import MessageType


class Ucs2Highlighter(QSyntaxHighlighter):
    """Marks each character that forces UCS-2 (outside ``{placeholders}``), while on."""

    def __init__(self, document: QTextDocument, editor: QPlainTextEdit | None = None) -> None:
        super().__init__(document)
        self.editor = editor
        self.active = False
        self.mark = QTextCharFormat()
        self.mark.setBackground(QColor("#ffd6a5"))
        self.mark.setForeground(QColor("#9a3412"))
        self.mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.mark.setUnderlineColor(QColor("#c2410c"))

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            # colouring is not an edit: without this the editor's textChanged fires and
            # the page autosaves the draft as if the user had typed
            blocked = self.editor.blockSignals(True) if self.editor is not None else False
            try:
                self.rehighlight()
            finally:
                if self.editor is not None:
                    self.editor.blockSignals(blocked)

    def highlightBlock(self, text: str) -> None:
        if not self.active:
            return
        for i in culprit_positions(text):
            self.setFormat(i, 1, self.mark)


class Ucs2Bar(QWidget):
    """Below the text: what forces UCS-2 and the one action that fixes it. Hidden when
    the channel is not SMS or the text already travels as GSM-7."""

    # the text was rewritten (the page re-checks and re-previews)
    applied = Signal()

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.highlighter = Ucs2Highlighter(editor.document(), editor)
        # the price of one SMS part (the estimate's; example prices until Settings)
        self.price: Decimal | None = None
        self.advice: Ucs2Advice | None = None
        self.advice_yo: Ucs2Advice | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("ucs2Hint")
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #9a3412;")
        self.button = QToolButton()
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.button.clicked.connect(self.replace)
        menu = QMenu(self.button)
        self.replace_action = menu.addAction("")
        self.replace_action.triggered.connect(self.replace)
        self.yo_action = menu.addAction("")
        self.yo_action.triggered.connect(self.replace_with_yo)
        self.translit_action = menu.addAction("")
        self.translit_action.triggered.connect(self.transliterate)
        self.button.setMenu(menu)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()

    def _cost(self, parts: int) -> str:
        if self.price is None:
            return self.tr("%1 part(s)").replace("%1", str(parts))
        return (
            self.tr("%1 part(s), %2 a message")
            .replace("%1", str(parts))
            .replace("%2", money(self.price * parts))
        )

    def update_for(self, message_type: MessageType, text: str) -> None:
        """Show (or hide) the advice for the text as it is now."""
        sms = message_type is MessageType.SMS
        self.highlighter.set_active(sms)
        self.advice = advise(text) if sms else None
        advice = self.advice
        cheaper = advice is not None and (
            min(advice.replaced.length.segments, advice.transliterated.length.segments)
            < advice.before.segments
        )
        if advice is None or not cheaper:
            # a Russian text is UCS-2 by its letters: nothing to mark unless a rewrite
            # would really cost fewer parts
            self.highlighter.set_active(False)
            self.hide()
            return
        self.advice_yo = advise(text, yo=True)
        chars = " ".join(sorted({ch if ch.strip() else repr(ch) for _, ch in advice.culprits}))
        replaced = advice.replaced.length.segments
        self.label.setText(
            self.tr("UCS-2 because of %1: %2. Plain quotes and dashes: %3; in Latin letters: %4.")
            .replace("%1", chars)
            .replace("%2", self._cost(advice.before.segments))
            .replace("%3", self._cost(replaced))
            .replace("%4", self._cost(advice.transliterated.length.segments))
        )
        self.button.setText(
            self.tr("Replace (%1 → %2 parts)")
            .replace("%1", str(advice.before.segments))
            .replace("%2", str(replaced))
        )
        self.replace_action.setText(
            self.tr("Replace quotes, dashes and № (%1 part(s))").replace("%1", str(replaced))
        )
        yo = self.advice_yo.replaced.length.segments if self.advice_yo else replaced
        self.yo_action.setText(self.tr("Also ё → е (%1 part(s))").replace("%1", str(yo)))
        self.translit_action.setText(
            self.tr("Transliterate into Latin letters (%1 part(s))").replace(
                "%1", str(advice.transliterated.length.segments)
            )
        )
        self.show()

    def _set_text(self, text: str) -> None:
        """Replace the whole text as one edit, so that Ctrl+Z brings it back."""
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.applied.emit()

    @Slot()
    def replace(self) -> None:
        if self.advice is not None:
            self._set_text(self.advice.replaced.text)

    @Slot()
    def replace_with_yo(self) -> None:
        if self.advice_yo is not None:
            self._set_text(self.advice_yo.replaced.text)

    @Slot()
    def transliterate(self) -> None:
        if self.advice is not None:
            self._set_text(self.advice.transliterated.text)


__all__ = ["Ucs2Bar", "Ucs2Highlighter"]

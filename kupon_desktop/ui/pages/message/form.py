"""The Message page's form: the channel and every field a message carries, enabled by what
the chosen type sends (``compose.rules_for``); the draft read from it and written to it;
cascade codes; loading an HTML file."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop.audience.cost import Prices
from kupon_desktop.compose import Draft, DraftField, placeholder_text, rules_for
from kupon_desktop.ui.dialogs import pick_file, prompt_text
from kupon_desktop.ui.pages.message.ab import ABSection, SpendCapField
from kupon_desktop.ui.widgets.html_highlighter import HtmlHighlighter
from kupon_desktop.ui.widgets.type_icons import type_icon
from kupon_desktop.ui.widgets.ucs2_guard import Ucs2Bar
from kupon_desktop.ui.widgets.wheel_guard import guard_wheel
from kupon_desktop.vocabulary import CHARSETS, MessageType

TYPE_ORDER = (
    MessageType.SMS,
    MessageType.VIBER,
    MessageType.WHATSAPP,
    MessageType.TELEGRAM,
    MessageType.VK,
    MessageType.OK,
    MessageType.EMAIL,
    MessageType.PUSH,
    MessageType.BOT,
    MessageType.VOICE,
    MessageType.MMS,
    MessageType.HLR,
    MessageType.BULK,
)


class MessageForm:
    """Mixed into the page (a QWidget): builds the form and binds it to a Draft. The
    page supplies ``language``, ``codes``, ``runner``, ``contacts``, ``_loading``,
    ``_edited``, ``update_preview`` and ``filled_html``."""

    def _build_form(self) -> QWidget:
        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form = form
        # each channel keeps its own sender: a cascade code typed for bulk is no e-mail
        # sender, and an SMS name is no cascade code
        self._senders: dict[MessageType, str] = {}
        self._sender_type: MessageType | None = None
        self._last_name = ""

        self.type_combo = QComboBox()
        self.type_combo.setIconSize(QSize(20, 20))
        for t in TYPE_ORDER:
            self.type_combo.addItem(
                type_icon(t), t.label_ru if self.language == "ru" else t.label_en, t.value
            )
        self.type_combo.currentIndexChanged.connect(self._apply_type)
        form.addRow(self.tr("Channel:"), self.type_combo)

        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText(self.tr('the name recipients see in "from"'))
        self.cascade_pick = QComboBox()
        self.cascade_pick.setPlaceholderText(self.tr("saved codes"))
        self.cascade_pick.activated.connect(self._pick_code)
        self.cascade_save = QPushButton(self.tr("Save code…"))
        self.cascade_save.clicked.connect(self._save_code)
        sender_row = QHBoxLayout()
        sender_row.setContentsMargins(0, 0, 0, 0)
        sender_row.addWidget(self.sender_edit, 1)
        sender_row.addWidget(self.cascade_pick)
        sender_row.addWidget(self.cascade_save)
        self.sender_box = QWidget()
        self.sender_box.setLayout(sender_row)
        self.sender_label = QLabel(self.tr("Sender:"))
        form.addRow(self.sender_label, self.sender_box)

        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("Hello, {Name}! …"))
        self.text.setMinimumHeight(120)
        insert_row = QHBoxLayout()
        insert_row.setContentsMargins(0, 0, 0, 0)
        self.insert_combo = QComboBox()
        self.insert_combo.setPlaceholderText(self.tr("Insert a field from the list…"))
        self.insert_combo.activated.connect(self._insert_field)
        self.insert_combo.setMinimumWidth(200)
        self.counter = QLabel()
        self.counter.setObjectName("pageHint")
        # one line beside the field picker: the summary is short, and wrapped it took
        # three lines of the form
        self.counter.setWordWrap(False)
        insert_row.addWidget(self.insert_combo)
        insert_row.addStretch(1)
        insert_row.addWidget(self.counter)
        text_box = QWidget()
        text_layout = QVBoxLayout(text_box)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(self.text)
        text_layout.addLayout(insert_row)
        self.ucs2_bar = Ucs2Bar(self.text)
        self.ucs2_bar.price = Prices().price(MessageType.SMS)
        text_layout.addWidget(self.ucs2_bar)
        self.text_label = QLabel(self.tr("Text:"))
        form.addRow(self.text_label, text_box)

        self.html = QPlainTextEdit()
        self.html.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.html.setPlaceholderText("<h1>{Имя}, …</h1>")
        self._highlighter = HtmlHighlighter(self.html.document())
        self.html_preview = QTextBrowser()
        self.html_preview.setOpenExternalLinks(False)
        self.html_tabs = QTabWidget()
        self.html_tabs.addTab(self.html, self.tr("Source"))
        self.html_tabs.addTab(self.html_preview, self.tr("Preview"))
        self.html_tabs.setMinimumHeight(150)
        html_buttons = QHBoxLayout()
        html_buttons.setContentsMargins(0, 0, 0, 0)
        load = QPushButton(self.tr("Load .html…"))
        load.clicked.connect(self.load_html_file)
        browser = QPushButton(self.tr("Open in browser"))
        browser.clicked.connect(self.open_html_in_browser)
        html_buttons.addWidget(load)
        html_buttons.addWidget(browser)
        html_buttons.addStretch(1)
        self.html_box = QWidget()
        html_layout = QVBoxLayout(self.html_box)
        html_layout.setContentsMargins(0, 0, 0, 0)
        html_layout.addWidget(self.html_tabs)
        html_layout.addLayout(html_buttons)
        self.html_label = QLabel(self.tr("HTML:"))
        form.addRow(self.html_label, self.html_box)

        self.button = QLineEdit()
        self.button.setPlaceholderText(self.tr("e.g. Open the catalogue"))
        self.button_label = QLabel(self.tr("Button caption:"))
        form.addRow(self.button_label, self.button)
        self.action = QLineEdit()
        self.action.setPlaceholderText("https://…")
        self.action_label = QLabel(self.tr("Button action:"))
        form.addRow(self.action_label, self.action)
        self.image = QLineEdit()
        self.image.setPlaceholderText("https://…/picture.jpg")
        self.image.editingFinished.connect(self.fetch_thumbnail)
        self.thumbnail = QLabel()
        self.thumbnail.setFixedSize(96, 64)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setObjectName("pageHint")
        image_row = QHBoxLayout()
        image_row.setContentsMargins(0, 0, 0, 0)
        image_row.addWidget(self.image, 1)
        image_row.addWidget(self.thumbnail)
        self.image_box = QWidget()
        self.image_box.setLayout(image_row)
        self.image_label = QLabel(self.tr("Image:"))
        form.addRow(self.image_label, self.image_box)

        self.ttl = QSpinBox()
        self.ttl.setRange(0, 7 * 24 * 60)
        self.ttl.setSpecialValueText(self.tr("platform default"))
        self.ttl.setSuffix(self.tr(" min"))
        self.ttl_label = QLabel(self.tr("Lifetime (ttl):"))
        form.addRow(self.ttl_label, self.ttl)

        self.send_later = QCheckBox(self.tr("Send later:"))
        self.send_at = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600))
        self.send_at.setCalendarPopup(True)
        self.send_at.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.send_at.setEnabled(False)
        self.send_later.toggled.connect(self.send_at.setEnabled)
        form.addRow(self.send_later, self.send_at)

        self.charset = QComboBox()
        for name in CHARSETS:
            self.charset.addItem(name)
        self.charset_label = QLabel(self.tr("Charset:"))
        form.addRow(self.charset_label, self.charset)
        self.service = QCheckBox(self.tr("Service message, not advertising (no consent needed)"))
        form.addRow("", self.service)
        self.find_token = QCheckBox(self.tr("Find push/bot tokens by phone or e-mail"))
        self.kannel = QCheckBox(self.tr("Kannel-compatible status codes"))
        form.addRow("", self.find_token)
        form.addRow("", self.kannel)
        self.spend_cap = SpendCapField()
        form.addRow(self.tr("Spend cap:"), self.spend_cap)
        self.ab = ABSection()
        self.ab.price = self.ucs2_bar.price
        form.addRow(self.ab)

        for signal in (
            self.sender_edit.textChanged,
            self.text.textChanged,
            self.html.textChanged,
            self.button.textChanged,
            self.action.textChanged,
            self.image.textChanged,
            self.ttl.valueChanged,
            self.send_at.dateTimeChanged,
            self.send_later.toggled,
            self.charset.currentIndexChanged,
            self.find_token.toggled,
            self.service.toggled,
            self.kannel.toggled,
        ):
            signal.connect(self._edited)

        scroll = _FormScroll()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        guard_wheel(scroll, form_host)
        return scroll

    # -- the draft -------------------------------------------------------------------

    @property
    def message_type(self) -> MessageType:
        return MessageType(self.type_combo.currentData())

    def draft(self) -> Draft:
        send_at = None
        if self.send_later.isChecked():
            moment = self.send_at.dateTime().toPython()
            assert isinstance(moment, datetime)
            send_at = moment.astimezone()
        return Draft(
            type=self.message_type,
            sender=self.sender_edit.text().strip(),
            text=self.text.toPlainText(),
            html_text=self.html.toPlainText(),
            button=self.button.text().strip(),
            action=self.action.text().strip(),
            image=self.image.text().strip(),
            ttl=self.ttl.value() or None,
            send_at=send_at,
            charset=self.charset.currentText(),
            find_token=self.find_token.isChecked(),
            kannel_status=self.kannel.isChecked(),
        )

    def set_draft(self, draft: Draft) -> None:
        self._loading = True
        try:
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(draft.type.value)))
            self.sender_edit.setText(draft.sender)
            self.text.setPlainText(draft.text)
            self.html.setPlainText(draft.html_text)
            self.button.setText(draft.button)
            self.action.setText(draft.action)
            self.image.setText(draft.image)
            self.ttl.setValue(draft.ttl or 0)
            self.send_later.setChecked(draft.send_at is not None)
            if draft.send_at is not None:
                local = draft.send_at.astimezone()
                self.send_at.setDateTime(QDateTime.fromSecsSinceEpoch(int(local.timestamp())))
            self.charset.setCurrentText(draft.charset)
            self.find_token.setChecked(draft.find_token)
            self.kannel.setChecked(draft.kannel_status)
        finally:
            self._loading = False
        self._apply_type()
        self.update_preview()

    def _swap_sender(self) -> None:
        """Keep the sender typed for the type left; show the one kept for the type chosen.
        A type chosen for the first time gets the last sender name typed (a shop's name
        is the same in an SMS and in Viber), never a cascade code nor an e-mail address."""
        chosen = self.message_type
        left = self._sender_type
        if left is not None and chosen is not left:
            typed = self.sender_edit.text()
            self._senders[left] = typed
            if typed.strip() and _named_sender(left):
                self._last_name = typed
            kept = self._senders.get(chosen)
            if kept is None:
                kept = self._last_name if _named_sender(chosen) else ""
            self.sender_edit.setText(kept)
        self._sender_type = chosen

    @Slot()
    def _apply_type(self) -> None:
        self._swap_sender()
        self.ab.set_type(self.message_type)
        rules = rules_for(self.message_type)
        pairs = (
            (DraftField.SENDER, (self.sender_label, self.sender_box)),
            (DraftField.TEXT, (self.text_label, self.text)),
            (DraftField.HTML_TEXT, (self.html_label, self.html_box)),
            (DraftField.BUTTON, (self.button_label, self.button)),
            (DraftField.ACTION, (self.action_label, self.action)),
            (DraftField.IMAGE, (self.image_label, self.image_box)),
            (DraftField.TTL, (self.ttl_label, self.ttl)),
            (DraftField.SEND_AT, (self.send_later,)),
            (DraftField.CHARSET, (self.charset_label, self.charset)),
            (DraftField.FIND_TOKEN, (self.find_token,)),
            (DraftField.KANNEL_STATUS, (self.kannel,)),
        )
        for field, widgets in pairs:
            for widget in widgets:
                widget.setEnabled(rules.enabled(field))
        self.send_at.setEnabled(rules.enabled(DraftField.SEND_AT) and self.send_later.isChecked())
        cascade = rules.sender_is_cascade_code
        self.sender_label.setText(self.tr("Cascade code:") if cascade else self.tr("Sender:"))
        self.sender_edit.setPlaceholderText(
            self.tr("digits: the scenario mailing's code")
            if cascade
            else self.tr('the name recipients see in "from"')
        )
        self.cascade_pick.setVisible(cascade)
        self.cascade_save.setVisible(cascade)
        if cascade:
            self._reload_codes()
        self.action.setPlaceholderText(
            self.tr("https://… or /command") if rules.action_may_be_command else "https://…"
        )
        self._edited()

    @Slot(int)
    def _insert_field(self, index: int) -> None:
        name = self.insert_combo.itemData(index)
        if name is None:
            return
        target = self.html if self.html.hasFocus() else self.text
        target.insertPlainText(placeholder_text(name))
        target.setFocus()
        self.insert_combo.setCurrentIndex(-1)

    # -- cascade codes ---------------------------------------------------------------

    def _reload_codes(self) -> None:
        self.cascade_pick.clear()
        for code in self.codes.all():
            self.cascade_pick.addItem(code.label, code.code)
        self.cascade_pick.setCurrentIndex(-1)

    @Slot(int)
    def _pick_code(self, index: int) -> None:
        code = self.cascade_pick.itemData(index)
        if code:
            self.sender_edit.setText(code)

    @Slot()
    def _save_code(self) -> None:
        code = self.sender_edit.text().strip()
        prompt_text(
            self,
            self.tr("Save cascade code"),
            self.tr('A name for code %1 (e.g. "Viber→SMS, spring promo"):').replace("%1", code),
            lambda name: self._store_code(name, code),
        )

    def _store_code(self, name: str, code: str) -> None:
        if not name.strip():
            return
        try:
            self.codes.save(name.strip(), code)
        except ValueError as exc:
            self.check_summary.setText(str(exc))
            return
        self._reload_codes()

    # -- HTML ------------------------------------------------------------------------

    @Slot()
    def load_html_file(self) -> None:
        pick_file(self, self.tr("Load HTML"), "HTML (*.html *.htm)", self.load_html, key="html")

    def load_html(self, path: Path) -> None:
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                self.html.setPlainText(raw.decode(encoding))
                return
            except UnicodeDecodeError:
                continue

    @Slot()
    def open_html_in_browser(self) -> None:
        # the filled letter with its real images (the preview shows them as frames)
        html = self.filled_html if self.contacts is not None else self.html.toPlainText()
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as fh:
            fh.write(html)
        QDesktopServices.openUrl(QUrl.fromLocalFile(fh.name))


class _FormScroll(QScrollArea):
    """The form's scroll area. Its width never goes below what the form needs: a plain
    QScrollArea lets the splitter squeeze it, and with no horizontal scroll bar the
    fields' right edges (the counter, the UCS-2 button) were cut off."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        width = inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), width + 2 * self.frameWidth()), hint.height())


def _named_sender(message_type: MessageType) -> bool:
    """Whether the type's sender is a name people see on a phone (not a cascade code,
    not an e-mail's address, not absent)."""
    rules = rules_for(message_type)
    return (
        rules.enabled(DraftField.SENDER)
        and not rules.sender_is_cascade_code
        and message_type is not MessageType.EMAIL
    )

"""The Message page: what each recipient will receive.

Only the fields the chosen type sends are enabled (``compose.rules_for``). The text has
a live length counter and a preview of the message as one chosen recipient gets it; the
draft is autosaved a few seconds after each edit, so a crash loses at most that. Check
(and Send, which checks first) runs ``compose.check`` over the whole list in a worker
thread and lists every problem; Send stays disabled while a blocking one remains.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QLocale,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStyle,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop.audience.cost import Prices
from kupon_desktop.compose import (
    AUTOSAVE,
    CascadeCodeBook,
    Draft,
    DraftField,
    Problem,
    check,
    drafts,
    has_blocking,
    placeholder_text,
    render_one,
    rules_for,
    sms_length,
)
from kupon_desktop.ui.pages.base import Page
from kupon_desktop.ui.widgets.html_highlighter import HtmlHighlighter
from kupon_desktop.ui.widgets.type_icons import type_icon
from kupon_desktop.ui.widgets.ucs2_guard import Ucs2Bar
from kupon_desktop.vocabulary import CHARSETS, MessageType

log = logging.getLogger(__name__)

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
AUTOSAVE_MS = 2000


def estimate_text(estimate: Any) -> str:
    """ "Estimated cost: 1 234,50 RUB for 10 000 messages (20 000 SMS segments)"."""
    locale = QLocale()
    text = (
        QCoreApplication.translate("MessagePage", "Estimated cost: %1 %2 for %3 message(s)")
        .replace("%1", locale.toString(float(estimate.cost), "f", 2))
        .replace("%2", estimate.currency)
        .replace("%3", locale.toString(int(estimate.messages)))
    )
    if estimate.segments != estimate.messages:
        text += QCoreApplication.translate("MessagePage", " (%1 billed units)").replace(
            "%1", locale.toString(int(estimate.segments))
        )
    if getattr(estimate, "not_mobile", 0):
        text += (
            QCoreApplication.translate(
                "MessagePage", "; of them %1 to numbers that are not mobiles (%2 %3)"
            )
            .replace("%1", locale.toString(int(estimate.not_mobile)))
            .replace("%2", locale.toString(float(estimate.not_mobile_cost), "f", 2))
            .replace("%3", estimate.currency)
        )
    if estimate.examples:
        text += QCoreApplication.translate(
            "MessagePage", " at example prices: set yours in Settings"
        )
    return text


class MessagePage(Page):
    #: (Draft) the user pressed Send and the check found nothing blocking
    send_requested = Signal(object)
    #: (Draft, address) a test send to one typed number or address
    test_send_requested = Signal(object, str)

    def __init__(
        self, language: str = "en", parent: QWidget | None = None, runner: Any = None
    ) -> None:
        super().__init__(
            self.tr("Message"),
            self.tr(
                "Choose the channel, write the text with {placeholders} from your "
                "list, and check it before sending."
            ),
            parent,
        )
        self.language = language
        self.runner = runner
        self.contacts: Any = None
        self.fields: Any = None
        self.position = 0
        self.problems: list[Problem] = []
        self._checked_draft: Draft | None = None
        self._loading = False
        self.codes = CascadeCodeBook()
        #: ``async (draft, advertising) -> campaign.session.Plan``, set by the window: the
        #: session's plan for the loaded list (None: only the draft itself is checked)
        self.planner: Any = None
        self.plan: Any = None
        self.drafts = drafts()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.layout_.addWidget(splitter, 1)
        splitter.addWidget(self._build_form())
        splitter.addWidget(self._build_side())
        splitter.setSizes([620, 460])

        self._preview_timer = QTimer(self, singleShot=True, interval=120)
        self._preview_timer.timeout.connect(self.update_preview)
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave)
        self._restore_autosave()
        self._apply_type()
        self.update_preview()

    # -- building --------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form = form

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
        self.counter.setWordWrap(True)
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

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _build_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(8, 0, 0, 0)

        preview = QGroupBox(self.tr("Preview"))
        pv = QVBoxLayout(preview)
        nav = QHBoxLayout()
        style = self.style()
        self.prev_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack), "")
        self.next_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward), ""
        )
        self.prev_button.setToolTip(self.tr("Previous recipient"))
        self.next_button.setToolTip(self.tr("Next recipient"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.recipient_label = QLabel()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.recipient_label, 1)
        nav.addWidget(self.next_button)
        pv.addLayout(nav)
        self.preview = QTextBrowser()
        self.preview.setMinimumHeight(140)
        pv.addWidget(self.preview)
        self.preview_length = QLabel()
        self.preview_length.setObjectName("pageHint")
        pv.addWidget(self.preview_length)
        layout.addWidget(preview, 2)

        problems = QGroupBox(self.tr("Check"))
        pl = QVBoxLayout(problems)
        self.problem_list = QListWidget()
        self.problem_list.setWordWrap(True)
        pl.addWidget(self.problem_list)
        self.check_summary = QLabel(self.tr("Press Check to look for problems."))
        self.check_summary.setObjectName("pageHint")
        self.check_summary.setWordWrap(True)
        pl.addWidget(self.check_summary)
        buttons = QHBoxLayout()
        self.check_button = QPushButton(self.tr("Check"))
        self.check_button.setShortcut("F7")
        self.check_button.clicked.connect(self.start_check)
        self.send_button = QPushButton(self.tr("Send…"))
        self.send_button.setObjectName("primary")
        self.send_button.setShortcut("Ctrl+Return")
        self.send_button.clicked.connect(self.start_send)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        pl.addLayout(buttons)
        test_row = QHBoxLayout()
        self.test_address = QLineEdit()
        self.test_address.setPlaceholderText(self.tr("a number or address for a test"))
        self.test_button = QPushButton(self.tr("Send test"))
        self.test_button.clicked.connect(self._test_send)
        test_row.addWidget(self.test_address, 1)
        test_row.addWidget(self.test_button)
        pl.addLayout(test_row)
        layout.addWidget(problems, 3)
        return side

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

    def set_contacts(self, result: Any) -> None:
        """Use an imported list: its columns become placeholders, its rows the preview."""
        self.contacts = result.contacts
        self.fields = result.fields
        self.position = 0
        self.insert_combo.clear()
        for name in result.field_names:
            self.insert_combo.addItem(placeholder_text(name), name)
        self._checked_draft = None
        self.update_preview()

    # -- reacting to edits -----------------------------------------------------------

    @Slot()
    def _edited(self) -> None:
        if self._loading:
            return
        self._checked_draft = None
        self._preview_timer.start()
        self._autosave_timer.start()

    @Slot()
    def _apply_type(self) -> None:
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

    @Slot()
    def update_preview(self) -> None:
        draft = self.draft()
        self.ucs2_bar.update_for(draft.type, draft.text)
        total = 0 if self.contacts is None else len(self.contacts)
        self.prev_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(self.position < total - 1)
        if self.html_tabs.isEnabled():
            self.html_preview.setHtml(draft.html_text)
        if total == 0:
            self.recipient_label.setText(self.tr("No contacts imported: showing the template"))
            text = draft.text
            address = ""
        else:
            try:
                rendered = render_one(draft, self.contacts, self.fields, self.position)
            except Exception as exc:  # a template error is shown by Check; say it here too
                self.preview.setPlainText(str(exc))
                self.preview_length.setText("")
                return
            text = rendered.text
            address = rendered.address or self.tr("(no address for this type)")
            row = int(self.contacts["row"].iloc[self.position])
            self.recipient_label.setText(
                self.tr("Recipient %1 of %2 (row %3): %4")
                .replace("%1", f"{self.position + 1:,}")
                .replace("%2", f"{total:,}")
                .replace("%3", str(row))
                .replace("%4", address)
            )
            if rendered.html_text:
                self.html_preview.setHtml(rendered.html_text)
        self.preview.setPlainText(text)
        length = sms_length(text)
        words = self.tr("%1 characters · %2 · %3 SMS segment(s)")
        summary = (
            words.replace("%1", str(length.characters))
            .replace("%2", length.encoding)
            .replace("%3", str(length.segments))
        )
        self.preview_length.setText(summary)
        self.counter.setText(summary)

    def step(self, delta: int) -> None:
        if self.contacts is None:
            return
        self.position = max(0, min(len(self.contacts) - 1, self.position + delta))
        self.update_preview()

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
        name, ok = QInputDialog.getText(
            self,
            self.tr("Save cascade code"),
            self.tr('A name for code %1 (e.g. "Viber→SMS, spring promo"):').replace("%1", code),
        )
        if not ok or not name.strip():
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
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load HTML"), str(Path.home()), "HTML (*.html *.htm)"
        )
        if name:
            self.load_html(Path(name))

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
        html = self.html_preview.toHtml() if self.contacts is not None else self.html.toPlainText()
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as fh:
            fh.write(html)
        QDesktopServices.openUrl(QUrl.fromLocalFile(fh.name))

    # -- image thumbnail -------------------------------------------------------------

    @Slot()
    def fetch_thumbnail(self) -> None:
        url = self.image.text().strip()
        self.thumbnail.clear()
        self.thumbnail.setToolTip("")
        if not url or self.runner is None:
            return
        self.thumbnail.setText(self.tr("loading…"))
        self.runner.start(self._fetch_thumbnail(url), what=self.tr("Image preview"))

    async def _fetch_thumbnail(self, url: str) -> None:
        import httpx

        try:
            async with httpx.AsyncClient(timeout=10, follow_redirects=True) as client:
                response = await client.get(url)
                response.raise_for_status()
                data = response.content
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            # InvalidURL (a control character, a 70 KB address) is no HTTPError
            self._thumbnail_failed(type(exc).__name__)
            return
        if url != self.image.text().strip():
            return  # the user typed another address meanwhile
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self._thumbnail_failed(self.tr("not an image"))
            return
        self.thumbnail.setPixmap(
            pixmap.scaled(
                self.thumbnail.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def _thumbnail_failed(self, why: str) -> None:
        self.thumbnail.setText("⚠")
        self.thumbnail.setToolTip(
            self.tr(
                "The image could not be loaded (%1): check the address before sending."
            ).replace("%1", why)
        )

    # -- check and send --------------------------------------------------------------

    @Slot()
    def start_check(self) -> asyncio.Task[Any] | None:
        if self.runner is None:
            self.show_problems(self._check(self.draft()), self.draft())
            return None
        return self.runner.start(self.run_check(), what=self.tr("Check"))

    async def run_check(self) -> list[Problem]:
        draft = self.draft()
        self.check_button.setEnabled(False)
        self.check_summary.setText(self.tr("Checking…"))
        try:
            if self.planner is not None:
                plan = await self.planner(draft, self.advertising)
            else:
                plan = None
                problems = await asyncio.to_thread(self._check, draft)
        finally:
            self.check_button.setEnabled(True)
        if plan is not None:
            self.show_plan(plan)
            return list(plan.problems)
        self.show_problems(problems, draft)
        return problems

    @property
    def advertising(self) -> bool:
        return not self.service.isChecked()

    def _check(self, draft: Draft) -> list[Problem]:
        """The draft's own checks (a page with no window behind it: tests)."""
        self.plan = None
        return check(draft, self.contacts, self.fields, now=datetime.now().astimezone())

    def show_plan(self, plan: Any) -> None:
        """The session's verdict on the draft and the loaded list."""
        self.plan = plan if plan.audience is not None else None
        self.show_problems(list(plan.problems), plan.draft)

    def show_problems(self, problems: list[Problem], draft: Draft) -> None:
        self.problems = problems
        self._checked_draft = draft
        self.problem_list.clear()
        style = self.style()
        error_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        warning_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        lang = "ru" if self.language == "ru" else "en"
        for problem in problems:
            text = problem.message(lang)
            item = QListWidgetItem(error_icon if problem.blocking else warning_icon, text)
            item.setToolTip(text)
            self.problem_list.addItem(item)
        errors = sum(p.blocking for p in problems)
        warnings = len(problems) - errors
        if not problems:
            summary = self.tr("No problems found.")
        else:
            summary = (
                self.tr("%1 error(s) block sending, %2 warning(s).")
                .replace("%1", str(errors))
                .replace("%2", str(warnings))
            )
        if self.plan is not None:
            summary += "\n" + estimate_text(self.plan.estimate)
        self.check_summary.setText(summary)
        self.send_button.setEnabled(not has_blocking(problems))

    @Slot()
    def start_send(self) -> None:
        if self.runner is None:
            return
        self.runner.start(self._send(), what=self.tr("Send"))

    async def _send(self) -> None:
        problems = await self.run_check()
        if has_blocking(problems):
            return
        if self.contacts is None or len(self.contacts) == 0:
            self.check_summary.setText(self.tr("Import contacts before sending."))
            return
        self.send_requested.emit(self._checked_draft)

    @Slot()
    def _test_send(self) -> None:
        address = self.test_address.text().strip()
        if not address:
            self.test_address.setFocus()
            return
        self.test_send_requested.emit(self.draft(), address)

    # -- autosave --------------------------------------------------------------------

    @Slot()
    def autosave(self) -> None:
        try:
            self.drafts.save(AUTOSAVE, self.draft())
        except (OSError, ValueError) as exc:
            log.warning("autosave failed: %s", exc)

    def _restore_autosave(self) -> None:
        try:
            if self.drafts.exists(AUTOSAVE):
                self.set_draft(self.drafts.load(AUTOSAVE).draft)
        except Exception as exc:  # an unreadable autosave must not stop the page
            log.warning("could not restore the autosaved draft: %s", exc)

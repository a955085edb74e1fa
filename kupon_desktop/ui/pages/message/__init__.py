"""The Message page: what each recipient will receive.

Split at its seams: the form and its draft (``form``), the autosave (``binding``), the
check in a worker thread (``check``), the image thumbnail (``thumbnail``) and what the
preview may lay out on the GUI thread (``preview``: a huge cell is cut, with a note; a
huge HTML document is not rendered here). This module puts them on one page.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop.compose import (
    CascadeCodeBook,
    Draft,
    Problem,
    has_blocking,
    placeholder_text,
    render_one,
    sms_length,
)
from kupon_desktop.compose.personalize import CONTACT_COLUMNS
from kupon_desktop.errors import KuponError
from kupon_desktop.ui.pages.base import Page, money, number
from kupon_desktop.ui.pages.message import preview as bounds
from kupon_desktop.ui.pages.message.ab import add_variant_problems
from kupon_desktop.ui.pages.message.binding import AUTOSAVE_MS, DraftBinding
from kupon_desktop.ui.pages.message.check import check_draft, fill_problem_list
from kupon_desktop.ui.pages.message.form import TYPE_ORDER, MessageForm
from kupon_desktop.ui.pages.message.letter import LetterPreview
from kupon_desktop.ui.pages.message.marking import (
    has_marks,
    image_label,
    mark_unknown,
    marks_in_html,
    sample_row,
    text_html,
    unknown_note,
    unmarked,
    without_remote_images,
)
from kupon_desktop.ui.pages.message.phone import MESSENGERS, PhonePreview
from kupon_desktop.ui.pages.message.thumbnail import ThumbnailFetcher
from kupon_desktop.vocabulary import MessageType

__all__ = ["AUTOSAVE_MS", "TYPE_ORDER", "MessagePage", "estimate_text"]

log = logging.getLogger(__name__)


def estimate_text(estimate: Any) -> str:
    """ "Estimated cost: 1 234,50 руб. for 10 000 messages (20 000 SMS segments)"."""
    locale = QLocale()
    text = (
        QCoreApplication.translate("MessagePage", "Estimated cost: %1 for %3 message(s)")
        .replace("%1", money(estimate.cost))
        .replace("%3", locale.toString(int(estimate.messages)))
    )
    if estimate.segments != estimate.messages:
        text += QCoreApplication.translate("MessagePage", " (%1 billed units)").replace(
            "%1", locale.toString(int(estimate.segments))
        )
    if getattr(estimate, "not_mobile", 0):
        text += (
            QCoreApplication.translate(
                "MessagePage", "; of them %1 to numbers that are not mobiles (%2)"
            )
            .replace("%1", locale.toString(int(estimate.not_mobile)))
            .replace("%2", money(estimate.not_mobile_cost))
        )
    if estimate.examples:
        text += QCoreApplication.translate(
            "MessagePage", " at example prices: set yours in Settings"
        )
    return text


class MessagePage(MessageForm, Page):
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
        self.filled_html = ""
        self.problems: list[Problem] = []
        self._checked_draft: Draft | None = None
        self._loading = False
        #: bumped at each preview: a preview rendered aside for an older one is dropped
        self._preview_version = 0
        self.codes = CascadeCodeBook()
        #: ``async (draft, advertising) -> campaign.session.Plan``, set by the window: the
        #: session's plan for the loaded list (None: only the draft itself is checked)
        self.planner: Any = None
        self.plan: Any = None

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.layout_.addWidget(splitter, 1)
        splitter.addWidget(self._build_form())
        splitter.addWidget(self._build_side())
        splitter.setSizes([620, 460])

        self._preview_timer = QTimer(self, singleShot=True, interval=120)
        self._preview_timer.timeout.connect(self.update_preview)
        self.binding = DraftBinding(self.draft, self.set_draft, self)
        self.thumbnails = ThumbnailFetcher(
            self.thumbnail, lambda: self.image.text().strip(), runner, self.update_preview
        )
        self.ab.changed.connect(self._edited)
        self.binding.restore()
        self._apply_type()
        self.update_preview()

    # -- building --------------------------------------------------------------------

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
        # one face per kind of message: the plain text (SMS, voice, push…), a phone's
        # chat bubble (messengers), a letter (e-mail)
        self.preview = QTextBrowser()
        self.preview.setMinimumHeight(140)
        self.phone = PhonePreview()
        self.letter = LetterPreview()
        self.faces = QStackedWidget()
        for face in (self.preview, self.phone, self.letter):
            self.faces.addWidget(face)
        # room for a bubble with its picture and a few lines of text
        self.faces.setMinimumHeight(200)
        pv.addWidget(self.faces)
        self.preview_length = QLabel()
        self.preview_length.setObjectName("pageHint")
        self.preview_length.setWordWrap(True)
        pv.addWidget(self.preview_length)
        layout.addWidget(preview, 3)

        problems = QGroupBox(self.tr("Check"))
        pl = QVBoxLayout(problems)
        self.problem_list = QListWidget()
        self.problem_list.setWordWrap(True)
        # its size hint asked for more than the preview got: the two share by stretch
        self.problem_list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.problem_list.setMinimumHeight(70)
        pl.addWidget(self.problem_list, 1)
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
        layout.addWidget(problems, 2)
        return side

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
        self.binding.edited()

    @Slot()
    def update_preview(self) -> None:
        """The message as the chosen recipient gets it, laid out within the preview's
        limits (``preview``): the work here must not grow with a cell's size. A row
        with huge cells is rendered in a worker thread."""
        draft = self.draft()
        self.ucs2_bar.update_for(draft.type, draft.text)
        total = 0 if self.contacts is None else len(self.contacts)
        self._preview_version += 1
        self.prev_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(self.position < total - 1)
        if total == 0 and (draft.type in MESSENGERS or draft.type is MessageType.EMAIL):
            # as the recipient will see it: filled from a made-up contact
            self.recipient_label.setText(self.tr("No contacts imported: showing a sample contact"))
            try:
                rendered = render_one(draft, *sample_row(draft), 0)
            except Exception as exc:  # a template error is shown by Check; say it here too
                self._preview_failed(exc)
                return
            self._show_preview(rendered.text, rendered.html_text or "")
            return
        if total == 0:
            self.recipient_label.setText(self.tr("No contacts imported: showing the template"))
            self._show_preview(draft.text, draft.html_text)
            return
        position = self.position
        # rendered from the row with its huge cells cut: the preview shows a bounded part
        # anyway, and rendering a cell of megabytes held the window for a second
        fields, cut = (
            (None, False) if self.fields is None else bounds.cut_row(self.fields, position)
        )
        one = self.contacts.iloc[position : position + 1]
        # a placeholder the list has no column for stays visible, marked, in the message
        known = {str(c) for c in ([] if fields is None else fields.columns)}
        known |= {c for c in CONTACT_COLUMNS if c in one.columns}
        shown_draft, unknown = mark_unknown(draft, known)
        try:
            rendered = render_one(shown_draft, one, fields, 0)
        except Exception as exc:  # a template error is shown by Check; say it here too
            self._preview_failed(exc)
            return
        self._show_rendered(draft, rendered, position, cut, unknown)

    def _preview_failed(self, exc: Exception) -> None:
        message = exc.message(self.language) if isinstance(exc, KuponError) else str(exc)
        self.faces.setCurrentWidget(self.preview)
        self.preview.setPlainText(message[: bounds.TEXT_LIMIT])
        self.preview_length.setText("")

    def _show_rendered(
        self, draft: Draft, rendered: Any, position: int, cut: bool, unknown: list[str]
    ) -> None:
        address = rendered.address or self.tr("(no address for this type)")
        row = int(self.contacts["row"].iloc[position])
        self.recipient_label.setText(
            self.tr("Recipient %1 of %2 (row %3): %4")
            .replace("%1", number(position + 1))
            .replace("%2", number(len(self.contacts)))
            .replace("%3", str(row))
            .replace("%4", address[:200])
        )
        self._show_preview(rendered.text, rendered.html_text or draft.html_text, cut, unknown)

    def _show_preview(
        self, text: str, html: str, cut: bool = False, unknown: list[str] | None = None
    ) -> None:
        """``text`` and ``html`` rendered for one recipient, with the unknown placeholders
        between markers (``marking``)."""
        draft = self.draft()
        cut_text = cut and len(text) > bounds.TEXT_LIMIT
        #: what "Open in browser" opens: the letter filled, with its real images
        self.filled_html = unmarked(html)
        letter = ""
        if self.html_tabs.isEnabled():
            too_big = bounds.html_too_big(html)
            if too_big is None:
                # no image fetched from here, and no broken image block
                html = marks_in_html(without_remote_images(html))
                if cut and len(html) > bounds.TEXT_LIMIT:
                    html += bounds.cut_html_note()
            letter = too_big or html
            self.html_preview.setWordWrapMode(bounds.wrap_mode(html))
            self.html_preview.setHtml(letter)
        shown, hidden = bounds.cut(text)
        note = bounds.cut_note(None if cut_text else hidden) if (cut_text or hidden) else ""
        shown_note = shown + ("\n\n" + note if note else "")
        if draft.type in MESSENGERS:
            self.faces.setCurrentWidget(self.phone)
            address = draft.image
            self.phone.show_message(
                draft.type,
                draft.sender,
                shown_note,
                draft.button,
                self.thumbnails.picture_for(address),
                image_label(address) if address else "",
            )
        elif draft.type is MessageType.EMAIL:
            self.faces.setCurrentWidget(self.letter)
            self.letter.body.setWordWrapMode(bounds.wrap_mode(letter or shown))
            self.letter.show_letter(draft.sender, shown, letter or text_html(shown_note))
        else:
            self.faces.setCurrentWidget(self.preview)
        self.preview.setWordWrapMode(bounds.wrap_mode(shown))
        if has_marks(shown_note):
            self.preview.setHtml(text_html(shown_note))
        else:
            self.preview.setPlainText(shown_note)
        text = unmarked(text)
        # the counter beside the field picker has room for one short line; the line
        # under the preview says it in words
        if cut_text:
            limit = QLocale().toString(bounds.TEXT_LIMIT)
            summary = self.tr("over %1 characters: far too long for one message").replace(
                "%1", limit
            )
            counter = self.tr("over %1 characters").replace("%1", limit)
        elif hidden:
            # the encoding and segments of a text this long mean nothing for one message
            summary = self.tr("%1 characters: far too long for one message").replace(
                "%1", QLocale().toString(len(text))
            )
            counter = self.tr("%1 characters").replace("%1", number(len(text)))
        elif self.message_type is not MessageType.SMS:
            # encoding and SMS segments mean nothing for an e-mail or a messenger
            summary = counter = self.tr("%1 characters").replace("%1", number(len(text)))
        else:
            length = sms_length(text)
            values = (number(length.characters), length.encoding, number(length.segments))
            summary = self.tr("%1 characters · %2 · %3 SMS segment(s)")
            counter = self.tr("%1 chars · %2 · %3 SMS")
            for key, value in zip(("%1", "%2", "%3"), values, strict=True):
                summary = summary.replace(key, value)
                counter = counter.replace(key, value)
        self.counter.setToolTip(summary)
        if unknown:
            summary += "\n" + unknown_note(unknown)
        self.preview_length.setText(summary)
        self.counter.setText(counter)

    def step(self, delta: int) -> None:
        if self.contacts is None:
            return
        self.position = max(0, min(len(self.contacts) - 1, self.position + delta))
        self.update_preview()

    # -- image thumbnail -------------------------------------------------------------

    @Slot()
    def fetch_thumbnail(self) -> None:
        self.thumbnails.start()

    async def _fetch_thumbnail(self, url: str) -> None:
        await self.thumbnails.fetch(url)

    # -- check and send --------------------------------------------------------------

    @Slot()
    def start_check(self) -> asyncio.Task[Any] | None:
        if self.runner is None:
            self.show_problems(self._check(self.draft()), self.draft())
            return None
        return self.runner.start(self.run_check(), what=self.tr("Check"))

    async def run_check(self) -> list[Problem]:
        draft = self.draft()
        # an A/B test: every variant is checked against the list as A is
        variants = self.ab.variant_drafts(draft) if self.ab.enabled else []
        extra: list[tuple[str, list[Problem]]] = []
        self.check_button.setEnabled(False)
        self.check_summary.setText(self.tr("Checking…"))
        try:
            if self.planner is not None:
                plan = await self.planner(draft, self.advertising)
                for name, variant in variants:
                    checked = await self.planner(variant, self.advertising)
                    extra.append((name, list(checked.problems)))
            else:
                plan = None
                problems = await asyncio.to_thread(self._check, draft)
                for name, variant in variants:
                    found = await asyncio.to_thread(
                        check_draft, variant, self.contacts, self.fields
                    )
                    extra.append((name, found))
        finally:
            self.check_button.setEnabled(True)
        if plan is not None:
            self.show_plan(plan)
            problems = list(plan.problems)
        else:
            self.show_problems(problems, draft)
        own = list(problems)
        for name, found in extra:
            add_variant_problems(self.problem_list, name, found, self.language, own)
            problems += found
        if any(p.blocking for _, found in extra for p in found):
            self.send_button.setEnabled(False)
            self.check_summary.setText(
                self.check_summary.text()
                + "\n"
                + self.tr("A variant of the A/B test has an error: see the list.")
            )
        return problems

    @property
    def advertising(self) -> bool:
        return not self.service.isChecked()

    def _check(self, draft: Draft) -> list[Problem]:
        """The draft's own checks (a page with no window behind it: tests)."""
        self.plan = None
        return check_draft(draft, self.contacts, self.fields)

    def show_plan(self, plan: Any) -> None:
        """The session's verdict on the draft and the loaded list."""
        self.plan = plan if plan.audience is not None else None
        self.show_problems(list(plan.problems), plan.draft)

    def show_problems(self, problems: list[Problem], draft: Draft) -> None:
        self.problems = problems
        self._checked_draft = draft
        fill_problem_list(self.problem_list, problems, self.language)
        errors = sum(p.blocking for p in problems)
        warnings = len(problems) - errors
        if not problems and (self.contacts is None or len(self.contacts) == 0):
            # only the draft was checked: "no problems" would promise more than that
            summary = self.tr(
                "The draft has no errors; import contacts to check it against the list."
            )
        elif not problems:
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
        try:
            self.spend_cap.cap(self.language)
        except ValueError:
            self.spend_cap.edit.setFocus()
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
        self.binding.save()

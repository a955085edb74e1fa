"""Settings: the API address and token, the status receiver, phone region, language.

Every field is validated when the user presses OK; a bad value is explained next to
its field and nothing is saved until all are right.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kupon_desktop.config import SETTINGS, InvalidSetting, Settings, bad_value
from kupon_desktop.credentials import TokenStore
from kupon_desktop.ui.pages.base import decimal_number
from kupon_desktop.ui.widgets.wheel_guard import guard_wheel
from kupon_desktop.vocabulary import MessageType


def interface_language() -> str:
    """The language the window speaks ("ru" or "en"), as ``app.build_context`` set it."""
    app = QCoreApplication.instance()
    value = app.property("kupon_language") if app is not None else None
    if value:
        return str(value)
    return "ru" if QLocale().language() == QLocale.Language.Russian else "en"


class _Field(QWidget):
    """An input with an error line under it."""

    def __init__(self, editor: QWidget, hint: str = "") -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.editor = editor
        layout.addWidget(editor)
        self.hint = QLabel(hint)
        self.hint.setObjectName("pageHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        tokens: TokenStore,
        parent: QWidget | None = None,
        *,
        demo: bool = False,
        feed_keys: TokenStore | None = None,
        team_keys: TokenStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(700)
        self.resize(720, 760)
        self._settings = settings
        self._tokens = tokens
        self._feed_keys = feed_keys
        self._team_keys = team_keys
        self.language_changed = False
        outer = QVBoxLayout(self)
        body = QWidget()
        layout = QVBoxLayout(body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        if demo:
            banner = QLabel(
                self.tr(
                    "Demo mode: the program talks to its built-in simulator. Changes made here "
                    "apply when you start the program normally."
                )
            )
            banner.setObjectName("banner")
            banner.setWordWrap(True)
            layout.addWidget(banner)

        platform = QGroupBox(self.tr("Kupon.mobi platform"))
        form = QFormLayout(platform)
        self.api_url = _Field(QLineEdit(settings.get("api/base_url")))
        form.addRow(self.tr("API address:"), self.api_url)
        token_edit = QLineEdit()
        token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        token_edit.setPlaceholderText(self.tr("paste the token from your account"))
        token_edit.setText(tokens.get() or "")
        self.token = _Field(
            token_edit, self.tr("Kept in the system's credential store, never in a file.")
        )
        if tokens.problem:
            self.token.show_error(
                self.tr(
                    "No credential store is available: the token is kept only until the "
                    "program closes."
                )
            )
        show = QCheckBox(self.tr("Show token"))
        show.toggled.connect(
            lambda on: token_edit.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        form.addRow(self.tr("API token:"), self.token)
        form.addRow("", show)
        layout.addWidget(platform)

        receiver = QGroupBox(self.tr("Delivery statuses"))
        rform = QFormLayout(receiver)
        explain = QLabel(
            self.tr(
                "The platform reports each message's status by calling an address. If this "
                "computer can be reached from the internet, leave the address empty and the "
                "built-in receiver listens on the port below; otherwise run "
                '"kupon-desktop receiver" on a server and enter its address here.'
            )
        )
        explain.setWordWrap(True)
        explain.setObjectName("pageHint")
        rform.addRow(explain)
        self.callback_url = _Field(QLineEdit(settings.get("receiver/callback_url")))
        callback_edit = self.callback_url.editor
        assert isinstance(callback_edit, QLineEdit)
        callback_edit.setPlaceholderText("https://example.com/callback/…")
        rform.addRow(self.tr("Receiver address:"), self.callback_url)
        self.port = _Field(QLineEdit(str(settings.get("receiver/port"))))
        feed_edit = QLineEdit((feed_keys.get() or "") if feed_keys is not None else "")
        feed_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.feed_key = _Field(
            feed_edit,
            self.tr(
                "With a server receiver: the key of its event feed, which this window polls "
                "for statuses. Kept in the credential store."
            ),
        )
        rform.addRow(self.tr("Feed key:"), self.feed_key)
        rform.addRow(self.tr("Receiver port:"), self.port)
        layout.addWidget(receiver)

        team = QGroupBox(self.tr("Team server"))
        tform = QFormLayout(team)
        team_explain = QLabel(
            self.tr(
                "A team shares one stop list, sees each other's campaigns and statuses, and "
                "may need an approver's approval before sending. Leave the address empty "
                "to work alone."
            )
        )
        team_explain.setWordWrap(True)
        team_explain.setObjectName("pageHint")
        tform.addRow(team_explain)
        self.team_url = _Field(QLineEdit(settings.get("team/server_url")))
        team_url_edit = self.team_url.editor
        assert isinstance(team_url_edit, QLineEdit)
        team_url_edit.setPlaceholderText("https://team.example.ru:8443")
        tform.addRow(self.tr("Server address:"), self.team_url)
        team_key_edit = QLineEdit((team_keys.get() or "") if team_keys is not None else "")
        team_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.team_key = _Field(
            team_key_edit,
            self.tr("Your user key from the server's administrator. Kept in the credential store."),
        )
        if team_keys is not None and team_keys.problem:
            self.team_key.show_error(
                self.tr(
                    "No credential store is available: the key is kept only until the "
                    "program closes."
                )
            )
        tform.addRow(self.tr("User key:"), self.team_key)
        self.team_freshness = _Field(
            QLineEdit(str(settings.get("team/freshness"))),
            self.tr(
                "Nothing is sent when the team's stop list could not be refreshed for "
                "longer than this many seconds."
            ),
        )
        tform.addRow(self.tr("Stop list freshness, s:"), self.team_freshness)
        layout.addWidget(team)

        general = QGroupBox(self.tr("General"))
        gform = QFormLayout(general)
        self.region = _Field(
            QLineEdit(settings.get("contacts/region")),
            self.tr("Country for phone numbers written without a country code (RU, KZ, BY…)."),
        )
        gform.addRow(self.tr("Phone region:"), self.region)
        combo = QComboBox()
        for code, label in (
            ("system", self.tr("As the system")),
            ("ru", "Русский"),
            ("en", "English"),
        ):
            combo.addItem(label, code)
        combo.setCurrentIndex(max(0, combo.findData(settings.get("ui/language"))))
        self.language = _Field(combo, self.tr("Takes effect when the program restarts."))
        gform.addRow(self.tr("Language:"), self.language)
        layout.addWidget(general)

        audience = QGroupBox(self.tr("Audience rules"))
        aform = QFormLayout(audience)
        from kupon_desktop.audience.window import SendWindow

        lang = interface_language()
        self.window_field = _Field(
            QLineEdit(SendWindow.parse(str(settings.get("audience/window"))).text(lang)),
            self.tr(
                "When messages may arrive in the recipient's own time, e.g. 09:00-22:00; "
                '"off" for any time.'
            ),
        )
        aform.addRow(self.tr("Send window:"), self.window_field)
        self.zone_field = _Field(
            QLineEdit(str(settings.get("audience/default_zone"))),
            self.tr(
                "For recipients whose list and number say nothing "
                "(Europe/Moscow, UTC+5, Новосибирск…)."
            ),
        )
        aform.addRow(self.tr("Default time zone:"), self.zone_field)
        prices_box = QWidget()
        grid = QGridLayout(prices_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.price_fields: dict[str, _Field] = {}
        russian = lang == "ru"
        for i, t in enumerate(MessageType):
            name = "prices/" + t.value
            # as the user writes a fraction: "4,50" in Russian (both are read back)
            edit = QLineEdit(decimal_number(float(settings.get(name))))
            edit.setMaximumWidth(80)
            field = _Field(edit)
            self.price_fields[name] = field
            grid.addWidget(QLabel(t.label_ru if russian else t.label_en), i // 2, (i % 2) * 2)
            grid.addWidget(field, i // 2, (i % 2) * 2 + 1)
        aform.addRow(self.tr("Prices, RUB:"), prices_box)
        self.prices_box = prices_box
        prices_hint = QLabel(
            self.tr(
                "Per SMS segment, per message for the other channels. "
                "The platform publishes no price list: enter your "
                "tariff; the defaults are examples."
            )
        )
        prices_hint.setWordWrap(True)
        prices_hint.setObjectName("pageHint")
        aform.addRow("", prices_hint)
        cap = str(settings.get("audience/spend_cap") or "")
        self.spend_cap_field = _Field(
            QLineEdit(decimal_number(float(cap)) if cap else ""),
            self.tr(
                "A new campaign (or a whole A/B test) pauses before its estimated spend "
                "would pass this; empty for no cap. Each campaign can change it."
            ),
        )
        self.spend_cap_field.editor.setObjectName("spendCapDefault")
        aform.addRow(self.tr("Spend cap, RUB:"), self.spend_cap_field)
        layout.addWidget(audience)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        guard_wheel(scroll, body)

    def _reveal(self, field: _Field) -> None:
        scroll = self.findChild(QScrollArea)
        if scroll is not None:
            scroll.ensureWidgetVisible(field)

    def _text(self, field: _Field) -> str:
        editor = field.editor
        if isinstance(editor, QComboBox):
            return str(editor.currentData())
        assert isinstance(editor, QLineEdit)
        return editor.text()

    @Slot()
    def accept(self) -> None:
        fields = {
            "api/base_url": self.api_url,
            "receiver/callback_url": self.callback_url,
            "receiver/port": self.port,
            "team/server_url": self.team_url,
            "team/freshness": self.team_freshness,
            "contacts/region": self.region,
            "ui/language": self.language,
            "audience/window": self.window_field,
            "audience/default_zone": self.zone_field,
            **self.price_fields,
            "audience/spend_cap": self.spend_cap_field,
        }
        clean = {}
        ok = True
        for name, field in fields.items():
            field.show_error("")
            try:
                clean[name] = SETTINGS[name].validate(self._text(field))
            except ValueError as exc:
                field.show_error(bad_value(exc).message(interface_language()))
                self._reveal(field)
                ok = False
        if not ok:
            return
        old_language = self._settings.get("ui/language")
        for name, value in clean.items():
            try:
                self._settings.set(name, value)
            except InvalidSetting as exc:  # pragma: no cover - validated just above
                fields[name].show_error(exc.message(interface_language()))
                return
        self.language_changed = clean["ui/language"] != old_language
        token = self._text(self.token)
        if token.strip() != (self._tokens.get() or ""):
            self._tokens.set(token)
        if self._feed_keys is not None:
            key = self._text(self.feed_key)
            if key.strip() != (self._feed_keys.get() or ""):
                self._feed_keys.set(key)
        if self._team_keys is not None:
            key = self._text(self.team_key)
            if key.strip() != (self._team_keys.get() or ""):
                self._team_keys.set(key)
        super().accept()

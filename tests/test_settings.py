"""Settings are declared once and validated; bad values are refused with a reason."""

from __future__ import annotations

import pytest

from kupon_desktop.config import DEFAULT_API_URL, InvalidSetting, Settings


def test_defaults():
    s = Settings()
    assert s.get("api/base_url") == DEFAULT_API_URL
    assert s.get("contacts/region") == "RU"
    assert s.get("receiver/port") == 8765


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("api/base_url", "ftp://x", "https://"),
        ("api/base_url", "https://exa mple.com", "spaces"),
        ("api/base_url", "https://host:99999/x", "port"),
        ("receiver/port", "0", "65535"),
        ("receiver/port", "eighty", "65535"),
        ("contacts/region", "XX", "RU"),
        ("ui/language", "de", "system"),
    ],
)
def test_invalid_values_are_refused(name, value, words):
    with pytest.raises(InvalidSetting) as info:
        Settings().set(name, value)
    assert words in info.value.message("en")


def test_a_corrupt_stored_value_falls_back_to_default():
    assert Settings({"receiver/port": "garbage"}).get("receiver/port") == 8765


@pytest.mark.parametrize(
    ("name", "value", "english", "russian"),
    [
        ("audience/window", "с утра", "not a send window", "не часы рассылки"),
        ("audience/default_zone", "Марс", "not a time zone", "не часовой пояс"),
        ("prices/sms", "дёшево", "not a price", "не цена"),
        ("receiver/port", "eighty", "whole number", "целое число"),
        ("api/base_url", "ftp://x", "full address", "полный адрес"),
    ],
)
def test_a_refusal_says_why_in_each_language(name, value, english, russian):
    from kupon_desktop.ui.settings_store import register_audience_settings

    register_audience_settings()
    with pytest.raises(InvalidSetting) as info:
        Settings().set(name, value)
    assert english in info.value.message("en")
    assert russian in info.value.message("ru")
    # one language at a time, never both
    assert english not in info.value.message("ru")


def _russian_settings(qtbot):
    from tests.uihelpers import make_window

    window = make_window(qtbot, lang="ru")
    return window, window.open_settings()


def _drop_translators() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    for translator in getattr(app, "_kupon_translators", []):
        app.removeTranslator(translator)
    app._kupon_translators = []


def test_russian_settings_take_prices_with_a_comma_and_explain_in_russian(qtbot):
    window, dialog = _russian_settings(qtbot)
    try:
        sms = dialog.price_fields["prices/sms"].editor
        assert sms.text() == "4,50"  # shown as a Russian writes it
        sms.setText("3,75")
        dialog.window_field.editor.setText("с утра до ночи")
        dialog.zone_field.editor.setText("Марс")
        dialog.accept()
        assert dialog.isVisible()
        assert "не часы рассылки" in dialog.window_field.error.text()
        assert "не часовой пояс" in dialog.zone_field.error.text()
        assert not dialog.price_fields["prices/sms"].error.isVisible()
        dialog.window_field.editor.setText("круглосуточно")
        dialog.zone_field.editor.setText("Новосибирск")
        dialog.accept()
        assert not dialog.isVisible()
        assert window.ctx.settings.get("prices/sms") == 3.75
        assert window.ctx.settings.get("audience/window") == "off"
        again = window.open_settings()
        # no jargon in the Russian form: the stored "off" reads as a word
        assert again.window_field.editor.text() == "круглосуточно"
        assert again.price_fields["prices/sms"].editor.text() == "3,75"
        again.reject()
    finally:
        _drop_translators()


def test_team_server_in_settings_key_in_the_credential_store_plain_http_refused(qtbot):
    from tests.keyring_memory import MemoryKeyring
    from tests.uihelpers import make_window

    keyring = MemoryKeyring()
    window = make_window(qtbot, lang="ru", keyring=keyring)
    try:
        # a desk alone until a team server is set
        assert window.control.session.team is None
        dialog = window.open_settings()
        assert dialog.team_url.editor.text() == ""
        dialog.team_url.editor.setText("http://team.example.ru:8443")
        dialog.team_key.editor.setText("kt_secret-team-key")
        dialog.team_freshness.editor.setText("5")
        dialog.accept()
        assert dialog.isVisible()
        assert "https://" in dialog.team_url.error.text()
        assert "сервера команды" in dialog.team_url.error.text()
        assert "от 10 до 86400" in dialog.team_freshness.error.text()
        dialog.team_url.editor.setText("https://team.example.ru:8443/")
        dialog.team_freshness.editor.setText("120")
        dialog.accept()
        assert not dialog.isVisible()
        settings = window.ctx.settings
        assert settings.get("team/server_url") == "https://team.example.ru:8443"
        assert settings.get("team/freshness") == 120
        # the key went to the credential store, and the settings hold no trace of it
        assert window.ctx.team_keys.get() == "kt_secret-team-key"
        assert "kt_secret-team-key" not in repr(settings.as_dict())
        # the next Send goes through the team server, with the freshness set
        team = window.control.session.team
        assert team is not None and team.client.base_url == "https://team.example.ru:8443"
        assert team.freshness == 120
        again = window.open_settings()
        assert again.team_key.editor.echoMode() == again.team_key.editor.EchoMode.Password
        again.reject()
    finally:
        _drop_translators()

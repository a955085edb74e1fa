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
    assert words in info.value.message


def test_a_corrupt_stored_value_falls_back_to_default():
    assert Settings({"receiver/port": "garbage"}).get("receiver/port") == 8765

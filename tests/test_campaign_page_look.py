"""What the Campaign page's controls look like: a disabled Resume must not look like a
button one can press (the style sheet greys it, it does not just pale its blue)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from tests.uihelpers import make_window


def _fill(button) -> QColor:
    image = button.grab().toImage()
    # the most common colour: the button's background
    seen: dict[str, int] = {}
    for x in range(2, image.width() - 2, 2):
        for y in range(2, image.height() - 2, 2):
            name = image.pixelColor(x, y).name()
            seen[name] = seen.get(name, 0) + 1
    return QColor(max(seen, key=seen.__getitem__))


def test_a_disabled_resume_is_grey_and_an_enabled_one_is_blue(qtbot):
    window = make_window(qtbot)
    page = window.campaign_page
    page.body.show()
    page.set_running(True, "running")
    assert not page.resume_button.isEnabled()
    disabled = _fill(page.resume_button)
    page.set_running(False, "paused")
    assert page.resume_button.isEnabled()
    enabled = _fill(page.resume_button)
    assert enabled.hsvSaturation() > 150, enabled.name()
    assert disabled.hsvSaturation() < 40, disabled.name()

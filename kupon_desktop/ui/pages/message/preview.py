"""What the preview may show without freezing the window: the work to lay out a text or
an HTML document grows with its size, and all of it runs on the GUI thread. A message
longer than the preview's limit is cut, with a note saying so (the message itself is
sent whole); an HTML document over its limit is not rendered here (Open in browser
shows it)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

#: characters of a rendered text the preview lays out
TEXT_LIMIT = 20_000
#: characters of an HTML document rendered in the preview
HTML_LIMIT = 200_000


def cut(text: str, limit: int = TEXT_LIMIT) -> tuple[str, int]:
    """``text`` up to ``limit`` characters, and how many were cut."""
    if len(text) <= limit:
        return text, 0
    return text[:limit], len(text) - limit


def cut_note(count: int) -> str:
    return QCoreApplication.translate(
        "MessagePreview",
        "… %1 more characters not shown here (the message is sent whole)",
    ).replace("%1", QLocale().toString(count))


def html_too_big(html: str) -> str | None:
    """The note shown instead of an HTML document too big to render here, or None."""
    if len(html) <= HTML_LIMIT:
        return None
    return (
        "<p><i>"
        + QCoreApplication.translate(
            "MessagePreview",
            "This document is too big to preview here (%1 characters). "
            "Use “Open in browser” to see it.",
        ).replace("%1", QLocale().toString(len(html)))
        + "</i></p>"
    )

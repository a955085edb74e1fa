"""What the preview may show without freezing the window: the work to lay out a text or
an HTML document grows with its size, and all of it runs on the GUI thread. A message
longer than the preview's limit is cut, with a note saying so (the message itself is
sent whole); an HTML document over its limit is not rendered here (Open in browser
shows it)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QTextOption

#: characters of a rendered text the preview lays out (an unbreakable run of 20,000
#: took 0.4 s to lay out; 4,000 take 30 ms)
TEXT_LIMIT = 4_000

#: characters without a space beyond which a text is wrapped anywhere
LONG_RUN = 200
#: characters of an HTML document rendered in the preview
HTML_LIMIT = 200_000


def cut(text: str, limit: int = TEXT_LIMIT) -> tuple[str, int]:
    """``text`` up to ``limit`` characters, and how many were cut."""
    if len(text) <= limit:
        return text, 0
    return text[:limit], len(text) - limit


def cut_note(count: int | None) -> str:
    """The note under a cut text (``None``: how much more is not known here)."""
    if count is None:
        return QCoreApplication.translate(
            "MessagePreview", "… the rest is not shown here (the message is sent whole)"
        )
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


def cut_row(fields: Any, position: int) -> tuple[Any, bool]:
    """Row ``position`` of ``fields`` as a one-row frame whose text cells are cut to a
    little over what the preview shows, and whether any was cut. Rendering the preview
    from it costs the same for a cell of 10 MB as for a word (the whole cell is never
    copied: Arrow slices it in place)."""
    import pandas as pd

    one = fields.iloc[position : position + 1]
    cut_any = False
    columns = {}
    for name in one.columns:
        column = one[name]
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            data = pa.array(column.array)
            if pa.types.is_string(data.type) or pa.types.is_large_string(data.type):
                # bytes, read from the offsets (counting characters scans the cell)
                longest = pc.max(pc.binary_length(data)).as_py() or 0
                if longest > CELL_LIMIT:
                    cut_data = pc.utf8_slice_codeunits(data, 0, CELL_LIMIT)
                    cut_any = bool(pc.any(pc.not_equal(cut_data, data)).as_py())
                    data = cut_data
                    column = pd.Series(data.to_pylist(), index=one.index, dtype=column.dtype)
        except (ImportError, TypeError, ValueError):
            pass
        columns[name] = column
    return pd.DataFrame(columns, index=one.index), cut_any


#: characters of one cell the preview renders from
CELL_LIMIT = TEXT_LIMIT + 1


def cut_html_note() -> str:
    return (
        "<p><i>"
        + QCoreApplication.translate(
            "MessagePreview", "… part of a long value is not shown here (it is sent whole)"
        )
        + "</i></p>"
    )


_RUN = re.compile(rf"\S{{{LONG_RUN},}}")


def wrap_mode(text: str) -> QTextOption.WrapMode:
    """Word wrapping, except for a text with a run of characters too long to break at
    a word (a cell of one "word" laid out at word boundaries took half a second)."""
    if _RUN.search(text):
        return QTextOption.WrapMode.WrapAnywhere
    return QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere

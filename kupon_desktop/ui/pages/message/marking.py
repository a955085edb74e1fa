"""What the preview renders from, so that it can always show the message: a placeholder
the list has no column for is kept visible and marked (instead of the whole preview
turning into an error), a draft with no list behind it is filled from a sample row, and
an e-mail's images are never fetched (no network from the preview: a remote image
becomes a small labelled frame or its alt text).

All of it is bounded by the template's size, never by the contact list's."""

from __future__ import annotations

import html as _html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QCoreApplication

from kupon_desktop.compose import Draft, TemplateSyntaxError, compile_template
from kupon_desktop.compose.placeholders import Placeholder

#: around an unknown placeholder in a rendered text (private-use characters: no message
#: has them, and they survive the renderer's HTML escaping)
OPEN, CLOSE = "\ue000", "\ue001"

_MARK = re.compile(OPEN + "(.*?)" + CLOSE, re.DOTALL)
#: how an unknown placeholder looks in every face of the preview
MARK_STYLE = "background-color:#ffe3e3; color:#a4001d; font-weight:bold;"

#: values of the sample row shown when no contacts are imported (column names as people
#: write them; any other column shows its own name in guillemets)
SAMPLES = {
    "имя": "Анна",
    "фио": "Смирнова Анна Петровна",
    "фамилия": "Смирнова",
    "отчество": "Петровна",
    "город": "Москва",
    "name": "Anna",
    "first name": "Anna",
    "last name": "Smith",
    "city": "Moscow",
    "телефон": "+7 916 123-45-67",
    "phone": "79161234567",
    "email": "anna@example.ru",
    "e-mail": "anna@example.ru",
    "промокод": "ВЕСНА20",
    "скидка": "20%",
}


def names_in(draft: Draft) -> list[str]:
    """The columns the draft's text and HTML name, each once (none for a broken one)."""
    names: list[str] = []
    for source, is_html in ((draft.text, False), (draft.html_text, True)):
        try:
            names += compile_template(source, html=is_html).names
        except TemplateSyntaxError:
            continue
    return list(dict.fromkeys(names))


def sample_value(name: str) -> str:
    return SAMPLES.get(name.strip().casefold(), "«" + name + "»")


def sample_row(draft: Draft) -> tuple[Any, Any]:
    """(contacts, fields): one made-up contact with a value for every placeholder."""
    import pandas as pd

    contacts = pd.DataFrame(
        {"row": [1], "phone": [None], "email": [None], "push_token": [None]}, dtype=object
    )
    names = names_in(draft)
    fields = pd.DataFrame({name: [sample_value(name)] for name in names}, index=contacts.index)
    return contacts, fields


def _marked(source: str, known: set[str], *, html: bool) -> tuple[str, list[str]]:
    try:
        parts = compile_template(source, html=html).parts
    except TemplateSyntaxError:
        return source, []  # the renderer says what is wrong
    out: list[str] = []
    unknown: list[str] = []
    pos = 0
    for part in parts:
        if isinstance(part, Placeholder) and part.name not in known:
            literal = part.source.replace("{", "{{").replace("}", "}}")
            out += [source[pos : part.start], OPEN, literal, CLOSE]
            pos = part.end
            unknown.append(part.name)
    out.append(source[pos:])
    return "".join(out), unknown


def mark_unknown(draft: Draft, known: set[str]) -> tuple[Draft, list[str]]:
    """The draft with each placeholder naming no column of ``known`` turned into literal
    text between the markers, and those names (each once)."""
    text, in_text = _marked(draft.text, known, html=False)
    html, in_html = _marked(draft.html_text, known, html=True)
    unknown = list(dict.fromkeys(in_text + in_html))
    if not unknown:
        return draft, []
    return replace(draft, text=text, html_text=html), unknown


def has_marks(text: str) -> bool:
    return OPEN in text


def unmarked(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")


def text_html(text: str) -> str:
    """A rendered plain text as HTML that keeps its lines and spaces, with the unknown
    placeholders marked."""
    return f'<div style="white-space:pre-wrap">{marks_in_html(_html.escape(text))}</div>'


def marks_in_html(document: str) -> str:
    """A rendered HTML document with the unknown placeholders marked (a marker left
    alone by a cut text is dropped)."""
    marked = _MARK.sub(lambda m: f'<span style="{MARK_STYLE}">{m.group(1)}</span>', document)
    return unmarked(marked)


def unknown_note(names: list[str]) -> str:
    if not names:
        return ""
    return QCoreApplication.translate(
        "MessagePreview",
        "Unknown placeholder(s) %1: the contact list has no such column; they are sent as written.",
    ).replace("%1", ", ".join("{" + n + "}" for n in names))


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def image_label(address: str) -> str:
    """The file name an image address ends with, or its host: "banner.png", "cdn.shop.ru"."""
    parts = urlsplit(address.strip())
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) if parts.path else ""
    label = name or parts.netloc or address.strip()
    return label if len(label) <= 60 else label[:59] + "…"


#: characters of an address still tried as a file's path
LOCAL_PATH_LIMIT = 4096


def local_image(address: str) -> Path | None:
    """The local file an image address names (a path or a file:// address), if it is one."""
    address = address.strip()
    if not address or len(address) > LOCAL_PATH_LIMIT:
        return None
    if address.lower().startswith("file://"):
        path = Path(unquote(urlsplit(address).path))
    elif address.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", address):
        path = Path(address).expanduser()
    else:
        return None  # an address on the web, or not an address at all
    try:
        return path if path.is_file() else None
    except (OSError, ValueError):  # a name too long, a NUL: typed, never a file
        return None


def _frame(label: str) -> str:
    return (
        '<table cellpadding="6" style="border:1px dashed #9aa3ad; background-color:#eef1f4;'
        ' color:#4a5561;"><tr><td>' + _html.escape(label) + "</td></tr></table>"
    )


def without_remote_images(document: str) -> str:
    """Each ``<img>`` that is not a local file replaced by its alt text or a small frame
    "image: banner.png": the preview fetches nothing, and shows no broken image."""

    def swap(m: re.Match[str]) -> str:
        attrs = {
            a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
            for a in _ATTR.finditer(m.group(0))
        }
        src = _html.unescape(attrs.get("src", ""))
        if local_image(src) is not None:
            return m.group(0)
        alt = _html.unescape(attrs.get("alt", "")).strip()
        if alt:
            return _frame(alt)
        label = QCoreApplication.translate("MessagePreview", "image: %1").replace(
            "%1", image_label(src) if src else "?"
        )
        return _frame(label)

    return _IMG.sub(swap, document)

"""Personalization: ``{column}`` and ``{column|default}`` placeholders in a text.

Syntax (the same for the text and the HTML text):

- ``{Имя}`` is replaced by the recipient's value in the column ``Имя``; an empty cell
  gives an empty string.
- ``{Имя|клиент}`` gives ``клиент`` when the cell is empty. The default runs to the
  closing brace and may itself contain ``|``.
- ``{{`` and ``}}`` are a literal ``{`` and ``}``.
- Spaces around the name and the default are ignored: ``{ Имя | клиент }``.

A template is compiled once into a tuple of parts (literal strings and
:class:`Placeholder`), so that rendering a million rows is a join per row and never
a regular expression per row.

In HTML the content of ``<style>`` and ``<script>`` elements is left as it is: CSS is
full of braces, and an e-mail loaded from a file should not need them doubled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kupon_desktop.compose.errors import TemplateSyntaxError, UnknownPlaceholder


@dataclass(frozen=True, slots=True)
class Placeholder:
    name: str
    default: str | None
    #: where it sits in the source text (0-based, end exclusive): for highlighting
    start: int
    end: int

    @property
    def source(self) -> str:
        return "{" + self.name + ("" if self.default is None else "|" + self.default) + "}"


Part = str | Placeholder


@dataclass(frozen=True, slots=True)
class CompiledTemplate:
    parts: tuple[Part, ...]
    html: bool = False

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(p for p in self.parts if isinstance(p, Placeholder))

    @property
    def names(self) -> list[str]:
        """Column names used, each once, in order of first use."""
        return list(dict.fromkeys(p.name for p in self.placeholders))

    def unknown(self, columns: Iterable[str]) -> list[str]:
        known = set(columns)
        return [n for n in self.names if n not in known]

    def render(self, values: Mapping[str, object]) -> str:
        """One row, for a preview or a test; bulk rendering lives in ``render.py``.
        Missing, None or blank values take the placeholder's default."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            if part.name not in values:
                raise UnknownPlaceholder([part.name])
            out.append(fill(values[part.name], part, html=self.html))
        return "".join(out)


def fill(value: object, placeholder: Placeholder, *, html: bool) -> str:
    text = clean_value(value)
    if not text:
        return placeholder.default or ""
    if html:
        import html as _html

        return _html.escape(text)
    return text


def clean_value(value: object) -> str:
    """A cell as the message shows it: missing -> "", surrounding blanks dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return str(value).strip()


_RAW_HTML = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def compile_template(text: str, *, html: bool = False) -> CompiledTemplate:
    """Parse ``text``; raises :class:`TemplateSyntaxError` on a stray brace."""
    parts: list[Part] = []
    if html:
        pos = 0
        for m in _RAW_HTML.finditer(text):
            _parse(text, pos, m.start(), parts)
            _append_literal(parts, m.group(0))
            pos = m.end()
        _parse(text, pos, len(text), parts)
    else:
        _parse(text, 0, len(text), parts)
    return CompiledTemplate(tuple(parts), html)


def _append_literal(parts: list[Part], literal: str) -> None:
    if not literal:
        return
    if parts and isinstance(parts[-1], str):
        parts[-1] += literal
    else:
        parts.append(literal)


def _parse(text: str, start: int, stop: int, parts: list[Part]) -> None:
    literal: list[str] = []
    i = start
    while i < stop:
        open_at = text.find("{", i, stop)
        close_at = text.find("}", i, stop)
        if open_at == -1 and close_at == -1:
            literal.append(text[i:stop])
            break
        if close_at != -1 and (open_at == -1 or close_at < open_at):
            literal.append(text[i:close_at])
            if text.startswith("}}", close_at) and close_at + 1 < stop:
                literal.append("}")
                i = close_at + 2
                continue
            raise TemplateSyntaxError("unmatched_close", close_at, _excerpt(text, close_at))
        literal.append(text[i:open_at])
        if text.startswith("{{", open_at) and open_at + 1 < stop:
            literal.append("{")
            i = open_at + 2
            continue
        end = text.find("}", open_at + 1, stop)
        inner = text[open_at + 1 : end] if end != -1 else ""
        if end == -1 or "{" in inner or "\n" in inner:
            raise TemplateSyntaxError("unclosed", open_at, _excerpt(text, open_at))
        name, bar, default = inner.partition("|")
        name = name.strip()
        if not name:
            raise TemplateSyntaxError("empty_name", open_at, _excerpt(text, open_at))
        _append_literal(parts, "".join(literal))
        literal = []
        parts.append(Placeholder(name, default.strip() if bar else None, open_at, end + 1))
        i = end + 1
    _append_literal(parts, "".join(literal))


def _excerpt(text: str, at: int, width: int = 20) -> str:
    lo = max(0, at - width)
    hi = min(len(text), at + width)
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


def placeholder_text(name: str, default: str | None = None) -> str:
    """The text to insert for a column (the editor's "insert placeholder" list)."""
    if any(ch in name for ch in "{}|") or not name.strip():
        raise ValueError(f"column {name!r} cannot be named in a placeholder")
    if default is not None and any(ch in default for ch in "{}"):
        raise ValueError("a default cannot contain braces")
    return "{" + name + ("" if default is None else "|" + default) + "}"


def escape_literal(text: str) -> str:
    """``text`` with its braces doubled, so that it renders as itself."""
    return text.replace("{", "{{").replace("}", "}}")

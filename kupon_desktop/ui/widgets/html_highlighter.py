"""Syntax colouring for the HTML source editor: tags, attributes, strings, comments and
``{placeholders}``."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument


def _format(colour: str, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(700)
    fmt.setFontItalic(italic)
    return fmt


class HtmlHighlighter(QSyntaxHighlighter):
    RULES = (
        (re.compile(r"</?[A-Za-z][\w:-]*|/?>"), _format("#0b5cad", bold=True)),
        (re.compile(r"\s[\w:-]+(?==)"), _format("#8250df")),
        (re.compile(r"\"[^\"]*\"|'[^']*'"), _format("#0a7a3d")),
        (re.compile(r"&\w+;"), _format("#9a6700")),
        (re.compile(r"\{[^{}]+\}"), _format("#b35900", bold=True)),
    )
    COMMENT = _format("#6e7781", italic=True)

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)

    def highlightBlock(self, text: str) -> None:
        for pattern, fmt in self.RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), fmt)
        # comments may span lines: block state 1 means "inside a comment"
        start = 0 if self.previousBlockState() == 1 else text.find("<!--")
        while start >= 0:
            end = text.find("-->", start)
            if end < 0:
                self.setFormat(start, len(text) - start, self.COMMENT)
                self.setCurrentBlockState(1)
                return
            self.setFormat(start, end + 3 - start, self.COMMENT)
            start = text.find("<!--", end + 3)
        self.setCurrentBlockState(0)

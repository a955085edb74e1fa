"""Printing from the command line whatever the console's code page."""

from __future__ import annotations

import sys


class Utf8Out:
    """stdout as UTF-8 whatever the console's code page (a Windows console in cp866
    cannot print an emoji, and a name or note with one must not crash a command)."""

    def __init__(self) -> None:
        self.stream = sys.stdout
        encoding = (getattr(self.stream, "encoding", None) or "").lower().replace("-", "")
        self.binary = None if encoding == "utf8" else getattr(self.stream, "buffer", None)
        if self.binary is not None:
            self.stream.flush()

    def write(self, text: str) -> None:
        if self.binary is not None:
            self.binary.write(text.encode("utf-8"))
        else:
            self.stream.write(text)

    def flush(self) -> None:
        (self.binary or self.stream).flush()

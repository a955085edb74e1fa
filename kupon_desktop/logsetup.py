"""Logging to a rotating file in the user's log directory, with secrets redacted.

Redaction is done on the final formatted text (message, arguments *and* traceback), so
a token that slips into an exception message or a request body still never reaches
the file, in whatever spelling (URL-, form- or JSON-encoded: see
:mod:`kupon_desktop.redaction`).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from kupon_desktop import paths
from kupon_desktop.redaction import SecretRedactor

LOG_FILE_NAME = "kupon-desktop.log"

__all__ = ["LOG_FILE_NAME", "RedactingFormatter", "SecretRedactor", "setup_logging"]


class RedactingFormatter(logging.Formatter):
    def __init__(self, redactor: SecretRedactor, fmt: str) -> None:
        super().__init__(fmt)
        self._redact = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


def setup_logging(
    redactor: SecretRedactor, *, level: int = logging.INFO, log_dir: Path | None = None
) -> Path:
    """Send the program's log to a rotating file (2 MB × 5) and return its path."""
    directory = log_dir or paths.log_dir()
    path = directory / LOG_FILE_NAME
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_kupon", False):
            root.removeHandler(old)
            old.close()
    handler: logging.Handler
    try:
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8", delay=True
        )
    except OSError:
        # a read-only log directory must not stop the program; stderr still gets it
        handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(redactor, fmt))
    setattr(handler, "_kupon", True)  # noqa: B010 - marks our handler for a later setup
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request at INFO: with a team server, a line a second while a
    # campaign is open, which would fill the log's 10 MB in a day and push out the rest
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
    return path

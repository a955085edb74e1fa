"""Logging to a rotating file in the user's log directory, with secrets redacted.

Redaction is done on the final formatted text (message, arguments *and* traceback), so
a token that slips into an exception message or a request body still never reaches
the file.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

from kupon_desktop import paths

LOG_FILE_NAME = "kupon-desktop.log"
_FORM_TOKEN = re.compile(r"(token=)[^&\s'\"]+", re.IGNORECASE)
_MIN_SECRET = 4  # shorter strings would redact ordinary words


class SecretRedactor:
    """Replaces every registered secret, and any ``token=…`` form field, by ``***``."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        if secret and len(secret) >= _MIN_SECRET:
            with self._lock:
                self._secrets.add(secret)

    def __call__(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, "***")
        return _FORM_TOKEN.sub(r"\1***", text)


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
    return path

"""Secrets out of every text the program stores or prints, in every spelling.

A platform that answers an error by quoting the request echoes the API token as the
request spelled it: form-encoded (``+`` as ``%2B``, ``/`` as ``%2F``, ``=`` as ``%3D``, a
space as ``+``), in JSON (``/`` as ``\\/`` by PHP's default, non-ASCII as ``\\uXXXX``), in
HTML. A token made only of letters and digits looks the same in all of them, which is
how the raw-only redaction passed its tests while a token with ``+/=`` leaked into the
log's error columns, stderr and ``status --json`` (issue 18). :class:`SecretRedactor`
replaces each registered secret (the API token, the feed key, the receiver's secret) in
all of these spellings, percent-escapes in either case, plus any ``token=…`` form field
and any ``Bearer …`` credential, by ``***``.

No dependencies: the store, the receiver, the command line and the window's log use it.
"""

from __future__ import annotations

import html
import json
import re
import threading
from urllib.parse import quote, quote_plus

__all__ = ["MASK", "SecretRedactor", "spellings"]

MASK = "***"
#: shorter strings would redact ordinary words
MIN_SECRET = 4

_FORM_TOKEN = re.compile(r"((?:^|[?&\s\"'])(?:token|feed_key)=)[^&\s'\"]+", re.IGNORECASE)
_BEARER = re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/=-]+")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def spellings(secret: str) -> set[str]:
    """The ways a request, a URL, JSON or HTML may spell ``secret``."""
    found = {
        secret,
        quote(secret, safe=""),
        quote(secret, safe="/"),
        quote_plus(secret),
        quote_plus(secret, safe="/"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
    }
    found |= {s.replace("/", "\\/") for s in found}  # PHP's json_encode escapes "/"
    return {s for s in found if s}


def _pattern(spelling: str) -> str:
    """A regex for ``spelling`` whose percent escapes match in either case."""
    out: list[str] = []
    last = 0
    for m in _PERCENT.finditer(spelling):
        out.append(re.escape(spelling[last : m.start()]))
        out.append("%" + "".join(f"[{c.upper()}{c.lower()}]" for c in m.group()[1:]))
        last = m.end()
    out.append(re.escape(spelling[last:]))
    return "".join(out)


class SecretRedactor:
    """Call it on a text to get the text without any registered secret. ``add`` may be
    called from any thread (the credential store tells it every token it sees)."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self._regex: re.Pattern[str] | None = None
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= MIN_SECRET:
            with self._lock:
                if secret not in self._secrets:
                    self._secrets.add(secret)
                    self._regex = None

    def _compiled(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._regex is None and self._secrets:
                every = {s for secret in self._secrets for s in spellings(secret)}
                # longest first, so a spelling is never cut by a shorter one inside it
                alternatives = sorted(every, key=len, reverse=True)
                self._regex = re.compile("|".join(_pattern(s) for s in alternatives))
            return self._regex

    def __call__(self, text: str) -> str:
        regex = self._compiled()
        if regex is not None:
            text = regex.sub(MASK, text)
        text = _FORM_TOKEN.sub(r"\1" + MASK, text)
        return _BEARER.sub(r"\1" + MASK, text)

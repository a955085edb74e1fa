"""A token (or feed key) with ``+``, ``/`` and ``=`` in it, echoed by a platform in an
error answer the way the request spelled it (form-encoded, URL-encoded in either case,
JSON-escaped, HTML), reaches neither the log's error columns, nor ``status --json`` or
its text form, nor the program's log file. Before, only the raw spelling was redacted,
which a token of letters and digits alone cannot tell apart from the others."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from kupon_desktop.logsetup import SecretRedactor, setup_logging
from kupon_desktop.store import NewRecipient, open_log

TOKEN = "Zm9v+YmFy/YmF6==tok"


def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), text)


def _echoes(secret: str) -> dict[str, str]:
    """What a platform's error may quote, in each spelling of ``secret``."""
    return {
        "raw": f"bad request: token={secret}&type=sms",
        "form-encoded": f"bad request: type=sms&sent_text=x&token={quote_plus(secret)}&x=1",
        "url-encoded": f"GET /api?t={quote(secret, safe='')} failed",
        "url-encoded, lower-case": f"t={_lower_hex(quote(secret, safe=''))}; retry",
        "path-encoded": f"at /api/{quote(secret)}/send",
        "json": json.dumps({"type": "error", "msg": f"unknown key {secret}"}),
        "json, php": '{"msg":"unknown key ' + secret.replace("/", "\\/") + '"}',
        "html": f"<p>key {secret}</p>",
        "bearer": f"Authorization: Bearer {secret}",
    }


def _leaks(text: str, secret: str) -> list[str]:
    forms = {
        secret,
        quote(secret, safe=""),
        _lower_hex(quote(secret, safe="")),
        quote(secret),
        quote_plus(secret),
        secret.replace("/", "\\/"),
    }
    return [form for form in forms if form in text]


@pytest.mark.parametrize("kind", list(_echoes(TOKEN)))
def test_the_redactor_knows_every_spelling(kind: str) -> None:
    redact = SecretRedactor()
    redact.add(TOKEN)
    text = _echoes(TOKEN)[kind]
    assert _leaks(text, TOKEN)  # the case is real
    cleaned = redact(text)
    assert not _leaks(cleaned, TOKEN), cleaned
    assert "***" in cleaned


def test_an_ordinary_text_is_left_alone() -> None:
    redact = SecretRedactor()
    redact.add(TOKEN)
    text = "Доставлено: 79161234567, find_token=1, status 20 (a/b=c+d)"
    assert redact(text) == text


def _campaign_with_echoed_errors(path: Path) -> tuple[str, str]:
    """A campaign whose rejected recipients carry the platform's echo of the token and
    of the log's own feed key, in every spelling; returns (campaign, feed key)."""
    echoes = list(_echoes(TOKEN).values())
    with open_log(path) as log:
        feed_key = log.feed_key()
        log.set_meta("feed_key", feed_key.replace("-", "+").replace("_", "/") + "==")
        feed_key = log.get_meta("feed_key") or ""
        n = len(echoes) * 2
        cid = log.create_campaign({}, "sms", [NewRecipient(f"7900{k:07d}", "t") for k in range(n)])
        log.add_secret(TOKEN)  # what the sender does with the token it sends with
        keys = list(range(n))
        log.mark_in_flight(cid, keys)
        messages = echoes + [e.replace(TOKEN, feed_key) for e in _echoes(feed_key).values()]
        log.mark_rejected(cid, list(zip(keys[: len(echoes)], echoes, strict=True)))
        rest = list(zip(keys[len(echoes) :], messages[len(echoes) :], strict=True))
        log.mark_unconfirmed(cid, rest[::2])
        log.mark_not_sent(cid, rest[1::2])
        log.set_campaign_state(cid, "running")
        log.set_campaign_state(cid, "paused", f"the platform said: {echoes[1]}")
    return cid, feed_key


def test_the_log_stores_no_spelling_of_the_token_or_feed_key(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    _cid, feed_key = _campaign_with_echoed_errors(path)
    import sqlite3

    raw = sqlite3.connect(path)
    try:
        texts = [row[0] for row in raw.execute("SELECT error FROM deliveries") if row[0]]
        texts += [row[0] for row in raw.execute("SELECT message FROM send_attempts") if row[0]]
        texts += [row[0] for row in raw.execute("SELECT state_reason FROM campaigns")]
    finally:
        raw.close()
    assert len(texts) >= 30
    joined = "\n".join(texts)
    assert not _leaks(joined, TOKEN), joined
    assert not _leaks(joined, feed_key), joined
    assert joined.count("***") >= 30


def test_status_prints_no_spelling_even_of_an_older_log(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    cid, feed_key = _campaign_with_echoed_errors(path)
    import sqlite3

    # a log written by an older version kept the feed key as the platform echoed it
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "UPDATE deliveries SET error = ? WHERE rid & 0xffffffff = 0",
            (f"echo: feed_key={quote_plus(feed_key)} and {quote(feed_key, safe='')}",),
        )
    raw.close()
    for extra in (["--json"], []):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "kupon_desktop",
                "status",
                "--db",
                str(path),
                "--campaign",
                cid,
                *extra,
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        printed = done.stdout + done.stderr
        assert "***" in printed
        assert not _leaks(printed, TOKEN), printed
        assert not _leaks(printed, feed_key), printed


def test_the_log_file_holds_no_spelling(tmp_path: Path) -> None:
    redactor = SecretRedactor()
    redactor.add(TOKEN)
    path = setup_logging(redactor, log_dir=tmp_path)
    log = logging.getLogger("test.spellings")
    try:
        for kind, text in _echoes(TOKEN).items():
            log.warning("%s: %s", kind, text)
        try:
            raise ValueError(_echoes(TOKEN)["form-encoded"])
        except ValueError:
            log.exception("with traceback")
        for handler in logging.getLogger().handlers:
            handler.flush()
        written = path.read_text(encoding="utf-8")
        assert written.count("***") >= 10
        assert not _leaks(written, TOKEN), written
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_kupon", False):
                logging.getLogger().removeHandler(handler)
                handler.close()

"""The token never reaches the log file: not in messages, arguments, tracebacks or form
bodies."""

from __future__ import annotations

import logging

from kupon_desktop.credentials import TokenStore
from kupon_desktop.logsetup import SecretRedactor, setup_logging
from tests.keyring_memory import MemoryKeyring

TOKEN = "tok-9f8e7d6c5b4a39281706"


def test_token_is_redacted_everywhere_in_the_log_file(tmp_path):
    redactor = SecretRedactor()
    tokens = TokenStore(MemoryKeyring(), on_secret=redactor.add)
    tokens.set(TOKEN)
    path = setup_logging(redactor, log_dir=tmp_path)
    log = logging.getLogger("test.redaction")
    log.info("plain %s", TOKEN)
    log.warning("body was token=%s&type=sms", "other-secret-value")
    try:
        raise ValueError(f"request failed for {TOKEN}")
    except ValueError:
        log.exception("with traceback")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "plain ***" in text
    assert "token=***&type=sms" in text
    assert "ValueError: request failed for ***" in text
    assert TOKEN not in text and "other-secret-value" not in text
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_kupon", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_read_only_log_directory_does_not_stop_the_program(tmp_path):
    missing = tmp_path / "no" / "such" / "dir"
    setup_logging(SecretRedactor(), log_dir=missing)
    logging.getLogger("x").info("still fine")
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_kupon", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_token_store_without_backend_keeps_memory_only(monkeypatch):
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    store = TokenStore()
    assert not store.persistent and store.problem
    store.set(TOKEN)
    assert store.get() == TOKEN
    store.delete()
    assert store.get() is None


def test_a_request_a_second_does_not_fill_the_log(tmp_path):
    """httpx logs each request at INFO; with a team server the window asks every second:
    those lines stay out of the file, its warnings do not."""
    path = setup_logging(SecretRedactor(), log_dir=tmp_path)
    try:
        logging.getLogger("httpx").info("HTTP Request: GET http://team/api/v1/me 200 OK")
        logging.getLogger("httpx").warning("something went wrong")
        logging.getLogger("kupon_desktop.x").info("our own line")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "HTTP Request" not in text
        assert "something went wrong" in text and "our own line" in text
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_kupon", False):
                logging.getLogger().removeHandler(handler)
                handler.close()

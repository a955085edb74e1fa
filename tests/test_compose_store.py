"""Drafts and templates as JSON, saved atomically; named cascade codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kupon_desktop import paths
from kupon_desktop.compose import (
    AUTOSAVE,
    CascadeCode,
    CascadeCodeBook,
    Draft,
    DraftFormatError,
    DraftNotFound,
    DraftStore,
    InvalidCascadeCode,
    SavedDraft,
    drafts,
    templates,
    validate_cascade_code,
)
from kupon_desktop.compose.files import write_json_atomic
from kupon_desktop.compose.store import file_name
from kupon_desktop.vocabulary import MessageType

FULL = Draft(
    type=MessageType.VIBER,
    sender="Магазин",
    text="Здравствуйте, {Имя|клиент}! Скидка 10€ 🎉 {{промо}}",
    html_text="<p>{Имя}</p>",
    button="Открыть",
    action="https://shop.example.ru/?a=1&b=2",
    image="https://shop.example.ru/i.png",
    ttl=120,
    send_at=datetime(2030, 5, 9, 10, 30, tzinfo=ZoneInfo("Europe/Moscow")),
    charset="UTF-16BE",
    find_token=True,
    kannel_status=True,
)


# -- Draft <-> dict ----------------------------------------------------------------------


def test_round_trip_through_json() -> None:
    data = json.loads(json.dumps(FULL.to_dict(), ensure_ascii=False))
    assert data["type"] == "viber"
    assert data["send_at"] == "2030-05-09T10:30:00+03:00"
    back = Draft.from_dict(data)
    assert back == FULL
    assert back.send_at is not None and back.send_at.utcoffset() == FULL.send_at.utcoffset()  # type: ignore[union-attr]
    assert Draft.from_dict(Draft().to_dict()) == Draft()


def test_from_dict_is_lenient_about_missing_and_new_keys() -> None:
    assert Draft.from_dict({}) == Draft()
    assert Draft.from_dict({"type": "bulk", "sender": "1042", "future_field": 1}) == Draft(
        type=MessageType.BULK, sender="1042"
    )
    assert Draft.from_dict({"text": None, "ttl": None}) == Draft()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([], "JSON object"),
        ({"type": "fax"}, "unknown message type 'fax'"),
        ({"text": 5}, "'text' must be text"),
        ({"ttl": "60"}, "'ttl' must be a whole number"),
        ({"ttl": 1.5}, "'ttl' must be a whole number"),
        ({"send_at": "tomorrow"}, "'send_at' is not a date"),
        ({"send_at": "2030-01-01T10:00"}, "'send_at' has no time zone"),
        ({"find_token": "yes"}, "'find_token' must be true or false"),
    ],
)
def test_from_dict_names_the_bad_key(data: object, fragment: str) -> None:
    with pytest.raises(DraftFormatError, match=fragment):
        Draft.from_dict(data)


def test_draft_accepts_type_names_and_keeps_what_was_typed() -> None:
    draft = Draft(type="bulk", sender="10a")  # type: ignore[arg-type]
    assert draft.type is MessageType.BULK
    assert draft.cascade_code == "10a"  # check() reports it; the draft keeps it
    assert Draft(sender="Shop").cascade_code is None
    with pytest.raises(ValueError):
        Draft(type="fax")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Draft(text=None)  # type: ignore[arg-type]


# -- the store ---------------------------------------------------------------------------


def test_save_load_list_delete() -> None:
    store = drafts()
    assert store.folder == paths.data_dir() / "drafts"
    assert store.entries() == []
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    first = store.save("Весенняя акция", FULL, now=t0)
    store.save("Promo/2025: 50%?", Draft(text="b"), now=t0.replace(day=2))
    assert store.load("Весенняя акция") == first
    assert [s.name for s in store.entries()] == ["Promo/2025: 50%?", "Весенняя акция"]
    # saving a name again replaces it
    store.save("Весенняя акция", replace(FULL, text="v2"), now=t0.replace(day=3))
    assert store.load("Весенняя акция").draft.text == "v2"
    assert len(store.entries()) == 2
    assert store.delete("Promo/2025: 50%?") is True
    assert store.delete("Promo/2025: 50%?") is False
    with pytest.raises(DraftNotFound, match="no saved draft named 'Promo/2025: 50%\\?'"):
        store.load("Promo/2025: 50%?")
    with pytest.raises(ValueError):
        store.save("  ", FULL)


def test_drafts_and_templates_are_apart() -> None:
    templates().save("Шаблон", FULL)
    drafts().save(AUTOSAVE, Draft(text="typing…"))
    assert [s.name for s in templates().entries()] == ["Шаблон"]
    assert [(s.name, s.kind) for s in drafts().entries()] == [(AUTOSAVE, "draft")]
    assert templates().load("Шаблон").kind == "template"


def test_file_names_are_safe_and_distinct() -> None:
    names = ["Promo", "promo", "a/b", "a_b", "CON", "..", "Весна 2025 — скидки!", "x" * 300]
    files = [file_name(n) for n in names]
    assert len(set(f.lower() for f in files)) == len(names)
    for f in files:
        assert not set(f) & set('<>:"/\\|?*')
        assert len(f) < 80
        assert f.endswith(".json") and not f.startswith(".")


def test_file_is_readable_json_with_a_version(tmp_path: Path) -> None:
    store = DraftStore("template", tmp_path)
    store.save("t", FULL)
    data = json.loads(store.path_for("t").read_text(encoding="utf-8"))
    assert data["format"] == "kupon-desktop/template"
    assert data["version"] == 1
    assert SavedDraft.from_dict(data).draft == FULL
    data["version"] = 99
    with pytest.raises(DraftFormatError, match="newer version"):
        SavedDraft.from_dict(data)


def test_a_damaged_file_is_named_and_never_removed(tmp_path: Path) -> None:
    store = DraftStore("draft", tmp_path)
    store.save("good", FULL)
    store.save("bad", FULL)
    bad = store.path_for("bad")
    bad.write_bytes(b'{"format": "kupon-desktop/draft", "vers')
    (tmp_path / ".tmp-leftover.json").write_bytes(b"half")  # a crash's leftover
    assert [s.name for s in store.entries()] == ["good"]
    with pytest.raises(DraftFormatError) as info:
        store.load("bad")
    assert info.value.path == bad and str(bad) in str(info.value)
    assert bad.exists()


def test_a_failed_write_leaves_the_previous_version(tmp_path: Path) -> None:
    store = DraftStore("draft", tmp_path)
    store.save("d", Draft(text="old"))

    class Unserializable:
        pass

    # a value json cannot write fails before the file is touched
    with pytest.raises(TypeError):
        write_json_atomic(store.path_for("d"), {"x": Unserializable()})
    assert store.load("d").draft.text == "old"
    assert [p.name for p in tmp_path.iterdir()] == [store.path_for("d").name]


_SAVER = """
import sys
from kupon_desktop.compose import Draft, DraftStore
from pathlib import Path
store = DraftStore("draft", Path(sys.argv[1]))
i = 0
while True:
    store.save("autosave", Draft(text=f"{i} " + "Я" * 20000))
    print(i, flush=True)
    i += 1
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_while_autosaving_loses_nothing_saved(tmp_path: Path) -> None:
    """A process killed at any moment of a save leaves the last complete version."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _SAVER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    try:
        last = -1
        for line in proc.stdout:
            last = int(line)
            if last >= 40:
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
    saved = DraftStore("draft", tmp_path).load("autosave").draft
    number = int(saved.text.split()[0])
    assert number >= last  # the last one reported done, or one being written after it
    assert saved.text.endswith("Я" * 20000)


# -- cascade codes -----------------------------------------------------------------------


def test_validate_cascade_code() -> None:
    assert validate_cascade_code(" 1042 ") == "1042"
    for bad in ("", "10a2", "１０４２", "12.0", "-5"):
        with pytest.raises(InvalidCascadeCode):
            validate_cascade_code(bad)
    with pytest.raises(ValueError):  # InvalidCascadeCode is a ValueError too
        validate_cascade_code("x")


def test_code_book() -> None:
    book = CascadeCodeBook()
    assert book.path == paths.data_dir() / "cascade_codes.json"
    assert book.all() == []
    entry = book.save("Viber→SMS, весенняя акция", "1042")
    assert entry.label == "Viber→SMS, весенняя акция = 1042"
    book.save("Telegram→SMS", " 77 ")
    book.save("Viber→SMS, весенняя акция", "1043")  # a new code keeps its place
    assert book.all() == [
        CascadeCode("Viber→SMS, весенняя акция", "1043"),
        CascadeCode("Telegram→SMS", "77"),
    ]
    assert book.find("77") == CascadeCode("Telegram→SMS", "77")
    assert book.find("1042") is None
    with pytest.raises(InvalidCascadeCode):
        book.save("bad", "10a")
    with pytest.raises(ValueError):
        book.save(" ", "10")
    assert book.delete("Telegram→SMS") is True
    assert book.delete("Telegram→SMS") is False
    assert [c.code for c in CascadeCodeBook().all()] == ["1043"]


def test_code_book_refuses_a_file_it_does_not_understand(tmp_path: Path) -> None:
    path = tmp_path / "codes.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(DraftFormatError, match="not a list of cascade codes"):
        CascadeCodeBook(path).all()
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(DraftFormatError, match="cannot be read"):
        CascadeCodeBook(path).all()

"""``kupon-desktop send ... --dry-run``: a real CSV through the real import, compose and
check, printed as the issue's JSON (in-process via cli.main, and once as a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kupon_desktop.campaign.command import UsageError, parse_send_at
from kupon_desktop.cli import main

CSV = (
    "Телефон,Имя,Город\n"
    "8 (916) 123-45-67,Иван,Москва\n"
    "+7 916 765-43-21,,Казань\n"
    "9161112233,Мария 🌸,\n"
    "89161234567,Иван,Москва\n"  # row 5: the same contact as row 2
    "12,Плохой,Омск\n"  # row 6: not a phone number
)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def dry_run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["send", *args, "--dry-run", "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_renders_every_recipient_and_lists_problems(
    capsys: pytest.CaptureFixture[str], csv_file: Path
) -> None:
    code, doc = dry_run(
        capsys,
        "--contacts",
        str(csv_file),
        "--type",
        "sms",
        "--sender",
        "Shop",
        "--text",
        "Здравствуйте, {Имя|клиент}! Ждём в г. {Город|вашем городе} [{{акция}}]",
    )
    assert code == 0
    assert list(doc) == ["messages", "problems"]
    assert doc["messages"] == [
        {
            "row": 2,
            "address": "79161234567",
            "text": "Здравствуйте, Иван! Ждём в г. Москва [{акция}]",
            "characters": 46,
            "encoding": "UCS-2",
            "segments": 1,
        },
        {
            "row": 3,
            "address": "79167654321",
            "text": "Здравствуйте, клиент! Ждём в г. Казань [{акция}]",
            "characters": 48,
            "encoding": "UCS-2",
            "segments": 1,
        },
        {
            "row": 4,
            "address": "79161112233",
            "text": "Здравствуйте, Мария 🌸! Ждём в г. вашем городе [{акция}]",
            "characters": 56,
            "encoding": "UCS-2",
            "segments": 1,
        },
    ]
    for p in doc["problems"]:
        assert list(p) == ["severity", "row", "message"]
    assert [(p["severity"], p["row"]) for p in doc["problems"]] == [
        ("warning", 5),
        ("warning", 6),
    ]
    assert "repeats row 2" in doc["problems"][0]["message"]
    assert '"12"' in doc["problems"][1]["message"]


def test_gsm_text_and_segments(capsys: pytest.CaptureFixture[str], csv_file: Path) -> None:
    code, doc = dry_run(
        capsys,
        "--contacts",
        str(csv_file),
        "--type",
        "sms",
        "--sender",
        "Shop",
        "--text",
        "Sale -20% [today] ~ 5€ " + "x" * 140,
    )
    assert code == 0
    first = doc["messages"][0]
    assert (first["encoding"], first["characters"], first["segments"]) == ("GSM-7", 23 + 4 + 140, 2)


def test_blocking_problems_exit_1_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str], csv_file: Path
) -> None:
    past = (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    args = [
        "--contacts",
        str(csv_file),
        "--type",
        "bulk",
        "--sender",
        "10a",
        "--text",
        "Hi {Name}",
        "--send-at",
        past,
        "--ttl",
        "0",
    ]
    code, doc = dry_run(capsys, *args)
    assert code == 1
    assert doc["messages"] == []  # the text cannot be rendered: {Name} is unknown
    messages = [p["message"] for p in doc["problems"] if p["severity"] == "error"]
    assert len(messages) == 4
    assert messages[0] == 'The cascade code must be digits only; "10a" is not.'
    assert messages[1].startswith("The lifetime (ttl) must be a whole number")
    assert messages[2].startswith(f"The send time {past}")
    assert messages[3].startswith("Unknown placeholder {Name} in the text")

    code, doc = dry_run(capsys, *args, "--lang", "ru")
    assert code == 1
    assert doc["problems"][0]["message"] == (
        "Код каскада должен состоять только из цифр, а «10a» — нет."
    )
    # the program-wide option works too
    assert main(["--lang", "ru", "send", *args, "--dry-run", "--json"]) == 1
    assert "Код каскада" in capsys.readouterr().out


def test_charset_that_cannot_carry_a_character_names_the_row(
    capsys: pytest.CaptureFixture[str], csv_file: Path
) -> None:
    code, doc = dry_run(
        capsys,
        "--contacts",
        str(csv_file),
        "--type",
        "viber",
        "--sender",
        "Shop",
        "--text",
        "{Имя|друг}, привет!",
        "--charset",
        "cp1251",
        "--button",
        "Open",
        "--action",
        "shop.example.ru",
    )
    assert code == 1
    errors = [(p["row"], p["message"]) for p in doc["problems"] if p["severity"] == "error"]
    assert errors == [
        (None, 'The button action "shop.example.ru" is not a web address (https://…).'),
        (4, 'Row 4: {Имя} contains "🌸" (U+1F338), which CP1251 cannot carry.'),
    ]


def test_email_recipients_and_missing_addresses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "phone;email;Имя\n79161234567;;Иван\n;olga@example.ru;Ольга\n", encoding="utf-8"
    )
    html = tmp_path / "letter.html"
    html.write_text("<style>p { margin: 0 }</style><p>Hi {Имя}</p>", encoding="utf-8")
    code, doc = dry_run(
        capsys,
        "--contacts",
        str(path),
        "--type",
        "email",
        "--sender",
        "Shop",
        "--html-file",
        str(html),
    )
    assert code == 0
    assert [(m["row"], m["address"]) for m in doc["messages"]] == [(3, "olga@example.ru")]
    assert [(p["severity"], p["row"], p["message"]) for p in doc["problems"]] == [
        ("warning", 2, "Row 2 has no e-mail address; this contact will be skipped."),
    ]


def test_plain_text_output(capsys: pytest.CaptureFixture[str], csv_file: Path) -> None:
    code = main(
        [
            "send",
            "--contacts",
            str(csv_file),
            "--type",
            "sms",
            "--sender",
            "S",
            "--text",
            "Hi {Имя|you}",
            "--dry-run",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "row 2 → 79161234567  [UCS-2, 7 characters, 1 segment(s)]" in out
    assert "3 message(s), 3 segment(s) in all" in out
    assert "0 error(s), 2 warning(s)" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--type", "sms", "--text", "x", "--dry-run"], "--contacts and --type are required"),
        (["--type", "sms", "--contacts", "c.csv"], "sending is not yet available"),
        (["--resume", "abc", "--dry-run"], "sending is not yet available"),
        (
            ["--contacts", "{csv}", "--type", "sms", "--dry-run", "--send-at", "tomorrow"],
            "--send-at 'tomorrow' is not a date",
        ),
        (
            [
                "--contacts",
                "{csv}",
                "--type",
                "sms",
                "--dry-run",
                "--send-at",
                "2030-01-01 10:00",
                "--timezone",
                "Mars/Olympus",
            ],
            "--timezone 'Mars/Olympus'",
        ),
        (
            ["--contacts", "{csv}", "--type", "sms", "--dry-run", "--text-file", "/nonexistent"],
            "--text-file /nonexistent",
        ),
        (["--contacts", "/nonexistent.csv", "--type", "sms", "--dry-run"], "nonexistent.csv"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], csv_file: Path, args: list[str], fragment: str
) -> None:
    code = main(["send", *[a.replace("{csv}", str(csv_file)) for a in args]])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert fragment in captured.err
    assert captured.err.count("\n") == 1


def test_bad_option_values_are_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["--ttl", "ten"],
        ["--type", "fax"],
        ["--text", "a", "--text-file", "f"],
        ["--batch-size", "0"],
    ):
        with pytest.raises(SystemExit) as info:
            main(["send", *args])
        assert info.value.code == 2
    assert "--ttl" in capsys.readouterr().err


def test_send_at_is_local_time_or_the_zone_given() -> None:
    from zoneinfo import ZoneInfo

    moscow = ZoneInfo("Europe/Moscow")
    at = parse_send_at("2030-07-01 10:00", moscow)
    assert at.utcoffset() == timedelta(hours=3) and (at.hour, at.minute) == (10, 0)
    local = parse_send_at("2030-07-01 10:00")
    assert local.tzinfo is not None
    assert local == datetime(2030, 7, 1, 10, 0).astimezone()
    assert parse_send_at("2030-07-01T10:00+05:00").utcoffset() == timedelta(hours=5)
    with pytest.raises(UsageError):
        parse_send_at("01.07.2030 10:00")


def test_as_a_subprocess(tmp_path: Path, csv_file: Path) -> None:
    text_file = tmp_path / "text.txt"
    text_file.write_text("\ufeffПривет, {Имя|друг}! 😀", encoding="utf-8")
    future = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    env = dict(os.environ, PYTHONIOENCODING="cp1251")  # a console that cannot print 😀
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kupon_desktop",
            "send",
            "--contacts",
            str(csv_file),
            "--type",
            "telegram",
            "--sender",
            "Shop",
            "--text-file",
            str(text_file),
            "--send-at",
            future,
            "--ttl",
            "60",
            "--dry-run",
            "--json",
        ],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    doc = json.loads(proc.stdout.decode("utf-8"))
    assert [m["text"] for m in doc["messages"]] == [
        "Привет, Иван! 😀",
        "Привет, друг! 😀",
        "Привет, Мария 🌸! 😀",
    ]
    assert [m["characters"] for m in doc["messages"]] == [16, 16, 20]
    assert all(m["encoding"] == "UCS-2" for m in doc["messages"])

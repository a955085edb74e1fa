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
    """The JSON dry run; without quiet hours unless the test sets ``--window`` (so that
    the time of day the suite runs at cannot defer a message)."""
    window = [] if "--window" in args else ["--window", "off"]
    code = main(["send", *args, *window, "--dry-run", "--json"])
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
    assert list(doc) == ["messages", "excluded", "estimate", "ucs2_advice", "problems"]
    assert doc["messages"] == [
        {
            "row": 2,
            "address": "79161234567",
            "text": "Здравствуйте, Иван! Ждём в г. Москва [{акция}]",
            "characters": 46,
            "encoding": "UCS-2",
            "segments": 1,
            "timezone": "Europe/Moscow",  # the "Город" column
            "scheduled_at": None,
        },
        {
            "row": 3,
            "address": "79167654321",
            "text": "Здравствуйте, клиент! Ждём в г. Казань [{акция}]",
            "characters": 48,
            "encoding": "UCS-2",
            "segments": 1,
            "timezone": "Europe/Moscow",
            "scheduled_at": None,
        },
        {
            "row": 4,
            "address": "79161112233",
            "text": "Здравствуйте, Мария 🌸! Ждём в г. вашем городе [{акция}]",
            "characters": 56,
            "encoding": "UCS-2",
            "segments": 1,
            "timezone": "Europe/Moscow",  # no city, a mobile number: the default
            "scheduled_at": None,
        },
    ]
    assert doc["excluded"] == []
    assert doc["estimate"] == {"messages": 3, "segments": 3, "cost": 13.5, "currency": "RUB"}
    for p in doc["problems"]:
        # a script tells the problems apart by their code, not their wording
        assert list(p) == ["severity", "code", "row", "message"]
        assert p["code"] and p["code"].isidentifier()
    assert [(p["severity"], p["row"]) for p in doc["problems"]] == [
        ("warning", None),
        ("warning", 5),
        ("warning", 6),
    ]
    assert "prove each recipient's prior consent" in doc["problems"][0]["message"]
    assert "repeats row 2" in doc["problems"][1]["message"]
    assert '"12"' in doc["problems"][2]["message"]


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
    assert [(p["severity"], p["row"], p["message"]) for p in doc["problems"]][1:] == [
        ("warning", 2, "Row 2 has no e-mail address; this contact will be skipped."),
    ]
    assert doc["estimate"] == {"messages": 1, "segments": 1, "cost": 0.1, "currency": "RUB"}


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
            "--window",
            "off",
            "--dry-run",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "row 2 → 79161234567  [UCS-2, 7 characters, 1 segment(s)]" in out
    assert "3 message(s), 3 segment(s) in all" in out
    assert "estimated cost: 13.50 RUB (3 message(s), 3 billed unit(s)) at example prices" in out
    assert "0 error(s), 3 warning(s)" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--type", "sms", "--text", "x", "--dry-run"], "--contacts and --type are required"),
        (
            ["--type", "sms", "--contacts", "c.csv", "--token-env", "KUPON_NO_SUCH_VAR"],
            "no API token",
        ),
        (["--resume", "abc", "--token-env", "KUPON_NO_SUCH_VAR"], "no API token"),
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


# -- the audience rules (issue 8) ---------------------------------------------------------

ZONES_CSV = (
    "Телефон;Город;Согласие\n"
    "+7 916 000-00-01;Калининград;да\n"
    "+7 916 000-00-02;Москва;2024-05-01\n"
    "+7 916 000-00-03;Екатеринбург;да\n"
    "+7 916 000-00-04;Новосибирск;yes\n"
    "+7 916 000-00-05;Владивосток;1\n"
    "+7 916 000-00-06;Петропавловск-Камчатский;да\n"
    "+7 916 000-00-07;Омск;нет\n"  # row 8: no consent
    "+7 916 000-00-08;Иркутск;\n"  # row 9: no consent either
    "8 (916) 000-00-09;Самара;да\n"  # row 10: on the stop list
)


@pytest.fixture
def zones_csv(tmp_path: Path) -> Path:
    path = tmp_path / "zones.csv"
    path.write_text(ZONES_CSV, encoding="utf-8")
    return path


@pytest.fixture
def stop_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "log.sqlite3"
    assert main(["stoplist", "add", "+79160000009", "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def test_stop_list_consent_zones_and_estimate(
    capsys: pytest.CaptureFixture[str], zones_csv: Path, stop_db: Path
) -> None:
    year = datetime.now().year + 1
    code, doc = dry_run(
        capsys,
        "--contacts",
        str(zones_csv),
        "--type",
        "sms",
        "--sender",
        "Shop",
        "--text",
        "Sale",
        "--send-at",
        f"{year}-01-15 23:00",
        "--timezone",
        "Europe/Moscow",
        "--window",
        "09:00-22:00",
        "--db",
        str(stop_db),
        "--price",
        "sms=2.5",
    )
    assert code == 0
    assert doc["excluded"] == [
        {"row": 8, "address": "79160000007", "reason": "no consent"},
        {"row": 9, "address": "79160000008", "reason": "no consent"},
        {"row": 10, "address": "79160000009", "reason": "stop list"},
    ]
    # composed for 23:00 Moscow time: each recipient gets 09:00 of their own zone
    assert [(m["row"], m["timezone"], m["scheduled_at"]) for m in doc["messages"]] == [
        (2, "Europe/Kaliningrad", f"{year}-01-16T09:00:00+02:00"),
        (3, "Europe/Moscow", f"{year}-01-16T09:00:00+03:00"),
        (4, "Asia/Yekaterinburg", f"{year}-01-16T09:00:00+05:00"),
        (5, "Asia/Novosibirsk", f"{year}-01-16T09:00:00+07:00"),
        (6, "Asia/Vladivostok", f"{year}-01-16T09:00:00+10:00"),
        (7, "Asia/Kamchatka", f"{year}-01-16T09:00:00+12:00"),
    ]
    assert doc["estimate"] == {"messages": 6, "segments": 6, "cost": 15.0, "currency": "RUB"}
    messages = [p["message"] for p in doc["problems"]]
    assert messages[0].startswith("Excluded by the stop list: 1 recipient(s), rows 10.")
    assert messages[1].startswith("Excluded for lack of consent: 2 recipient(s), rows 8, 9")
    assert messages[2].startswith("6 message(s) would arrive outside the send window")


def test_service_campaign_and_the_window_off(
    capsys: pytest.CaptureFixture[str], zones_csv: Path, stop_db: Path
) -> None:
    code, doc = dry_run(
        capsys,
        "--contacts",
        str(zones_csv),
        "--type",
        "sms",
        "--text",
        "Order ready",
        "--sender",
        "Shop",
        "--service",
        "--db",
        str(stop_db),
        "--timezone-column",
        "",
    )
    assert code == 0
    # a service message still honours the stop list; consent only warns
    assert [(e["row"], e["reason"]) for e in doc["excluded"]] == [(10, "stop list")]
    assert len(doc["messages"]) == 8
    assert {m["timezone"] for m in doc["messages"]} == {"Europe/Moscow"}  # no zone column
    assert all(m["scheduled_at"] is None for m in doc["messages"])
    assert any("marked as service" in p["message"] for p in doc["problems"])


def test_default_log_is_read_never_created(
    capsys: pytest.CaptureFixture[str], zones_csv: Path, tmp_path: Path
) -> None:
    from kupon_desktop.paths import default_db_path

    missing = tmp_path / "nowhere" / "log.sqlite3"
    for db in (["--db", str(missing)], []):
        code, doc = dry_run(
            capsys,
            "--contacts",
            str(zones_csv),
            "--type",
            "sms",
            "--text",
            "x",
            "--sender",
            "S",
            *db,
        )
        assert code == 0
        assert [e["reason"] for e in doc["excluded"]] == ["no consent", "no consent"]
    assert not missing.exists() and not missing.parent.exists()
    assert not default_db_path().exists()
    # once the installation's log lists someone, the dry run honours it by default
    assert main(["stoplist", "add", "+79160000001"]) == 0
    capsys.readouterr()
    code, doc = dry_run(
        capsys, "--contacts", str(zones_csv), "--type", "sms", "--text", "x", "--sender", "S"
    )
    assert (doc["excluded"][0]["row"], doc["excluded"][0]["reason"]) == (2, "stop list")


def test_plain_text_shows_schedule_exclusions_and_cost(
    capsys: pytest.CaptureFixture[str], zones_csv: Path, stop_db: Path
) -> None:
    year = datetime.now().year + 1
    code = main(
        [
            "--lang",
            "ru",
            "send",
            "--contacts",
            str(zones_csv),
            "--type",
            "sms",
            "--text",
            "Sale",
            "--sender",
            "S",
            "--send-at",
            f"{year}-01-15 23:00",
            "--timezone",
            "Europe/Moscow",
            "--db",
            str(stop_db),
            "--dry-run",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"запланировано на {year}-01-16 09:00 (Asia/Kamchatka)" in out
    assert "исключено: 3 (стоп-лист: 1, без согласия: 2)" in out
    assert "оценка стоимости: 27,00\u00a0руб." in out and "по примерным ценам" in out
    assert "Исключено по стоп-листу: 1, строки 10." in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--window", "9 to 5"], "--window: '9 to 5' is not a send window"),
        (["--timezone-column", "Пояс"], "the time zone column «Пояс» is not in the list"),
        (["--consent-column", "Opt-in"], "the consent column «Opt-in» is not in the list"),
        (["--price", "sms"], "--price 'sms': write it as TYPE=PRICE"),
        (["--price", "sms=free"], "--price: price of sms: 'free' is not a price"),
        (["--price", "fax=1"], "--price: no message type 'fax'"),
        (["--default-zone", "Narnia"], "--default-zone: 'Narnia' is not a time zone"),
    ],
)
def test_audience_usage_errors(
    capsys: pytest.CaptureFixture[str], zones_csv: Path, args: list[str], fragment: str
) -> None:
    code = main(
        ["send", "--contacts", str(zones_csv), "--type", "sms", "--text", "x", "--dry-run", *args]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert fragment in captured.err
    assert captured.err.count("\n") == 1


def test_a_damaged_log_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], zones_csv: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 200)
    code = main(
        [
            "send",
            "--contacts",
            str(zones_csv),
            "--type",
            "sms",
            "--text",
            "x",
            "--dry-run",
            "--db",
            str(bad),
        ]
    )
    captured = capsys.readouterr()
    assert code == 2 and "bad.sqlite3" in captured.err and captured.out == ""


def test_russian_plain_text_writes_money_as_the_window_does(
    capsys: pytest.CaptureFixture[str], csv_file: Path
) -> None:
    args = ["--contacts", str(csv_file), "--type", "sms", "--text", "Привет", "--sender", "S"]
    args += ["--price", "sms=1234.5", "--window", "off", "--dry-run"]
    assert main(["--lang", "ru", "send", *args]) == 0
    out = capsys.readouterr().out
    assert "оценка стоимости: 3\u00a0703,50\u00a0руб. (сообщений: 3," in out
    assert "RUB" not in out
    # English and the JSON keep theirs
    assert main(["send", *args]) == 0
    assert "estimated cost: 3703.50 RUB (3 message(s)" in capsys.readouterr().out
    assert main(["--lang", "ru", "send", *args, "--json"]) == 0
    estimate = json.loads(capsys.readouterr().out)["estimate"]
    assert estimate["currency"] == "RUB"
    assert float(estimate["cost"]) == 3703.5

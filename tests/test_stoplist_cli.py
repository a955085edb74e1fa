"""``kupon-desktop stoplist ...`` round trips on a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kupon_desktop.cli import main


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["stoplist", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, Any]]:
    code, out, _ = cli(capsys, "list", "--json", "--db", str(db))
    assert code == 0
    doc = json.loads(out)
    assert doc["count"] == len(doc["entries"])
    return list(doc["entries"])


def test_add_list_remove(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    code, out, err = cli(
        capsys, "add", "8 (916) 123-45-67", "--note", "просил не писать", "--db", str(db)
    )
    assert (code, err) == (0, "")
    assert out == "added 79161234567 to the stop list\n"
    # --db before the action works too; the same number in another shape is not new
    code, out, _ = cli(capsys, "--db", str(db), "add", "+7 916 123 45 67", "Olga@Example.RU")
    assert code == 0
    assert out.splitlines() == [
        "79161234567 is already on the stop list",
        "added olga@example.ru to the stop list",
    ]
    entries = listed(capsys, db)
    assert [(e["address"], e["kind"], e["source"], e["note"]) for e in entries] == [
        ("79161234567", "phone", "typed", "просил не писать"),
        ("olga@example.ru", "email", "typed", ""),
    ]
    assert entries[0]["added_at"].endswith("+00:00")

    code, out, _ = cli(capsys, "list", "--db", str(db))
    lines = out.splitlines()
    assert lines[0].startswith("79161234567\tphone\t") and lines[0].endswith("просил не писать")
    assert lines[-1] == "2 entr(ies)"

    code, out, _ = cli(capsys, "remove", "89161234567", "--db", str(db))
    assert (code, out) == (0, "removed 79161234567 from the stop list\n")
    code, out, _ = cli(capsys, "remove", "89161234567", "--db", str(db))
    assert (code, out) == (1, "79161234567 is not on the stop list\n")
    assert [e["address"] for e in listed(capsys, db)] == ["olga@example.ru"]


def test_bad_address_adds_nothing_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "log.sqlite3"
    code, out, err = cli(capsys, "add", "79161234567", "12", "--db", str(db))
    assert code == 2 and out == ""
    assert (
        err == "kupon-desktop stoplist add: '12' is neither a phone number nor an e-mail address\n"
    )
    assert listed(capsys, db) == []
    assert main(["--lang", "ru", "stoplist", "add", "abc", "--db", str(db)]) == 2
    assert "«abc» — не номер телефона и не адрес e-mail" in capsys.readouterr().err


def test_reading_never_creates_the_log(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "none" / "log.sqlite3"
    code, out, _ = cli(capsys, "list", "--db", str(db))
    assert (code, out) == (0, "the stop list is empty\n")
    assert listed(capsys, db) == []
    code, out, _ = cli(capsys, "export", str(tmp_path / "out.csv"), "--db", str(db))
    assert code == 0 and out.startswith("0 entr(ies) written to")
    assert not db.exists() and not db.parent.exists()


def test_default_log_is_the_installations(
    capsys: pytest.CaptureFixture[str], _private_home: Path
) -> None:
    from kupon_desktop.paths import default_db_path

    assert cli(capsys, "add", "olga@example.ru")[0] == 0
    assert default_db_path().exists()
    assert str(default_db_path()).startswith(str(_private_home))
    assert [e["address"] for e in listed(capsys, default_db_path())] == ["olga@example.ru"]


def test_import_reports_rejected_rows_and_export_round_trips(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "log.sqlite3"
    source = tmp_path / "refusals.csv"
    source.write_text(
        "Телефон;E-mail;Примечание\n"
        "8 (916) 123-45-67;;просил не писать\n"
        "12;anna@example.ru;\n"
        ";=cmd|' /C calc'!A0@example.ru;\n",
        encoding="utf-8",
    )
    code, out, _ = cli(capsys, "import", str(source), "--db", str(db), "--note", "CRM")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{source}: 2 new, 0 already listed, 2 value(s) rejected"
    assert lines[1].startswith("  row 3, phone: «12»")
    assert lines[2].startswith("  row 4, email: «=cmd")

    code, out, _ = cli(capsys, "import", str(source), "--db", str(db), "--json")
    doc = json.loads(out)
    assert (doc["added"], doc["already_listed"], doc["rows_read"]) == (0, 2, 3)
    assert [(r["row"], r["field"]) for r in doc["rejected"]] == [(3, "phone"), (4, "email")]

    for suffix in (".xlsx", ".csv"):
        exported = tmp_path / f"stop{suffix}"
        code, out, _ = cli(capsys, "export", str(exported), "--db", str(db))
        assert (code, out) == (0, f"2 entr(ies) written to {exported}\n")
        copy = tmp_path / f"copy{suffix}.sqlite3"
        assert cli(capsys, "import", str(exported), "--db", str(copy))[0] == 0
        assert [(e["address"], e["source"], e["note"]) for e in listed(capsys, copy)] == [
            ("79161234567", "import", "просил не писать"),
            ("anna@example.ru", "import", "CRM"),
        ]


def test_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    code, _, err = cli(capsys, "import", str(tmp_path / "missing.csv"), "--db", str(db))
    assert code == 2 and "missing.csv" in err and err.count("\n") == 1
    code, _, err = cli(capsys, "export", str(tmp_path / "stop.txt"), "--db", str(db))
    assert code == 2 and "give a .xlsx or .csv file name" in err
    not_a_log = tmp_path / "other.sqlite3"
    not_a_log.write_bytes(b"this is not a database at all" * 100)
    code, _, err = cli(capsys, "list", "--db", str(not_a_log))
    assert code == 2 and "other.sqlite3" in err
    with pytest.raises(SystemExit) as info:
        main(["stoplist"])
    assert info.value.code == 2
    capsys.readouterr()


def test_as_a_subprocess(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    env = dict(os.environ, PYTHONIOENCODING="cp1251")

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "kupon_desktop", "stoplist", *args, "--db", str(db)],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )

    added = run("add", "+7 916 123-45-67", "--note", "эмодзи не помеха 🙂")
    assert added.returncode == 0, added.stderr.decode("utf-8", "replace")
    shown = run("list", "--json")
    assert shown.returncode == 0
    doc = json.loads(shown.stdout.decode("utf-8"))
    assert doc["entries"][0]["note"] == "эмодзи не помеха 🙂"

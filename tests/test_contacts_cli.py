"""``kupon-desktop contacts``: the JSON document, the summary, and one line on stderr with
exit code 1 for a file that cannot be read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kupon_desktop.cli import main


@pytest.fixture
def contacts_csv(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    text = (
        "Список на март;;;\r\n"
        "ФИО;Телефон;E-mail;Город\r\n"
        "Иванов Иван;8 (916) 123-45-67;ivan@mail.ru;Москва\r\n"
        "Петрова Мария;+7 916 1234567;ivan@mail.ru;\r\n"
        "Сидоров Пётр;123;petr@mail;Тула\r\n"
        ";;;\r\n"
        "Ольга;;olga@Mail.RU;Казань\r\n"
    )
    path.write_bytes(text.encode("cp1251"))
    return path


def test_json_document(contacts_csv: Path, capsys) -> None:
    assert main(["contacts", str(contacts_csv), "--json"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert err == ""
    assert doc["contacts"] == [
        {
            "row": 3,
            "phone": "79161234567",
            "email": "ivan@mail.ru",
            "push_token": None,
            "fields": {"ФИО": "Иванов Иван", "Город": "Москва"},
        },
        {
            "row": 7,
            "phone": None,
            "email": "olga@mail.ru",
            "push_token": None,
            "fields": {"ФИО": "Ольга", "Город": "Казань"},
        },
    ]
    assert doc["duplicates"] == [{"row": 4, "same_as": 3}]
    assert doc["skipped_blank"] == 1
    assert [(r["row"], r["field"], r["value"]) for r in doc["rejected"]] == [
        (5, "phone", "123"),
        (5, "email", "petr@mail"),
    ]
    assert doc["rejected"][0]["reason"] == (
        "Слишком короткий номер телефона / phone number too short"
    )
    assert doc["rows_read"] == 5 and doc["imported"] == 2
    assert doc["roles"] == {"name": "ФИО", "phone": "Телефон", "email": "E-mail"}


def test_json_in_one_language_and_options(contacts_csv: Path, capsys) -> None:
    argv = [
        "--lang",
        "en",
        "contacts",
        str(contacts_csv),
        "--json",
        "--dedupe",
        "none",
        "--email-column",
        "C",
        "--header-row",
        "2",
        "--region",
        "ru",
    ]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rejected"][0]["reason"] == "Phone number too short"
    assert doc["duplicates"] == [] and doc["imported"] == 3


def test_summary(contacts_csv: Path, capsys) -> None:
    assert main(["contacts", str(contacts_csv)]) == 0
    out = capsys.readouterr().out
    assert "imported: 2" in out
    assert "3\t79161234567\tivan@mail.ru" in out
    assert "row 5, phone: «123»" in out


@pytest.mark.parametrize(
    ("content", "extra", "says"),
    [
        (None, [], "файл не найден / file not found"),
        (b"\x00\x01\x02\x03" * 100, [], "двоичный"),
        ("Имя\nИван\n".encode(), [], "не найден столбец"),
        ("Телефон\n89161234567\n".encode(), ["--sheet", "Лист2"], None),
        ("Телефон\n89161234567\n".encode(), ["--phone-column", "Z"], "нет столбца «Z»"),
    ],
)
def test_errors_are_one_line_on_stderr(tmp_path: Path, capsys, content, extra, says) -> None:
    path = tmp_path / "input.csv"
    if content is not None:
        path.write_bytes(content)
    code = main(["contacts", str(path), "--json", *extra])
    out, err = capsys.readouterr()
    if says is None:  # a CSV has no sheets: --sheet is ignored
        assert code == 0 and json.loads(out)["imported"] == 1
        return
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("kupon-desktop contacts: input.csv: ")
    assert says in err


def test_the_command_module_imports_nothing_heavy() -> None:
    code = (
        "import sys, kupon_desktop.contacts.command as c, kupon_desktop.contacts as pkg;"
        "heavy = [m for m in ('pandas', 'pyarrow', 'numpy', 'phonenumbers', 'email_validator',"
        " 'python_calamine', 'PySide6') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_the_engine_imports_no_qt() -> None:
    code = (
        "import sys; sys.modules['PySide6'] = None;"
        "import kupon_desktop.contacts.importer, kupon_desktop.contacts.command;"
        "from kupon_desktop.contacts import import_file, preview;"
        "from kupon_desktop.contacts.dedupe import dedupe"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

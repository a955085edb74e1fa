"""``kupon-desktop send --dry-run --variant …``: every variant's plan beside variant A's,
in the JSON (an ``ab`` key after the usual ones) and in the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kupon_desktop.cli import main

ROWS = 50


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text(
        "Имя;Телефон\n" + "".join(f"Клиент {i};8 916 {i:07d}\n" for i in range(ROWS)),
        encoding="utf-8",
    )
    return path


def _args(csv_file: Path, *more: str) -> list[str]:
    return [
        "send",
        "--dry-run",
        "--contacts",
        str(csv_file),
        "--type",
        "sms",
        "--sender",
        "Shop",
        "--window",
        "off",
        "--text",
        "{Имя}, новинки весны",
        *more,
    ]


def test_json_gives_every_variant_and_the_split(capsys, csv_file):
    # Latin letters made UCS-2 by its quotes and dash: 2 parts, 1 once they are replaced
    long_quoted = "«Spring sale» — " + "all shoes and bags half price today " * 3
    code = main(
        _args(
            csv_file,
            "--json",
            "--variant",
            "Sale for you",
            "--variant",
            long_quoted,
            "--test-share",
            "30",
            "--winner-by",
            "delivered",
            "--decide-after",
            "5",
        )
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert list(doc) == ["messages", "excluded", "estimate", "ucs2_advice", "problems", "ab"]
    ab = doc["ab"]
    assert (ab["sendable"], ab["test"], ab["remainder"]) == (ROWS, 15, 35)
    assert (ab["metric"], ab["decide_after_minutes"], ab["share"]) == ("delivered", 5.0, 0.3)
    assert [v["variant"] for v in ab["variants"]] == ["A", "B", "C"]
    assert [v["recipients"] for v in ab["variants"]] == [5, 5, 5]
    _a, b, c = ab["variants"]
    assert b["text"] == "Sale for you" and b["segments"] == ROWS  # one GSM-7 part each
    assert b["estimate_whole_list"]["messages"] == ROWS
    assert c["ucs2_advice"] is not None
    assert c["ucs2_advice"]["replaced"]["segments"] < c["ucs2_advice"]["segments"]
    assert not any(v["blocking"] for v in ab["variants"])


def test_a_broken_variant_blocks_and_is_named(capsys, csv_file):
    code = main(_args(csv_file, "--json", "--variant", "Hi {Nmae}"))
    doc = json.loads(capsys.readouterr().out)
    assert code != 0
    b = doc["ab"]["variants"][1]
    assert b["blocking"] and any("Nmae" in p["message"] for p in b["problems"])


def test_text_lists_every_variant(capsys, csv_file):
    code = main(_args(csv_file, "--variant", "{Имя}, скидка 20%", "--lang", "ru"))
    out = capsys.readouterr().out
    assert code == 0
    assert "A/B-тест: 2 вар., тест 10 из 50 (20 %)" in out
    assert "вариант B: получателей в тесте 5" in out
    assert "{Имя}, скидка 20%" in out


def test_without_variants_the_document_is_unchanged(capsys, csv_file):
    main(_args(csv_file, "--json"))
    doc = json.loads(capsys.readouterr().out)
    assert "ab" not in doc

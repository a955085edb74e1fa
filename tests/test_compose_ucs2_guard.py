"""The UCS-2 guard: which characters of a text make an SMS UCS-2, and what replacing them
saves, in the window's advice and in ``send --dry-run --json``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kupon_desktop.compose.ucs2_guard import advise

ROOT = Path(__file__).resolve().parents[1]

# 191 characters of Latin text with Russian quotes, a long dash and "№": three UCS-2 parts
PROMO = (
    "Spring sale: «-20%» on everything — only this week at our shop on Lenina street №5. "
    "Show this SMS at the till and get a gift. Offer valid until Sunday, while stocks last. "
    "Details on our site."
)


def test_quotes_and_dashes_turn_three_parts_into_two() -> None:
    advice = advise(PROMO)
    assert advice is not None
    assert sorted({ch for _, ch in advice.culprits}) == ["«", "»", "—", "№"]
    assert all(PROMO[i] == ch for i, ch in advice.culprits)
    assert (advice.before.encoding, advice.before.segments) == ("UCS-2", 3)
    assert (advice.replaced.length.encoding, advice.replaced.length.segments) == ("GSM-7", 2)
    assert advice.helps
    assert '"-20%"' in advice.replaced.text and "N5" in advice.replaced.text


def test_a_gsm_text_needs_no_advice() -> None:
    assert advise("Sale -20% this week only") is None


def test_placeholders_are_the_lists_and_left_alone() -> None:
    advice = advise("{ФИО}, скидка «20%» — до воскресенья!", yo=True)
    assert advice is not None
    assert all(ch not in "ФИО" for _, ch in advice.culprits)
    assert advice.replaced.text.startswith('{ФИО}, скидка "20%" - ')
    # Cyrillic stays UCS-2 with the typography fixed: transliteration is the other way
    assert "с" in advice.replaced.remaining and not advice.helps
    assert advice.transliterated.text == '{ФИО}, skidka "20%" - do voskresenya!'
    assert advice.transliterated.length.encoding == "GSM-7"


def test_yo_is_replaced_only_when_chosen() -> None:
    assert "ё" in advise("Ёлка «и» ёж").replaced.text
    assert advise("Ёлка «и» ёж", yo=True).replaced.text == 'Елка "и" еж'


def test_dry_run_json_gives_the_same_advice(tmp_path: Path) -> None:
    csv = tmp_path / "list.csv"
    csv.write_text("Телефон\n89161234567\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kupon_desktop", "send", "--dry-run", "--json", "--contacts",
         str(csv), "--type", "sms", "--sender", "Shop", "--text", PROMO, "--db",
         str(tmp_path / "none.sqlite3")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    advice = json.loads(done.stdout)["ucs2_advice"]
    assert advice["segments"] == 3
    assert advice["replaced"]["segments"] == 2 and advice["replaced"]["encoding"] == "GSM-7"
    assert advice["characters"] == sorted("«»—№")

"""Every visible string is translated into Russian, and the shipped .qm files are the
compiled form of the .ts sources (so nobody ships a stale translation)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: it ships with PySide6")
    return found


def _unfinished(ts: Path) -> list[str]:
    tree = ET.parse(ts)
    return [
        m.findtext("source") or ""
        for m in tree.iter("message")
        if (t := m.find("translation")) is not None
        and (t.get("type") == "unfinished" or not (t.text or "").strip())
    ]


def test_every_string_in_the_code_has_a_russian_translation(tmp_path):
    ts = tmp_path / "kupon_ru.ts"
    shutil.copy(TRANSLATIONS / "kupon_ru.ts", ts)
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            "-extensions",
            "py",
            "-no-obsolete",
            "-locations",
            "none",
            "-silent",
            str(ROOT / "kupon_desktop" / "ui"),
            "-source-language",
            "en",
            "-target-language",
            "ru",
            "-ts",
            str(ts),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    missing = _unfinished(ts)
    assert not missing, "untranslated (run scripts/update_translations.sh): " + repr(missing)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_shipped_qm_matches_its_source(tmp_path, lang):
    qm = tmp_path / f"kupon_{lang}.qm"
    subprocess.run(
        [
            _tool("pyside6-lrelease"),
            "-silent",
            str(TRANSLATIONS / f"kupon_{lang}.ts"),
            "-qm",
            str(qm),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert qm.read_bytes() == (TRANSLATIONS / f"kupon_{lang}.qm").read_bytes(), (
        "stale .qm: run scripts/update_translations.sh"
    )

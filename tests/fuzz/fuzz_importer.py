"""Coverage-guided fuzzing of the contact importer with atheris (libFuzzer for Python).

Not part of the test suite (pytest collects only ``test_*.py``). Run it by hand::

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz/fuzz_importer.py -max_total_time=300 CORPUS_DIR

An empty ``CORPUS_DIR`` is first given three seeds (a real .xlsx, a UTF-8 and a CP1251
CSV) so that mutations start from valid files; libFuzzer adds what it finds there.

Each input's first byte picks the file's extension (.csv .txt .tsv .xlsx .xls .ods); the
rest is the file. ``preview`` and ``import_file`` must return or raise a
``ContactsError``; anything else (or a hang: ``-timeout=30`` by default here) is a
finding, and libFuzzer writes the input to ``crash-*``/``timeout-*`` (``-artifact_prefix=``
says where). At the end libFuzzer prints ``Done N runs in S second(s)``: N inputs tried.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["kupon_desktop"]):
    from kupon_desktop.contacts.errors import ContactsError
    from kupon_desktop.contacts.importer import import_file, preview

EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods")
#: one file, rewritten for each input (libFuzzer ends the process without Python's
#: clean-up, so a fresh temporary folder per run would be left behind each time)
_DIR = Path(tempfile.gettempdir()) / "kupon-fuzz"


def one_input(data: bytes) -> None:
    if not data:
        return
    path = _DIR / f"input{EXTENSIONS[data[0] % len(EXTENSIONS)]}"
    path.write_bytes(data[1:])
    for step in (preview, import_file):
        try:
            step(path)
        except ContactsError as exc:
            message = str(exc)
            if not message.strip() or "\n" in message:
                raise AssertionError(f"{step.__name__}: unclear message {message!r}") from exc


def _seed(corpus: Path) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Имя", "Телефон", "E-mail"])
    for i in range(5):
        sheet.append([f"Клиент {i}", f"+7 916 {i:07d}", f"c{i}@mail.ru"])
    out = io.BytesIO()
    book.save(out)
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "seed-xlsx").write_bytes(bytes([3]) + out.getvalue())
    (corpus / "seed-csv").write_bytes(b"\0" + "Имя;Телефон\nАнна;+7 916 123-45-67\n".encode())
    (corpus / "seed-cp1251").write_bytes(
        b"\1" + "Имя;Телефон\nАнна;8 916 1234567\n".encode("cp1251")
    )


def main() -> None:
    args = list(sys.argv)
    if not any(a.startswith("-timeout=") for a in args):
        args.append("-timeout=30")
    dirs = [Path(a) for a in args[1:] if not a.startswith("-")]
    if dirs and (not dirs[0].exists() or not any(dirs[0].iterdir())):
        _seed(dirs[0])
    _DIR.mkdir(exist_ok=True)
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

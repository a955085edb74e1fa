"""How much a contact file may ask of the computer, checked before a reader is given it.

A workbook is a zip: a 1 MB ``.xlsx`` can unpack to a 1 GiB cell, which the workbook
reader then holds several times over (6 GB resident, measured). The bounds here are far
above any real contact list and far below what would exhaust a desk's memory:

* :data:`MAX_UNPACKED`: what the parts of a workbook unpack to, in all; also the largest
  text file read (a text file is its own unpacked size).
* :data:`MAX_CELL_BYTES`: one cell (for a text file: one row). Excel holds at most
  32,767 characters in a cell, 128 KB at most in UTF-8 XML; a run of XML text longer
  than this between two tags is no cell Excel or LibreOffice wrote.

Each is refused with one line that names the limit, in Russian and English.
"""

from __future__ import annotations

#: the unpacked size of a workbook's parts, in all, and the size of a text file
MAX_UNPACKED = 1 << 30
#: one cell (one row of a text file), in bytes of UTF-8
MAX_CELL_BYTES = 16 << 20


def _mib(n: int) -> str:
    return f"{n >> 30} ГБ" if n >= 1 << 30 else f"{n >> 20} МБ"


def _mib_en(n: int) -> str:
    return f"{n >> 30} GiB" if n >= 1 << 30 else f"{n >> 20} MiB"


def unpacked_too_large() -> str:
    """The reason for a workbook that unpacks to more than :data:`MAX_UNPACKED`."""
    return (
        f"файл распаковывается больше чем в {_mib(MAX_UNPACKED)} — это больше, чем бывает "
        f"в списке контактов (предел {_mib(MAX_UNPACKED)}) / the file unpacks to more than "
        f"{_mib_en(MAX_UNPACKED)}, the limit for a contact list"
    )


def text_too_large() -> str:
    """The reason for a text file larger than :data:`MAX_UNPACKED`."""
    return (
        f"файл больше {_mib(MAX_UNPACKED)} — предел для списка контактов: разделите его на "
        f"части / the file is larger than {_mib_en(MAX_UNPACKED)}, the limit for a contact "
        "list: split it into parts"
    )


def cell_too_large() -> str:
    """The reason for a cell (or a text file's row) over :data:`MAX_CELL_BYTES`."""
    return (
        f"в файле есть ячейка или строка больше {_mib(MAX_CELL_BYTES)} (предел для одной "
        f"ячейки) / a cell or row in the file is larger than {_mib_en(MAX_CELL_BYTES)}, "
        "the limit for one cell"
    )


class TooLarge(Exception):
    """A bound of this module was crossed; ``reason`` is the two-language line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class XmlBudget:
    """Counts what the XML parts of one workbook unpack to as they are streamed, and the
    longest run of text between two tags (a giant cell, or a sea of whitespace).

    Cheap: per piece, one length, one ``find`` and one ``rfind`` of ``<`` (a run longer
    than :data:`MAX_CELL_BYTES` spans whole pieces without a tag)."""

    def __init__(self) -> None:
        self.total = 0
        self._run = 0

    def start_part(self) -> None:
        self._run = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > MAX_UNPACKED:
            raise TooLarge(unpacked_too_large())
        first = chunk.find(b"<")
        if first < 0:
            self._run += len(chunk)
        else:
            self._run += first
            if self._run > MAX_CELL_BYTES:
                raise TooLarge(cell_too_large())
            # runs inside one piece are shorter than the piece, and pieces are far
            # smaller than the limit: only the run at each end can carry over
            self._run = len(chunk) - 1 - chunk.rfind(b"<")
        if self._run > MAX_CELL_BYTES:
            raise TooLarge(cell_too_large())

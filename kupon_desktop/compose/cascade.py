"""Saved cascade codes: the numeric code of a scenario mailing with a name the user
recognises ("Viber→SMS, spring promo = 1042"), picked from a list on the Message page.

The program cannot see the scenarios in the account (the API has no such call), so
these are only what the user typed. Kept in ``cascade_codes.json`` in the data folder,
written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kupon_desktop import paths
from kupon_desktop.compose.errors import DraftFormatError, InvalidCascadeCode
from kupon_desktop.compose.files import read_json, write_json_atomic
from kupon_desktop.compose.rules import is_cascade_code

FORMAT = "kupon-desktop/cascade-codes"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class CascadeCode:
    name: str
    code: str

    @property
    def label(self) -> str:
        return f"{self.name} = {self.code}"

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code}

    @classmethod
    def from_dict(cls, data: Any) -> CascadeCode:
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("name"), str)
            or not isinstance(data.get("code"), str)
        ):
            raise DraftFormatError(f"not a saved cascade code: {data!r}")
        return cls(data["name"], data["code"])


def validate_cascade_code(code: str) -> str:
    """``code`` without surrounding blanks, or :class:`InvalidCascadeCode`."""
    stripped = code.strip()
    if not is_cascade_code(stripped):
        raise InvalidCascadeCode(code)
    return stripped


class CascadeCodeBook:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.data_dir() / "cascade_codes.json"

    def all(self) -> list[CascadeCode]:
        """The saved codes in the order they were added."""
        if not self.path.exists():
            return []
        try:
            data = read_json(self.path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise DraftFormatError(f"cannot be read: {exc}", self.path) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise DraftFormatError("not a list of cascade codes", self.path)
        version = data.get("version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise DraftFormatError(
                f"saved by a newer version of Kupon Desktop (format version {version!r})",
                self.path,
            )
        codes = data.get("codes")
        if not isinstance(codes, list):
            raise DraftFormatError("not a list of cascade codes", self.path)
        try:
            return [CascadeCode.from_dict(c) for c in codes]
        except DraftFormatError as exc:
            raise DraftFormatError(str(exc), self.path) from None

    def save(self, name: str, code: str) -> CascadeCode:
        """Adds a code, or gives an existing name a new code (keeping its place)."""
        name = name.strip()
        if not name:
            raise ValueError("a saved cascade code needs a name")
        entry = CascadeCode(name, validate_cascade_code(code))
        codes = self.all()
        for i, existing in enumerate(codes):
            if existing.name == name:
                codes[i] = entry
                break
        else:
            codes.append(entry)
        self._write(codes)
        return entry

    def delete(self, name: str) -> bool:
        codes = self.all()
        kept = [c for c in codes if c.name != name.strip()]
        if len(kept) == len(codes):
            return False
        self._write(kept)
        return True

    def find(self, code: str) -> CascadeCode | None:
        """The saved entry for a code (to show its name beside a draft's code)."""
        return next((c for c in self.all() if c.code == code.strip()), None)

    def _write(self, codes: list[CascadeCode]) -> None:
        write_json_atomic(
            self.path,
            {"format": FORMAT, "version": FORMAT_VERSION, "codes": [c.to_dict() for c in codes]},
        )

"""Saved drafts and templates: one JSON file per name under the user's data folder.

A *draft* is a message being worked on (the Message page autosaves it every few
seconds under :data:`AUTOSAVE`); a *template* is a message kept for reuse. Both are a
:class:`Draft` with a name and the time it was saved, in a file written atomically
(``files.write_json_atomic``): a crash while saving leaves the previous version whole,
so a crash while editing loses at most the seconds since the last autosave.

A file that cannot be read is never deleted or overwritten by a listing: it is left
where it is, skipped by :meth:`DraftStore.entries` and named by :meth:`DraftStore.load`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from kupon_desktop import paths
from kupon_desktop.compose.draft import Draft
from kupon_desktop.compose.errors import DraftFormatError, DraftNotFound
from kupon_desktop.compose.files import TEMP_PREFIX, read_json, write_json_atomic

Kind = Literal["draft", "template"]
FORMAT_VERSION = 1
#: the name the Message page autosaves the open draft under
AUTOSAVE = "~autosave"

_FOLDERS: dict[str, str] = {"draft": "drafts", "template": "templates"}
_UNSAFE = re.compile(r"[^\w\- ]+")


@dataclass(frozen=True, slots=True)
class SavedDraft:
    name: str
    kind: Kind
    saved_at: datetime
    draft: Draft

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": f"kupon-desktop/{self.kind}",
            "version": FORMAT_VERSION,
            "name": self.name,
            "saved_at": self.saved_at.isoformat(),
            "draft": self.draft.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> SavedDraft:
        if not isinstance(data, dict):
            raise DraftFormatError("not a saved draft (expected a JSON object)")
        fmt = data.get("format")
        kind = fmt.removeprefix("kupon-desktop/") if isinstance(fmt, str) else None
        if kind not in _FOLDERS:
            raise DraftFormatError(f"not a saved draft or template (format {fmt!r})")
        version = data.get("version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise DraftFormatError(
                f"saved by a newer version of Kupon Desktop (format version {version!r})"
            )
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise DraftFormatError("the saved draft has no name")
        try:
            saved_at = datetime.fromisoformat(data.get("saved_at", ""))
        except (TypeError, ValueError):
            raise DraftFormatError("the saved draft has no valid 'saved_at'") from None
        return cls(name, kind, saved_at, Draft.from_dict(data.get("draft")))  # type: ignore[arg-type]


def file_name(name: str) -> str:
    """A file name safe on every system, readable, and unique per exact name (the hash
    keeps "Promo" and "promo" apart on a case-insensitive disk, and "a/b" from "a_b")."""
    slug = _UNSAFE.sub("_", name).strip(" _.")[:40] or "draft"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return f"{slug}-{digest}.json"


class DraftStore:
    """The saved drafts (``kind="draft"``) or templates (``kind="template"``)."""

    def __init__(self, kind: Kind = "draft", folder: Path | None = None) -> None:
        if kind not in _FOLDERS:
            raise ValueError(f"kind must be 'draft' or 'template', not {kind!r}")
        self.kind: Kind = kind
        self.folder = folder if folder is not None else paths.data_dir() / _FOLDERS[kind]

    def path_for(self, name: str) -> Path:
        return self.folder / file_name(_check_name(name))

    def save(self, name: str, draft: Draft, *, now: datetime | None = None) -> SavedDraft:
        saved = SavedDraft(_check_name(name), self.kind, now or datetime.now(UTC), draft)
        write_json_atomic(self.path_for(name), saved.to_dict())
        return saved

    def load(self, name: str) -> SavedDraft:
        path = self.path_for(name)
        if not path.exists():
            raise DraftNotFound(self.kind, name)
        saved = self._read(path)
        if saved.name != name.strip():  # a file renamed by hand: trust what it says
            raise DraftFormatError(f"this file holds {saved.name!r}, not {name!r}", path)
        return saved

    def exists(self, name: str) -> bool:
        return self.path_for(name).exists()

    def delete(self, name: str) -> bool:
        try:
            self.path_for(name).unlink()
        except FileNotFoundError:
            return False
        return True

    def entries(self) -> list[SavedDraft]:
        """Everything readable in the folder, the most recently saved first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob("*.json"):
            if path.name.startswith(TEMP_PREFIX):
                continue
            try:
                saved = self._read(path)
            except DraftFormatError:
                continue
            if saved.kind == self.kind:
                found.append(saved)
        found.sort(key=lambda s: s.saved_at, reverse=True)
        return found

    def _read(self, path: Path) -> SavedDraft:
        try:
            data = read_json(path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise DraftFormatError(f"cannot be read: {exc}", path) from None
        try:
            return SavedDraft.from_dict(data)
        except DraftFormatError as exc:
            raise DraftFormatError(str(exc), path) from None


def drafts() -> DraftStore:
    return DraftStore("draft")


def templates() -> DraftStore:
    return DraftStore("template")


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValueError("a draft or template needs a name")
    return name

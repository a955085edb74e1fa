"""The image field's thumbnail: fetched over HTTP in a task, shown small beside the field,
or a warning sign saying why it could not be loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

#: a picture bigger than this is not an image a message carries: not read further
MAX_BYTES = 20 * 1024 * 1024


class ThumbnailFetcher(QObject):
    """Fills ``label`` with the picture at an address; ``current()`` gives the address
    the field holds now (an answer for an older address is dropped)."""

    def __init__(self, label: QLabel, current: Callable[[], str], runner: Any = None) -> None:
        super().__init__(label)
        self.label = label
        self.current = current
        self.runner = runner

    def start(self) -> None:
        url = self.current()
        self.label.clear()
        self.label.setToolTip("")
        if not url or self.runner is None:
            return
        self.label.setText(QCoreApplication.translate("MessagePage", "loading…"))
        self.runner.start(
            self.fetch(url), what=QCoreApplication.translate("MessagePage", "Image preview")
        )

    async def fetch(self, url: str) -> None:
        import httpx

        try:
            async with httpx.AsyncClient(timeout=10, follow_redirects=True) as client:
                response = await client.get(url)
                response.raise_for_status()
                data = response.content[:MAX_BYTES]
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            # InvalidURL (a control character, a 70 KB address) is no HTTPError
            self.failed(type(exc).__name__)
            return
        if url != self.current():
            return  # the user typed another address meanwhile
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self.failed(QCoreApplication.translate("MessagePage", "not an image"))
            return
        self.label.setPixmap(
            pixmap.scaled(
                self.label.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def failed(self, why: str) -> None:
        self.label.setText("⚠")
        self.label.setToolTip(
            QCoreApplication.translate(
                "MessagePage",
                "The image could not be loaded (%1): check the address before sending.",
            ).replace("%1", why)
        )

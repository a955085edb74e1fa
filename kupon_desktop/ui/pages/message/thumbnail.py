"""The image field's thumbnail: fetched over HTTP in a task (or read from a local file),
shown small beside the field and kept for the messenger preview's bubble, or a warning
sign saying why it could not be loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

from kupon_desktop.ui.pages.message.marking import local_image
from kupon_desktop.ui.pages.message.phone import fit

#: a picture bigger than this is not an image a message carries: not read further
MAX_BYTES = 20 * 1024 * 1024


class ThumbnailFetcher(QObject):
    """Fills ``label`` with the picture at an address; ``current()`` gives the address
    the field holds now (an answer for an older address is dropped). ``loaded`` is
    called when a picture arrives; ``picture`` then holds it at the bubble's width."""

    def __init__(
        self,
        label: QLabel,
        current: Callable[[], str],
        runner: Any = None,
        loaded: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(label)
        self.label = label
        self.current = current
        self.runner = runner
        self.loaded = loaded
        self.picture: QPixmap | None = None
        self.picture_address = ""

    def picture_for(self, address: str) -> QPixmap | None:
        """The picture at ``address`` if it is loaded, or a local file (read now: a
        file of at most ``MAX_BYTES``); None for an address not fetched yet."""
        if address and address == self.picture_address:
            return self.picture
        path = local_image(address)
        if path is None:
            return None
        # remembered even when it fails: a bad file is not read again at each keystroke
        self.picture, self.picture_address = None, address
        try:
            if path.stat().st_size > MAX_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        return self._keep(address, data)

    def _keep(self, address: str, data: bytes) -> QPixmap | None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            return None
        self.picture = fit(pixmap)
        self.picture_address = address
        self.label.setPixmap(
            pixmap.scaled(
                self.label.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.label.setToolTip("")
        return self.picture

    def start(self) -> None:
        url = self.current()
        self.label.clear()
        self.label.setToolTip("")
        if local_image(url) is not None:
            self.picture_address = ""  # read again: the file may have changed
            if self.picture_for(url) is None:
                self.failed(QCoreApplication.translate("MessagePage", "not an image"))
            elif self.loaded is not None:
                self.loaded()
            return
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
        if self._keep(url, data) is None:
            self.failed(QCoreApplication.translate("MessagePage", "not an image"))
            return
        if self.loaded is not None:
            self.loaded()

    def failed(self, why: str) -> None:
        self.label.setText("⚠")
        self.label.setToolTip(
            QCoreApplication.translate(
                "MessagePage",
                "The image could not be loaded (%1): check the address before sending.",
            ).replace("%1", why)
        )

"""Render the one source icon (resources/icons/app.svg) into the files installers need:

- ``kupon-desktop.ico``  (Windows: executables, installer, Start menu), 16-256 px;
- ``kupon-desktop.icns`` (macOS: the .app bundle and the disk image), 16-1024 px;
- ``kupon-desktop.png``  (256 px, for a Linux .desktop entry).

Each size is rendered from the SVG by Qt (QSvgRenderer, offscreen, so no display is
needed) rather than scaled down from one large bitmap, so small sizes stay sharp; Pillow
then packs the sizes into .ico/.icns on any OS. The outputs are build products (git-ignored
under packaging/build/), made again by every build.

    python packaging/make_icons.py [--source resources/icons/app.svg] [--out packaging/build/icons]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO / "resources" / "icons" / "app.svg"
DEFAULT_OUT = REPO / "packaging" / "build" / "icons"
BASE_NAME = "kupon-desktop"

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
# the sizes the icns format has slots for (each also serves as the @2x of half its size)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render_png(source: Path, size: int) -> bytes:
    """The SVG drawn into a transparent size×size square, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    # text in an SVG needs the font database, which needs an application object
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {source} is not a valid SVG image")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    # keep the drawing's aspect ratio, centred in the square
    view = renderer.viewBoxF()
    scale = size / max(view.width(), view.height(), 1e-9)
    width, height = view.width() * scale, view.height() * scale
    renderer.render(painter, QRectF((size - width) / 2, (size - height) / 2, width, height))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit(f"make_icons: could not encode the {size}px rendering as PNG")
    buffer.close()
    return bytes(data.data())


def make_icons(source: Path = DEFAULT_SOURCE, out_dir: Path = DEFAULT_OUT) -> dict[str, Path]:
    """Write the .ico, .icns and .png into ``out_dir``; returns them by extension."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(ICO_SIZES) | set(ICNS_SIZES))
    images = {
        size: Image.open(io.BytesIO(render_png(source, size))).convert("RGBA") for size in sizes
    }

    ico = out_dir / f"{BASE_NAME}.ico"
    largest = images[max(ICO_SIZES)]
    largest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )

    icns = out_dir / f"{BASE_NAME}.icns"
    images[max(ICNS_SIZES)].save(
        icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES[:-1]]
    )

    png = out_dir / f"{BASE_NAME}.png"
    images[256].save(png, format="PNG")
    return {"ico": ico, "icns": icns, "png": png}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for path in make_icons(args.source, args.out).values():
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

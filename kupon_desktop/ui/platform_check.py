"""Before the window starts on Linux: the system libraries Qt's X11 (xcb) plugin loads.

PySide6's wheel brings Qt but not these; a fresh Debian 12 or Ubuntu desktop lacks some
of them, and then Qt aborts with a message that names one at most ("xcb-cursor0 or
libxcb-cursor0 is needed") and a hint to reinstall. So the program looks first and says
in one line which packages to install; it still lets Qt try (a library found where this
check does not look is no reason to refuse).

Nothing here imports Qt: it must run before ``QApplication`` exists.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping

#: shared library Qt 6.11's xcb plugin (libqxcb.so, libQt6XcbQpa.so.6) links -> the
#: Debian/Ubuntu package that has it. The ones a desktop install usually has (libxcb1,
#: libxcb-render0, -shm0, -randr0, -shape0, -sync1, -xfixes0, libx11-xcb1) are checked too.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
}
#: the README's line: what a fresh Debian 12 / Ubuntu desktop is missing
README_PACKAGES = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxkbcommon-x11-0",
)


def uses_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt will load its xcb plugin: Linux, no other platform asked for
    (``QT_QPA_PLATFORM``), and not a Wayland session (where Qt takes its Wayland one)."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return False
    asked = env.get("QT_QPA_PLATFORM", "").strip().lower()
    if asked:
        return asked.split(";")[0].split(":")[0] == "xcb"
    return env.get("XDG_SESSION_TYPE", "").lower() != "wayland" or not env.get("WAYLAND_DISPLAY")


def missing_packages(libraries: Mapping[str, str] = XCB_LIBRARIES) -> list[str]:
    """The packages of the libraries in ``libraries`` that cannot be loaded here."""
    missing: list[str] = []
    for soname, package in libraries.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            if package not in missing:
                missing.append(package)
    return missing


def install_line(packages: list[str]) -> str:
    """The one line printed when packages are missing."""
    return (
        "kupon-desktop: the window cannot open without system libraries Qt needs "
        f"({', '.join(packages)}); on Debian or Ubuntu run: "
        f"sudo apt-get install -y {' '.join(packages)}"
    )


def check_window_libraries(
    *,
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    libraries: Mapping[str, str] = XCB_LIBRARIES,
) -> str | None:
    """The line to print before starting Qt, or None when nothing is missing."""
    if not uses_xcb(environ, platform):
        return None
    packages = missing_packages(libraries)
    return install_line(packages) if packages else None

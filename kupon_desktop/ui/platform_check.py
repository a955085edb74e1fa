"""Before the window starts on Linux: the system libraries Qt itself and its X11 (xcb)
plugin load.

PySide6's wheel brings Qt but not these. A fresh Debian 12 or Ubuntu desktop lacks some of
the xcb ones, and then Qt aborts with a message that names one at most ("xcb-cursor0 or
libxcb-cursor0 is needed") and a hint to reinstall; a minimal install (a server, a
container, a chroot) lacks even the ones QtCore and QtGui link (GLib, OpenGL, fontconfig,
D-Bus), and then importing PySide6 fails with "cannot open shared object file". So the
program looks first and says in one line which packages to install; it still lets Qt try
(a library found where this check does not look is no reason to refuse).

Nothing here imports Qt: it must run before PySide6 is imported.
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
#: shared libraries PySide6's QtCore, QtGui and QtWidgets link (without them ``import
#: PySide6.QtCore`` fails) -> the Debian/Ubuntu package; a desktop install has them all
QT_LIBRARIES: dict[str, str] = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
}
#: the README's line: what a minimal Debian 12 (debootstrap --variant=minbase, then
#: python3) needed before ``python3 -m venv`` and the window worked; on a desktop install
#: most are present already and apt-get skips them
README_PACKAGES = (
    "python3-venv",
    "libglib2.0-0",
    "libgl1",
    "libegl1",
    "libfontconfig1",
    "libdbus-1-3",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
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
    core: Mapping[str, str] = QT_LIBRARIES,
) -> str | None:
    """The line to print before importing Qt, or None when nothing is missing: ``core``
    (what Qt itself links) on every Linux, ``libraries`` (the xcb plugin's) where Qt will
    load that plugin."""
    if not (platform or sys.platform).startswith("linux"):
        return None
    wanted = dict(core)
    if uses_xcb(environ, platform):
        wanted.update(libraries)
    packages = missing_packages(wanted)
    return install_line(packages) if packages else None

"""Build Kupon Desktop's installer for the OS this runs on: one command per platform.

    python packaging/build.py              # Windows: KuponDesktop-<version>-setup.exe
                                           # macOS:   KuponDesktop-<version>-macos-<arch>.dmg
                                           # Linux:   the one-folder bundle (no installer)

Steps: render the icons (make_icons.py) -> PyInstaller with kupon-desktop.spec ->
(Linux: strip symbols from the libraries where that is safe) -> the installer (Inno
Setup's ISCC on Windows, packaging/macos/build_dmg.sh on macOS).
It prints the bundle's size and where everything went (default packaging/dist/, with
PyInstaller's work files under packaging/build/; both git-ignored).

Needs the program and the packaging tools installed in the running Python:
    pip install ".[packaging]"       (PyInstaller, Pillow)
and on Windows Inno Setup 6 (`choco install innosetup`, or set ISCC=path\\to\\ISCC.exe).
macOS signing and notarization are optional: packaging/macos/SIGNING.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SPEC = HERE / "kupon-desktop.spec"
DIST_NAME = "kupon-desktop"  # COLLECT(name=...) in the spec
MAC_APP = "Kupon Desktop.app"  # BUNDLE(name=...) in the spec


class BuildError(Exception):
    """A step failed in a way the person running the build can fix; one line, no traceback."""


def program_version() -> str:
    """The version from the installed package's metadata, which must match the checkout
    (an editable install made before a version bump would otherwise name the installer
    wrongly)."""
    text = (REPO / "kupon_desktop" / "__init__.py").read_text("utf-8")
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise BuildError("no __version__ in kupon_desktop/__init__.py")
    try:
        installed = metadata.version("kupon-desktop")
    except metadata.PackageNotFoundError:
        raise BuildError(
            'kupon-desktop is not installed in this Python: pip install ".[packaging]"'
        ) from None
    if installed != found.group(1):
        raise BuildError(
            f"installed kupon-desktop is {installed} but the checkout says "
            f'{found.group(1)}: reinstall it (pip install ".[packaging]")'
        )
    return installed


def system() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def bundle_path(dist: Path) -> Path:
    return dist / MAC_APP if system() == "macos" else dist / DIST_NAME


def command_line_executable(dist: Path) -> Path:
    """The bundled ``kupon-desktop`` that prints to a terminal (--version, --self-check,
    receiver, simulator)."""
    if system() == "macos":
        return dist / MAC_APP / "Contents" / "MacOS" / "kupon-desktop"
    suffix = ".exe" if system() == "windows" else ""
    return dist / DIST_NAME / f"kupon-desktop{suffix}"


def size_of(path: Path) -> int:
    """Bytes on disk of a file or folder; symbolic links count as nothing."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    print("+ " + " ".join(f'"{c}"' if " " in c else c for c in command), flush=True)
    result = subprocess.run(command, env=env, check=False)
    if result.returncode != 0:
        raise BuildError(f"{Path(command[0]).name} failed (exit {result.returncode})")


def build_icons(out: Path) -> dict[str, Path]:
    sys.path.insert(0, str(HERE))
    from make_icons import make_icons

    icons = make_icons(out_dir=out)
    print(f"icons: {', '.join(p.name for p in icons.values())} in {out}")
    return icons


def build_bundle(dist: Path, work: Path, icons: Path, *, clean: bool) -> Path:
    env = dict(os.environ, KUPON_ICON_DIR=str(icons))
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
    ]
    if clean:
        command.append("--clean")
    run([*command, str(SPEC)], env=env)
    bundle = bundle_path(dist)
    if not bundle.exists():
        raise BuildError(f"PyInstaller finished but {bundle} is not there")
    return bundle


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def _patched_by_auditwheel(path: Path) -> bool:
    """Libraries a manylinux wheel vendors (``numpy.libs/``) and the modules pointed at
    them were rewritten by patchelf; GNU strip then leaves them unloadable ("ELF load
    command address/offset not page-aligned"), so they are left as they are."""
    if path.parent.name.endswith(".libs"):
        return True
    dynamic = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=False
    ).stdout
    return any(
        ".libs" in line for line in dynamic.splitlines() if "RPATH" in line or "RUNPATH" in line
    )


def strip_linux_bundle(bundle: Path) -> int:
    """Strip symbols from the bundle's own libraries (Linux only; PyInstaller's strip
    option would also strip the patchelf-rewritten ones and break them). Returns the
    bytes saved. The bundled --self-check is what proves the result loads."""
    if system() != "linux" or shutil.which("strip") is None or shutil.which("readelf") is None:
        return 0
    before = size_of(bundle)
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file() or not _is_elf(path):
            continue
        if path.parent == bundle or _patched_by_auditwheel(path):
            continue  # the executables carry PyInstaller's archive: never touch them
        subprocess.run(["strip", "--strip-unneeded", str(path)], check=False, capture_output=True)
    return before - size_of(bundle)


def find_iscc() -> str:
    candidates = [os.environ.get("ISCC"), shutil.which("iscc"), shutil.which("ISCC")]
    for base in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        root = os.environ.get(base)
        if root:
            candidates += [
                str(Path(root) / "Inno Setup 6" / "ISCC.exe"),
                str(Path(root) / "Programs" / "Inno Setup 6" / "ISCC.exe"),
            ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise BuildError(
        "Inno Setup's ISCC.exe not found: install Inno Setup 6 "
        "(choco install innosetup) or set ISCC to its path"
    )


def windows_installer(dist: Path, version: str, icons: Path) -> Path:
    run(
        [
            find_iscc(),
            f"/DAppVersion={version}",
            f"/DBundleDir={dist / DIST_NAME}",
            f"/DIconFile={icons / 'kupon-desktop.ico'}",
            f"/O{dist}",
            str(HERE / "windows" / "kupon-desktop.iss"),
        ]
    )
    return dist / f"KuponDesktop-{version}-setup.exe"


def macos_disk_image(dist: Path, version: str) -> Path:
    arch = platform.machine() or "unknown"
    image = dist / f"KuponDesktop-{version}-macos-{arch}.dmg"
    run(["bash", str(HERE / "macos" / "build_dmg.sh"), str(dist / MAC_APP), str(image)])
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dist",
        type=Path,
        default=HERE / "dist",
        help="where the bundle and the installer go (default packaging/dist)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / "build" / "pyinstaller",
        help="PyInstaller's work folder (default packaging/build/pyinstaller)",
    )
    parser.add_argument(
        "--icons",
        type=Path,
        default=HERE / "build" / "icons",
        help="where the generated icons go (default packaging/build/icons)",
    )
    parser.add_argument(
        "--no-installer", action="store_true", help="stop after the bundle (no setup.exe or .dmg)"
    )
    parser.add_argument(
        "--clean", action="store_true", help="make PyInstaller discard its caches first"
    )
    args = parser.parse_args(argv)
    dist, work, icons = args.dist.resolve(), args.work.resolve(), args.icons.resolve()
    try:
        version = program_version()
        print(f"Kupon Desktop {version} for {system()} ({platform.machine()})")
        build_icons(icons)
        bundle = build_bundle(dist, work, icons, clean=args.clean)
        saved = strip_linux_bundle(bundle)
        if saved:
            print(f"stripped symbols: {megabytes(saved)} saved")
        print(f"bundle: {bundle} ({megabytes(size_of(bundle))})")
        print(f"command line: {command_line_executable(dist)}")
        installer = None
        if not args.no_installer:
            if system() == "windows":
                installer = windows_installer(dist, version, icons)
            elif system() == "macos":
                installer = macos_disk_image(dist, version)
        if installer is not None:
            if not installer.is_file():
                raise BuildError(f"the installer step finished but {installer} is not there")
            print(f"installer: {installer} ({megabytes(size_of(installer))})")
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

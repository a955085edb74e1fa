"""What the PyInstaller bundle leaves out, kept apart from the spec so it can be read and
tested on its own.

PyInstaller's PySide6 hooks collect every plugin of the Qt modules they see (QtGui alone
brings platform plugins for embedded boards, a PDF image reader that pulls QtPdf, a
virtual keyboard that pulls QtQuick and QtQml) and all of Qt's ~100 translations; the
pyarrow hook collects every optional pyarrow library (Flight, S3, headers). The program is
a widgets application that reads CSV/Excel and talks HTTP through httpx, so it needs far
less. The spec passes ``Analysis.binaries`` and ``Analysis.datas`` through :func:`keep`.

The bundled ``kupon-desktop --self-check`` loads the plugins kept here, and on Linux the
packaging test runs ``ldd`` over the bundle, so a rule that drops something still needed
fails a check rather than a user.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

#: Qt plugin directory -> name prefixes to keep (``None``: keep the whole directory).
#: Plugin directories not listed here are left out entirely: generic (evdev, tuio),
#: egldeviceintegrations (eglfs boards), networkinformation and tls (QtNetwork is not
#: used: httpx does the networking), sqldrivers, printsupport, qmltooling, designer,
#: platforms/darwin (camera/location permission plugins).
QT_PLUGINS_KEPT: dict[str, tuple[str, ...] | None] = {
    # the native platform of each OS, plus offscreen for headless checks and CI
    "platforms": ("qxcb", "qwayland", "qwindows", "qcocoa", "qoffscreen"),
    # png is built into QtGui; svg is what the icons are; the rest are images a user may
    # attach to a message. qpdf is left out: it pulls the whole QtPdf library.
    "imageformats": ("qsvg", "qico", "qjpeg", "qgif", "qwebp"),
    "iconengines": ("qsvgicon",),
    # native look: qmacstyle on macOS, qmodernwindowsstyle on Windows
    "styles": None,
    # the portal gives native file dialogs on Linux; the gtk3 theme would drag GTK in
    "platformthemes": ("qxdgdesktopportal",),
    # typing Russian through a compose key or IBus; the virtual keyboard pulls QtQuick
    "platforminputcontexts": (
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    ),
    "xcbglintegrations": None,
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": None,
    "wayland-shell-integration": None,
    "accessiblebridge": None,
}

#: Qt's own translations: only the standard-button strings for the languages we ship.
QT_TRANSLATIONS_KEPT = re.compile(r"qtbase_(ru|en)\.qm")

#: Qt libraries that only the dropped plugins (or unused modules) link; on macOS they are
#: frameworks (``QtQuick.framework/...``), elsewhere ``libQt6Quick.so.6`` / ``Qt6Quick.dll``.
QT_LIBRARIES_DROPPED = re.compile(
    r"(?:^|/)(?:lib)?Qt6?(?:Quick|Qml|Labs|Pdf|VirtualKeyboard|WebEngine|WebChannel|WebView|"
    r"Multimedia|SpatialAudio|3D|Designer|Lottie|EglFS|EglFs|Sql|Test|Charts|Graphs|"
    r"DataVisualization|ShaderTools|WaylandCompositor|Help|UiTools|Positioning|Location|"
    r"Sensors|SerialPort|Bluetooth|Nfc|RemoteObjects|Scxml|StateMachine|TextToSpeech)"
    r"(?:[^/]*$|[^/]*\.framework/)"
)

#: Files in the Windows wheel that a widgets program never loads: the Mesa software
#: OpenGL fallback (about 20 MB) and the Direct3D shader compiler (QtQuick/RHI only).
WINDOWS_DROPPED = {"opengl32sw.dll", "d3dcompiler_47.dll"}

#: pyarrow pieces the program does not use (it needs the core, compute and the CSV
#: reader; pandas uses the core for string columns). The libraries that pyarrow's core
#: links (parquet, dataset, acero, substrait) stay: see ``ldd pyarrow/lib*.so``.
PYARROW_DROPPED = re.compile(
    r"(?:^|/)pyarrow/(?:include|includes|src|tests)/|"
    r"(?:^|/)pyarrow/[^/]*(?:arrow_flight|arrow_python_flight|gandiva|arrow_cuda|"
    r"arrow_s3|_flight|_s3fs|_gcsfs|_azurefs|_hdfs|_orc|_dataset_orc|_pyarrow_cpp_tests)"
    r"[^/]*$|"
    # sources, headers and Windows import libraries (arrow.lib) for building against pyarrow
    r"(?:^|/)pyarrow/.*\.(?:pxd|pyx|pxi|h|hpp|cc|cmake|lib)$|"
    # Wheels cannot hold symbolic links, so the linker names are full copies beside the
    # versioned name that is loaded: libarrow_python.so and .so.2600.1.0 next to
    # .so.2600 (Linux), libarrow.dylib next to libarrow.2600.dylib (macOS). (Not
    # pyarrow/lib.cpython-311-*.so: that is pyarrow's core module.)
    r"(?:^|/)pyarrow/lib[a-z_]+\.so(?:\.\d+\.\d+\.\d+)?$|"
    r"(?:^|/)pyarrow/lib[a-z_]+\.dylib$"
)

#: Python modules the program never imports that hooks or optional imports drag in.
#: They go to ``Analysis(excludes=...)``.
EXCLUDED_MODULES = [
    # development tools (pandas and numpy import pytest lazily for their test runners)
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "mypy",
    "mypyc",
    "ruff",
    "IPython",
    "jedi",
    "setuptools",
    "pkg_resources",
    "pip",
    # GUI toolkits and plotting that optional pandas code paths name
    "tkinter",
    "_tkinter",
    "matplotlib",
    # openpyxl and pandas import Pillow when present (images in sheets, plotting); the
    # program reads cell values only. (packaging/make_icons.py uses Pillow at build time.)
    "PIL",
    # Qt modules the program does not use (it imports QtCore, QtGui, QtWidgets; the SVG
    # plugins bring the QtSvg library with them)
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebChannel",
    "PySide6.Qt3DCore",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtPrintSupport",
    "PySide6.QtDBus",
    "PySide6.QtConcurrent",
    "PySide6.QtXml",
    "PySide6.QtCharts",
    "PySide6.QtGraphs",
    # pyarrow extras (the pyarrow hook names every submodule)
    "pyarrow.flight",
    "pyarrow._flight",
    "pyarrow._s3fs",
    "pyarrow._gcsfs",
    "pyarrow._azurefs",
    "pyarrow._hdfs",
    "pyarrow.orc",
    "pyarrow._orc",
    "pyarrow._dataset_orc",
    "pyarrow.cuda",
    "pyarrow.gandiva",
    "pyarrow.tests",
    "pyarrow._pyarrow_cpp_tests",
    # phone-number place names and carriers: 40 MB of tables; the program validates and
    # formats numbers only (phonenumbers.timezone stays: it is small and may be used)
    "phonenumbers.geocoder",
    "phonenumbers.geodata",
    "phonenumbers.carrier",
    "phonenumbers.carrierdata",
    "pandas.tests",
    "numpy.tests",
    "openpyxl.tests",
]

_PLUGIN = re.compile(r"(?:^|/)PySide6/(?:Qt/)?plugins/(.+)/([^/]+)$")
_TRANSLATION = re.compile(r"(?:^|/)PySide6/(?:Qt/)?translations/([^/]+\.qm)$")


def _stem(file_name: str) -> str:
    name = file_name.lower()
    name = name.removeprefix("lib")
    return re.sub(r"\.(so|dll|dylib)(\..*)?$", "", name)


def wanted(dest_name: str) -> bool:
    """Whether the bundle keeps the file that PyInstaller would put at ``dest_name``."""
    path = _normal(dest_name)
    plugin = _PLUGIN.search(path)
    if plugin:
        kind, file_name = plugin.groups()
        if kind not in QT_PLUGINS_KEPT:
            return False
        prefixes = QT_PLUGINS_KEPT[kind]
        return prefixes is None or _stem(file_name).startswith(prefixes)
    translation = _TRANSLATION.search(path)
    if translation:
        return QT_TRANSLATIONS_KEPT.fullmatch(translation.group(1)) is not None
    if "PySide6/" in path and QT_LIBRARIES_DROPPED.search(path):
        return False
    if path.rsplit("/", 1)[-1].lower() in WINDOWS_DROPPED:
        return False
    return not PYARROW_DROPPED.search(path)


def keep(toc: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The entries of a PyInstaller TOC (``dest_name, src_name, typecode``) to bundle.

    A ``SYMLINK`` entry (``src_name`` is then the link's target, relative to the link)
    stays only while what it points at stays, so no dangling link is left behind.
    """
    entries = list(toc)
    kept = [e for e in entries if e[2] != "SYMLINK" and wanted(e[0])]
    links = [e for e in entries if e[2] == "SYMLINK" and wanted(e[0])]
    present = {_normal(e[0]) for e in kept}
    while True:  # links may point at links
        resolvable = [
            e
            for e in links
            if posixpath.normpath(posixpath.join(posixpath.dirname(_normal(e[0])), _normal(e[1])))
            in present
        ]
        added = {_normal(e[0]) for e in resolvable} - present
        if not added:
            break
        present |= added
    return kept + [e for e in links if _normal(e[0]) in present]


def keep_hook_entries(entries: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ``(source file, destination folder)`` pairs of a hook's ``binaries``/``datas``
    to keep. Filtering in the hooks (packaging/hooks/) matters for plugins: PyInstaller
    then never analyses a dropped plugin, so the libraries only it links (GTK for the gtk3
    theme, QtPdf for the PDF reader, QtNetwork's Kerberos) are not collected either."""
    return [
        (src, dest)
        for src, dest in entries
        if wanted(posixpath.join(_normal(dest), _normal(src).rsplit("/", 1)[-1]))
    ]


def _normal(path: str) -> str:
    return path.replace("\\", "/")

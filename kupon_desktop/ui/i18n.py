"""Interface language: the program's own translations plus Qt's (standard buttons)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kupon_desktop.ui.resources import resource_path

SUPPORTED = ("ru", "en")


def resolve_language(setting: str | None) -> str:
    """``system`` (or nothing) follows the system locale; anything unsupported is English."""
    if setting and setting in SUPPORTED:
        return setting
    system = QLocale.system().name().split("_")[0]
    return system if system in SUPPORTED else "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load and install the translators for ``language``; returns them so the caller keeps
    them alive (Qt does not own a translator)."""
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(str(resource_path("translations", f"kupon_{language}.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    if language != "en":
        qt = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{language}", qt_dir):
            app.installTranslator(qt)
            installed.append(qt)
    QLocale.setDefault(
        QLocale(QLocale.Language.Russian if language == "ru" else QLocale.Language.English)
    )
    return installed

"""Interface language: the program's own translations plus Qt's (standard buttons)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kupon_desktop.ui.resources import resource_path

SUPPORTED = ("ru", "en")


def resolve_language(setting: str | None) -> str:
    """``system`` (or nothing) follows the system locale; anything unsupported is English."""
    if setting and setting in SUPPORTED:
        return setting
    system = QLocale.system().name().split("_")[0]
    return system if system in SUPPORTED else "en"


def qt_translation_dirs() -> list[str]:
    """Where Qt's own translations may be: Qt's configured folder, then PySide6's (a
    bundle can move Qt's prefix; PyInstaller keeps PySide6/Qt/translations)."""
    import PySide6

    package = Path(PySide6.__file__).resolve().parent
    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(package / "Qt" / "translations"),
        str(package / "translations"),
    ]
    return list(dict.fromkeys(f for f in folders if f))


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load and install the translators for ``language``; returns them so the caller keeps
    them alive (Qt does not own a translator)."""
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(str(resource_path("translations", f"kupon_{language}.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    if language != "en":
        # Qt's own: "Look in:", "Files of type:", Yes/No/Cancel in the standard dialogs
        qt = QTranslator(app)
        for folder in qt_translation_dirs():
            if qt.load(f"qtbase_{language}", folder):
                app.installTranslator(qt)
                installed.append(qt)
                break
        # the few of Qt's strings its catalog misses, ours
        extra = QTranslator(app)
        if extra.load(str(resource_path("translations", f"qt_extra_{language}.qm"))):
            app.installTranslator(extra)
            installed.append(extra)
    QLocale.setDefault(
        QLocale(QLocale.Language.Russian if language == "ru" else QLocale.Language.English)
    )
    return installed

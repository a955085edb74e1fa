"""PyInstaller's own hook for PySide6.QtGui, with the Qt plugins and translations the
program does not use left out before PyInstaller analyses them (see bundle_filter.py).
Found through `hookspath` in kupon-desktop.spec, which also puts bundle_filter on the path."""

from bundle_filter import keep_hook_entries
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = keep_hook_entries(binaries)
datas = keep_hook_entries(datas)

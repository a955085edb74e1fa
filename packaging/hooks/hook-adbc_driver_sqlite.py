"""ADBC's SQLite driver is a shared library its package finds beside itself at run time
(the contact base stages imported rows through it, kupon_desktop/store/stage.py):
nothing imports it, so PyInstaller would leave it out."""

from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("adbc_driver_sqlite")

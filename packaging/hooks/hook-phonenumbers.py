"""phonenumbers' submodules without the place-name and carrier tables the program does not
use (replaces the contrib hook, which names them all; see bundle_filter.EXCLUDED_MODULES).
The region metadata (phonenumbers.data.*) is loaded by name at run time, hence the list."""

from bundle_filter import EXCLUDED_MODULES
from PyInstaller.utils.hooks import collect_submodules

_LEFT_OUT = tuple(name for name in EXCLUDED_MODULES if name.startswith("phonenumbers."))

hiddenimports = collect_submodules(
    "phonenumbers", filter=lambda name: not name.startswith(_LEFT_OUT)
)

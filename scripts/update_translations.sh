#!/usr/bin/env bash
# Refresh the translation sources from the code, then compile them to the shipped .qm.
#   bash scripts/update_translations.sh
# Translate new strings with Qt Linguist (pyside6-linguist resources/translations/kupon_ru.ts)
# or scripts/fill_translations.py, then run this again to compile.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(dirname "$(command -v python)")
"$bin/pyside6-lupdate" -extensions py -no-obsolete -locations none kupon_desktop/ui \
    -source-language en -target-language ru -ts resources/translations/kupon_ru.ts
"$bin/pyside6-lupdate" -extensions py -no-obsolete -locations none kupon_desktop/ui \
    -source-language en -target-language en -ts resources/translations/kupon_en.ts
"$bin/pyside6-lrelease" -silent resources/translations/kupon_ru.ts \
    -qm resources/translations/kupon_ru.qm
"$bin/pyside6-lrelease" -silent resources/translations/kupon_en.ts \
    -qm resources/translations/kupon_en.qm
# Qt's own strings its Russian catalog misses (written by hand: lupdate does not see them)
"$bin/pyside6-lrelease" -silent resources/translations/qt_extra_ru.ts \
    -qm resources/translations/qt_extra_ru.qm

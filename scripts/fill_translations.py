"""Fill unfinished entries of a Qt .ts file from a JSON object {source: translation}.

    python scripts/fill_translations.py resources/translations/kupon_ru.ts new.json

For developers without Qt Linguist; the .ts file stays the source of truth. Prints the
sources that are still untranslated afterwards (exit 1 if any).
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET


def main(ts_path: str, json_path: str | None = None) -> int:
    table = {}
    if json_path:
        with open(json_path, encoding="utf-8") as fh:
            table = json.load(fh)
    tree = ET.parse(ts_path)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            continue
        if translation.get("type") == "unfinished" or not (translation.text or "").strip():
            if source in table:
                translation.text = table[source]
                translation.attrib.pop("type", None)
            else:
                missing.append(source)
    with open(ts_path, "wb") as fh:
        fh.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(fh, encoding="utf-8", xml_declaration=False)
    for source in missing:
        print("untranslated:", source)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

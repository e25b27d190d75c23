"""Fill a Vietnamese catalogue from a JSON file of {msgid: msgstr} (or {msgid: [singular, plural]}).

A message with a context is looked up as "context|msgid" first.

Usage: python scripts/po_fill.py khuyencong/<app>/locale/vi/LC_MESSAGES/django.po translations.json
Prints the msgids still missing so nothing is left untranslated silently; then run compilemessages.
"""

import json
import sys

import polib


def main(po_path: str, json_path: str) -> int:
    po = polib.pofile(po_path)
    table = json.load(open(json_path, encoding="utf-8"))
    for entry in po:
        if entry.obsolete:
            continue
        value = table.get(f"{entry.msgctxt}|{entry.msgid}") if entry.msgctxt else None
        value = value if value is not None else table.get(entry.msgid)
        if value is None:
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = {0: forms[-1]}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "vi"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    for msgid in missing:
        print("missing:", json.dumps(msgid, ensure_ascii=False))
    print(f"{len(po)} messages, {len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

"""Fail when a Vietnamese catalogue has an untranslated or fuzzy message (the UI is Vietnamese first).

Also fails when a template or Python string marked for translation is missing from the catalogue
of its app (run `make messages` after adding strings).
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "khuyencong"


def _translations(catalogue) -> dict:
    """What a catalogue translates (msgctxt, msgid, plural forms -> text), fuzzy and obsolete entries left out.

    Compared by content, not by file times: a fresh clone gives both files the checkout's time.
    """
    found = {}
    for entry in catalogue:
        if getattr(entry, "obsolete", False) or getattr(entry, "fuzzy", False) or not entry.msgid:
            continue
        text = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
        found[(entry.msgctxt, entry.msgid, entry.msgid_plural)] = text
    return found


def main() -> int:
    catalogues = sorted(ROOT.rglob("locale/vi/LC_MESSAGES/django.po"))
    problems = []
    for path in catalogues:
        po = polib.pofile(str(path))
        problems += [f"{path}: untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
        problems += [f"{path}: fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
        mo = path.with_suffix(".mo")
        if not mo.exists() or _translations(polib.mofile(str(mo))) != _translations(po):
            problems.append(f"{path}: not compiled (run compilemessages)")
    for problem in problems:
        print(problem)
    print(f"{len(catalogues)} Vietnamese catalogue(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Fail when a Vietnamese catalogue has an untranslated or fuzzy message (the UI is Vietnamese first).

Also fails when a template or Python string marked for translation is missing from the catalogue
of its app (run `make messages` after adding strings).
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "khuyencong"


def main() -> int:
    catalogues = sorted(ROOT.rglob("locale/vi/LC_MESSAGES/django.po"))
    problems = []
    for path in catalogues:
        po = polib.pofile(str(path))
        problems += [f"{path}: untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
        problems += [f"{path}: fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime + 1 < path.stat().st_mtime:
            problems.append(f"{path}: not compiled (run compilemessages)")
    for problem in problems:
        print(problem)
    print(f"{len(catalogues)} Vietnamese catalogue(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

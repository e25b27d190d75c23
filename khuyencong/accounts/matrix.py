"""The permission matrix: who (role and relation to the record's place) may do what to which record.

It is data: the officers' page (/accounts/permissions/), `docs/permissions.md` (`khuyencong
permissions_doc`) and the test that walks every cell through the pages, the API and the exports
(`tests/accounts/test_matrix.py`) all read it. The predicates of `accounts.permissions` and the scopes of
`accounts.scoping` decide; this table says what they must answer, and the test holds them to it.

A cell is YES (allowed), NO (refused: 403, or 404 when the user may not even know the record exists),
or OWN (allowed, restricted to the records of the user's own place: a commune officer's reports cover
their commune).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

YES, NO, OWN = "yes", "no", "own"

# (key, role, relation to the record): the columns of the matrix.
WHO = [
    ("admin", _("System administrator"), _("anywhere")),
    ("province_officer", _("Province officer"), _("of the record's province")),
    ("other_province_officer", _("Province officer"), _("of another province")),
    ("commune_officer", _("Commune officer"), _("of the record's commune")),
    ("other_commune_officer", _("Commune officer"), _("of another commune of the province")),
    ("viewer", _("Viewer"), _("whole country (the Ministry)")),
    ("other_viewer", _("Viewer"), _("of another province")),
    ("judge", _("Council member"), _("of the record's province")),
    ("representative", _("Establishment representative"), _("of the record's establishment")),
    ("other_representative", _("Establishment representative"), _("of another establishment")),
]


@dataclass(frozen=True)
class Row:
    key: str
    object: str
    action: str
    cells: dict  # WHO key -> YES / NO / OWN

    def cell(self, who: str) -> str:
        return self.cells[who]


def _row(key, obj, action, *values) -> Row:
    assert len(values) == len(WHO), key
    return Row(key, obj, action, dict(zip((w[0] for w in WHO), values, strict=True)))


#          key                     object                         action
#          admin po   po'  co   co'  viewer viewer' judge rep  rep'
MATRIX = [
    _row(
        "establishment.read",
        _("Establishment"),
        _("read its page"),
        YES,
        YES,
        NO,
        YES,
        NO,
        YES,
        NO,
        NO,
        YES,
        NO,
    ),
    _row(
        "establishment.edit", _("Establishment"), _("change it"), YES, YES, NO, YES, NO, NO, NO, NO, YES, NO
    ),
    _row("product.read", _("Product"), _("read its page"), YES, YES, NO, YES, NO, YES, NO, NO, YES, NO),
    _row(
        "project.read", _("Support project"), _("read its page"), YES, YES, NO, YES, NO, YES, NO, NO, YES, NO
    ),
    _row(
        "project.api",
        _("Support project"),
        _("read it through the API"),
        YES,
        YES,
        NO,
        YES,
        NO,
        YES,
        NO,
        NO,
        YES,
        NO,
    ),
    _row(
        "report.rows",
        _("Programme summary of the province"),
        _("read its rows and amounts"),
        YES,
        YES,
        NO,
        OWN,
        OWN,
        YES,
        NO,
        NO,
        NO,
        NO,
    ),
    _row(
        "export.establishments",
        _("Establishments of the province"),
        _("export them (CSV)"),
        YES,
        YES,
        NO,
        OWN,
        OWN,
        YES,
        NO,
        NO,
        OWN,
        OWN,
    ),
    _row(
        "survey.results",
        _("Survey of the province"),
        _("read its answers and export them"),
        YES,
        YES,
        NO,
        OWN,
        OWN,
        YES,
        NO,
        NO,
        NO,
        NO,
    ),
    _row(
        "event.outcomes",
        _("Event outcomes"),
        _("read each establishment's contract value"),
        YES,
        YES,
        NO,
        YES,
        YES,
        YES,
        NO,
        NO,
        OWN,
        OWN,
    ),
]

ROWS = {row.key: row for row in MATRIX}

LABELS = {YES: _("yes"), NO: _("no"), OWN: _("own place only")}


def as_markdown() -> str:
    """The matrix as a Markdown table (docs/permissions.md), in English."""
    from django.utils import translation

    with translation.override("en"):
        head = ["Object", "Action", *[f"{role} ({relation})" for _key, role, relation in WHO]]
        lines = [
            "# Permissions",
            "",
            "Generated from `khuyencong/accounts/matrix.py` by `khuyencong permissions_doc`; do not edit by hand.",
            "Refused means 403, or 404 when the user may not know the record exists; *own place only* means",
            "allowed, over the records of the user's own commune or establishment.",
            "",
            "| " + " | ".join(str(h) for h in head) + " |",
            "|" + "---|" * len(head),
        ]
        for row in MATRIX:
            cells = [str(LABELS[row.cell(key)]) for key, _r, _p in WHO]
            lines.append(f"| {row.object} | {row.action} | " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

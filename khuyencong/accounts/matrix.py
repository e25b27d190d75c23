"""The permission matrix: who (role and relation to the record's place) may do what to which record.

It is data: the officers' page (/accounts/permissions/), `docs/permissions.md` (`khuyencong
permissions_doc`) and the test that walks every cell through the pages, the API and the exports
(`tests/accounts/test_matrix.py`) all read it; the test walks the admin site too (`ADMIN_SITE`). The
predicates of `accounts.permissions` and the scopes of `accounts.scoping` decide; this table says what
they must answer, and the test holds them to it.

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
    ("national_organiser", _("National organiser"), _("whole country (the Ministry's agency)")),
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
#          admin po   po'  co   co'  viewer viewer' national judge rep  rep'
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
        YES,
        NO,
        YES,
        NO,
    ),
    _row(
        "establishment.edit",
        _("Establishment"),
        _("change it"),
        YES,
        YES,
        NO,
        YES,
        NO,
        NO,
        NO,
        NO,
        NO,
        YES,
        NO,
    ),
    _row("product.read", _("Product"), _("read its page"), YES, YES, NO, YES, NO, YES, NO, YES, NO, YES, NO),
    _row(
        "project.read",
        _("Support project"),
        _("read its page"),
        YES,
        YES,
        NO,
        YES,
        NO,
        YES,
        NO,
        YES,
        NO,
        YES,
        NO,
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
        YES,
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
        YES,
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
        YES,
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
        YES,
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
        YES,
        NO,
        OWN,
        OWN,
    ),
    _row(
        "round.region.edit",
        _("Region selection round"),
        _("change its settings (run it)"),
        YES,
        NO,
        NO,
        NO,
        NO,
        NO,
        NO,
        YES,
        NO,
        NO,
        NO,
    ),
    # issue 15: the dated rules, the beneficiaries of Decree 235/2025/NĐ-CP, the programme's targets
    #          admin po   po'  co   co'  viewer viewer' national judge rep  rep'
    _row("rule.read", _("People's Council resolution of the province"), _("read its page"), *[YES] * 11),
    _row(
        "rule.edit",
        _("People's Council resolution of the province"),
        _("correct it"),
        *(YES, YES, NO, NO, NO, NO, NO, NO, NO, NO, NO),
    ),
    _row(
        "village.read",
        _("Craft village"),
        _("read its page"),
        *(YES, YES, NO, YES, NO, YES, NO, YES, NO, YES, NO),
    ),
    _row(
        "village.edit", _("Craft village"), _("change it"), *(YES, YES, NO, YES, NO, NO, NO, NO, NO, NO, NO)
    ),
    _row(
        "village.api",
        _("Craft village"),
        _("read it through the API"),
        *(YES, YES, NO, YES, NO, YES, NO, YES, NO, YES, NO),
    ),
    _row(
        "artisan.read", _("Artisan"), _("read its page"), *(YES, YES, NO, YES, NO, YES, NO, YES, NO, YES, NO)
    ),
    _row("artisan.edit", _("Artisan"), _("change it"), *(YES, YES, NO, YES, NO, NO, NO, NO, NO, NO, NO)),
    _row(
        "export.villages",
        _("Craft villages of the province"),
        _("export them (CSV)"),
        *(YES, YES, NO, OWN, OWN, YES, NO, YES, NO, OWN, OWN),
    ),
    _row(
        "targets.read",
        _("Local programme of the province (targets)"),
        _("read its progress"),
        *(YES, YES, NO, YES, YES, YES, NO, YES, NO, NO, NO),
    ),
    _row(
        "targets.edit",
        _("Local programme of the province (targets)"),
        _("change it"),
        *(YES, YES, NO, NO, NO, NO, NO, NO, NO, NO, NO),
    ),
    _row(
        "targets.api",
        _("Local programme of the province (targets)"),
        _("read its progress through the API"),
        *(YES, YES, NO, YES, YES, YES, NO, YES, NO, NO, NO),
    ),
]

ROWS = {row.key: row for row in MATRIX}

# The admin counterpart of a row: (app label, model, what the admin page does: "view" or "change").
# The Django admin (/admin/) follows the matrix only through its administrators' column: the site is
# open to system administrators alone (`permissions.may_use_admin_site`); every other column, allowed
# or not on the pages, is refused there (a redirect to the admin login, never the record).
ADMIN_SITE = {
    "establishment.read": ("registry", "establishment", "view"),
    "establishment.edit": ("registry", "establishment", "change"),
    "product.read": ("registry", "product", "view"),
    "project.read": ("programme", "project", "view"),
    "project.api": ("programme", "project", "view"),
    "survey.results": ("outreach", "survey", "view"),
    "event.outcomes": ("outreach", "outcome", "view"),
}


def admin_cell(row: Row, who: str) -> str:
    """What the admin site must answer for a cell: the administrators' cell for them, NO for the rest."""
    return row.cell(who) if who == "admin" else NO


LABELS = {YES: _("yes"), NO: _("no"), OWN: _("own place only")}


def as_markdown() -> str:
    """The matrix as a Markdown table (docs/permissions.md), in English."""
    from django.utils import translation

    with translation.override("en"):
        head = [
            "Object",
            "Action",
            *[f"{role} ({relation})" for _key, role, relation in WHO],
            "Admin site (/admin/)",
        ]
        lines = [
            "# Permissions",
            "",
            "Generated from `khuyencong/accounts/matrix.py` by `khuyencong permissions_doc`; do not edit by hand.",
            "Refused means 403, or 404 when the user may not know the record exists; *own place only* means",
            "allowed, over the records of the user's own commune or establishment.",
            "The admin site (/admin/) follows the matrix through the administrators' column only: it opens to",
            "system administrators (with the staff flag) and refuses every other role, whatever its staff flag",
            "or model permissions (a redirect to the admin login); the last column names the admin page.",
            "",
            "| " + " | ".join(str(h) for h in head) + " |",
            "|" + "---|" * len(head),
        ]
        for row in MATRIX:
            cells = [str(LABELS[row.cell(key)]) for key, _r, _p in WHO]
            cells.append(_admin_page(row.key))
            lines.append(f"| {row.object} | {row.action} | " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"


def _admin_page(key: str) -> str:
    if key not in ADMIN_SITE:
        return "none"
    app, model, action = ADMIN_SITE[key]
    return f"{action}: `/admin/{app}/{model}/<pk>/change/`, administrators only"

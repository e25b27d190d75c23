from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.core import forms as policy
from khuyencong.geo.models import Province
from khuyencong.registry.models import ProductGroup
from khuyencong.selection.models import Level

SORT_CHOICES = [
    ("level", _("Highest level first")),
    ("newest", _("Most recently certified")),
    ("name", _("Name A–Z")),
]


def _ocop_stars_or_more(n: int) -> str:
    return gettext("OCOP %(stars)s or more") % {"stars": "★" * n}


# built when shown, in the reader's language (a lazy string formatted at import time would stay in the first one)
_ocop_at_least = lazy(_ocop_stars_or_more, str)


class CatalogueFilterForm(policy.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    province = forms.ModelChoiceField(
        label=_("Province"), required=False, queryset=Province.objects.all(), empty_label=_("All provinces")
    )
    group = forms.ChoiceField(
        label=_("Product group"), required=False, choices=[("", _("All groups"))] + ProductGroup.choices
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels"))] + Level.choices
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    ocop = forms.TypedChoiceField(
        label=_("OCOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("With or without OCOP"))] + [(n, _ocop_at_least(n)) for n in (3, 4, 5)],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control",
            )

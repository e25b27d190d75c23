from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from khuyencong.core import forms as policy
from khuyencong.geo.forms import narrow_legacy_fields
from khuyencong.geo.models import Commune, Province

from .models import (
    Artisan,
    ArtisanTitle,
    CertificationKind,
    CraftVillage,
    Establishment,
    EstablishmentKind,
    OcopRating,
    Product,
    ProductCertification,
    ProductGroup,
)


class EstablishmentFilterForm(policy.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Legal form"), required=False, choices=[("", _("All forms"))] + EstablishmentKind.choices
    )
    province = forms.ModelChoiceField(
        label=_("Province"), required=False, queryset=Province.objects.all(), empty_label=_("All provinces")
    )
    archived = forms.BooleanField(label=_("Archived"), required=False)


class ProductFilterForm(policy.Form):
    q = forms.CharField(label=_("Search"), required=False)
    group = forms.ChoiceField(
        label=_("Product group"), required=False, choices=[("", _("All groups"))] + ProductGroup.choices
    )
    archived = forms.BooleanField(label=_("Archived"), required=False)


class ServiceChecksUniqueMixin:
    """A code or tax code already taken is refused by the service, which names the record holding it (the
    form's own unique check would only say "already exists")."""

    unique_checked_by_service = ("code", "tax_code")

    def validate_unique(self):
        exclude = set(self._get_validation_exclusions()) | set(self.unique_checked_by_service)
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as e:
            self._update_errors(e)


class EstablishmentForm(ServiceChecksUniqueMixin, policy.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked the possible duplicates above: this is a different establishment"),
        required=False,
    )

    class Meta:
        model = Establishment
        fields = [
            "code",
            "name",
            "kind",
            "tax_code",
            "industry",
            "province",
            "commune",
            "legacy_province",
            "legacy_district",
            "representative",
            "address",
            "phone",
            "email",
            "website",
            "workers",
            "founded",
            "description",
            "markets",
            "women_owned",
            "ethnic_minority_owned",
            "disadvantaged_commune",
            "priority_evidence",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
            "markets": forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
            "priority_evidence": forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.none()
        province_id = self.data.get("province") or (self.instance.province_id if self.instance.pk else None)
        if user is not None and user.province_id and not self.instance.pk and not self.data:
            self.initial.setdefault("province", user.province_id)
            province_id = user.province_id
            if user.commune_id:
                self.initial.setdefault("commune", user.commune_id)
        if province_id:
            self.fields["commune"].queryset = Commune.objects.filter(province_id=province_id)
        narrow_legacy_fields(self)
        for _name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)
        self.fields["confirm_not_duplicate"].widget.attrs["col"] = "col-12"
        self.fields["province"].widget.attrs.update(
            {"hx-get": "/registry/communes/", "hx-target": "#id_commune", "hx-trigger": "change"}
        )
        dup_attrs = {
            "hx-get": "/registry/establishments/duplicates/",
            "hx-target": "#duplicates",
            "hx-trigger": "change, keyup changed delay:600ms",
            "hx-include": "[name=province],[name=commune]",
        }
        if self.instance.pk:
            dup_attrs["hx-vals"] = f'{{"exclude": "{self.instance.pk}"}}'
        self.fields["name"].widget.attrs.update(dup_attrs)


class ProductForm(ServiceChecksUniqueMixin, policy.ModelForm):
    class Meta:
        model = Product
        fields = ["code", "establishment", "name", "group", "is_set", "description", "photo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4, "col": "col-12"})}

    def __init__(self, *args, establishments=None, self_service=False, **kwargs):
        super().__init__(*args, **kwargs)
        if establishments is not None:
            self.fields["establishment"].queryset = establishments
        if self_service:
            for name in ["code", "establishment", "name", "group", "is_set"]:
                self.fields[name].disabled = True
        self.fields["photo"].widget.attrs["accept"] = "image/png,image/jpeg"
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)


class CertificationForm(policy.ModelForm):
    class Meta:
        model = ProductCertification
        fields = ["kind", "name", "number", "issuer", "valid_from", "valid_until"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # OCOP stars are recorded as an OCOP rating (its own form, with the decision and validity)
        self.fields["kind"].choices = [
            (value, label) for value, label in self.fields["kind"].choices if value != CertificationKind.OCOP
        ]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
            field.widget.attrs.setdefault("col", "col-md-4")


class OcopRatingForm(policy.ModelForm):
    """An OCOP rating as the decision states it; the level and the end of validity follow when left empty."""

    class Meta:
        model = OcopRating
        fields = ["stars", "level", "score", "decision_no", "decision_date", "valid_until"]
        widgets = {
            "stars": forms.Select(choices=[("", "—")] + [(n, "★" * n) for n in range(1, 6)]),
            "decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "level": _("Empty: the province for 1 to 4 stars, the central level for 5 stars"),
            "valid_until": _("Empty: 36 months from the decision"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].required = False
        self.fields["valid_until"].required = False
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
            field.widget.attrs.setdefault("col", "col-md-4")

    def validate_constraints(self, exclude=None):
        """The service checks the rules with their messages (level and validity are filled there first)."""


class PhotoForm(policy.Form):
    image = forms.ImageField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "image/png,image/jpeg"}),
    )
    caption = forms.CharField(
        label=_("Caption"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _style(form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if isinstance(field.widget, forms.CheckboxInput):
            css = "form-check-input"
        field.widget.attrs.setdefault("class", css)


class BeneficiaryFilterForm(policy.Form):
    q = forms.CharField(label=_("Search"), required=False)
    province = forms.ModelChoiceField(
        label=_("Province"), required=False, queryset=Province.objects.all(), empty_label=_("All provinces")
    )
    title = forms.ChoiceField(
        label=_("Artisan's title"), required=False, choices=[("", _("All titles"))] + ArtisanTitle.choices
    )
    archived = forms.BooleanField(label=_("Archived"), required=False)


class _PlacedForm(policy.ModelForm):
    """Province and commune (communes of the chosen province), fixed to a commune officer's commune."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = self.data.get("province") or (self.instance.province_id if self.instance.pk else None)
        if user is not None and user.province_id and not self.instance.pk and not self.data:
            self.initial.setdefault("province", user.province_id)
            province_id = user.province_id
            if user.commune_id:
                self.initial.setdefault("commune", user.commune_id)
        self.fields["commune"].queryset = (
            Commune.objects.filter(province_id=province_id) if province_id else Commune.objects.none()
        )
        self.fields["province"].widget.attrs.update(
            {"hx-get": "/registry/communes/", "hx-target": "#id_commune", "hx-trigger": "change"}
        )
        _style(self)

    def validate_unique(self):
        pass  # the service names the record already holding the code


class CraftVillageForm(_PlacedForm):
    class Meta:
        model = CraftVillage
        fields = [
            "code",
            "name",
            "trade",
            "recognition_no",
            "recognition_date",
            "recognised_by",
            "households",
            "workers",
            "province",
            "commune",
            "address",
            "establishments",
            "description",
        ]
        widgets = {
            "recognition_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
            "establishments": forms.SelectMultiple(attrs={"size": 6, "col": "col-12"}),
        }

    def __init__(self, *args, establishments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if establishments is not None:
            self.fields["establishments"].queryset = establishments
        self.fields["establishments"].help_text = _(
            "The establishments working in the village (hold Ctrl to pick several)."
        )


class ArtisanForm(_PlacedForm):
    class Meta:
        model = Artisan
        fields = [
            "code",
            "name",
            "title",
            "title_year",
            "trade",
            "birth_year",
            "province",
            "commune",
            "establishment",
            "craft_village",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "col": "col-12"})}

    def __init__(self, *args, establishments=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if establishments is not None:
            self.fields["establishment"].queryset = establishments
        if villages is not None:
            self.fields["craft_village"].queryset = villages


class EvidenceForm(policy.Form):
    file = forms.FileField(
        label=_("Document"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
    note = forms.CharField(
        label=_("What it shows"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

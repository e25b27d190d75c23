from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import permissions
from khuyencong.accounts.selectors import council_candidates
from khuyencong.core import forms as policy
from khuyencong.geo.forms import narrow_legacy_fields
from khuyencong.registry.models import ProductGroup

from .models import (
    ConflictKind,
    CouncilRole,
    DocumentKind,
    Dossier,
    Level,
    NominationBatch,
    Round,
    RubricVersion,
)


def _style(form):
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(w, forms.CheckboxSelectMultiple):
            css = ""
        elif isinstance(w, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if css:
            w.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundForm(policy.ModelForm):
    product_groups = forms.MultipleChoiceField(
        label=_("Product groups admitted"),
        choices=ProductGroup.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"col": "col-12"}),
    )

    class Meta:
        model = Round
        fields = [
            "code",
            "title",
            "year",
            "level",
            "province",
            "commune",
            "region",
            "legacy_province",
            "legacy_district",
            "is_historical",
            "rubric",
            "product_groups",
            "registration_opens",
            "registration_closes",
            "scoring_opens",
            "scoring_closes",
            "decision_due",
            "pass_mark",
            "quota",
            "two_stage",
            "grades_prizes",
            "advance_prizes",
            "certificate_validity_months",
            "min_sheets",
            "appeal_days",
            "outlier_threshold",
        ]
        widgets = {
            f: DateInput()
            for f in [
                "registration_opens",
                "registration_closes",
                "scoring_opens",
                "scoring_closes",
                "decision_due",
            ]
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["col"] = "col-12"
        # left empty: the model's default (a diagnostic setting, never a reason to refuse the round)
        self.fields["outlier_threshold"].required = False
        self.fields["rubric"].queryset = RubricVersion.objects.all()
        if not self.instance.pk:
            self.initial.setdefault("product_groups", [value for value, _label in ProductGroup.choices])
            from django.utils import timezone

            from .selectors import rule_set_in_force
            from .services import RULE_DEFAULTS

            rules = rule_set_in_force(timezone.localdate())
            for name, rule_field in RULE_DEFAULTS.items() if rules else ():
                if name in self.fields:
                    self.initial.setdefault(name, getattr(rules, rule_field))
            latest = RubricVersion.objects.order_by("-effective_from").first()
            if latest:
                self.initial.setdefault("rubric", latest.pk)
        communes = self.fields["commune"].queryset.select_related("province")
        if user is not None and not permissions.chooses_any_round_level(user):
            self.fields["level"].choices = [
                (value, label) for value, label in Level.choices if permissions.opens_round_level(user, value)
            ]
            if not self.instance.pk:
                self.initial.setdefault("province", user.province_id)
            if permissions.place_is_fixed_to_commune(user):
                communes = communes.filter(pk=user.commune_id)
                if not self.instance.pk:
                    self.initial.setdefault("commune", user.commune_id)
                    self.initial.setdefault("level", Level.COMMUNE)
            elif user.province_id:
                communes = communes.filter(province_id=user.province_id)
        self.fields["commune"].queryset = communes
        self.fields["commune"].help_text = _("Commune rounds only")
        narrow_legacy_fields(self)
        _style(self)

    def clean_outlier_threshold(self):
        value = self.cleaned_data.get("outlier_threshold")
        return value if value is not None else Round._meta.get_field("outlier_threshold").default


class DossierForm(policy.ModelForm):
    class Meta:
        model = Dossier
        fields = ["summary", "annual_revenue", "annual_output", "markets", "workers"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "col": "col-12"}),
            "markets": forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
        }

    def __init__(self, *args, products=None, checks_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        if products is not None:
            attrs = {"col": "col-12"}
            if checks_url:
                # choosing a product refreshes its eligibility checks and fills the dossier from its previous
                # dossier and the registry, in place (what was typed is kept)
                attrs.update(
                    {
                        "hx-get": checks_url,
                        "hx-trigger": "change",
                        "hx-include": "closest form",
                        "hx-target": "#dossier-area",
                        "hx-select": "#dossier-area",
                        "hx-swap": "outerHTML",
                    }
                )
            self.fields = {
                "product": forms.ModelChoiceField(
                    label=_("Product"), queryset=products, widget=forms.Select(attrs=attrs)
                ),
                **self.fields,
            }
        self.fields["summary"].required = True
        _style(self)


class DocumentForm(policy.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPG, PNG, DOCX or XLSX, at most 10 MB"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
        _style(self)


class ScreeningForm(policy.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("eligible", _("Eligible")),
            ("returned", _("Return for completion")),
            ("rejected", _("Reject")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Note to the establishment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["class"] = "form-control"


class CouncilMemberForm(policy.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("Role in the council"), choices=CouncilRole.choices)

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        if round_ is not None:
            qs = council_candidates(round_).exclude(council_seats__round=round_).order_by("last_name")
            self.fields["user"].queryset = qs
        self.fields["user"].label_from_instance = lambda u: f"{u} · {u.organisation or u.get_role_display()}"
        # A council has one chair: once seated, new people are proposed as members.
        if round_ is not None and round_.council.filter(role=CouncilRole.CHAIR).exists():
            self.fields["role"].initial = CouncilRole.MEMBER
        _style(self)


class ConflictForm(policy.Form):
    kind = forms.ChoiceField(
        label=_("Kind of conflict"),
        choices=ConflictKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_(
            "Either kind keeps you from scoring this dossier; the kind goes into the council's minutes."
        ),
    )
    reason = forms.CharField(
        label=_("Conflict of interest"),
        max_length=300,
        help_text=_("e.g. a relative works at the establishment"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AppealForm(policy.Form):
    grounds = forms.CharField(
        label=_("Grounds of the appeal"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("What is contested (a score, a criterion, the screening) and why"),
    )


class AppealAnswerForm(policy.Form):
    decision = forms.ChoiceField(
        label=_("The council's answer"),
        choices=[("dismiss", _("Dismiss")), ("uphold", _("Uphold (re-open the round)"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("As the council decided it; sent to the establishment"),
    )


class ReasonForm(policy.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class DecisionForm(policy.Form):
    decision_no = forms.CharField(label=_("Decision number"), max_length=100)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    signer = forms.CharField(label=_("Signed by"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class HistoricalResultForm(policy.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    score = forms.DecimalField(label=_("Score"), required=False, max_digits=6, decimal_places=2)
    certified = forms.BooleanField(label=_("Certified"), required=False)
    prize = forms.ChoiceField(
        label=_("Prize"), required=False, choices=[("", "—"), ("A", "A"), ("B", "B"), ("C", "C")]
    )
    certificate_no = forms.CharField(label=_("Certificate number"), required=False)
    decision_no = forms.CharField(label=_("Decision number"), required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        _style(self)


class VisitForm(policy.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    visitors = forms.CharField(
        label=_("Visited by"),
        max_length=300,
        help_text=_("Names of the council members or officers who went"),
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(
        label=_("Photo or document (optional)"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX or XLSX, at most 10 MB"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"id_visit_{name}")
        _style(self)


class ScoreSheetForm(forms.Form):
    """The score form's fields, one per criterion, so the service's refusals land beside the criterion they name."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"c_{c.pk}"] = forms.CharField(required=False)


class BatchLetterForm(policy.ModelForm):
    """The people's committee's letter that sends a province's nominations: number, date, signed PDF."""

    letter = forms.FileField(
        label=_("Signed letter (PDF)"),
        required=False,
        help_text=_("The letter as signed by the people's committee; a new file replaces the earlier one"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = NominationBatch
        fields = ["letter_no", "letter_date"]
        widgets = {"letter_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter_no"].help_text = _("e.g. 1234/UBND-KT")
        _style(self)


class BatchReturnForm(policy.Form):
    note = forms.CharField(
        label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

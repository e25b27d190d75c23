from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import permissions
from khuyencong.core import forms as policy
from khuyencong.core.money import MoneyError, group_digits, parse_vnd
from khuyencong.geo.models import Commune, Province
from khuyencong.registry.models import Artisan, CraftVillage, Establishment

from .models import Activity, DocumentKind, Plan, Programme, Project, ProjectStatus, Regulation


class VNDField(forms.CharField):
    """Whole đồng, typed as 300000000, 300.000.000 or 300 000 000."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "form-control"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return group_digits(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_vnd(value)
        except MoneyError as exc:
            raise forms.ValidationError(
                _("“%(value)s” is not an amount of đồng (%(reason)s); type it like 300.000.000."),
                params={"value": value, "reason": exc},
            ) from exc


def _style(form):
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField) and field.min_value == 0:
            # Django's own Vietnamese reads "lớn hơn hoặc bằng với 0 ." — say it plainly
            field.error_messages["min_value"] = _("The number cannot be negative.")
        w = field.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.Select):
            w.attrs.setdefault("class", "form-select")
        else:
            w.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


STATUS_FILTER = [
    ("", _("All statuses")),
    ("running", _("Running (approved, not settled)")),
] + ProjectStatus.choices


class ProjectFilterForm(policy.Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_FILTER)
    programme = forms.ChoiceField(
        label=_("Programme"), required=False, choices=[("", _("Both programmes"))] + Programme.choices
    )
    activity = forms.ChoiceField(
        label=_("Activity"), required=False, choices=[("", _("All activities"))] + Activity.choices
    )


class ProjectForm(policy.ModelForm):
    total_cost = VNDField(label=_("Total cost (VND)"), required=False)
    support_requested = VNDField(label=_("Support requested (VND)"), required=False)
    counterpart = VNDField(label=_("Counterpart investment (VND)"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"})
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "year",
            "title",
            "programme",
            "activity",
            "establishment",
            "craft_village",
            "artisan",
            "province",
            "commune",
            "total_cost",
            "support_requested",
            "counterpart",
            "expected_jobs",
            "technology_line",
            "local_materials",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
            "title": forms.TextInput(attrs={"col": "col-12"}),
        }

    def __init__(
        self, *args, user=None, establishments=None, villages=None, artisans=None, place_url=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.all()
        self.fields["establishment"].queryset = (
            establishments if establishments is not None else Establishment.objects.none()
        )
        self.fields["establishment"].required = False
        # Decree 235/2025/NĐ-CP: a craft village or an artisan may be the beneficiary instead (one of the three)
        self.fields["craft_village"].queryset = (
            villages if villages is not None else CraftVillage.objects.none()
        )
        self.fields["artisan"].queryset = artisans if artisans is not None else Artisan.objects.none()
        self.fields["craft_village"].help_text = _(
            "Instead of an establishment, when the village is the beneficiary."
        )
        self.fields["artisan"].help_text = _(
            "Instead of an establishment, when the artisan is the beneficiary."
        )
        self.fields["commune"].queryset = Commune.objects.none()
        province_id = (
            self.data.get("province")
            or self.initial.get("province")
            or (self.instance.province_id if self.instance.pk else None)
        )
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)
            if user is not None and user.province_id:
                self.initial.setdefault("province", user.province_id)
                province_id = province_id or user.province_id
                if user.commune_id:
                    self.initial.setdefault("commune", user.commune_id)
        if province_id:
            self.fields["commune"].queryset = Commune.objects.filter(province_id=province_id)
        if user is not None and permissions.place_is_fixed_to_commune(user):
            # a commune officer proposes for their own commune: the place is theirs, not a choice
            self.fields["province"].disabled = True
            self.fields["commune"].disabled = True
            self.fields["commune"].queryset = Commune.objects.filter(pk=user.commune_id)
        self.fields["code"].help_text = _("e.g. DA-2026-010")
        _style(self)
        self.fields["province"].widget.attrs.update(
            {"hx-get": "/registry/communes/", "hx-target": "#id_commune", "hx-trigger": "change"}
        )
        if place_url and not self.fields["commune"].disabled:
            # choosing the beneficiary fills the project's place with the establishment's: only the province
            # and commune pickers are swapped, so whatever is typed while the answer comes back stays
            self.fields["establishment"].widget.attrs.update(
                {
                    "hx-get": place_url,
                    "hx-trigger": "change",
                    "hx-include": "closest form",
                    "hx-target": "#id_commune",
                    "hx-select": "#id_commune",
                    "hx-select-oob": "#id_province",
                    "hx-swap": "outerHTML",
                }
            )

    def clean_counterpart(self):
        return self.cleaned_data.get("counterpart") or 0


class PlanForm(policy.ModelForm):
    national_budget = VNDField(label=_("National programme budget (VND)"))
    local_budget = VNDField(label=_("Local programme budget (VND)"))

    class Meta:
        model = Plan
        fields = [
            "province",
            "year",
            "title",
            "national_budget",
            "local_budget",
            "decision_no",
            "decision_date",
            "notes",
        ]
        widgets = {"decision_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2, "col": "col-12"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.province_id and not self.instance.pk:
            self.initial.setdefault("province", user.province_id)
            self.initial.setdefault("year", timezone.localdate().year)
        if self.instance.pk:
            self.fields["province"].disabled = True
            self.fields["year"].disabled = True
        _style(self)

    def validate_unique(self):
        pass  # the service says which province and year already have a plan


class PlanLineForm(policy.Form):
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    amount = VNDField(label=_("Budget (VND)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AppraiseForm(policy.Form):
    amount = VNDField(label=_("Support proposed at appraisal (VND)"))
    note = forms.CharField(
        label=_("Appraisal note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"})
    )

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = []
        if scheme is not None:
            for c in scheme.criteria.filter(kind="check"):
                name = f"check_{c.pk}"
                self.fields[name] = forms.BooleanField(
                    label=c.label, required=False, widget=forms.CheckboxInput(attrs={"col": "col-12"})
                )
                self.checks.append((str(c.pk), name))
        self.order_fields([name for _pk, name in self.checks] + ["amount", "note"])
        _style(self)

    def checklist(self) -> dict:
        return {pk: bool(self.cleaned_data.get(name)) for pk, name in self.checks}


class ApproveForm(policy.Form):
    decision_no = forms.CharField(label=_("Decision number"), max_length=100)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    amount = VNDField(label=_("Support approved (VND)"))
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ContractForm(policy.Form):
    contract_no = forms.CharField(label=_("Contract number"), max_length=100)
    contract_date = forms.DateField(label=_("Contract date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput(attrs={"col": "col-12"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class StartForm(policy.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput(attrs={"col": "col-12"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AcceptForm(policy.Form):
    acceptance_record = forms.CharField(label=_("Acceptance record"), max_length=200)
    acceptance_date = forms.DateField(label=_("Acceptance date"), widget=DateInput())
    jobs = forms.IntegerField(
        label=_("Jobs created"), min_value=0, required=False, widget=forms.NumberInput(attrs={"col": "col-6"})
    )
    machines = forms.IntegerField(
        label=_("Machines applied"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"col": "col-6"}),
    )
    trainees = forms.IntegerField(
        label=_("People trained"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"col": "col-6"}),
    )
    products_developed = forms.IntegerField(
        label=_("Products developed"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"col": "col-6"}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput(attrs={"col": "col-12"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SettleForm(policy.Form):
    amount = VNDField(label=_("Support settled (VND)"))
    settled_date = forms.DateField(label=_("Settlement date"), widget=DateInput())
    final_reference = forms.CharField(
        label=_("Final payment order (reference)"),
        required=False,
        max_length=100,
        help_text=_("The settlement closes with the final payment: the settled amount less what was paid."),
    )
    final_paid_on = forms.DateField(
        label=_("Final payment date"),
        required=False,
        widget=DateInput(),
        help_text=_("The settlement date if blank."),
    )
    budget_chapter = forms.CharField(label=_("Chapter (chương)"), max_length=3)
    budget_type = forms.CharField(label=_("Type (loại)"), max_length=3)
    budget_item = forms.CharField(label=_("Item (khoản)"), max_length=3)
    budget_section = forms.CharField(label=_("Section (mục)"), max_length=4)
    budget_subsection = forms.CharField(label=_("Sub-section (tiểu mục)"), max_length=4)
    reason = forms.CharField(
        label=_("Reason, if above the approved amount"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CancelForm(policy.Form):
    reason = forms.CharField(
        label=_("Reason for cancellation"), widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _narrow(form_class):
    """Action forms sit in the narrow side column: one field per row (two for small numbers)."""
    original = form_class.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("col", "col-12")

    form_class.__init__ = __init__
    return form_class


for _form in (AppraiseForm, ApproveForm, ContractForm, StartForm, AcceptForm, SettleForm, CancelForm):
    _narrow(_form)

ACTION_FORMS = {
    "appraise": AppraiseForm,
    "approve": ApproveForm,
    "contract": ContractForm,
    "start": StartForm,
    "accept": AcceptForm,
    "settle": SettleForm,
    "cancel": CancelForm,
}


class DisbursementForm(policy.Form):
    amount = VNDField(label=_("Amount (VND)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    reference = forms.CharField(label=_("Payment reference"), required=False, max_length=100)
    progress_percent = forms.DecimalField(
        label=_("Work done (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_(
            "Needed for an advance the rule allows only past a share of the work (cluster infrastructure)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DocumentForm(policy.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, image, Word or Excel; at most 10 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"


class ResolutionForm(policy.ModelForm):
    """A province's People's Council resolution: its number, dates and the ceilings it sets per activity
    (a share of the cost and/or an amount in đồng; an activity left empty follows the national circular)."""

    class Meta:
        model = Regulation
        fields = ["province", "number", "title", "issued_on", "effective_from", "notes"]
        widgets = {
            "issued_on": DateInput(),
            "effective_from": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].required = True
        self.fields["province"].help_text = _("The province whose People's Council issued the resolution.")
        self.fields["province"].queryset = Province.objects.order_by("name")
        if user is not None and user.province_id and not self.instance.pk:
            self.initial.setdefault("province", user.province_id)
        if self.instance.pk:
            self.fields["province"].disabled = True
        existing = {r.activity: r for r in self.instance.ceilings.all()} if self.instance.pk else {}
        for activity, label in Activity.choices:
            rule = existing.get(activity)
            self.fields[f"share_{activity}"] = forms.DecimalField(
                label=_("%(activity)s: share of the cost (%%)") % {"activity": label},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=rule.max_share_percent if rule else None,
                widget=forms.NumberInput(
                    attrs={
                        "aria-label": _("%(activity)s: share of the cost (%%)") % {"activity": label},
                        "step": "0.01",
                    }
                ),
            )
            self.fields[f"cap_{activity}"] = VNDField(
                label=_("%(activity)s: at most (VND)") % {"activity": label},
                required=False,
                initial=rule.max_amount if rule else None,
            )
            self.fields[f"cap_{activity}"].widget.attrs["aria-label"] = self.fields[f"cap_{activity}"].label
        _style(self)

    def validate_unique(self):
        pass  # the service says which number is already recorded

    def clean(self):
        data = super().clean()
        issued, since = data.get("issued_on"), data.get("effective_from")
        if issued and since and since < issued:
            # said here with the date, before the model's constraint would say it without
            self.add_error(
                "effective_from",
                _("A resolution cannot be in force before it is issued (%(issued)s).")
                % {"issued": issued.strftime("%d/%m/%Y")},
            )
        return data

    def ceiling_rows(self):
        """(activity label, share field, amount field) for the template's table."""
        return [(label, self[f"share_{a}"], self[f"cap_{a}"]) for a, label in Activity.choices]

    def ceilings(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "activity": a,
                "max_share_percent": data.get(f"share_{a}"),
                "max_amount": data.get(f"cap_{a}"),
                "per_establishment_year": a == "machinery",
            }
            for a in Activity.values
        ]


class BudgetForm(policy.ModelForm):
    """The project's budget classification (mục lục ngân sách)."""

    class Meta:
        model = Project
        fields = list(Project.BUDGET_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

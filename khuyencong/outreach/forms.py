from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import permissions
from khuyencong.accounts.selectors import trainees_of_province
from khuyencong.core import forms as policy
from khuyencong.core.money import MoneyError, parse_vnd
from khuyencong.geo.models import Commune, Province
from khuyencong.programme.models import Activity, Project
from khuyencong.registry.models import Establishment, Product

from .models import (
    Event,
    EventKind,
    EventScope,
    Outcome,
    Question,
    QuestionKind,
    Survey,
    Training,
    TrainingParticipant,
)

DATE = {"type": "date"}


def add_province_choice(form, user) -> None:
    """Admins have no province of their own: they say which province organises the record."""
    if user is not None and not form.instance.pk and not user.province_id:
        form.fields = {
            "province": forms.ModelChoiceField(
                label=_("Organising province"), queryset=Province.objects.all()
            ),
            **form.fields,
        }


def style(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class VNDField(forms.CharField):
    """Integer đồng typed the Vietnamese way (4.550.000.000), or plain digits."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        if value.strip().startswith("-"):
            raise forms.ValidationError(_("The value cannot be negative."))
        try:
            return parse_vnd(value)
        except MoneyError:
            raise forms.ValidationError(_("Type a whole number of đồng, e.g. 250.000.000.")) from None


class EventFilterForm(policy.Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + EventKind.choices
    )
    scope = forms.ChoiceField(
        label=_("Where"), required=False, choices=[("", _("Anywhere"))] + EventScope.choices
    )
    host_province = forms.ModelChoiceField(
        label=_("Held in province"),
        required=False,
        queryset=Province.objects.all(),
        empty_label=_("All provinces"),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
        style(self)


class EventForm(policy.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "start_date",
            "end_date",
            "scope",
            "host_province",
            "country",
            "venue",
            "organiser",
            "project",
            "booths_supported",
            "buyers_met",
            "description",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs=DATE),
            "end_date": forms.DateInput(attrs=DATE),
            "description": forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
            "title": forms.TextInput(attrs={"col": "col-12"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = self.instance.province_id if self.instance.pk else getattr(user, "province_id", None)
        if not self.instance.pk:
            self.instance.province_id = province_id  # the model's own checks compare with it
        projects = Project.objects.filter(archived_at__isnull=True)
        if province_id:
            projects = projects.filter(province_id=province_id)
        self.fields["project"].queryset = projects.order_by("-year", "code")
        self.fields["project"].label_from_instance = lambda p: f"{p.code} · {p.title}"
        for name in ("booths_supported", "buyers_met"):
            self.fields[name].widget.attrs["min"] = 0
            self.fields[name].error_messages["min_value"] = _("The number cannot be negative.")
        add_province_choice(self, user)
        style(self)

    def clean(self):
        data = super().clean()
        if data.get("province"):
            self.instance.province = data["province"]
        return data


class ParticipantForm(policy.Form):
    establishment = forms.ModelChoiceField(label=_("Establishment"), queryset=Establishment.objects.none())
    products = forms.ModelMultipleChoiceField(
        label=_("Products shown"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"col": "col-12"}),
    )
    booth_supported = forms.BooleanField(label=_("Booth supported"), required=False)

    def __init__(self, *args, establishments=None, products_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        # only the chosen establishment's products are offered: choosing it fetches them (htmx)
        chosen = self.data.get("establishment") or self.initial.get("establishment")
        chosen = getattr(chosen, "pk", chosen)
        products = Product.objects.none()
        if chosen and str(chosen).isdigit() and establishments.filter(pk=chosen).exists():
            products = Product.objects.filter(establishment_id=chosen, archived_at__isnull=True)
        self.fields["products"].queryset = products.order_by("name")
        self.fields["products"].help_text = (
            _("Tick the products the establishment shows.")
            if chosen
            else _("Choose the establishment first: its products appear here.")
        )
        if products_url:
            self.fields["establishment"].widget.attrs.update(
                {
                    "hx-get": products_url,
                    "hx-trigger": "change",
                    "hx-target": "#participant-products",
                    "hx-swap": "innerHTML",
                }
            )
        style(self)


class InterestForm(policy.Form):
    products = forms.ModelMultipleChoiceField(
        label=_("Products you will show"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note for the organiser"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, establishment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.filter(
            establishment=establishment, archived_at__isnull=True
        )
        style(self)


class OutcomeForm(policy.ModelForm):
    value = VNDField(label=_("Value (VND)"), required=False)

    class Meta:
        model = Outcome
        fields = ["establishment", "kind", "partner", "partner_province", "value", "signed_on", "note"]
        widgets = {"signed_on": forms.DateInput(attrs=DATE)}

    def __init__(self, *args, establishments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if establishments is not None:
            self.fields["establishment"].queryset = establishments
        style(self)


class TrainingForm(policy.ModelForm):
    class Meta:
        model = Training
        fields = [
            "topic",
            "audience",
            "start_date",
            "end_date",
            "commune",
            "venue",
            "trainer",
            "project",
            "evaluation",
            "description",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs=DATE),
            "end_date": forms.DateInput(attrs=DATE),
            "topic": forms.TextInput(attrs={"col": "col-12"}),
            "evaluation": forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
            "description": forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = self.instance.province_id if self.instance.pk else getattr(user, "province_id", None)
        self.fields["commune"].queryset = Commune.objects.filter(province_id=province_id).order_by(
            "short_name"
        )
        if user is not None and permissions.place_is_fixed_to_commune(user):
            self.fields["commune"].queryset = Commune.objects.filter(pk=user.commune_id)
            self.fields["commune"].required = True
            self.initial.setdefault("commune", user.commune_id)
        projects = Project.objects.filter(archived_at__isnull=True, province_id=province_id)
        self.fields["project"].queryset = projects.order_by("-year", "code")
        self.fields["project"].label_from_instance = lambda p: f"{p.code} · {p.title}"
        add_province_choice(self, user)
        style(self)


class TraineeForm(policy.ModelForm):
    class Meta:
        model = TrainingParticipant
        fields = ["user", "name", "role", "place", "establishment", "attended"]

    def __init__(self, *args, province_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = trainees_of_province(province_id).order_by("username")
        self.fields["user"].help_text = _("Or type the name, role and place of someone without an account")
        self.fields["establishment"].queryset = Establishment.objects.filter(
            province_id=province_id, archived_at__isnull=True
        )
        style(self)


class SurveyForm(policy.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "year", "commune", "closes_on", "intro"]
        widgets = {
            "closes_on": forms.DateInput(attrs=DATE),
            "title": forms.TextInput(attrs={"col": "col-12"}),
            "intro": forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
        }

    def __init__(self, *args, province_id=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(province_id=province_id).order_by(
            "short_name"
        )
        self.fields["commune"].empty_label = _("Every commune of the province")
        add_province_choice(self, user)
        style(self)


class QuestionForm(policy.ModelForm):
    activity = forms.ChoiceField(
        label=_("Programme activity it measures"), required=False, choices=[("", "—")] + Activity.choices
    )

    class Meta:
        model = Question
        fields = ["text", "kind", "choices", "required", "activity"]
        widgets = {
            "text": forms.TextInput(attrs={"col": "col-12"}),
            "choices": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = QuestionKind.choices
        self.fields["activity"].help_text = Question._meta.get_field("activity").help_text
        style(self)


class AnswerForm(policy.Form):
    """The survey as a form: one field per question, named q<id>."""

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        for q in survey.questions.all():
            name = f"q{q.pk}"
            if q.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(choices=[(o, o) for o in q.options], widget=forms.RadioSelect)
            elif q.kind == QuestionKind.MULTI:
                field = forms.MultipleChoiceField(
                    choices=[(o, o) for o in q.options], widget=forms.CheckboxSelectMultiple
                )
            elif q.kind == QuestionKind.NUMBER:
                field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
            field.label = q.text
            field.required = False  # the service says which answers are missing, in one message each
            field.widget.attrs["col"] = "col-12"
            field.is_required_question = q.required
            self.fields[name] = field
        style(self)

    def answers(self) -> dict:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core import forms as policy


class SummaryForm(policy.Form):
    province = forms.ChoiceField(label=_("Place"), required=False)
    from_year = forms.IntegerField(label=_("From year"), required=False, min_value=1990, max_value=2100)
    to_year = forms.IntegerField(label=_("To year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, data=None, *, user, **kwargs):
        if data is not None:
            data = data.copy()
            for short, field in (("from", "from_year"), ("to", "to_year")):
                if short in data and field not in data:
                    data[field] = data[short]
        super().__init__(data, **kwargs)
        from .views import province_choices

        self.fields["province"].choices = province_choices(user)
        self.fields["province"].widget.attrs["class"] = "form-select"
        for name in ("from_year", "to_year"):
            self.fields[name].widget.attrs.update(
                {
                    "class": "form-control",
                    "inputmode": "numeric",
                    "placeholder": "2016" if name == "from_year" else "2023",
                }
            )

    def clean(self):
        data = super().clean()
        a, b = data.get("from_year"), data.get("to_year")
        if a and b and a > b:
            raise forms.ValidationError(_("The first year is after the last year."))
        return data

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core import forms as policy

from .columns import KINDS, kind_label


class UploadForm(policy.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=())
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, kind_label(k)) for k in KINDS]
        self.fields["kind"].widget.attrs["class"] = "form-select"

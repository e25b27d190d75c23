from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Signatory


class SignedUploadForm(forms.Form):
    file = forms.FileField(label=_("The signed PDF"))


class VerifyPdfForm(forms.Form):
    file = forms.FileField(label=_("The PDF you hold"), required=False)
    sha256 = forms.CharField(label=_("or its SHA-256 fingerprint"), required=False, max_length=80)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("sha256") or "").strip():
            raise forms.ValidationError(_("Choose the PDF file, or paste its SHA-256 fingerprint."))
        return data


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = [
            "superior_body",
            "issuing_body",
            "symbol",
            "place_name",
            "decider",
            "authority",
            "title",
            "name",
            "recipients",
            "legal_basis",
        ]
        # what these hold is printed on a Vietnamese document, whatever the page's language: marked so (spelling,
        # screen readers)
        widgets = {
            "superior_body": forms.Textarea(attrs={"rows": 2, "lang": "vi"}),
            "issuing_body": forms.Textarea(attrs={"rows": 2, "lang": "vi"}),
            "symbol": forms.TextInput(attrs={"lang": "vi"}),
            "place_name": forms.TextInput(attrs={"lang": "vi"}),
            "decider": forms.TextInput(attrs={"lang": "vi"}),
            "authority": forms.TextInput(attrs={"lang": "vi"}),
            "title": forms.TextInput(attrs={"lang": "vi"}),
            "recipients": forms.Textarea(attrs={"rows": 4, "lang": "vi"}),
            "legal_basis": forms.Textarea(attrs={"rows": 3, "lang": "vi"}),
        }
        help_texts = {
            "symbol": _("QĐ-UBND for a people's committee's decision, BC-SCT for a department's report."),
            "superior_body": _(
                "Line breaks are kept: “ỦY BAN NHÂN DÂN” on one line, “TỈNH CÀ MAU” on the next."
            ),
            "decider": _("The title line above the legal basis: “CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CÀ MAU”."),
            "authority": _("“TM. ỦY BAN NHÂN DÂN”, “KT. CHỦ TỊCH”; empty when the head signs."),
            "legal_basis": _("Empty: the texts in force on the decision's date."),
        }

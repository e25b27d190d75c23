from django import forms
from django.utils.translation import gettext_lazy as _


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

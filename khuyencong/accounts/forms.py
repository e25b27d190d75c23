from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from khuyencong.core import forms as policy
from khuyencong.core.links import site_origin

from .tasks import send_password_reset


class BootstrapMixin:
    """Bootstrap classes on Django's auth forms, one field per row (the forms sit in a narrow card)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs.setdefault("col", "col-12")


class PasswordResetRequestForm(BootstrapMixin, PasswordResetForm):
    """Django's reset form, mailing through a task after commit instead of inside the request.

    The page answers the same whether or not an account has the address (no way to learn who has
    an account here); only active users with a usable password get a mail.
    """

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def save(self, request=None, **kwargs):
        base_url = site_origin(request)
        language = translation.get_language() or "vi"
        for user in self.get_users(self.cleaned_data["email"]):
            transaction.on_commit(lambda pk=user.pk: send_password_reset.enqueue(pk, base_url, language))


class NewPasswordForm(BootstrapMixin, SetPasswordForm):
    pass


class ChangePasswordForm(BootstrapMixin, PasswordChangeForm):
    pass


class CodeForm(policy.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg font-monospace",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "col": "col-12",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )

    def __init__(self, *args, numeric=False, **kwargs):
        super().__init__(*args, **kwargs)
        if numeric:
            self.fields["token"].widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
            self.fields["token"].help_text = _("The 6 digits your authenticator app shows now.")
        else:
            self.fields["token"].help_text = _(
                "The 6 digits your authenticator app shows now, or one of your recovery codes."
            )

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from khuyencong.core.text import CODE_FIELDS, TextRefused, check_ascii_digits, clean_text

_NUMERIC = (
    forms.IntegerField,
    forms.DecimalField,
    forms.FloatField,
    forms.DateField,
    forms.DateTimeField,
    forms.TimeField,
    forms.ModelChoiceField,
)


def _is_numeric(field) -> bool:
    # the VND fields are CharFields that parse money: only the digits 0-9 there too
    return isinstance(field, _NUMERIC) or type(field).__name__ == "VNDField"


def apply_text_policy(name: str, field, value):
    """What the text policy (khuyencong.core.text) makes of a form field's raw value; TextRefused says why not."""
    if isinstance(value, list | tuple):
        return type(value)(apply_text_policy(name, field, v) for v in value)
    if not isinstance(value, str) or isinstance(field, forms.FileField):
        return value
    if _is_numeric(field):
        check_ascii_digits(value)
        return value
    if isinstance(field, forms.CharField) and not getattr(field, "strip", True):
        return value  # passwords: kept exactly as typed
    multiline = isinstance(field.widget, forms.Textarea)
    value = clean_text(value, multiline=multiline, max_length=getattr(field, "max_length", None))
    if name in CODE_FIELDS and isinstance(field, forms.CharField):
        value = "".join(value.split()).upper()
    return value


class TextPolicyMixin:
    """Every field of the form goes through the text policy before its own cleaning: NFC, stripped,
    control / direction / zero-width characters refused on the field, codes in their canonical form,
    numbers in the digits 0-9. Forms of the project inherit `Form` / `ModelForm` below."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.clean = _policy_clean(name, field, field.clean)


def _policy_clean(name, field, clean):
    def policy_clean(value, *args):  # FileField.clean takes (data, initial)
        try:
            value = apply_text_policy(name, field, value)
        except TextRefused as exc:
            raise ValidationError(str(exc), code="text_policy") from exc
        return clean(value, *args)

    return policy_clean


class Form(TextPolicyMixin, forms.Form):
    pass


class ModelForm(TextPolicyMixin, forms.ModelForm):
    """Also carries, when editing, the version of the record it was read at (a hidden `version` field):
    the service refuses the save if someone else changed the record since (core.concurrency)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from khuyencong.core.concurrency import version_of

        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and version_of(instance):
            self.fields["version"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=version_of(instance)
            )


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the named fields, or at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def flash_form_errors(request, form, *, labels: bool = True) -> None:
    """A form posted from a page that redirects: its errors become flash messages ("Label: message", or the
    message alone with `labels=False`, for forms whose messages already say which field they are about)."""
    from django.contrib import messages

    for field, errors in form.errors.items():
        label = form.fields[field].label if labels and field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def run_service(request, form, call, success_message=None):
    """Call a service for a valid form; put its refusals on the form. Returns the result, or None if refused.

    The one place views turn a service's ValidationError / PermissionDenied into what the user reads.
    """
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied

    from khuyencong.core.concurrency import StaleEdit, differences

    try:
        result = call()
    except StaleEdit as exc:
        # both versions side by side; the form now carries the current version, so saving again keeps the
        # editor's values knowingly
        form.stale = {"who": exc.who, "when": exc.when, "rows": differences(form, exc.current)}
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = exc.version
        form.add_error(None, exc.messages[0])
        return None
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not do this."))
        return None
    if success_message:
        messages.success(request, success_message(result) if callable(success_message) else success_message)
    return result if result is not None else True


def run_action(request, call, success_message, *, refusals_as_messages=False):
    """A POST action that redirects: a service's ValidationError becomes error messages on the next page.

    PermissionDenied stays a 403 unless `refusals_as_messages`. Returns the result (True for None),
    or None when refused. With `success_message` None nothing is said when the call succeeds.
    """
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied

    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    except PermissionDenied as exc:
        if not refusals_as_messages:
            raise
        messages.error(request, str(exc) or _("You may not do this."))
        return None
    if success_message is not None:
        messages.success(request, success_message(result) if callable(success_message) else success_message)
    return result if result is not None else True


__all__ = [
    "Form",
    "ModelForm",
    "TextPolicyMixin",
    "add_service_errors",
    "flash_form_errors",
    "run_action",
    "run_service",
    "NON_FIELD_ERRORS",
]

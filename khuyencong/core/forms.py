from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _


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


def flash_form_errors(request, form) -> None:
    """A form posted from a page that redirects: its errors become flash messages ("Label: message")."""
    from django.contrib import messages

    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def run_service(request, form, call, success_message=None):
    """Call a service for a valid form; put its refusals on the form. Returns the result, or None if refused.

    The one place views turn a service's ValidationError / PermissionDenied into what the user reads.
    """
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied

    try:
        result = call()
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


__all__ = ["add_service_errors", "flash_form_errors", "run_action", "run_service", "NON_FIELD_ERRORS"]

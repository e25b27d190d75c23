"""No lost update: an edit carries the version of the record it was read at, and a stale one is refused.

The version is the record's `updated_at` (every edited model is `TimeStamped`), written exactly as
ISO 8601 with microseconds. Edit forms carry it in a hidden field (core.forms.ModelForm adds it), the API
as `ETag` on GET and `If-Match` on PATCH. Services check it under `select_for_update`, so two officers
saving the same project one after the other cannot silently undo each other: the second is told who
changed it and when, and sees both versions side by side.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def version_of(obj) -> str:
    stamp = getattr(obj, "updated_at", None)
    return stamp.isoformat() if stamp else ""


def etag_of(obj) -> str:
    return f'"{version_of(obj)}"'


def version_from_if_match(header: str | None) -> str | None:
    """The version an `If-Match: "<version>"` header names (W/ and quotes dropped), or None."""
    if not header:
        return None
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"') or None


def last_change(obj) -> tuple[str, object]:
    """Who (a name) changed `obj` last, and when, from its audit log."""
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp").first()
    actor = entry.actor if entry else None
    who = (actor.get_full_name() or actor.get_username()) if actor else _("someone")
    when = entry.timestamp if entry else getattr(obj, "updated_at", None)
    return who, when


class StaleEdit(ValidationError):
    """The record changed since the editor read it. `current` is the record as it is now."""

    def __init__(self, current, expected: str):
        self.current = current
        self.expected = expected
        self.version = version_of(current)
        self.who, self.when = last_change(current)
        when = timezone.localtime(self.when).strftime("%H:%M %d/%m/%Y") if self.when else "?"
        super().__init__(
            _(
                "Changed by %(who)s at %(when)s since you opened it: nothing was saved. Compare the two "
                "versions below; save again to keep yours."
            )
            % {"who": self.who, "when": when},
            code="stale",
        )


def check_version(obj, expected) -> None:
    """Refuse the edit if `expected` (the version it was read at) is not the record's version now.

    Callers that send no version (the import, which matches rows by code; the command line) are not checked.
    """
    if expected in (None, ""):
        return
    if str(expected) != version_of(obj):
        raise StaleEdit(obj, str(expected))


def differences(form, current) -> list[tuple[str, str, str]]:
    """(label, what the editor typed, what the record holds now) for each field that differs."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or field.disabled or not hasattr(current, name):
            continue
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else form.data.get(name)
        theirs = getattr(current, name)
        if hasattr(mine, "read"):  # a file just uploaded
            continue
        mine_text, theirs_text = _shown(mine), _shown(theirs)
        if mine_text != theirs_text:
            rows.append((str(field.label or name), mine_text, theirs_text))
    return rows


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "all") and callable(value.all):
        return ", ".join(str(v) for v in value.all())
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if hasattr(value, "name") and hasattr(value, "url"):  # a stored file
        return value.name.rsplit("/", 1)[-1]
    return str(value)

"""Helpers every area's services share."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _


def apply_fields(instance, data: dict, fields: list[str], *, empty_as_null=(), not_negative=()) -> dict:
    """Set the `fields` given in `data` on `instance`; return {field: (old, new)} of what changed.

    Text is stripped. A foreign key may be given as the object (`province`) or its id (`province_id`,
    as the CLI and the API send it). Fields in `empty_as_null` store an empty value as NULL (a unique
    tax code); fields in `not_negative` refuse a number below zero with the field's own label.
    """
    changes = {}
    for field in fields:
        if field in data:
            attr, value = field, data[field]
        elif f"{field}_id" in data and isinstance(instance._meta.get_field(field), models.ForeignKey):
            attr, value = f"{field}_id", data[f"{field}_id"]
        else:
            continue
        if isinstance(value, str):
            value = value.strip()
        if field in empty_as_null and not value:
            value = None
        if field in not_negative and value not in (None, "") and int(value) < 0:
            label = instance._meta.get_field(field).verbose_name
            raise ValidationError(
                {field: _("%(field)s cannot be negative.") % {"field": str(label).capitalize()}}
            )
        try:
            old = getattr(instance, attr)
        except ObjectDoesNotExist:  # an unset required foreign key
            old = None
        if old != value:
            changes[field] = (old, value)
            setattr(instance, attr, value)
    return changes

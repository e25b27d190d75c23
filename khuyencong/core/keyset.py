"""Keyset pagination: the rows after a given row in the list's own order (no OFFSET scan on deep pages)."""

import base64
import binascii
import datetime
import json

from django.db.models import Q, QuerySet


def keyset_after(qs: QuerySet, values: list) -> QuerySet:
    """Rows of `qs` (ordered by its `order_by` fields, the last one unique) strictly after the row with `values`."""
    fields = list(qs.query.order_by)
    if len(values) != len(fields):
        raise ValueError("the cursor does not match the list's order")
    condition = Q()
    for i, field in enumerate(fields):
        step = Q(**{f"{field.lstrip('-')}__{'lt' if field.startswith('-') else 'gt'}": values[i]})
        for prior, value in zip(fields[:i], values[:i], strict=False):
            step &= Q(**{prior.lstrip("-"): value})
        condition |= step
    return qs.filter(condition)


def cursor_values(qs: QuerySet, obj) -> list | None:
    """The ordering values of `obj` in `qs`, or None when the order cannot be a cursor (no order, related fields)."""
    fields = [f.lstrip("-") for f in qs.query.order_by]
    if not fields or any("__" in f or not isinstance(f, str) for f in fields):
        return None
    values = []
    for f in fields:
        value = (
            obj.pk
            if f == "pk"
            else getattr(obj, f"{f}_id", None)
            if hasattr(obj, f"{f}_id")
            else getattr(obj, f)
        )
        if isinstance(value, datetime.date):
            value = value.isoformat()
        values.append(value)
    return values


def encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise ValueError("not a cursor of this list") from exc
    if not isinstance(values, list):
        raise ValueError("not a cursor of this list")
    return values

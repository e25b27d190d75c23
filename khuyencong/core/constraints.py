"""Invariants held by the database, and the migration step that checks existing rows before adding them.

A rule a single row must satisfy (money ≥ 0, an end not before its start, stars 1–5) is written once
as a `CheckConstraint` in the model's `Meta.constraints`; Python validation stays for the clear
message, the constraint for every path that skips it (`.update()`, `bulk_create`, raw SQL, an import).

Adding a constraint to a table that already holds a violating row fails with the database's own
terse error. `check_rows(...)` goes before the `AddConstraint` in the migration and refuses with the
model, the rule and the first offending primary keys instead, so the operator knows what to fix.
"""

from django.db import migrations, models
from django.db.models import ExpressionWrapper, F, Q

SHOWN = 20


def not_negative(*fields: str) -> Q:
    """Every one of `fields` is ≥ 0 (NULL passes, as in SQL)."""
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True})
    return condition


def not_before(end: str, start: str) -> Q:
    """`end` is on or after `start` when both are given."""
    return Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__gte": F(start)})


def between(field: str, low: int, high: int) -> Q:
    """`field` is within [low, high] when given."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high})


def violations(model, condition: Q, using: str = "default") -> list:
    """Primary keys of the rows of `model` for which `condition` is false (NULL counts as holding, as in SQL)."""
    holds = ExpressionWrapper(condition, output_field=models.BooleanField())
    return list(
        model._base_manager.using(using)
        .annotate(_holds=holds)
        .filter(_holds=False)
        .order_by("pk")
        .values_list("pk", flat=True)[: SHOWN + 1]
    )


class ConstraintViolated(Exception):
    """Existing rows break a constraint a migration is about to add."""


def check_rows(app_label: str, model_name: str, name: str, condition: Q, rule: str) -> migrations.RunPython:
    """A migration step refusing to go on while rows of the model break `condition` (named `name`)."""

    def check(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        bad = violations(model, condition, schema_editor.connection.alias)
        if bad:
            shown = ", ".join(str(pk) for pk in bad[:SHOWN]) + (", …" if len(bad) > SHOWN else "")
            raise ConstraintViolated(
                f"{app_label}.{model_name}: rows break the rule “{rule}” (constraint {name}); "
                f"correct them, then migrate again. Primary keys: {shown}"
            )

    check.__name__ = f"check_{name}"
    return migrations.RunPython(check, migrations.RunPython.noop, elidable=True)


def with_row_checks(app_label: str, operations: list) -> list:
    """`operations` with a check of the existing rows before each `AddConstraint` of a `CheckConstraint`."""
    checked = []
    for operation in operations:
        constraint = getattr(operation, "constraint", None)
        if isinstance(operation, migrations.AddConstraint) and isinstance(constraint, models.CheckConstraint):
            checked.append(
                check_rows(
                    app_label,
                    operation.model_name,
                    constraint.name,
                    constraint.condition,
                    constraint.name.replace("_", " "),
                )
            )
        checked.append(operation)
    return checked

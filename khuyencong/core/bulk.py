"""Inserting many new records at once on SQLite: `bulk_create`'s rows, written by one `executemany`.

`bulk_create` compiles its INSERT value by value (each field's `pre_save`, `get_db_prep_save` and SQL
placeholder, for every record): for an import of 100,000 establishments and their 100,000 audit entries
that was a third of the time. Here the database value of each field is worked out as `bulk_create` would
(the same `pre_save` and `get_db_prep_save`), but text, whole numbers and booleans already of their field's
type go as they are, the automatic dates are taken once per call, and the rows go in one `executemany` of
one INSERT (compiled once by SQLite). The records get their primary keys as `bulk_create` gives them.

On PostgreSQL `bulk_create` stays (its one INSERT per batch waits on the server, not on Python).
"""

from django.db import connection, models
from django.db.models.expressions import DatabaseDefault, Value

# fields whose database value is the Python value itself when it has one of these exact types
_PLAIN = (
    (models.CharField, (str,)),
    (models.TextField, (str,)),
    (models.BooleanField, (bool,)),
    (models.IntegerField, (int,)),  # also the small, big and positive ones
)


def _plain_types(field) -> tuple:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.AutoField | models.BigAutoField | models.SmallAutoField):
        return (int,)
    for kind, types in _PLAIN:
        if isinstance(target, kind) and not isinstance(target, models.GenericIPAddressField):
            return types
    return ()


_NO_DEFAULT = object()


def _db_default(field):
    """The database value of the field's `db_default` when it is a constant (what the column's DEFAULT writes)."""
    expression = getattr(field, "_db_default_expression", None)
    if field.db_default is models.NOT_PROVIDED or not isinstance(expression, Value):
        return _NO_DEFAULT
    return field.get_db_prep_save(expression.value, connection)


def insert_fields(model) -> list:
    """The fields `bulk_create` writes for new records without a primary key."""
    return [
        f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)
    ]


def fast_insert(model, objs: list, *, constants: dict | None = None) -> None:
    """`model.objects.bulk_create(objs)` on SQLite, faster; the same rows, the same primary keys set on `objs`.

    `constants`: attname -> value the same for every record (given once, set on each record).
    """
    if not objs:
        return
    if connection.vendor != "sqlite":
        model.objects.bulk_create(objs)
        return
    fields = insert_fields(model)
    constants = dict(constants or {})
    for field in fields:  # the automatic dates: one "now" for the whole call
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constants[field.attname] = field.pre_save(objs[0], True)
    plan = []
    for field in fields:
        if field.attname in constants:
            value = constants[field.attname]
            for obj in objs:
                setattr(obj, field.attname, value)
            plan.append((field, field.attname, (), True, field.get_db_prep_save(value, connection)))
        else:
            plan.append((field, field.attname, _plain_types(field), False, _db_default(field)))
    rows = []
    for obj in objs:
        row = []
        for field, attname, plain, constant, db_value in plan:
            if constant:
                row.append(db_value)
                continue
            value = getattr(obj, attname)
            if value is None or type(value) in plain:
                row.append(value)
            elif (
                type(value) is DatabaseDefault and db_value is not _NO_DEFAULT
            ):  # the column's constant DEFAULT
                row.append(db_value)
            elif hasattr(value, "resolve_expression"):  # another expression: bulk_create's own SQL
                model.objects.bulk_create(objs)
                return
            else:
                row.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
        rows.append(row)
    execute_insert(model, fields, rows, objs)


def execute_insert(model, fields: list, rows: list, objs: list | None = None) -> None:
    """One executemany of `rows` (database values of `fields`, in order); the new primary keys set on `objs`."""
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        if objs is None:
            return
        # In the transaction that holds SQLite's one write lock, the rows of one executemany get consecutive
        # row ids (each the largest so far plus one), the last one's is last_insert_rowid().
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
    first = last - len(objs) + 1
    for i, obj in enumerate(objs):
        obj.pk = first + i
        obj._state.adding = False
        obj._state.db = connection.alias

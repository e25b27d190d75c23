"""Inserting many new rows at once on SQLite by one `executemany` of one INSERT (compiled once by SQLite).

`bulk_create` compiles its INSERT value by value (each field's `pre_save`, `get_db_prep_save` and SQL
placeholder, for every record): for the audit entries of an import of 100,000 establishments that was a
large share of the time. The import's audit entries (core.audit) go in here; the establishments themselves
stay with `bulk_create` (one-row INSERTs into the registry's table, with its full-text triggers, were 4x
slower on the national dataset than bulk_create's multi-row ones).

On PostgreSQL `bulk_create` stays (its one INSERT per batch waits on the server, not on Python).
"""

from django.db import connection


def insert_fields(model) -> list:
    """The fields `bulk_create` writes for new records without a primary key."""
    return [
        f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)
    ]


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

"""The search index of projects (core.search): FTS5 on SQLite, pg_trgm on PostgreSQL."""

from django.db import migrations

TABLES = ["programme_project"]


def create(apps, schema_editor):
    from khuyencong.core import search

    for table in TABLES:
        search.create_index(schema_editor, table)
    search.forget_index_cache(schema_editor.connection)


def drop(apps, schema_editor):
    from khuyencong.core import search

    for table in TABLES:
        search.drop_index(schema_editor, table)
    search.forget_index_cache(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("programme", "0007_private_documents")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

"""Notification now belongs to the notifications app (its table is taken over there, rows kept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0005_workflow_transitions"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]

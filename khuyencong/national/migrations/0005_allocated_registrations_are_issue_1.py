"""Registrations allocated before the allocation carried an issue number are its first issue (the allocation
file refuses issue 0)."""

from django.db import migrations


def first_issue(apps, schema_editor):
    Registration = apps.get_model("national", "Registration")
    Registration.objects.filter(status="allocated", allocation_issue=0).update(allocation_issue=1)


class Migration(migrations.Migration):
    dependencies = [("national", "0004_registration_report")]

    operations = [migrations.RunPython(first_issue, migrations.RunPython.noop)]

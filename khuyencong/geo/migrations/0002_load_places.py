"""Vietnam's places are reference data: they come with the schema (`khuyencong load_places` updates them)."""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.geo.services import load_places

    load_places(apps)


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]

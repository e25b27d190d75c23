"""The regulation's ceilings and the default appraisal scheme, as editable data."""

from django.db import migrations


def forwards(apps, schema_editor):
    from khuyencong.programme.defaults import ensure_defaults

    ensure_defaults(apps.get_model("programme", "CeilingRule"), apps.get_model("programme", "AppraisalScheme"),
                    apps.get_model("programme", "AppraisalCriterion"))


class Migration(migrations.Migration):
    dependencies = [("programme", "0002_plans_ceilings_appraisal_money_documents")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""The national rules as dated documents: Circular 28/2018/TT-BTC (its ceilings linked), its amendment
64/2024/TT-BTC, and Decree 235/2025/NĐ-CP with the activities it added from 15 Oct 2025
and the appraisal scheme giving its priority points (women-owned, ethnic-minority-owned, disadvantaged commune)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from khuyencong.programme.defaults import ensure_national_rules, ensure_priority_scheme

    ensure_national_rules(apps)
    ensure_priority_scheme(apps)


class Migration(migrations.Migration):
    dependencies = [("programme", "0008_rules_by_date_and_authority")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

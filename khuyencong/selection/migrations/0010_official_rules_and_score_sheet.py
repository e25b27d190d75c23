"""Data: the selection rule sets in force (Circular 26/2014/TT-BCT, and as amended by 38/2025/TT-BCT from
1 July 2025) and the official score sheet (Annex 4: 40/40/10/10 with its sub-criteria), so that a fresh
install can open a round. Editable in the admin afterwards; a round keeps the versions it started with."""

from django.db import migrations

from khuyencong.selection.official import load


class Migration(migrations.Migration):
    dependencies = [("selection", "0009_levels_rule_sets_batches")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The regulation's ceilings and the default appraisal scheme, as editable data (values as of this migration)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from khuyencong.programme.defaults import CIRCULAR_28_2018, CIRCULAR_28_2018_FROM, CRITERIA, SCHEME_FROM, SCHEME_NAME
    from khuyencong.programme.defaults import CEILINGS

    CeilingRule = apps.get_model("programme", "CeilingRule")
    AppraisalScheme = apps.get_model("programme", "AppraisalScheme")
    AppraisalCriterion = apps.get_model("programme", "AppraisalCriterion")
    for activity, share, amount, multiplier, *_rest, wording in CEILINGS:
        CeilingRule.objects.get_or_create(activity=activity, effective_from=CIRCULAR_28_2018_FROM, defaults=dict(
            max_share_percent=share, max_amount=amount, line_multiplier=multiplier, citation=CIRCULAR_28_2018,
            wording=wording, refuse=True))
    scheme, created = AppraisalScheme.objects.get_or_create(effective_from=SCHEME_FROM, defaults={"name": SCHEME_NAME})
    if created:
        for order, kind, label, points, full_at in CRITERIA:
            AppraisalCriterion.objects.create(scheme=scheme, order=order, kind=kind, label=label,
                                              max_points=points, full_at=full_at)


class Migration(migrations.Migration):
    dependencies = [("programme", "0002_plans_ceilings_appraisal_money_documents")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

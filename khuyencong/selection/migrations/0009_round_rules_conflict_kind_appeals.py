"""Round rules for judging (minimum sheets, appeal period, certificate validity in months, outlier threshold),
the kind of a conflict of interest, and appeals with their recorded steps.

A round's validity in years becomes the same length in months (3 years → 36 months).
"""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from khuyencong.core.constraints import with_row_checks


def years_to_months(apps, schema_editor):
    Round = apps.get_model("selection", "Round")
    for years in Round.objects.values_list("validity_years", flat=True).distinct():
        Round.objects.filter(validity_years=years).update(
            certificate_validity_months=max(1, min(240, years * 12))
        )


def checks_now(apps, schema_editor):
    """PostgreSQL: check the foreign keys at each statement from here on, so the rounds updated below leave no
    deferred trigger events for the ALTER TABLE that follows ("cannot ALTER TABLE because it has pending trigger
    events" on a database with rounds)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def months_to_years(apps, schema_editor):
    Round = apps.get_model("selection", "Round")
    for months in Round.objects.values_list("certificate_validity_months", flat=True).distinct():
        Round.objects.filter(certificate_validity_months=months).update(
            validity_years=max(1, round(months / 12))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_load_places"),
        ("selection", "0008_private_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = with_row_checks(
        "selection",
        [
            migrations.CreateModel(
                name="Appeal",
                fields=[
                    (
                        "id",
                        models.BigAutoField(
                            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                        ),
                    ),
                    ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                    ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                    (
                        "status",
                        models.CharField(
                            choices=[
                                ("lodged", "Lodged, awaiting the council's answer"),
                                ("upheld", "Upheld: the round is re-opened"),
                                ("dismissed", "Dismissed"),
                                ("withdrawn", "Withdrawn"),
                            ],
                            default="lodged",
                            max_length=20,
                            verbose_name="status",
                        ),
                    ),
                    ("grounds", models.TextField(verbose_name="grounds of the appeal")),
                    ("lodged_at", models.DateTimeField(verbose_name="lodged at")),
                    ("answer", models.TextField(blank=True, verbose_name="the council's answer")),
                    ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered at")),
                ],
                options={
                    "verbose_name": "appeal",
                    "verbose_name_plural": "appeals",
                    "ordering": ["-lodged_at", "-pk"],
                },
            ),
            migrations.CreateModel(
                name="AppealTransition",
                fields=[
                    (
                        "id",
                        models.BigAutoField(
                            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                        ),
                    ),
                    ("action", models.CharField(max_length=30)),
                    (
                        "from_status",
                        models.CharField(
                            blank=True,
                            choices=[
                                ("lodged", "Lodged, awaiting the council's answer"),
                                ("upheld", "Upheld: the round is re-opened"),
                                ("dismissed", "Dismissed"),
                                ("withdrawn", "Withdrawn"),
                            ],
                            max_length=20,
                        ),
                    ),
                    (
                        "to_status",
                        models.CharField(
                            choices=[
                                ("lodged", "Lodged, awaiting the council's answer"),
                                ("upheld", "Upheld: the round is re-opened"),
                                ("dismissed", "Dismissed"),
                                ("withdrawn", "Withdrawn"),
                            ],
                            max_length=20,
                        ),
                    ),
                    ("at", models.DateTimeField(auto_now_add=True)),
                    ("note", models.TextField(blank=True)),
                ],
                options={
                    "ordering": ["at", "pk"],
                },
            ),
            migrations.AddField(
                model_name="conflict",
                name="kind",
                field=models.CharField(
                    choices=[
                        ("hard", "Hard (direct interest: owner, family, employer, adviser)"),
                        ("soft", "Soft (indirect tie: acquaintance, past work, same association)"),
                    ],
                    default="hard",
                    max_length=10,
                    verbose_name="kind of conflict",
                ),
            ),
            migrations.AddField(
                model_name="round",
                name="appeal_days",
                field=models.PositiveSmallIntegerField(
                    blank=True,
                    help_text="Days after the results are published during which a representative may appeal; empty: no appeal period",
                    null=True,
                    verbose_name="appeal period (days)",
                ),
            ),
            migrations.AddField(
                model_name="round",
                name="certificate_validity_months",
                field=models.PositiveSmallIntegerField(
                    default=36,
                    help_text="A certificate is valid this many months from the decision date",
                    verbose_name="certificate validity (months)",
                ),
            ),
            # a round kept its validity in years: the same length in months
            migrations.RunPython(checks_now, checks_now),
            migrations.RunPython(years_to_months, months_to_years),
            migrations.RunPython(checks_now, checks_now),
            migrations.RemoveField(
                model_name="round",
                name="validity_years",
            ),
            migrations.AddField(
                model_name="round",
                name="min_sheets",
                field=models.PositiveSmallIntegerField(
                    blank=True,
                    help_text="Scoring cannot close while a dossier has fewer; empty: no minimum",
                    null=True,
                    verbose_name="minimum submitted score sheets per dossier",
                ),
            ),
            migrations.AddField(
                model_name="round",
                name="outlier_threshold",
                field=models.DecimalField(
                    decimal_places=2,
                    default=Decimal("15"),
                    help_text="The judging diagnostic flags a sheet whose total is this far from the other members' mean",
                    max_digits=5,
                    verbose_name="outlier threshold (points)",
                ),
            ),
            migrations.AddConstraint(
                model_name="conflict",
                constraint=models.CheckConstraint(
                    condition=models.Q(("kind__in", ["hard", "soft"])),
                    name="conflict_kind_hard_soft",
                    violation_error_message="A conflict is hard or soft.",
                ),
            ),
            migrations.AddConstraint(
                model_name="round",
                constraint=models.CheckConstraint(
                    condition=models.Q(
                        ("certificate_validity_months__gte", 1), ("certificate_validity_months__lte", 240)
                    ),
                    name="round_certificate_validity_1_240_months",
                    violation_error_message="A certificate is valid between 1 and 240 months.",
                ),
            ),
            migrations.AddConstraint(
                model_name="round",
                constraint=models.CheckConstraint(
                    condition=models.Q(
                        ("min_sheets__isnull", True),
                        models.Q(("min_sheets__gte", 1), ("min_sheets__lte", 50)),
                        _connector="OR",
                    ),
                    name="round_min_sheets_1_50",
                    violation_error_message="The minimum number of sheets is between 1 and 50.",
                ),
            ),
            migrations.AddConstraint(
                model_name="round",
                constraint=models.CheckConstraint(
                    condition=models.Q(
                        ("appeal_days__isnull", True),
                        models.Q(("appeal_days__gte", 1), ("appeal_days__lte", 365)),
                        _connector="OR",
                    ),
                    name="round_appeal_days_1_365",
                    violation_error_message="The appeal period is between 1 and 365 days.",
                ),
            ),
            migrations.AddConstraint(
                model_name="round",
                constraint=models.CheckConstraint(
                    condition=models.Q(("outlier_threshold__gt", 0), ("outlier_threshold__lte", 100)),
                    name="round_outlier_threshold_0_100",
                    violation_error_message="The outlier threshold is above 0 and at most 100 points.",
                ),
            ),
            migrations.AddField(
                model_name="appeal",
                name="answered_by",
                field=models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="answer recorded by",
                ),
            ),
            migrations.AddField(
                model_name="appeal",
                name="dossier",
                field=models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="appeals",
                    to="selection.dossier",
                    verbose_name="dossier",
                ),
            ),
            migrations.AddField(
                model_name="appeal",
                name="lodged_by",
                field=models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="lodged by",
                ),
            ),
            migrations.AddField(
                model_name="appeal",
                name="reopening",
                field=models.OneToOneField(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="appeal",
                    to="selection.reopening",
                    verbose_name="re-opening",
                ),
            ),
            migrations.AddField(
                model_name="appealtransition",
                name="appeal",
                field=models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="transitions",
                    to="selection.appeal",
                ),
            ),
            migrations.AddField(
                model_name="appealtransition",
                name="user",
                field=models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            migrations.AddConstraint(
                model_name="appeal",
                constraint=models.UniqueConstraint(
                    condition=models.Q(("status", "lodged")),
                    fields=("dossier",),
                    name="one_pending_appeal_per_dossier",
                    violation_error_message="This dossier already has an appeal awaiting an answer.",
                ),
            ),
            migrations.AddConstraint(
                model_name="appeal",
                constraint=models.CheckConstraint(
                    condition=models.Q(
                        ("status", "lodged"),
                        ("status", "withdrawn"),
                        models.Q(("answer", ""), _negated=True),
                        _connector="OR",
                    ),
                    name="appeal_answered_with_text",
                    violation_error_message="An answered appeal keeps the council's answer.",
                ),
            ),
        ],
    )

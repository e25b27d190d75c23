"""The database itself refuses rows that break a rule, whatever path skips the Python validation."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q

from khuyencong.core.constraints import ConstraintViolated, check_rows, violations
from khuyencong.interchange.models import ImportJob
from khuyencong.outreach.models import Event, Outcome, Survey, Training, TrainingParticipant
from khuyencong.programme.models import CeilingRule, Disbursement, Plan, PlanLine, Project
from khuyencong.registry.models import Establishment, ProductCertification
from tests.factories import EstablishmentFactory, ProductFactory, make_user
from tests.programme.factories import PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def refused(queryset, **values):
    """True when the database refuses the UPDATE (the ORM's validation is not involved in `.update()`)."""
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "field",
    [
        "total_cost",
        "support_requested",
        "support_appraised",
        "support_approved",
        "support_settled",
        "counterpart",
    ],
)
def test_a_project_never_holds_negative_money(field):
    project = ProjectFactory()
    assert refused(Project.objects.filter(pk=project.pk), **{field: -1})
    assert not refused(Project.objects.filter(pk=project.pk), **{field: 0})


def test_plans_lines_ceilings_and_payments_hold_no_negative_money():
    plan = PlanFactory()
    assert refused(Plan.objects.filter(pk=plan.pk), national_budget=-5)
    assert refused(Plan.objects.filter(pk=plan.pk), local_budget=-5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanLine.objects.bulk_create([PlanLine(plan=plan, programme="local", activity="training", amount=-1)])
    rule = CeilingRule.objects.first()
    assert refused(CeilingRule.objects.filter(pk=rule.pk), max_amount=-1)
    assert refused(CeilingRule.objects.filter(pk=rule.pk), max_share_percent=101)
    project = ProjectFactory(status="contracted", support_approved=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.bulk_create(
            [Disbursement(project=project, paid_on=datetime.date(2026, 1, 1), amount=0)]
        )


def test_a_project_steps_come_in_order_and_a_settled_project_has_its_amount():
    project = ProjectFactory(decision_date=datetime.date(2026, 3, 1))
    rows = Project.objects.filter(pk=project.pk)
    assert refused(rows, contract_date=datetime.date(2026, 2, 28))
    assert not refused(rows, contract_date=datetime.date(2026, 3, 1))
    assert refused(rows, acceptance_date=datetime.date(2026, 2, 1))
    assert refused(rows, status="settled", support_settled=None)
    assert refused(rows, status="finished")


def test_the_project_form_says_a_date_is_before_the_previous_step():
    from django.core.exceptions import ValidationError

    project = ProjectFactory.build(
        decision_date=datetime.date(2026, 3, 1), contract_date=datetime.date(2026, 2, 1)
    )
    with pytest.raises(ValidationError) as caught:
        project.clean()
    assert caught.value.message_dict["contract_date"] == [
        "Ngày hợp đồng (01/02/2026) trước ngày quyết định phê duyệt (01/03/2026)."
    ]


def test_events_and_trainings_do_not_end_before_they_start():
    officer = make_user("province_officer")
    from tests.outreach.factories import make_event, make_training

    event = make_event(officer)
    assert refused(Event.objects.filter(pk=event.pk), end_date=event.start_date - datetime.timedelta(days=1))
    assert refused(Event.objects.filter(pk=event.pk), scope="abroad")  # abroad, yet held in a province
    training = make_training(officer)
    assert refused(Training.objects.filter(pk=training.pk), end_date=datetime.date(2026, 6, 9))
    assert not refused(Training.objects.filter(pk=training.pk), end_date=datetime.date(2026, 6, 10))
    person = TrainingParticipant.objects.create(training=training, name="Nguyễn Văn A")
    assert refused(TrainingParticipant.objects.filter(pk=person.pk), score=6)
    assert refused(TrainingParticipant.objects.filter(pk=person.pk), score=0)
    assert not refused(TrainingParticipant.objects.filter(pk=person.pk), score=5)
    outcome = Outcome.objects.create(
        event=event, establishment=EstablishmentFactory(), kind="contract", partner="X"
    )
    assert refused(Outcome.objects.filter(pk=outcome.pk), value=-1)


def test_a_survey_is_open_only_once_sent_and_within_its_years():
    from tests.outreach.factories import make_survey

    survey = make_survey(make_user("province_officer"), send=False)
    assert refused(Survey.objects.filter(pk=survey.pk), status="open")
    assert refused(Survey.objects.filter(pk=survey.pk), year=1999)


def test_certifications_have_one_to_five_stars_and_validity_in_order():
    cert = ProductCertification.objects.create(
        product=ProductFactory(), kind="ocop", name="OCOP 3 sao", stars=3
    )
    rows = ProductCertification.objects.filter(pk=cert.pk)
    assert refused(rows, stars=6)
    assert refused(rows, stars=0)
    assert refused(rows, stars=None)  # an OCOP certification has its stars
    assert refused(rows, valid_from=datetime.date(2026, 1, 2), valid_until=datetime.date(2026, 1, 1))
    assert not refused(rows, stars=5)


def test_an_establishment_founding_year_and_an_import_kind_are_plausible():
    est = EstablishmentFactory()
    assert refused(Establishment.objects.filter(pk=est.pk), founded=1700)
    job = ImportJob.objects.create(
        user=make_user("province_officer"), kind="projects", file="x.csv", original_name="x"
    )
    assert refused(ImportJob.objects.filter(pk=job.pk), kind="people")


def test_violations_names_the_rows_breaking_a_rule_and_lets_null_pass():
    big = EstablishmentFactory(workers=500)
    EstablishmentFactory(workers=5)
    EstablishmentFactory(workers=None)
    assert violations(Establishment, Q(workers__lte=100)) == [big.pk]


def test_the_migration_check_says_which_rows_break_the_rule():
    big = EstablishmentFactory(workers=500)
    step = check_rows("registry", "Establishment", "few_workers", Q(workers__lte=100), "at most 100 workers")
    from django.apps import apps

    with pytest.raises(ConstraintViolated) as caught:
        step.code(apps, connection.schema_editor())
    assert str(caught.value) == (
        "registry.Establishment: rows break the rule “at most 100 workers” (constraint few_workers); "
        f"correct them, then migrate again. Primary keys: {big.pk}"
    )


@pytest.mark.django_db(transaction=True)
def test_migrating_a_database_holding_a_bad_row_stops_before_the_constraint():
    """The real migration, on a database where a certification has 7 stars: it refuses, naming the row."""
    from khuyencong.geo.services import load_places

    load_places()
    product = ProductFactory()  # before going back: today's models write columns added later
    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0001_initial")])
    try:
        old = executor.loader.project_state([("registry", "0001_initial")]).apps
        cert = old.get_model("registry", "ProductCertification").objects.create(
            product_id=product.pk, kind="ocop", name="OCOP", stars=7
        )
        executor = MigrationExecutor(connection)
        with pytest.raises(
            ConstraintViolated, match=rf"certification_stars_1_to_5.*Primary keys: {cert.pk}$"
        ):
            executor.migrate([("registry", "0002_check_constraints")])
        old.get_model("registry", "ProductCertification").objects.filter(pk=cert.pk).delete()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

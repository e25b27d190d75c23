import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.programme import services
from khuyencong.programme.models import CeilingRule
from tests.factories import EstablishmentFactory, make_user

from .conftest import all_checks, step
from .factories import PlanFactory, ProjectFactory, certify

pytestmark = pytest.mark.django_db


def proposal(**extra):
    data = {
        "code": "DA-2026-T1",
        "year": 2026,
        "title": "Ứng dụng máy cho tôm ăn tự động",
        "programme": "local",
        "activity": "machinery",
        "province_id": 96,
        "commune_id": 32098,
        "total_cost": 800_000_000,
        "support_requested": 300_000_000,
        "counterpart": 500_000_000,
    }
    return {**data, **extra}


# --- proposing ------------------------------------------------------------------------------


def test_a_commune_officer_proposes_for_their_commune():
    project = services.propose_project(user=make_user("commune_officer"), data=proposal())
    assert project.status == "proposed" and project.transitions.count() == 1


def test_a_commune_officer_may_not_propose_for_another_commune():
    with pytest.raises(PermissionDenied):
        services.propose_project(user=make_user("commune_officer"), data=proposal(commune_id=32065))


@pytest.mark.parametrize("role", ["viewer", "establishment", "judge"])
def test_readers_may_not_propose(role):
    with pytest.raises(PermissionDenied):
        services.propose_project(user=make_user(role), data=proposal())


def test_a_province_officer_proposes_in_their_province_only():
    assert services.propose_project(user=make_user("province_officer"), data=proposal()).pk
    with pytest.raises(PermissionDenied):
        services.propose_project(
            user=make_user("province_officer", province_id=92), data=proposal(code="DA-2")
        )


def test_a_proposal_joins_the_plan_of_its_province_and_year():
    plan = PlanFactory()
    assert services.propose_project(user=make_user("province_officer"), data=proposal()).plan == plan


def test_a_duplicate_code_and_a_beneficiary_elsewhere_are_refused_with_reasons():
    officer = make_user("province_officer")
    services.propose_project(user=officer, data=proposal())
    elsewhere = EstablishmentFactory(province_id=92, commune_id=31135)
    with pytest.raises(ValidationError) as exc:
        services.propose_project(user=officer, data=proposal(establishment=elsewhere))
    assert {"code", "establishment"} <= set(exc.value.message_dict)


# --- ceilings -------------------------------------------------------------------------------


def test_machinery_support_above_300_million_is_refused_citing_the_circular():
    project = ProjectFactory(activity="machinery", total_cost=800_000_000)
    with pytest.raises(services.CeilingExceeded) as exc:
        step("appraise", user=make_user("province_officer"), project=project, amount=350_000_000)
    message = exc.value.message_dict["amount"][0]
    assert "28/2018/TT-BTC" in message and "300.000.000" in message
    project.refresh_from_db()
    assert project.status == "proposed"


def test_the_ceiling_message_names_the_activity_in_the_readers_language():
    from django.utils import translation

    project = ProjectFactory(activity="machinery", total_cost=800_000_000)
    assert "“Ứng dụng máy móc thiết bị tiên tiến”" in services.check_ceiling(project, 350_000_000).message
    with translation.override("en"):
        message = services.check_ceiling(project, 350_000_000).message
    assert (
        message.startswith("Support of 350.000.000 đ is above the ceiling")
        and "Ứng dụng máy móc" not in message
    )


def test_machinery_support_above_half_the_cost_is_refused():
    project = ProjectFactory(activity="machinery", total_cost=400_000_000)
    check = services.check_ceiling(project, 200_000_001)
    assert check.refused and check.limit == 200_000_000
    assert not services.check_ceiling(project, 200_000_000).exceeded


def test_a_whole_technology_line_may_get_one_and_a_half_times():
    project = ProjectFactory(activity="machinery", total_cost=1_000_000_000, technology_line=True)
    assert services.check_ceiling(project, 450_000_000).exceeded is False
    assert services.check_ceiling(project, 450_000_001).refused


def test_demo_models_are_capped_at_30_percent_and_a_billion():
    project = ProjectFactory(activity="demo_model", total_cost=5_000_000_000, year=2024)
    project.decision_date = datetime.date(2024, 6, 1)
    assert services.check_ceiling(project, 1_000_000_000).limit == 1_000_000_000
    project.total_cost = 2_000_000_000
    assert services.check_ceiling(project, 600_000_001).refused


def test_approval_checks_the_ceiling_too():
    project = ProjectFactory(
        activity="machinery", status="appraised", total_cost=800_000_000, support_appraised=300_000_000
    )
    with pytest.raises(services.CeilingExceeded):
        step("approve", user=make_user("province_officer"), project=project, amount=310_000_000)


def test_the_rule_in_force_on_the_day_applies():
    CeilingRule.objects.create(
        activity="machinery",
        effective_from=datetime.date(2099, 1, 1),
        max_share_percent=50,
        max_amount=500_000_000,
        citation="Thông tư mới",
        wording="...",
    )
    project = ProjectFactory(activity="machinery", total_cost=2_000_000_000)
    assert services.check_ceiling(project, 400_000_000).refused
    assert not services.check_ceiling(project, 400_000_000, on=datetime.date(2099, 6, 1)).exceeded


def test_a_warning_rule_lets_the_step_through_and_keeps_the_warning():
    CeilingRule.objects.filter(activity="machinery").update(refuse=False)
    project = ProjectFactory(activity="machinery", total_cost=800_000_000)
    project = step("appraise", user=make_user("province_officer"), project=project, amount=350_000_000)
    assert project.status == "appraised"
    assert "28/2018/TT-BTC" in project.appraisals.get().ceiling_note


# --- priority points and ranking ------------------------------------------------------------


def test_priority_points_favour_certified_products_local_materials_jobs_and_counterpart():
    est = EstablishmentFactory()
    certify(est, year=2025)
    project = ProjectFactory(
        establishment=est,
        local_materials=True,
        expected_jobs=10,
        total_cost=1_000_000_000,
        counterpart=500_000_000,
    )
    scheme_2018 = services.current_scheme(datetime.date(2025, 1, 1))  # before Decree 235/2025's priorities
    points, reasons = services.priority_points(project, scheme_2018)
    assert points == 100 and len(reasons) == 4
    plain = ProjectFactory(expected_jobs=5, total_cost=1_000_000_000, counterpart=250_000_000)
    points, _ = services.priority_points(plain, scheme_2018)
    assert points == pytest.approx(12.5 + 10)


def test_the_ranking_is_kept_with_the_plan_and_says_what_fits_each_source():
    plan = PlanFactory(local_budget=400_000_000)
    officer = make_user("province_officer")
    best_est = EstablishmentFactory()
    certify(best_est, year=2024)
    best = ProjectFactory(
        establishment=best_est, status="appraised", support_appraised=300_000_000, local_materials=True
    )
    second = ProjectFactory(status="appraised", support_appraised=200_000_000)
    ranking = services.rank_proposals(user=officer, plan=plan)
    entries = list(ranking.entries.order_by("rank"))
    assert [e.project for e in entries] == [best, second]
    assert [e.fits for e in entries] == [True, False]
    assert entries[1].cumulative == 500_000_000 and entries[0].reasons
    assert plan.rankings.count() == 1


def test_only_an_officer_ranks():
    with pytest.raises(PermissionDenied):
        services.rank_proposals(user=make_user("commune_officer"), plan=PlanFactory())


# --- plans ----------------------------------------------------------------------------------


def test_activity_lines_may_not_exceed_their_source_budget():
    plan = PlanFactory(national_budget=1_000_000_000)
    officer = make_user("province_officer")
    services.set_plan_line(
        user=officer, plan=plan, programme="national", activity="machinery", amount=600_000_000
    )
    with pytest.raises(ValidationError):
        services.set_plan_line(
            user=officer, plan=plan, programme="national", activity="training", amount=500_000_000
        )
    line = services.set_plan_line(
        user=officer, plan=plan, programme="national", activity="machinery", amount=900_000_000
    )
    assert line.amount == 900_000_000 and plan.lines.count() == 1


def test_a_second_plan_for_the_same_year_is_refused():
    PlanFactory()
    with pytest.raises(ValidationError):
        services.create_plan(user=make_user("province_officer"), data={"province": 96, "year": 2026})


# --- money ----------------------------------------------------------------------------------


def test_payments_never_add_up_to_more_than_the_approved_support():
    officer = make_user("province_officer")
    project = ProjectFactory(status="accepted", support_approved=150_000_000)
    services.record_disbursement(
        user=officer, project=project, amount=100_000_000, paid_on=datetime.date(2026, 6, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.record_disbursement(
            user=officer, project=project, amount=60_000_000, paid_on=datetime.date(2026, 7, 1)
        )
    assert "150.000.000" in exc.value.message_dict["amount"][0]
    services.record_disbursement(
        user=officer, project=project, amount=50_000_000, paid_on=datetime.date(2026, 7, 1)
    )
    assert project.disbursements.count() == 2


def test_no_payment_before_the_contract():
    with pytest.raises(ValidationError):
        services.record_disbursement(
            user=make_user("province_officer"),
            project=ProjectFactory(status="approved", support_approved=10),
            amount=5,
            paid_on=datetime.date(2026, 6, 1),
        )


# --- documents ------------------------------------------------------------------------------


def test_a_document_is_stored_privately_under_a_random_name(settings):
    project = ProjectFactory()
    doc = services.add_document(
        user=make_user("province_officer"),
        project=project,
        kind="proposal",
        upload=SimpleUploadedFile("đề xuất.pdf", b"%PDF-1.4 test"),
    )
    assert doc.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and "đề xuất" not in doc.file.name
    assert doc.original_name == "đề xuất.pdf"


def test_a_fake_pdf_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.add_document(
            user=make_user("province_officer"),
            project=ProjectFactory(),
            kind="proposal",
            upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        )
    assert "file" in exc.value.message_dict


def test_an_establishment_representative_may_not_attach_documents():
    project = ProjectFactory()
    with pytest.raises(PermissionDenied):
        services.add_document(
            user=make_user("establishment", establishment=project.establishment),
            project=project,
            kind="proposal",
            upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4"),
        )


def test_appraisal_records_points_and_scheme():
    project = ProjectFactory(local_materials=True)
    step("appraise", user=make_user("province_officer"), project=project, checks=all_checks())
    appraisal = project.appraisals.get()
    assert appraisal.points == 45  # local materials 25 + counterpart 75 % of the cost (full 20)
    assert project.__class__.objects.get(pk=project.pk).priority_points == 45
    assert appraisal.scheme == services.current_scheme()


def test_the_machinery_maximum_counts_the_establishments_other_approved_projects_that_year():
    est = EstablishmentFactory()
    ProjectFactory(establishment=est, activity="machinery", status="approved", support_approved=200_000_000)
    ProjectFactory(
        establishment=est, activity="machinery", year=2025, status="settled", support_approved=300_000_000
    )
    project = ProjectFactory(establishment=est, activity="machinery", total_cost=800_000_000)
    check = services.check_ceiling(project, 150_000_000)
    assert check.refused and check.limit == 100_000_000
    assert "200.000.000" in check.message
    assert not services.check_ceiling(project, 100_000_000).exceeded


def test_lowering_a_source_budget_below_its_lines_is_refused():
    plan = PlanFactory(local_budget=1_000_000_000)
    officer = make_user("province_officer")
    services.set_plan_line(user=officer, plan=plan, programme="local", activity="fair", amount=800_000_000)
    with pytest.raises(ValidationError):
        services.update_plan(user=officer, plan=plan, data={"local_budget": 500_000_000})
    plan.refresh_from_db()
    assert plan.local_budget == 1_000_000_000
    assert (
        services.update_plan(
            user=officer, plan=plan, data={"local_budget": 900_000_000, "title": " KH 2026 "}
        ).title
        == "KH 2026"
    )

"""Rules by date and by authority (issue 15): the national circular as amended, a province's
People's Council resolution for its local funds, activities that exist only from a date, and the
rule each project names."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from khuyencong.programme import services
from khuyencong.programme.models import Regulation
from tests.factories import EstablishmentFactory, make_user
from tests.programme.conftest import step
from tests.programme.factories import ProjectFactory

pytestmark = pytest.mark.django_db

BIG = 6_000_000_000  # a demo model's cost: 30 % is 1,8 billion, so the VND cap decides


def appraised(**kwargs):
    return ProjectFactory(
        activity="demo_model",
        status="appraised",
        total_cost=BIG,
        support_appraised=1_200_000_000,
        **kwargs,
    )


def approve(project, day, amount=1_200_000_000):
    return step(
        "approve",
        user=make_user("province_officer"),
        project=project,
        decision_date=day,
        amount=amount,
    )


def test_a_project_of_2024_and_one_of_2026_are_held_to_different_ceilings_and_name_them():
    old = appraised(year=2024, programme="national")
    with pytest.raises(services.CeilingExceeded) as exc:
        approve(old, datetime.date(2024, 6, 1))
    message = exc.value.message_dict["amount"][0]
    assert "28/2018/TT-BTC" in message and "1.000.000.000" in message and "64/2024" not in message
    assert "01/06/2024" in message  # the day whose rules held
    new = approve(appraised(year=2026, programme="national"), datetime.date(2026, 3, 2))
    assert new.status == "approved"
    assert new.rule_regulation.number == "64/2024/TT-BTC"
    assert new.rule_ceiling.max_amount == 1_500_000_000
    assert "64/2024/TT-BTC" in new.rule_note and "1.500.000.000" in new.rule_note
    assert "02/03/2026" in new.rule_note


def test_the_2024_project_approved_within_its_ceiling_stores_the_old_rule():
    project = approve(appraised(year=2024, programme="national"), datetime.date(2024, 6, 1), 900_000_000)
    assert project.rule_regulation.number == "28/2018/TT-BTC"
    assert "28/2018/TT-BTC" in project.rule_note and "1.000.000.000" in project.rule_note


def record_ca_mau(officer=None, **overrides):
    data = {
        "number": "15/2025/NQ-HĐND",
        "title": "Quy định mức hỗ trợ khuyến công địa phương",
        "issued_on": datetime.date(2025, 9, 20),
        "effective_from": datetime.date(2025, 10, 1),
    } | overrides
    return services.record_resolution(
        user=officer or make_user("province_officer"),
        province=96,
        data=data,
        ceilings=[
            {"activity": "demo_model", "max_share_percent": "30", "max_amount": 800_000_000},
            {"activity": "cleaner", "max_share_percent": "30", "max_amount": 400_000_000},
        ],
    )


def test_a_local_ceiling_comes_from_the_provinces_recorded_resolution_from_its_date():
    resolution = record_ca_mau()
    assert resolution.ceilings.count() == 2
    local = appraised(year=2026, programme="local")
    with pytest.raises(services.CeilingExceeded) as exc:
        approve(local, datetime.date(2026, 3, 2), 900_000_000)
    message = exc.value.message_dict["amount"][0]
    assert "15/2025/NQ-HĐND" in message and "800.000.000" in message
    # the same amount from national funds is within the circular's ceiling
    assert approve(appraised(year=2026, programme="national"), datetime.date(2026, 3, 2), 900_000_000)
    # before the resolution's date the province's local funds follow the national circular
    before = approve(appraised(year=2025, programme="local"), datetime.date(2025, 9, 30), 900_000_000)
    assert before.rule_regulation.number == "64/2024/TT-BTC"
    assert "national circular applies" in before.rule_note or "Thông tư" in before.rule_note
    within = approve(appraised(year=2026, programme="local"), datetime.date(2026, 3, 2), 800_000_000)
    assert within.rule_regulation == resolution and "15/2025/NQ-HĐND" in within.rule_note


def test_another_provinces_resolution_does_not_hold_here():
    services.record_resolution(
        user=make_user("province_officer", province_id=66, username="dl"),
        province=66,
        data={
            "number": "DL-2025",
            "issued_on": datetime.date(2025, 7, 20),
            "effective_from": datetime.date(2025, 7, 26),
        },
        ceilings=[{"activity": "demo_model", "max_share_percent": "30", "max_amount": 500_000_000}],
    )
    project = approve(appraised(year=2026, programme="local"), datetime.date(2026, 3, 2), 900_000_000)
    assert project.rule_regulation.number == "64/2024/TT-BTC"


def test_an_activity_without_a_local_ceiling_falls_back_to_the_circular():
    record_ca_mau()
    project = ProjectFactory(activity="machinery", programme="local", total_cost=2_000_000_000)
    check = services.check_ceiling(project, 350_000_000)
    assert check.refused and "28/2018/TT-BTC" in check.message
    assert check.used.fallback


def test_only_the_provinces_officers_record_its_resolution_with_clear_messages():
    with pytest.raises(PermissionDenied):
        record_ca_mau(officer=make_user("province_officer", province_id=92, username="ct"))
    with pytest.raises(PermissionDenied):
        record_ca_mau(officer=make_user("commune_officer"))
    with pytest.raises(ValidationError) as exc:
        record_ca_mau(effective_from=datetime.date(2025, 9, 1))
    assert "effective_from" in exc.value.message_dict
    record_ca_mau()
    with pytest.raises(ValidationError) as exc:
        record_ca_mau()
    assert "number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_resolution(
            user=make_user("province_officer", username="o2"),
            province=96,
            data={
                "number": "X",
                "issued_on": datetime.date(2025, 1, 1),
                "effective_from": datetime.date(2025, 1, 1),
            },
            ceilings=[{"activity": "fair", "max_share_percent": "130", "max_amount": None}],
        )
    assert "share_fair" in exc.value.message_dict


def test_a_resolution_used_by_an_approval_keeps_its_ceilings():
    resolution = record_ca_mau()
    approve(appraised(year=2026, programme="local"), datetime.date(2026, 3, 2), 700_000_000)
    resolution.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_resolution(
            user=make_user("province_officer", username="o3"),
            regulation=resolution,
            data={"number": resolution.number},
            ceilings=[{"activity": "demo_model", "max_share_percent": "30", "max_amount": 900_000_000}],
        )
    with pytest.raises(ValidationError):
        services.archive_resolution(user=make_user("province_officer", username="o4"), regulation=resolution)


def test_an_archived_resolution_no_longer_holds():
    resolution = record_ca_mau()
    services.archive_resolution(user=make_user("province_officer", username="o5"), regulation=resolution)
    project = approve(appraised(year=2026, programme="local"), datetime.date(2026, 3, 2), 900_000_000)
    assert project.rule_regulation.number == "64/2024/TT-BTC"


# --- activities of Decree 235/2025 ----------------------------------------------------------


def proposal(**overrides):
    return {
        "code": "DA-DIG-1",
        "year": 2026,
        "title": "Chuyển đổi số cho cơ sở chế biến",
        "programme": "local",
        "activity": "digital",
        "establishment": EstablishmentFactory(),
        "province_id": 96,
        "commune_id": 32098,
        "total_cost": 400_000_000,
        "support_requested": 100_000_000,
        "counterpart": 300_000_000,
    } | overrides


def test_digital_transformation_exists_from_15_october_2025_only():
    officer = make_user("province_officer")
    assert services.propose_project(user=officer, data=proposal()).activity == "digital"
    with pytest.raises(ValidationError) as exc:
        services.propose_project(user=officer, data=proposal(code="DA-DIG-2", year=2024))
    message = exc.value.message_dict["activity"][0]
    assert "15/10/2025" in message and "235/2025/NĐ-CP" in message


def test_a_digital_proposal_of_2025_is_refused_when_approved_before_the_decree():
    project = ProjectFactory(
        activity="sustainable", year=2025, status="appraised", support_appraised=100_000_000
    )
    with pytest.raises(services.CeilingExceeded) as exc:
        approve(project, datetime.date(2025, 10, 1), 100_000_000)
    assert "15/10/2025" in exc.value.message_dict["amount"][0]
    assert approve(project, datetime.date(2025, 10, 20), 100_000_000).status == "approved"


def test_the_national_rules_are_migration_data():
    numbers = set(Regulation.objects.filter(province__isnull=True).values_list("number", flat=True))
    assert {"28/2018/TT-BTC", "64/2024/TT-BTC", "235/2025/NĐ-CP"} <= numbers


def test_the_project_page_names_the_rule_it_is_held_to(client):
    record_ca_mau()
    project = approve(appraised(year=2026, programme="local"), datetime.date(2026, 3, 2), 700_000_000)
    client.force_login(make_user("province_officer", username="reader"))
    text = client.get(f"/programme/projects/{project.pk}/").content.decode()
    assert "15/2025/NQ-HĐND" in text and "Quy định áp dụng" in text


# --- the rules pages --------------------------------------------------------------------------


def test_a_province_officer_records_a_resolution_on_the_page(client):
    client.force_login(make_user("province_officer", username="cm"))
    assert client.get("/programme/rules/new/").status_code == 200
    response = client.post(
        "/programme/rules/new/",
        {
            "province": 96,
            "number": "15/2025/NQ-HĐND",
            "title": "Mức hỗ trợ khuyến công địa phương",
            "issued_on": "2025-09-20",
            "effective_from": "2025-10-01",
            "share_demo_model": "30",
            "cap_demo_model": "800.000.000",
        },
    )
    regulation = Regulation.objects.get(number="15/2025/NQ-HĐND")
    assert response.status_code == 302 and response.url == f"/programme/rules/{regulation.pk}/"
    rule = regulation.ceilings.get()
    assert rule.activity == "demo_model" and rule.max_amount == 800_000_000 and rule.province_id == 96
    text = client.get(response.url).content.decode()
    assert "Nghị quyết số 15/2025/NQ-HĐND của HĐND" in text and "800.000.000 đ" in text
    listing = client.get("/programme/rules/").content.decode()
    assert "15/2025/NQ-HĐND" in listing and "64/2024/TT-BTC" in listing


def test_the_page_refuses_a_resolution_without_ceilings_or_in_force_before_issue(client):
    client.force_login(make_user("province_officer", username="cm"))
    response = client.post(
        "/programme/rules/new/",
        {"province": 96, "number": "X/2025", "issued_on": "2025-09-20", "effective_from": "2025-09-01"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and not Regulation.objects.filter(number="X/2025").exists()
    assert "không thể có hiệu lực trước ngày ban hành" in text


def test_other_roles_cannot_record_resolutions(client):
    client.force_login(make_user("commune_officer", username="xa"))
    assert client.get("/programme/rules/new/").status_code == 403
    assert client.get("/programme/rules/").status_code == 200


# --- priority flags in the appraisal (Decree 235/2025) ---------------------------------------


def test_priority_flags_change_the_appraisal_points_with_configurable_weights():
    from khuyencong.programme.models import AppraisalCriterion

    plain = ProjectFactory(expected_jobs=0, counterpart=0)
    flagged = ProjectFactory(
        expected_jobs=0,
        counterpart=0,
        establishment=EstablishmentFactory(
            women_owned=True, ethnic_minority_owned=True, priority_evidence="CCCD chủ cơ sở"
        ),
    )
    scheme = services.current_scheme(datetime.date(2026, 1, 1))
    base, _ = services.priority_points(plain, scheme)
    points, reasons = services.priority_points(flagged, scheme)
    assert points - base == 20
    assert any(r["label"] == "Cơ sở do phụ nữ làm chủ" and r["points"] == "10.00" for r in reasons)
    AppraisalCriterion.objects.filter(scheme=scheme, kind="women_owned").update(max_points=15)
    points, _ = services.priority_points(flagged, scheme)
    assert points - base == 25
    # the 2018 scheme (projects appraised before the decree) gives no such points
    before = services.current_scheme(datetime.date(2025, 1, 1))
    assert services.priority_points(flagged, before)[0] == services.priority_points(plain, before)[0]


def test_the_appraisal_records_the_priority_points_and_the_rule():
    est = EstablishmentFactory(disadvantaged_commune=True, priority_evidence="QĐ xã khó khăn")
    project = ProjectFactory(establishment=est, activity="demo_model", total_cost=BIG, year=2026)
    project = step("appraise", user=make_user("province_officer"), project=project, amount=1_200_000_000)
    appraisal = project.appraisals.get()
    assert any(r["label"].endswith("khó khăn") and r["points"] == "10.00" for r in appraisal.breakdown)
    assert "64/2024/TT-BTC" in appraisal.rule_note and appraisal.ceiling_rule.max_amount == 1_500_000_000

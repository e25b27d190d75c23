"""The national plan provinces feed: a province registers its national-programme proposals, the organiser
appraises and allocates them, the allocation appears in the province's plan; a province on its own instance
sends the same data as a signed file, refused when tampered with, unchanged when imported again."""

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from khuyencong.national import exchange, selectors, services
from khuyencong.national.models import Registration, RegistrationLine
from khuyencong.programme.models import Plan, PlanLine
from tests.factories import make_user
from tests.programme.factories import PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "province": make_user("province_officer", username="sct.cm", province_id=96),
        "other": make_user("province_officer", username="sct.ct", province_id=92),
        "organiser": make_user("national_organiser", username="cuc", email="cuc@moit.gov.vn"),
    }


def proposals():
    """Cà Mau's national-programme proposals of 2026 (and projects a registration leaves out)."""
    a = ProjectFactory(
        code="QG-1",
        programme="national",
        activity="demo_model",
        status="appraised",
        support_appraised=700_000_000,
    )
    b = ProjectFactory(code="QG-2", programme="national", activity="machinery", support_requested=250_000_000)
    c = ProjectFactory(code="QG-3", programme="national", activity="machinery", support_requested=180_000_000)
    ProjectFactory(code="DP-1", programme="local", support_requested=90_000_000)  # local funds
    ProjectFactory(code="QG-9", programme="national", status="cancelled")
    ProjectFactory(code="QG-8", programme="national", year=2025)
    return a, b, c


def submitted(people):
    proposals()
    reg = services.prepare_registration(user=people["province"], province_id=96, year=2026)
    return services.submit_registration(user=people["province"], registration=reg)


def test_a_province_registers_its_national_proposals_of_the_year(people):
    proposals()
    reg = services.prepare_registration(user=people["province"], province_id=96, year=2026)
    assert sorted(reg.lines.values_list("code", "requested")) == [
        ("QG-1", 700_000_000),
        ("QG-2", 250_000_000),
        ("QG-3", 180_000_000),
    ]
    assert services.requested_total(reg) == 1_130_000_000
    with pytest.raises(PermissionDenied):
        services.prepare_registration(user=people["other"], province_id=96, year=2026)
    with pytest.raises(PermissionDenied):
        services.submit_registration(user=people["organiser"], registration=reg)


def test_submitting_tells_the_organiser_and_only_the_table_moves_it(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reg = submitted(people)
    assert reg.status == "submitted"
    assert any("Cà Mau" in m.subject for m in mail.outbox) and people["organiser"].email in mail.outbox[-1].to
    with pytest.raises(services.IllegalTransition):
        services.allocate_registration(
            user=people["organiser"],
            registration=reg,
            amounts={"machinery": 1},
            decision_no="1/QĐ-BCT",
            decision_date=datetime.date(2026, 1, 5),
        )
    with pytest.raises(ValidationError):  # no reason
        services.return_registration(user=people["organiser"], registration=reg, reason=" ")
    reg = services.return_registration(user=people["organiser"], registration=reg, reason="Bổ sung dự toán")
    assert reg.status == "returned"
    reg = services.submit_registration(user=people["province"], registration=reg)
    steps = list(reg.transitions.values_list("to_status", flat=True))
    assert steps == ["draft", "submitted", "returned", "submitted"]


def test_appraised_and_allocated_funds_appear_in_the_provinces_plan(people):
    PlanFactory(national_budget=0, local_budget=3_000_000_000)
    reg = submitted(people)
    with pytest.raises(ValidationError):  # more than requested
        services.appraise_registration(
            user=people["organiser"], registration=reg, amounts={"QG-1": 800_000_000, "QG-2": 1, "QG-3": 1}
        )
    with pytest.raises(PermissionDenied):
        services.appraise_registration(
            user=people["province"], registration=reg, amounts={"QG-1": 1, "QG-2": 1, "QG-3": 1}
        )
    reg = services.appraise_registration(
        user=people["organiser"],
        registration=reg,
        amounts={"QG-1": 600_000_000, "QG-2": 250_000_000, "QG-3": 0},
        notes={"QG-3": "Trùng nội dung với đề án QG-2"},
    )
    assert services.appraised_by_activity(reg) == {"demo_model": 600_000_000, "machinery": 250_000_000}
    reg = services.allocate_registration(
        user=people["organiser"],
        registration=reg,
        amounts={"demo_model": 600_000_000, "machinery": 200_000_000},
        decision_no="15/QĐ-BCT",
        decision_date=datetime.date(2026, 1, 20),
    )
    plan = Plan.objects.get(province_id=96, year=2026)
    assert plan.national_budget == 800_000_000 and plan.local_budget == 3_000_000_000
    lines = dict(PlanLine.objects.filter(plan=plan, programme="national").values_list("activity", "amount"))
    assert lines == {"demo_model": 600_000_000, "machinery": 200_000_000}
    assert selectors.plan_allocation(plan) == reg
    data = selectors.consolidation(people["organiser"], 2026)
    assert data["total"] == {"requested": 1_130_000_000, "appraised": 850_000_000, "allocated": 800_000_000}
    # the other province's officer sees none of it
    assert not selectors.visible_registrations(people["other"]).exists()


def test_the_signed_file_round_trip_keeps_the_figures_to_the_dong_and_refuses_tampering(people, settings):
    settings.EXCHANGE_KEY = "khoa-chung-bo-tinh"
    reg = submitted(people)
    content = exchange.export_registration(user=people["province"], registration=reg)
    sent = {line.code: line.requested for line in reg.lines.all()}
    # the Ministry runs its own instance: the registration arrives only through the file
    Registration.objects.all().delete()
    received, outcome = exchange.import_registration(user=people["organiser"], content=content)
    assert outcome == "created" and received.source == "file" and received.status == "submitted"
    assert {line.code: line.requested for line in received.lines.all()} == sent
    assert services.requested_total(received) == sum(sent.values()) == 1_130_000_000
    # importing the same file again changes nothing
    before = list(RegistrationLine.objects.values_list("pk", "updated_at"))
    again, outcome = exchange.import_registration(user=people["organiser"], content=content)
    assert outcome == "unchanged" and again.pk == received.pk
    assert list(RegistrationLine.objects.values_list("pk", "updated_at")) == before
    # one đồng changed in the file: refused, nothing written
    data = json.loads(content)
    data["lines"][0]["requested"] += 1
    data["totals"]["requested"] += 1
    with pytest.raises(exchange.ExchangeRefused) as exc:
        exchange.import_registration(user=people["organiser"], content=json.dumps(data).encode())
    assert "Chữ ký" in exc.value.messages[0]
    assert services.requested_total(Registration.objects.get()) == 1_130_000_000
    # signed with another key: said so
    settings.EXCHANGE_KEY = "khoa-khac"
    with pytest.raises(exchange.ExchangeRefused) as exc:
        exchange.import_registration(user=people["organiser"], content=content)
    assert "khóa" in exc.value.messages[0]


def test_a_later_revision_replaces_the_proposals_until_they_are_appraised(people, settings):
    settings.EXCHANGE_KEY = "khoa-chung"
    reg = submitted(people)
    first = exchange.export_registration(user=people["province"], registration=reg)
    reg = services.return_registration(user=people["organiser"], registration=reg, reason="Bổ sung")
    ProjectFactory(code="QG-4", programme="national", activity="training", support_requested=120_000_000)
    reg = services.prepare_registration(user=people["province"], province_id=96, year=2026)
    reg = services.submit_registration(user=people["province"], registration=reg)
    assert reg.revision == 2
    second = exchange.export_registration(user=people["province"], registration=reg)
    Registration.objects.all().delete()
    exchange.import_registration(user=people["organiser"], content=first)
    received, outcome = exchange.import_registration(user=people["organiser"], content=second)
    assert outcome == "updated" and received.lines.count() == 4
    with pytest.raises(exchange.ExchangeRefused):  # an older revision after a newer one
        exchange.import_registration(user=people["organiser"], content=first)
    services.appraise_registration(
        user=people["organiser"],
        registration=received,
        amounts={line.code: 0 for line in received.lines.all()},
    )
    with pytest.raises(exchange.ExchangeRefused):
        exchange.import_registration(
            user=people["organiser"], content=second.replace(b'"revision": 2', b'"revision": 3')
        )


def test_only_the_organiser_imports_and_an_unsigned_file_is_refused(people, settings):
    settings.EXCHANGE_KEY = "khoa-chung"
    reg = submitted(people)
    content = exchange.export_registration(user=people["province"], registration=reg)
    with pytest.raises(PermissionDenied):
        exchange.import_registration(user=people["province"], content=content)
    data = json.loads(content)
    data.pop("signature")
    with pytest.raises(exchange.ExchangeRefused):
        exchange.import_registration(user=people["organiser"], content=json.dumps(data).encode())
    with pytest.raises(exchange.ExchangeRefused):
        exchange.import_registration(user=people["organiser"], content=b"not json")

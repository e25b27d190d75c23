"""The way back: the Ministry's allocation as a signed file, imported on the province's own instance. The
round trip province → Ministry → province keeps every figure to the đồng, and the province's plan receives
the same national lines as when both sides share one deployment.

Both instances are simulated in one database as two organisations: while the Ministry works, the province's
own registration and plan are set aside (the Ministry knows only what arrives in the file), and the Ministry's
rows are removed before the province imports (the province knows only what comes back)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from khuyencong.national import exchange, selectors, services
from khuyencong.national.models import Allocation, Registration, RegistrationLine
from khuyencong.programme.models import Plan, PlanLine
from tests.api.conftest import bearer  # noqa: F401
from tests.factories import make_user
from tests.programme.factories import PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PARKED = 2000  # the year the province's own rows wait in while the Ministry's instance works


@pytest.fixture
def people(settings):
    settings.EXCHANGE_KEY = "khoa-chung-bo-tinh"
    return {
        "province": make_user("province_officer", username="sct.cm", province_id=96),
        "other": make_user("province_officer", username="sct.ct", province_id=92),
        "organiser": make_user("national_organiser", username="cuc"),
    }


def province_registers(people):
    PlanFactory(national_budget=0, local_budget=3_000_000_000)
    ProjectFactory(code="QG-1", programme="national", activity="demo_model", support_requested=703_703_671)
    ProjectFactory(code="QG-2", programme="national", activity="machinery", support_requested=299_999_999)
    ProjectFactory(code="QG-3", programme="national", activity="machinery", support_requested=180_000_001)
    ProjectFactory(code="QG-4", programme="national", activity="training", support_requested=95_500_500)
    reg = services.prepare_registration(user=people["province"], province_id=96, year=2026)
    reg = services.submit_registration(user=people["province"], registration=reg)
    return reg, exchange.export_registration(user=people["province"], registration=reg)


def set_province_aside():
    Registration.objects.filter(province_id=96, year=2026).update(year=PARKED)
    Plan.objects.filter(province_id=96, year=2026).update(year=PARKED)


def ministry_allocates(people, registration_file, amounts=None):
    """The Ministry's instance: import, appraise, allocate, export the allocation. Returns the file and what the
    Ministry's own records say (its plan lines: the one-deployment path)."""
    reg, outcome = exchange.import_registration(user=people["organiser"], content=registration_file)
    assert outcome == "created" and reg.source == "file"
    reg = services.appraise_registration(
        user=people["organiser"],
        registration=reg,
        amounts={"QG-1": 650_000_333, "QG-2": 299_999_999, "QG-3": 0, "QG-4": 95_500_500},
        notes={"QG-3": "Trùng nội dung với QG-2"},
    )
    reg = services.allocate_registration(
        user=people["organiser"],
        registration=reg,
        amounts=amounts or {"demo_model": 650_000_333, "machinery": 280_000_007, "training": 95_500_500},
        decision_no="2718/QĐ-BCT",
        decision_date=datetime.date(2026, 1, 20),
    )
    return reg, exchange.export_allocation(user=people["organiser"], registration=reg)


def ministry_view(reg):
    plan = Plan.objects.get(province_id=96, year=2026)
    return {
        "appraised": dict(reg.lines.values_list("code", "appraised")),
        "notes": dict(reg.lines.values_list("code", "appraisal_note")),
        "allocations": dict(reg.allocations.values_list("activity", "amount")),
        "totals": selectors.registration_totals(reg),
        "plan_budget": plan.national_budget,
        "plan_lines": dict(
            PlanLine.objects.filter(plan=plan, programme="national").values_list("activity", "amount")
        ),
    }


def back_to_the_province(ministry_reg):
    """Leave the Ministry's instance: its rows go, the province's own come back."""
    Plan.objects.filter(province_id=96, year=2026).delete()
    ministry_reg.delete()
    Registration.objects.filter(province_id=96, year=PARKED).update(year=2026)
    Plan.objects.filter(province_id=96, year=PARKED).update(year=2026)


def round_trip(people, amounts=None):
    reg, registration_file = province_registers(people)
    set_province_aside()
    ministry_reg, allocation_file = ministry_allocates(people, registration_file, amounts)
    seen = ministry_view(ministry_reg)
    back_to_the_province(ministry_reg)
    return Registration.objects.get(pk=reg.pk), allocation_file, seen


def test_the_round_trip_keeps_every_figure_to_the_dong_and_fills_the_plan_as_one_deployment_would(people):
    reg, allocation_file, ministry = round_trip(people)
    assert reg.status == "submitted" and not reg.allocations.exists()
    received, outcome = exchange.import_allocation(user=people["province"], content=allocation_file)
    assert outcome == "created" and received.pk == reg.pk and received.status == "allocated"
    province = ministry_view(received)
    assert province == ministry
    assert province["allocations"] == {
        "demo_model": 650_000_333,
        "machinery": 280_000_007,
        "training": 95_500_500,
    }
    assert province["plan_budget"] == 1_025_500_840
    assert (
        province["totals"]["requested"] == 1_279_204_171 and province["totals"]["appraised"] == 1_045_500_832
    )
    plan = Plan.objects.get(province_id=96, year=2026)
    assert plan.local_budget == 3_000_000_000  # the province's own budget untouched
    assert selectors.plan_allocation(plan) == received and received.decision_no == "2718/QĐ-BCT"
    assert received.transitions.last().note.startswith("Đã nhận phân bổ")
    # importing the same file again changes nothing
    before = (
        list(RegistrationLine.objects.values_list("pk", "updated_at")),
        list(Allocation.objects.values_list("pk", "updated_at")),
        list(PlanLine.objects.values_list("pk", "updated_at")),
        received.transitions.count(),
    )
    again, outcome = exchange.import_allocation(user=people["province"], content=allocation_file)
    assert outcome == "unchanged"
    after = (
        list(RegistrationLine.objects.values_list("pk", "updated_at")),
        list(Allocation.objects.values_list("pk", "updated_at")),
        list(PlanLine.objects.values_list("pk", "updated_at")),
        again.transitions.count(),
    )
    assert after == before


def test_an_amended_allocation_updates_and_an_older_issue_is_refused(people):
    reg, first, _seen = round_trip(people)
    exchange.import_allocation(user=people["province"], content=first)
    # the Ministry amends its decision (issue 2): training no longer funded, machinery raised
    data = json.loads(first)
    data.pop("signature")
    data["issue"] = 2
    data["decision"]["number"] = "2801/QĐ-BCT"
    data["allocations"] = [
        {"activity": "demo_model", "amount": 650_000_333},
        {"activity": "machinery", "amount": 299_999_999},
    ]
    data["totals"]["allocated"] = 950_000_332
    data["signature"] = {"algorithm": "HMAC-SHA256", "key": exchange.key_id(), "value": exchange.sign(data)}
    second = json.dumps(data).encode()
    received, outcome = exchange.import_allocation(user=people["province"], content=second)
    assert outcome == "updated"
    assert dict(received.allocations.values_list("activity", "amount")) == {
        "demo_model": 650_000_333,
        "machinery": 299_999_999,
    }
    plan = Plan.objects.get(province_id=96, year=2026)
    assert plan.national_budget == 950_000_332
    lines = dict(PlanLine.objects.filter(plan=plan, programme="national").values_list("activity", "amount"))
    assert lines == {"demo_model": 650_000_333, "machinery": 299_999_999, "training": 0}
    with pytest.raises(exchange.ExchangeRefused) as exc:
        exchange.import_allocation(user=people["province"], content=first)
    assert "lần ban hành 1" in exc.value.messages[0]


def test_the_ministry_amends_an_allocation_and_the_file_carries_the_next_issue(people):
    reg, registration_file = province_registers(people)
    set_province_aside()
    ministry_reg, first = ministry_allocates(people, registration_file)
    assert json.loads(first)["issue"] == 1
    ministry_reg = services.allocate_registration(
        user=people["organiser"],
        registration=ministry_reg,
        amounts={"demo_model": 600_000_000, "machinery": 280_000_007},
        decision_no="2801/QĐ-BCT",
        decision_date=datetime.date(2026, 3, 2),
    )
    second = json.loads(exchange.export_allocation(user=people["organiser"], registration=ministry_reg))
    assert second["issue"] == 2 and second["totals"]["allocated"] == 880_000_007
    assert {a["activity"] for a in second["allocations"]} == {"demo_model", "machinery"}


def resign(content: bytes, change) -> bytes:
    data = json.loads(content)
    data.pop("signature")
    change(data)
    data["signature"] = {"algorithm": "HMAC-SHA256", "key": exchange.key_id(), "value": exchange.sign(data)}
    return json.dumps(data).encode()


def test_refusals_say_why_and_write_nothing(people, settings):
    reg, allocation_file, _seen = round_trip(people)

    def refused(content, user=None) -> str:
        with pytest.raises(exchange.ExchangeRefused) as exc:
            exchange.import_allocation(user=user or people["province"], content=content)
        return " ".join(exc.value.messages)

    # one đồng changed after the Ministry signed
    data = json.loads(allocation_file)
    data["allocations"][0]["amount"] += 1
    data["totals"]["allocated"] += 1
    assert "sau khi Bộ ký" in refused(json.dumps(data).encode())
    # another province's officer
    assert "Cà Mau" in refused(allocation_file, people["other"])
    # a project the province never registered
    assert "QG-7" in refused(resign(allocation_file, lambda d: d["lines"][0].update(code="QG-7")))

    # the Ministry's requested figure differs from the province's by one đồng
    def one_more(d):
        d["lines"][0]["requested"] += 1
        d["totals"]["requested"] += 1

    assert "khác" in refused(resign(allocation_file, one_more))
    # no registration of that year here
    assert "2027" in refused(resign(allocation_file, lambda d: d.update(year=2027)))
    # the province revised its registration since
    assert "bản sửa đổi 2" in refused(resign(allocation_file, lambda d: d.update(revision=2)))
    # the province's own file given by mistake
    registration_file = exchange.export_registration(user=people["province"], registration=reg)
    assert "hồ sơ đăng ký của tỉnh" in refused(registration_file)
    # another key
    settings.EXCHANGE_KEY = "khoa-khac"
    assert "khóa" in refused(allocation_file)
    reg.refresh_from_db()
    assert reg.status == "submitted" and not reg.allocations.exists()
    assert Plan.objects.get(province_id=96, year=2026).national_budget == 0


def test_the_province_imports_through_the_page_the_cli_and_the_api(people, client, bearer, tmp_path):  # noqa: F811
    reg, allocation_file, seen = round_trip(people)
    # the page
    client.force_login(people["province"])
    listing = client.get(reverse("national:registration_list")).content.decode()
    assert reverse("national:allocation_import") in listing
    upload = io.BytesIO(allocation_file)
    upload.name = "phan-bo.json"
    response = client.post(reverse("national:allocation_import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "Đã nhận phân bổ của Bộ năm 2026" in page
    assert dict(reg.allocations.values_list("activity", "amount")) == seen["allocations"]
    # the command line: the same file again changes nothing
    path = tmp_path / "phan-bo.json"
    path.write_bytes(allocation_file)
    out = io.StringIO()
    call_command("national", "import-allocation", str(path), "--user", "sct.cm", stdout=out)
    assert "nothing changed" in out.getvalue()
    with pytest.raises(CommandError, match="Cà Mau"):
        call_command("national", "import-allocation", str(path), "--user", "sct.ct")
    # the API
    api = bearer(people["province"])
    answer = client.post(
        "/api/v1/national/import-allocation", allocation_file, content_type="application/json", **api
    )
    assert answer.status_code == 200 and answer.json()["outcome"] == "unchanged"
    assert answer.json()["registration"]["allocated"] == sum(seen["allocations"].values())
    tampered = allocation_file.replace(b"650000333", b"650000334")
    refused = client.post(
        "/api/v1/national/import-allocation", tampered, content_type="application/json", **api
    )
    assert refused.status_code == 400


def test_the_organiser_downloads_the_allocation_file_from_the_page_cli_and_api(
    people,
    client,
    bearer,  # noqa: F811
    tmp_path,
):
    reg, registration_file = province_registers(people)
    set_province_aside()
    ministry_reg, _file = ministry_allocates(people, registration_file)
    client.force_login(people["organiser"])
    page = client.get(reverse("national:registration_detail", args=[ministry_reg.pk])).content.decode()
    url = reverse("national:allocation_file", args=[ministry_reg.pk])
    assert url in page
    data = json.loads(client.get(url).content)
    assert data["format"] == "khuyencong.national-allocation" and data["totals"]["allocated"] == 1_025_500_840
    path = tmp_path / "a.json"
    call_command(
        "national", "export-allocation", "--province", "96", "--year", "2026", str(path), "--user", "cuc"
    )
    assert json.loads(path.read_bytes())["totals"]["allocated"] == 1_025_500_840
    api = bearer(people["organiser"])
    answer = client.get(f"/api/v1/national/{ministry_reg.pk}/allocation-file", **api)
    assert answer.status_code == 200 and json.loads(answer.content)["issue"] == 1
    client.force_login(people["province"])  # the province does not export the Ministry's allocation
    assert (
        reverse("national:allocation_file", args=[ministry_reg.pk])
        not in client.get(reverse("national:registration_detail", args=[ministry_reg.pk])).content.decode()
    )

"""Programme targets and progress: each indicator's achieved figure equals the records (hand-counted here)
and the reports' own summary; the projection is linear from the years elapsed; the rules, constraints and
permissions hold; the page, its drill-down, the XLSX export and the API show the same figures."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from khuyencong.geo.selectors import PlaceFilter
from khuyencong.programme import target_services
from khuyencong.programme.target_models import ProgrammeTarget, TargetProgramme
from khuyencong.reports import selectors as report_selectors
from khuyencong.reports import targets
from khuyencong.reports.selectors import Period
from khuyencong.selection.models import Result, Round
from tests.api.conftest import bearer  # noqa: F401  (fixture)
from tests.factories import EstablishmentFactory, ProductFactory, make_user
from tests.programme.factories import ProjectFactory

pytestmark = pytest.mark.django_db

JULY_2026 = datetime.date(2026, 7, 2)  # day 183 of 365: half the year gone by


def settled(year, *, programme="local", support=100_000_000, establishment=None, province_id=96, **kw):
    est = establishment or EstablishmentFactory(
        province_id=province_id, commune_id=32098 if province_id == 96 else None
    )
    return ProjectFactory(
        year=year,
        programme=programme,
        status="settled",
        support_approved=support,
        establishment=est,
        province_id=province_id,
        commune_id=est.commune_id,
        **kw,
    )


def certified(level, year, establishment=None, product=None):
    product = product or ProductFactory(establishment=establishment or EstablishmentFactory())
    round_, _ = Round.objects.get_or_create(
        code=f"R-{level}-{year}",
        defaults={
            "year": year,
            "level": level,
            "title": f"{level} {year}",
            "province_id": 96 if level == "province" else None,
            "status": "decided",
        },
    )
    return Result.objects.create(round=round_, product=product, certified=True, decision_no="1/QĐ")


@pytest.fixture
def officer():
    return make_user("province_officer", province_id=96)


@pytest.fixture
def ca_mau(officer):
    return target_services.create_target_programme(
        user=officer,
        data={
            "code": "CTKC-CM",
            "name": "Chương trình khuyến công tỉnh Cà Mau 2025–2028",
            "scope": "province",
            "province_id": 96,
            "start_year": 2025,
            "end_year": 2028,
        },
    )


@pytest.fixture
def records():
    """Records of Cà Mau in 2025 and 2026, and records that must not count (other province, not settled,
    archived, another year)."""
    a, b = EstablishmentFactory(), EstablishmentFactory()
    settled(
        2025,
        programme="national",
        support=300_000_000,
        establishment=a,
        counterpart=500_000_000,
        jobs=10,
        trainees=30,
        machines=2,
    )
    settled(
        2025,
        programme="local",
        support=200_000_000,
        establishment=a,
        counterpart=100_000_000,
        jobs=5,
        trainees=0,
        machines=1,
    )
    settled(
        2026,
        programme="local",
        support=150_000_000,
        establishment=b,
        counterpart=50_000_000,
        jobs=7,
        trainees=20,
        machines=0,
    )
    # not counted: another province, running, archived, outside the period
    settled(2026, programme="local", support=999_000_000, province_id=92, jobs=99)
    ProjectFactory(year=2026, status="in_progress", support_approved=500_000_000, jobs=50)
    gone = settled(2026, support=777_000_000, jobs=77)
    type(gone).objects.filter(pk=gone.pk).update(
        archived_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    settled(2024, support=888_000_000, jobs=88)
    # certified products of Cà Mau: two at province level in 2025, one of them again in 2026; one at region 2026
    p1 = ProductFactory(establishment=a)
    certified("province", 2025, product=p1)
    certified("province", 2025, establishment=b)
    certified("province", 2026, product=p1)
    certified("region", 2026, product=p1)
    certified("province", 2025, establishment=EstablishmentFactory(province_id=92, commune_id=None))


# indicator: (2025, 2026, 2025–2026 together) counted by hand from `records`
EXPECTED = {
    "projects": (2, 1, 3),
    "support_national": (300_000_000, 0, 300_000_000),
    "support_local": (200_000_000, 150_000_000, 350_000_000),
    "counterpart": (600_000_000, 50_000_000, 650_000_000),
    "establishments": (1, 1, 2),
    "certified_province": (2, 1, 2),  # a product certified twice is counted once over the period
    "certified_region": (0, 1, 1),
    "certified_national": (0, 0, 0),
    "jobs": (15, 7, 22),
    "trainees": (30, 20, 50),
    "machines": (3, 0, 3),
}


@pytest.mark.parametrize("indicator", sorted(EXPECTED))
def test_each_indicator_equals_the_records(ca_mau, officer, records, indicator):
    target_services.set_targets(
        user=officer,
        programme=ca_mau,
        targets=[{"indicator": indicator, "year": y, "value": 10} for y in (2025, 2026, 2027, 2028)],
    )
    progress = targets.progress(TargetProgramme.objects.get(pk=ca_mau.pk), today=JULY_2026)
    (row,) = progress.rows
    y2025, y2026, to_date = EXPECTED[indicator]
    assert [(c.year, c.achieved) for c in row.years] == [
        (2025, y2025),
        (2026, y2026),
        (2027, None),
        (2028, None),
    ]
    assert row.achieved_to_date == to_date
    assert row.period_target == 40 and row.period_target_from_years


def test_the_figures_are_the_reports_own(ca_mau, records):
    place, period = PlaceFilter(province=ca_mau.province), Period(2025, 2026)
    summary = report_selectors.summary(place, period)
    got = {i: targets.achieved(i, place, period) for i in EXPECTED}
    assert got["projects"] == summary["settled_projects"]
    assert got["support_national"] == summary["support"]["national"]
    assert got["support_local"] == summary["support"]["local"]
    assert got["counterpart"] == summary["counterpart"]
    assert got["jobs"] == summary["jobs"]
    assert got["certified_province"] == summary["certified"]["province"]
    assert got["certified_region"] == summary["certified"]["region"]


def test_the_national_programme_counts_the_whole_country(records):
    admin = make_user("admin")
    national = target_services.create_target_programme(
        user=admin,
        data={"code": "QG", "name": "CTKCQG", "scope": "national", "start_year": 2025, "end_year": 2030},
    )
    place = targets.place_of(national)
    assert place.province is None
    assert targets.achieved("jobs", place, Period(2026, 2026)) == 7 + 99  # Cà Mau's and Cần Thơ's
    assert targets.achieved("certified_province", place, Period(2025, 2025)) == 3


def test_elapsed_years_and_the_linear_projection(ca_mau):
    assert targets.elapsed_years(ca_mau, datetime.date(2024, 12, 31)) == 0
    assert targets.elapsed_years(ca_mau, datetime.date(2025, 12, 31)) == 1
    assert targets.elapsed_years(ca_mau, JULY_2026) == 1 + Decimal(183) / Decimal(365)
    assert targets.elapsed_years(ca_mau, datetime.date(2031, 1, 1)) == 4
    # 22 jobs in 1.5014 years of 4: 22 × 4 / 1.5014 = 58.6 → 59
    assert targets.projection(22, targets.elapsed_years(ca_mau, JULY_2026), 4) == 59
    assert targets.projection(22, Decimal(0), 4) is None
    assert targets.projection(22, Decimal(4), 4) == 22  # the period is over: what was achieved


def test_progress_against_a_period_target(ca_mau, officer, records):
    target_services.set_targets(
        user=officer,
        programme=ca_mau,
        targets=[
            {"indicator": "jobs", "year": None, "value": 50},
            {"indicator": "jobs", "year": 2025, "value": 12},
        ],
    )
    (row,) = targets.progress(TargetProgramme.objects.get(pk=ca_mau.pk), today=JULY_2026).rows
    assert row.period_target == 50 and not row.period_target_from_years
    assert row.years[0].target == 12 and row.years[0].share == Decimal("125.0")
    assert row.share_to_date == Decimal("44.0")
    assert row.projection == 59 and row.projected_share == Decimal("118.0") and row.on_track is True


def test_targets_are_checked_and_set_all_or_nothing(ca_mau, officer):
    with pytest.raises(ValidationError) as exc:
        target_services.set_targets(
            user=officer,
            programme=ca_mau,
            targets=[
                {"indicator": "jobs", "year": 2026, "value": 5},
                {"indicator": "jobs", "year": 2031, "value": 5},
                {"indicator": "nothing", "year": None, "value": 5},
                {"indicator": "trainees", "year": None, "value": -1},
            ],
        )
    assert set(exc.value.message_dict) == {"targets.1.year", "targets.2.indicator", "targets.3.value"}
    assert not ProgrammeTarget.objects.exists()
    target_services.set_targets(
        user=officer, programme=ca_mau, targets=[{"indicator": "jobs", "year": 2026, "value": 5}]
    )
    target_services.set_targets(
        user=officer, programme=ca_mau, targets=[{"indicator": "jobs", "year": 2026, "value": None}]
    )
    assert not ProgrammeTarget.objects.exists()


def test_a_period_cannot_shrink_below_its_targets(ca_mau, officer):
    target_services.set_targets(
        user=officer, programme=ca_mau, targets=[{"indicator": "jobs", "year": 2028, "value": 5}]
    )
    with pytest.raises(ValidationError) as exc:
        target_services.update_target_programme(user=officer, programme=ca_mau, data={"end_year": 2027})
    assert "2028" in exc.value.message_dict["end_year"][0]


def test_who_sets_targets(ca_mau):
    other = make_user("province_officer", province_id=92)
    with pytest.raises(PermissionDenied):
        target_services.set_targets(user=other, programme=ca_mau, targets=[])
    with pytest.raises(PermissionDenied):
        target_services.create_target_programme(
            user=make_user("province_officer", province_id=96),
            data={"code": "QG", "name": "QG", "scope": "national", "start_year": 2026, "end_year": 2030},
        )
    organiser = make_user("national_organiser")
    national = target_services.create_target_programme(
        user=organiser,
        data={"code": "QG", "name": "QG", "scope": "national", "start_year": 2026, "end_year": 2030},
    )
    with pytest.raises(PermissionDenied):
        target_services.set_targets(user=organiser, programme=ca_mau, targets=[])
    assert national.province_id is None


def test_a_programme_is_audited(ca_mau, officer):
    from auditlog.models import LogEntry

    target_services.set_targets(
        user=officer, programme=ca_mau, targets=[{"indicator": "jobs", "year": 2026, "value": 5}]
    )
    assert LogEntry.objects.filter(actor=officer, content_type__model="programmetarget").exists()
    assert LogEntry.objects.filter(actor=officer, content_type__model="targetprogramme").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"end_year": 2020},  # before the start
        {"scope": "national"},  # the province of a national programme
        {"scope": "province", "province_id": None},
    ],
)
def test_the_database_holds_the_programme_rules(ca_mau, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetProgramme.objects.filter(pk=ca_mau.pk).update(**change)


def test_the_database_holds_the_target_rules(ca_mau):
    ProgrammeTarget.objects.create(programme=ca_mau, indicator="jobs", year=None, value=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeTarget.objects.create(programme=ca_mau, indicator="jobs", year=None, value=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeTarget.objects.create(programme=ca_mau, indicator="jobs", year=2026, value=-1)


# --- scope, page, export, API ----------------------------------------------------------------------------


def test_who_sees_which_programme(ca_mau):
    from khuyencong.programme.target_selectors import visible_target_programmes

    admin = make_user("admin")
    national = target_services.create_target_programme(
        user=admin,
        data={"code": "QG", "name": "QG", "scope": "national", "start_year": 2026, "end_year": 2030},
    )
    seen = lambda user: set(visible_target_programmes(user).values_list("code", flat=True))  # noqa: E731
    assert seen(admin) == {"QG", "CTKC-CM"}
    assert seen(make_user("viewer")) == {"QG", "CTKC-CM"}  # the Ministry
    assert seen(make_user("province_officer", province_id=96)) == {"CTKC-CM"}
    assert seen(make_user("commune_officer", province_id=96, commune_id=32098)) == {"CTKC-CM"}
    assert seen(make_user("province_officer", province_id=92)) == set()
    assert seen(make_user("judge")) == set()
    assert national


def test_the_progress_page_shows_the_figures_and_links_to_the_records(client, ca_mau, officer, records):
    target_services.set_targets(
        user=officer,
        programme=ca_mau,
        targets=[{"indicator": "support_local", "year": 2025, "value": 400_000_000}],
    )
    client.force_login(officer)
    body = client.get(f"/programme/targets/{ca_mau.pk}/").content.decode()
    assert "Hỗ trợ từ kinh phí địa phương (đồng)" in body
    assert "/reports/rows/support-local/?from=2025&amp;to=2025&amp;province=96" in body
    assert "50,0 %" in body  # 200 million of 400 million in 2025
    assert "tuyến tính" in body  # the method is stated
    rows = client.get("/reports/rows/support-local/?from=2025&to=2025&province=96").content.decode()
    assert rows.count("DA-T-") == 1  # the one local project of 2025 the figure counts


def test_the_progress_export(client, ca_mau, officer, records):
    from openpyxl import load_workbook

    target_services.set_targets(
        user=officer, programme=ca_mau, targets=[{"indicator": "jobs", "year": 2025, "value": 20}]
    )
    client.force_login(officer)
    response = client.get(f"/programme/targets/{ca_mau.pk}/progress.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Chỉ tiêu", "Đơn vị", "Chỉ tiêu 2025", "Đạt 2025")
    assert rows[1][:4] == ("Việc làm tạo ra", "số", 20, 15)


def test_the_targets_grid_saves_and_names_bad_cells(client, ca_mau, officer):
    client.force_login(officer)
    url = f"/programme/targets/{ca_mau.pk}/targets/"
    response = client.post(url, {"t_jobs_2026": "1.200", "t_support_local_period": "3.000.000.000"})
    assert response.status_code == 302
    assert {(t.indicator, t.year, t.value) for t in ProgrammeTarget.objects.all()} == {
        ("jobs", 2026, 1200),
        ("support_local", None, 3_000_000_000),
    }
    body = client.post(url, {"t_jobs_2026": "nhiều"}).content.decode()
    assert "không phải là số nguyên" in body
    grid = client.get(url).content.decode()
    assert 'value="1.200"' in grid and 'value="3.000.000.000"' in grid  # as a reader types them
    client.force_login(make_user("province_officer", province_id=92))
    assert client.get(url).status_code == 404


def test_the_api_gives_the_same_progress(client, bearer, ca_mau, officer, records):  # noqa: F811
    target_services.set_targets(
        user=officer, programme=ca_mau, targets=[{"indicator": "jobs", "year": None, "value": 44}]
    )
    body = client.get(f"/api/v1/programmes/{ca_mau.pk}/progress", **bearer(officer)).json()
    (row,) = body["indicators"]
    assert (
        row["indicator"] == "jobs"
        and row["achieved_to_date"] == targets.progress(ca_mau).rows[0].achieved_to_date
    )
    assert [y["achieved"] for y in row["years"]][:2] == [15, 7]
    assert row["records"] == "support"


@pytest.mark.parametrize(
    "role,expected",
    [("province_officer", 200), ("other", 404), ("national_organiser", 403), ("judge", 403), ("rep", 403)],
)
def test_the_api_targets_endpoint_by_role(client, bearer, ca_mau, role, expected):  # noqa: F811
    user = {
        "province_officer": lambda: make_user("province_officer", province_id=96),
        "other": lambda: make_user("province_officer", province_id=92),
        "national_organiser": lambda: make_user("national_organiser"),
        "judge": lambda: make_user("judge"),
        "rep": lambda: make_user("establishment", establishment=EstablishmentFactory()),
    }[role]()
    payload = {"targets": [{"indicator": "jobs", "year": 2026, "value": 40}]}
    response = client.put(
        f"/api/v1/programmes/{ca_mau.pk}/targets", payload, content_type="application/json", **bearer(user)
    )
    assert response.status_code == expected, response.content
    assert ProgrammeTarget.objects.filter(programme=ca_mau).exists() == (expected == 200)


def test_the_demo_programmes(officer):
    from khuyencong.geo.models import Province
    from khuyencong.programme import target_demo

    ctx = {
        "users": {"admin": make_user("admin"), "sct.camau": officer},
        "province": Province.objects.get(pk=96),
    }
    target_demo.load(ctx)
    target_demo.load(ctx)  # repeatable
    national, local = ctx["target_programmes"]["national"], ctx["target_programmes"]["local"]
    assert national.decision_no == "2646/QĐ-BCT" and national.years == [2026, 2027, 2028, 2029, 2030]
    assert local.province_id == 96 and local.targets.filter(indicator="projects", year=2026).get().value == 6
    assert TargetProgramme.objects.count() == 2

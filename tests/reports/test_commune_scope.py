"""A commune officer's reports, drill-downs, dashboard and API cover their commune, never the province."""

import pytest
from django.utils import timezone

from khuyencong.selection.models import Result
from tests.factories import EstablishmentFactory, ProductFactory, make_user
from tests.programme.factories import ProjectFactory
from tests.selection.factories import make_round

pytestmark = pytest.mark.django_db

SONG_DOC, DAM_DOI = 32098, 32152


@pytest.fixture
def place():
    """One settled, one running project and one certified product in Sông Đốc and in Đầm Dơi (both Cà Mau)."""
    year = timezone.localdate().year
    world = {}
    round_ = make_round(status="decided")
    for commune, tag in ((SONG_DOC, "own"), (DAM_DOI, "other")):
        est = EstablishmentFactory(commune_id=commune, name=f"Cơ sở {tag}")
        world[f"{tag}_settled"] = ProjectFactory(
            establishment=est,
            commune_id=commune,
            year=year,
            status="settled",
            title=f"Đề án quyết toán {tag}",
            support_approved=100_000_000,
            support_settled=100_000_000 if tag == "own" else 300_000_000,
        )
        world[f"{tag}_running"] = ProjectFactory(
            establishment=est,
            commune_id=commune,
            year=year,
            status="approved",
            title=f"Đề án đang chạy {tag}",
            support_approved=50_000_000,
        )
        product = ProductFactory(establishment=est, name=f"Sản phẩm {tag}")
        Result.objects.create(round=round_, product=product, certified=True, certificate_no=f"GCN-{tag}")
        world[f"{tag}_product"] = product
    world["year"] = year
    return world


@pytest.fixture
def commune_officer_client(client):
    client.force_login(make_user("commune_officer", province_id=96, commune_id=SONG_DOC))
    return client


@pytest.mark.parametrize(
    "figure, own, other",
    [
        ("support", "Đề án quyết toán own", "Đề án quyết toán other"),
        ("running", "Đề án đang chạy own", "Đề án đang chạy other"),
        ("certified-province", "Sản phẩm own", "Sản phẩm other"),
    ],
)
def test_a_commune_officer_drills_down_into_their_commune_only(
    commune_officer_client, place, figure, own, other
):
    for query in ({"province": "96"}, {}):
        body = commune_officer_client.get(f"/reports/rows/{figure}/", query).content.decode()
        assert own in body
        assert other not in body


def test_a_commune_officers_summary_and_dashboard_count_their_commune(commune_officer_client, place):
    summary = commune_officer_client.get("/reports/", {"province": "96"})
    assert summary.context["summary"]["support"]["total"] == 100_000_000
    assert summary.context["summary"]["running"]["projects"] == 1
    dashboard = commune_officer_client.get("/").content.decode()
    value = dashboard.index('data-testid="stat-report_support"')
    card = dashboard[dashboard.rindex("<a ", 0, value) : dashboard.index("</a>", value)]
    assert "Kinh phí quyết toán năm nay" in card and ">100 triệu đồng<" in card


def test_a_commune_officer_may_not_ask_for_another_province(commune_officer_client, place):
    assert commune_officer_client.get("/reports/rows/support/", {"province": "92"}).status_code == 403


def test_the_province_officer_still_sees_the_whole_province(client, place):
    client.force_login(make_user("province_officer"))
    body = client.get("/reports/rows/support/", {"province": "96"}).content.decode()
    assert "Đề án quyết toán own" in body and "Đề án quyết toán other" in body

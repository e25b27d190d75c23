"""Issue 16, retyping: forms start from what the system holds, pickers are narrowed by what was chosen."""

import json
import re

import pytest

from tests.factories import EstablishmentFactory, ProductFactory, make_user
from tests.selection.factories import make_dossier, make_round

pytestmark = pytest.mark.django_db


def _field(html, name):
    """The value a form field shows (input value or textarea text)."""
    m = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    if m:
        return m.group(1).strip()
    m = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    if not m:
        return None
    v = re.search(r'value="([^"]*)"', m.group(0))
    return v.group(1) if v else ""


def test_a_new_dossier_takes_markets_and_workers_from_the_registry(client):
    round_ = make_round()
    product = ProductFactory(establishment__markets="Co.opmart, Bách hóa Xanh", establishment__workers=23)
    client.force_login(make_user("establishment", establishment=product.establishment))
    html = client.get(f"/selection/rounds/{round_.pk}/register/?product={product.pk}").content.decode()
    assert _field(html, "markets") == "Co.opmart, Bách hóa Xanh"
    assert _field(html, "workers") == "23"
    assert "Điền sẵn từ sổ đăng ký" in html


def test_a_new_dossier_takes_the_previous_dossier_first(client):
    old_round = make_round(year=2023, title="Bình chọn cấp tỉnh 2023", status="closed")
    product = ProductFactory(establishment__markets="Chợ địa phương", establishment__workers=5)
    make_dossier(
        old_round,
        product=product,
        markets="Siêu thị Co.opmart, xuất khẩu Hàn Quốc",
        workers=31,
        annual_revenue=2_500_000_000,
        with_documents=False,
    )
    product.dossiers.update(summary="Khô mực câu tay, phơi một nắng")
    round_ = make_round()
    client.force_login(make_user("establishment", establishment=product.establishment))
    html = client.get(f"/selection/rounds/{round_.pk}/register/?product={product.pk}").content.decode()
    assert _field(html, "markets") == "Siêu thị Co.opmart, xuất khẩu Hàn Quốc"
    assert _field(html, "workers") == "31"
    assert _field(html, "summary") == "Khô mực câu tay, phơi một nắng"
    assert _field(html, "annual_revenue") == "2500000000"
    assert "Bình chọn cấp tỉnh 2023" in html


def test_choosing_another_product_replaces_what_was_filled_in_but_keeps_what_was_typed(client):
    round_ = make_round()
    est = EstablishmentFactory(markets="Chợ Cà Mau", workers=7)
    first = ProductFactory(establishment=est)
    other_est = EstablishmentFactory(markets="Xuất khẩu Nhật Bản", workers=40)
    second = ProductFactory(establishment=other_est)
    client.force_login(make_user("province_officer"))
    url = f"/selection/rounds/{round_.pk}/register/"
    html = client.get(url, {"product": first.pk}).content.decode()
    prefilled = json.loads(
        re.search(r'name="prefilled" value="([^"]*)"', html).group(1).replace("&quot;", '"')
    )
    html = client.get(
        url,
        {
            "product": second.pk,
            "prefilled": json.dumps(prefilled),
            "markets": "Chợ Cà Mau",  # as filled in for the first product: replaced
            "workers": "12",  # typed by the user: kept
            "summary": "Tôm khô",
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert _field(html, "markets") == "Xuất khẩu Nhật Bản"
    assert _field(html, "workers") == "12"
    assert _field(html, "summary") == "Tôm khô"


def test_a_project_placed_at_its_beneficiary_takes_its_commune(client):
    est = EstablishmentFactory(province_id=96, commune_id=32098)
    officer = make_user("province_officer", username="sct")
    client.force_login(officer)
    # htmx, when the beneficiary is chosen: the form comes back placed at the establishment's commune
    html = client.get(
        "/programme/projects/new/",
        {"establishment": est.pk, "title": "Máy sấy mực", "province": "96", "commune": ""},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert re.search(r'<option value="32098" selected>', html)
    assert _field(html, "title") == "Máy sấy mực"
    # and the service does the same for a proposal sent with the province only (API, import)
    from khuyencong.programme import services

    project = services.propose_project(
        user=officer,
        data={
            "code": "DA-T-1",
            "year": 2026,
            "title": "Máy sấy mực",
            "programme": "local",
            "activity": "machinery",
            "establishment": est,
            "province": est.province,
            "total_cost": 1_000_000_000,
            "support_requested": 300_000_000,
        },
    )
    assert project.commune_id == 32098


def test_the_fair_offers_only_the_chosen_establishments_products_as_checkboxes(client):
    from tests.outreach.factories import make_event

    officer = make_user("province_officer", username="sct")
    event = make_event(officer, title="Hội chợ Cà Mau")
    mine = ProductFactory(name="Khô mực một nắng")
    ProductFactory(name="Khô mực hai nắng", establishment=mine.establishment)
    ProductFactory(name="Tôm khô Đầm Dơi")
    client.force_login(officer)
    html = client.get(f"/outreach/events/{event.pk}/").content.decode()
    assert "Khô mực một nắng" not in html and "Giữ Ctrl" not in html
    assert "Chọn cơ sở trước" in html
    fragment = client.get(
        f"/outreach/events/{event.pk}/participant-products/", {"establishment": mine.establishment.pk}
    ).content.decode()
    assert fragment.count('type="checkbox"') == 2
    assert "Khô mực một nắng" in fragment and "Tôm khô Đầm Dơi" not in fragment


def test_former_units_are_narrowed_by_the_chosen_province(client):
    from khuyencong.geo.models import LegacyDistrict, LegacyProvince

    client.force_login(make_user("province_officer", username="sct"))
    html = client.get("/registry/establishments/new/").content.decode()
    select = re.search(r'<select name="legacy_province".*?</select>', html, re.S).group(0)
    former = set(LegacyProvince.objects.filter(successor_id=96).values_list("pk", flat=True))
    offered = {int(v) for v in re.findall(r'<option value="(\d+)"', select)}
    assert offered == former and 0 < len(offered) < 63
    options = client.get("/registry/legacy-provinces/", {"province": "92"}).content.decode()
    assert {int(v) for v in re.findall(r'value="(\d+)"', options)} == set(
        LegacyProvince.objects.filter(successor_id=92).values_list("pk", flat=True)
    )
    bac_lieu = LegacyProvince.objects.filter(successor_id=96).exclude(districts=None).first()
    options = client.get(
        "/registry/legacy-districts/", {"province": "96", "legacy_province": bac_lieu.pk}
    ).content.decode()
    assert {int(v) for v in re.findall(r'value="(\d+)"', options)} == set(
        LegacyDistrict.objects.filter(legacy_province=bac_lieu).values_list("pk", flat=True)
    )
    # a former province of another province is ignored: the districts of the chosen province's former ones
    options = client.get(
        "/registry/legacy-districts/", {"province": "96", "legacy_province": "1"}
    ).content.decode()
    assert (
        len(re.findall(r'value="\d+"', options))
        == LegacyDistrict.objects.filter(legacy_province__successor_id=96).count()
    )
    round_form = client.get("/selection/rounds/new/").content.decode()
    select = re.search(r'<select name="legacy_district".*?</select>', round_form, re.S).group(0)
    assert 'hx-trigger="change from:#id_province, change from:#id_legacy_province"' in select


def test_upload_a_corrected_file_keeps_the_kind_of_file(client):
    from khuyencong.interchange.models import ImportJob

    officer = make_user("province_officer", username="sct")
    job = ImportJob.objects.create(
        user=officer,
        kind="projects",
        original_name="du_an.xlsx",
        status="refused",
        report={
            "kind": "projects",
            "dry_run": True,
            "rows": 1,
            "errors": [{"row": 2, "column": "code", "message": "Thiếu mã"}],
        },
    )
    client.force_login(officer)
    html = client.get(f"/data/imports/{job.pk}/").content.decode()
    link = re.search(r'href="([^"]+)"[^>]*data-testid="upload-corrected"', html).group(1)
    assert link.endswith("?kind=projects")
    home = client.get(link.replace("&amp;", "&")).content.decode()
    assert re.search(r'<option value="projects" selected>', home)


def test_the_certified_dossiers_photo_reaches_the_catalogue(client):
    import datetime

    from khuyencong.selection import services
    from tests.selection.factories import assign, full_points, seat

    officer = make_user("province_officer", username="sct")
    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible")  # with a registration form and a photo
    product = dossier.product
    assert not product.photo
    member = seat(round_)
    assign(member, dossier)
    services.save_score(user=member.user, dossier=dossier, points=full_points(round_), submit=True)
    services.close_scoring(user=officer, round_=round_)
    services.approve_results(user=officer, round_=round_)
    services.record_decision(
        user=officer,
        round_=round_,
        decision_no="12/QĐ-UBND",
        decision_date=datetime.date(2026, 5, 1),
        signer="A",
    )
    product.refresh_from_db()
    assert product.photo and product.thumbnail
    html = client.get(f"/catalogue/{product.pk}/").content.decode()
    assert product.thumbnail.url in html and "bi-image fs-1" not in html

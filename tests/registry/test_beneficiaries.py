"""Beneficiaries as Decree 235/2025/NĐ-CP names them: craft villages, artisans, and the priority flags
of establishments (kept with their evidence), as records, pages and projects' beneficiaries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.registry import services
from khuyencong.registry.models import Artisan, CraftVillage
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def village_data(**overrides):
    return {
        "code": "LN-001",
        "name": "Làng nghề đan đát Tân Hưng",
        "trade": "Đan đát lục bình",
        "recognition_no": "1234/QĐ-UBND",
        "recognition_date": datetime.date(2019, 5, 10),
        "recognised_by": "UBND tỉnh Cà Mau",
        "households": 120,
        "province_id": 96,
        "commune_id": 32098,
    } | overrides


def artisan_data(**overrides):
    return {
        "code": "NN-001",
        "name": "Nguyễn Văn Lục",
        "title": "outstanding",
        "title_year": 2022,
        "trade": "Đan lục bình",
        "birth_year": 1960,
        "province_id": 96,
        "commune_id": 32098,
    } | overrides


def test_an_officer_records_a_craft_village_with_its_establishments():
    est = EstablishmentFactory()
    village = services.create_craft_village(
        user=make_user("province_officer"), data=village_data(establishments=[est])
    )
    assert list(village.establishments.all()) == [est]
    assert list(est.craft_villages.all()) == [village]


def test_craft_villages_refuse_other_places_duplicates_and_other_provinces_establishments():
    officer = make_user("province_officer")
    with pytest.raises(PermissionDenied):
        services.create_craft_village(
            user=make_user("province_officer", province_id=92, username="ct"), data=village_data()
        )
    with pytest.raises(PermissionDenied):
        services.create_craft_village(user=make_user("viewer"), data=village_data())
    services.create_craft_village(user=officer, data=village_data())
    with pytest.raises(ValidationError) as exc:
        services.create_craft_village(user=officer, data=village_data(name="Khác"))
    assert "code" in exc.value.message_dict
    other = EstablishmentFactory(province_id=92, commune_id=31135)
    with pytest.raises(ValidationError):
        services.create_craft_village(
            user=make_user("admin"), data=village_data(code="LN-002", establishments=[other])
        )


def test_an_artisan_has_a_title_and_year_and_links_to_an_establishment():
    est = EstablishmentFactory()
    artisan = services.create_artisan(
        user=make_user("province_officer"), data=artisan_data(establishment=est)
    )
    assert artisan.get_title_display() == "Nghệ nhân ưu tú"
    assert list(est.artisans.all()) == [artisan]
    with pytest.raises(ValidationError) as exc:
        services.create_artisan(
            user=make_user("province_officer", username="o2"),
            data=artisan_data(code="NN-002", title_year=1950, birth_year=1960),
        )
    assert "title_year" in exc.value.message_dict


def test_a_stale_edit_of_a_craft_village_is_refused():
    officer = make_user("province_officer")
    village = services.create_craft_village(user=officer, data=village_data())
    stale = "2000-01-01T00:00:00+00:00"
    with pytest.raises(ValidationError):
        services.update_craft_village(
            user=officer, village=village, data={"households": 130, "version": stale}
        )


# --- pages ------------------------------------------------------------------------------------


def test_the_craft_village_list_follows_a_new_village(client):
    """Lists keep their page and count until the data changes: a village recorded since shows at once."""
    officer = make_user("province_officer", username="cm")
    client.force_login(officer)
    services.create_craft_village(user=officer, data=village_data())
    assert "Làng nghề đan đát Tân Hưng" in client.get("/registry/villages/").content.decode()
    services.create_craft_village(
        user=officer, data=village_data(code="LN-002", name="Làng nghề bánh tráng Ấp 3")
    )
    body = client.get("/registry/villages/").content.decode()
    assert "Làng nghề đan đát Tân Hưng" in body and "Làng nghề bánh tráng Ấp 3" in body


def test_the_craft_village_pages_list_search_create_edit_archive_and_history(client):
    officer = make_user("province_officer", username="cm")
    client.force_login(officer)
    est = EstablishmentFactory(name="Cơ sở đan lục bình Út Hiền")
    response = client.post(
        "/registry/villages/new/",
        {
            "code": "ln-009",
            "name": "Làng nghề đan đát Tân Hưng",
            "trade": "Đan đát lục bình",
            "recognition_no": "1234/QĐ-UBND",
            "recognition_date": "2019-05-10",
            "households": "120",
            "province": 96,
            "commune": 32098,
            "establishments": [est.pk],
        },
    )
    village = CraftVillage.objects.get()
    assert response.status_code == 302 and response.url == f"/registry/villages/{village.pk}/"
    assert village.code == "LN-009"
    page = client.get(response.url).content.decode()
    assert "1234/QĐ-UBND, 10/05/2019" in page and "Cơ sở đan lục bình Út Hiền" in page
    assert "Lịch sử" in page
    assert "Tân Hưng" in client.get("/registry/villages/", {"q": "lang nghe dan dat"}).content.decode()
    assert "Tân Hưng" not in client.get("/registry/villages/", {"q": "gom su"}).content.decode()
    edit = client.get(f"/registry/villages/{village.pk}/edit/")
    version = edit.context["form"]["version"].value()
    response = client.post(
        f"/registry/villages/{village.pk}/edit/",
        {
            "code": "LN-009",
            "name": "Làng nghề đan đát Tân Hưng",
            "trade": "Đan đát lục bình",
            "recognition_no": "1234/QĐ-UBND",
            "recognition_date": "2019-05-10",
            "households": "135",
            "province": 96,
            "commune": 32098,
            "establishments": [est.pk],
            "version": version,
        },
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.households == 135
    client.post(f"/registry/villages/{village.pk}/archive/")
    village.refresh_from_db()
    assert village.is_archived
    assert "Tân Hưng" not in client.get("/registry/villages/").content.decode()
    # the establishment's page names its village
    assert "Tân Hưng" not in client.get(f"/registry/establishments/{est.pk}/").content.decode()


def test_the_artisan_pages_show_the_title_in_vietnamese_and_filter_by_it(client):
    client.force_login(make_user("province_officer", username="cm"))
    est = EstablishmentFactory()
    response = client.post(
        "/registry/artisans/new/",
        {
            "code": "NN-1",
            "name": "Trần Thị Mai",
            "title": "folk",
            "title_year": "2019",
            "trade": "Dệt chiếu",
            "province": 96,
            "commune": 32098,
            "establishment": est.pk,
        },
    )
    artisan = Artisan.objects.get()
    assert response.status_code == 302
    page = client.get(f"/registry/artisans/{artisan.pk}/").content.decode()
    assert "Nghệ nhân nhân dân 2019" in page
    assert "Trần Thị Mai" in client.get("/registry/artisans/", {"title": "folk"}).content.decode()
    assert "Trần Thị Mai" not in client.get("/registry/artisans/", {"title": "outstanding"}).content.decode()
    assert "Trần Thị Mai" in client.get(f"/registry/establishments/{est.pk}/").content.decode()


def test_other_provinces_records_are_not_found_and_viewers_cannot_create(client):
    village = services.create_craft_village(user=make_user("province_officer"), data=village_data())
    client.force_login(make_user("province_officer", province_id=92, username="ct"))
    assert client.get(f"/registry/villages/{village.pk}/").status_code == 404
    client.force_login(make_user("viewer", province_id=96, username="v"))
    assert client.get("/registry/villages/new/").status_code == 403


# --- priority flags ---------------------------------------------------------------------------


def test_a_priority_flag_needs_its_evidence():
    officer = make_user("province_officer")
    est = EstablishmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.update_establishment(user=officer, establishment=est, data={"women_owned": True})
    assert "priority_evidence" in exc.value.message_dict
    est = services.update_establishment(
        user=officer,
        establishment=est,
        data={"women_owned": True, "priority_evidence": "CCCD của chủ hộ: Nguyễn Thị Hoa"},
    )
    assert est.priority_flags == ["women_owned"]


def test_an_attached_document_is_evidence_enough_and_stays_private(client):
    officer = make_user("province_officer", username="cm")
    est = EstablishmentFactory()
    doc = services.add_evidence(
        user=officer,
        establishment=est,
        upload=SimpleUploadedFile("qd-xa-kho-khan.pdf", PDF, content_type="application/pdf"),
        note="Quyết định danh sách xã khó khăn",
    )
    est = services.update_establishment(user=officer, establishment=est, data={"disadvantaged_commune": True})
    assert est.priority_flags == ["disadvantaged_commune"]
    client.force_login(officer)
    page = client.get(f"/registry/establishments/{est.pk}/").content.decode()
    assert "Cơ sở tại xã" in page or "xã có điều kiện" in page or "khó khăn" in page
    assert client.get(f"/registry/evidence/{doc.pk}/").status_code == 200
    client.force_login(make_user("province_officer", province_id=92, username="ct"))
    assert client.get(f"/registry/evidence/{doc.pk}/").status_code == 404
    client.force_login(make_user("viewer", username="v"))
    assert client.get(f"/registry/evidence/{doc.pk}/").status_code == 404

"""No lost update: two officers open the same record; the second save is refused, saying who changed it and
when, with both versions side by side; the API answers 409 to a stale If-Match. Two real logged-in clients."""

import pytest
from django.test import Client
from django.urls import reverse

from khuyencong.registry.models import Establishment
from tests.factories import EstablishmentFactory, make_user
from tests.outreach.factories import make_event, make_training
from tests.programme.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(response) -> dict:
    """What the browser would send back for the form on the page, untouched."""
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if bound.field.disabled:
            continue
        if bound.widget_type == "checkbox":
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = (
                str(bound.field.prepare_value(value)) if hasattr(bound.field, "prepare_value") else str(value)
            )
    return data


@pytest.fixture
def officers(db):
    first = make_user(
        "province_officer", username="lan", first_name="Lan", last_name="Nguyễn", province_id=96
    )
    second = make_user(
        "province_officer", username="minh", first_name="Minh", last_name="Trần", province_id=96
    )
    return logged_in(first), logged_in(second)


def race(officers, url, field, first_value, second_value):
    """Both open the form; the first saves `field`; the second then saves another value from the old form."""
    lan, minh = officers
    form_lan, form_minh = form_data(lan.get(url)), form_data(minh.get(url))
    assert form_lan.get("version"), "the edit form carries the version it was read at"
    assert lan.post(url, {**form_lan, field: first_value}).status_code == 302
    return minh.post(url, {**form_minh, field: second_value})


def test_the_second_save_of_an_establishment_is_refused_with_both_versions(officers):
    est = EstablishmentFactory(name="Cơ sở Khô mực", province_id=96, commune_id=32098, address="Ấp 1")
    url = reverse("registry:establishment_edit", args=[est.pk])
    response = race(officers, url, "address", "Ấp 2, Sông Đốc", "Ấp 3, Sông Đốc")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã được" in page and "sửa lúc" in page and "kể từ khi bạn mở" in page
    assert "Nguyễn Lan" in page or "Lan Nguyễn" in page
    rows = response.context["form"].stale["rows"]
    assert ("Địa chỉ", "Ấp 3, Sông Đốc", "Ấp 2, Sông Đốc") in rows
    assert 'data-testid="stale-diff"' in page
    est.refresh_from_db()
    assert est.address == "Ấp 2, Sông Đốc"  # the first officer's change stands
    # the refused form now carries the current version: saving again, knowingly, keeps the second's values
    again = officers[1].post(url, {**form_data(response), "address": "Ấp 3, Sông Đốc"})
    assert again.status_code == 302
    est.refresh_from_db()
    assert est.address == "Ấp 3, Sông Đốc"


def test_the_second_save_of_a_project_is_refused(officers):
    project = ProjectFactory(title="Đề án A")
    url = reverse("programme:project_edit", args=[project.pk])
    response = race(officers, url, "title", "Đề án A (sửa lần 1)", "Đề án A (sửa lần 2)")
    assert response.status_code == 200 and "kể từ khi bạn mở" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Đề án A (sửa lần 1)"


def test_the_second_save_of_an_event_and_of_a_training_is_refused(officers, django_user_model):
    lan = django_user_model.objects.get(username="lan")
    event = make_event(lan)
    url = reverse("outreach:event_edit", args=[event.pk])
    response = race(officers, url, "venue", "Nhà văn hóa tỉnh", "Sân vận động")
    assert response.status_code == 200 and "kể từ khi bạn mở" in response.content.decode()
    event.refresh_from_db()
    assert event.venue == "Nhà văn hóa tỉnh"
    training = make_training(lan)
    url = reverse("outreach:training_edit", args=[training.pk])
    response = race(officers, url, "trainer", "Sở Công Thương", "Trường Cao đẳng")
    assert response.status_code == 200 and "kể từ khi bạn mở" in response.content.decode()


def test_a_save_without_a_race_is_not_refused(officers):
    est = EstablishmentFactory(name="Cơ sở A", province_id=96, commune_id=32098)
    url = reverse("registry:establishment_edit", args=[est.pk])
    lan = officers[0]
    for address in ("Ấp 1", "Ấp 2"):  # each save reads the page again, so carries the new version
        assert lan.post(url, {**form_data(lan.get(url)), "address": address}).status_code == 302
    est.refresh_from_db()
    assert est.address == "Ấp 2"


def test_the_api_answers_409_to_a_stale_if_match(client, db):
    from khuyencong.api.services import create_token

    officer = make_user("province_officer", username="api96", first_name="An", province_id=96)
    _token, raw = create_token(user=officer, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    est = EstablishmentFactory(name="Cơ sở API", province_id=96)
    url = f"/api/v1/establishments/{est.pk}"
    etag = client.get(url, **auth)["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    first = client.patch(
        url, {"address": "Ấp 1"}, content_type="application/json", HTTP_IF_MATCH=etag, **auth
    )
    assert first.status_code == 200 and first["ETag"] != etag
    stale = client.patch(
        url, {"address": "Ấp 9"}, content_type="application/json", HTTP_IF_MATCH=etag, **auth
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["your_version"] == etag.strip('"') and body["current_version"] == first["ETag"].strip('"')
    assert body["changed_by"] == "An" and "kể từ khi bạn mở" in body["detail"]
    est.refresh_from_db()
    assert est.address == "Ấp 1"
    fresh = client.patch(
        url, {"address": "Ấp 9"}, content_type="application/json", HTTP_IF_MATCH=first["ETag"], **auth
    )
    assert fresh.status_code == 200
    assert Establishment.objects.get(pk=est.pk).address == "Ấp 9"

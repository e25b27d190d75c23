"""The national plan pages: each side sees its steps; refusals are said in Vietnamese."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.national import services
from tests.factories import make_user
from tests.programme.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_organiser_appraises_and_allocates_through_the_pages(client, settings):
    province = make_user("province_officer", username="sct.cm", province_id=96)
    organiser = make_user("national_organiser", username="cuc")
    ProjectFactory(code="QG-1", programme="national", activity="machinery", support_requested=450_000_000)
    reg = services.prepare_registration(user=province, province_id=96, year=2026)
    reg = services.submit_registration(user=province, registration=reg)
    line = reg.lines.get()
    client.force_login(organiser)
    page = client.get(reverse("national:registration_detail", args=[reg.pk])).content.decode()
    assert "Thẩm định" in page and "Gửi Bộ" not in page
    response = client.post(
        reverse("national:registration_action", args=[reg.pk, "appraise"]),
        {f"amount-{line.pk}": "400.000.000", f"note-{line.pk}": "Giảm thiết bị phụ trợ"},
        follow=True,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)][-1:] == ["Đã lưu."], (
        response.content.decode()[:0]
    )
    line.refresh_from_db()
    assert line.appraised == 400_000_000
    response = client.post(
        reverse("national:registration_action", args=[reg.pk, "allocate"]),
        {"alloc-machinery": "400.000.000", "decision_no": "", "decision_date": "2026-01-08"},
        follow=True,
    )
    assert "Hãy nhập số quyết định giao kinh phí." in response.content.decode()
    client.post(
        reverse("national:registration_action", args=[reg.pk, "allocate"]),
        {"alloc-machinery": "400.000.000", "decision_no": "2718/QĐ-BCT", "decision_date": "2026-01-08"},
    )
    reg.refresh_from_db()
    assert reg.status == "allocated"
    plan_page = client.get(reverse("programme:plan_list")).content.decode()
    assert "Khuyến công quốc gia" in plan_page


def test_a_tampered_file_is_refused_on_the_import_page(client, settings):
    settings.EXCHANGE_KEY = "khoa-chung"
    province = make_user("province_officer", username="sct.cm", province_id=96)
    ProjectFactory(code="QG-1", programme="national", activity="machinery", support_requested=450_000_000)
    reg = services.submit_registration(
        user=province, registration=services.prepare_registration(user=province, province_id=96, year=2026)
    )
    client.force_login(province)
    content = client.get(reverse("national:registration_file", args=[reg.pk])).content
    data = json.loads(content)
    data["lines"][0]["requested"] = 900_000_000
    data["totals"]["requested"] = 900_000_000
    client.force_login(make_user("national_organiser", username="cuc"))
    response = client.post(
        reverse("national:registration_import"),
        {"file": SimpleUploadedFile("dang-ky.json", json.dumps(data).encode())},
        follow=True,
    )
    assert "Chữ ký của tệp không khớp với nội dung" in response.content.decode()
    reg.refresh_from_db()
    assert reg.lines.get().requested == 450_000_000

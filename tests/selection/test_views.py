"""Pages: each one renders for whom it should, in Vietnamese, and the score form is htmx-friendly."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from khuyencong.notifications.services import notify
from khuyencong.selection import services
from khuyencong.selection.models import Certificate, Result, Score
from tests.factories import ProductFactory, make_user

from .factories import assign, full_points, make_dossier, make_round, png_upload, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct")


def test_round_list_and_detail_show_the_round(client, officer):
    round_ = make_round(title="Bình chọn tỉnh Cà Mau 2026")
    client.force_login(officer)
    page = client.get("/selection/").content.decode()
    assert "Bình chọn tỉnh Cà Mau 2026" in page
    detail = client.get(f"/selection/rounds/{round_.pk}/").content.decode()
    assert "Đóng nhận hồ sơ" in detail and "Mở chấm điểm" in detail


def test_an_officer_creates_a_round_and_a_bad_date_is_explained(client, officer):
    from khuyencong.selection.demo import rubric

    client.force_login(officer)
    data = {
        "code": "CM-T-2027",
        "title": "Bình chọn 2027",
        "year": 2027,
        "level": "province",
        "province": 96,
        "rubric": rubric().pk,
        "product_groups": ["handicraft", "agro_processing"],
        "pass_mark": "70",
        "certificate_validity_months": 36,
        "registration_opens": "2027-05-01",
        "registration_closes": "2027-04-01",
    }
    response = client.post("/selection/rounds/new/", data)
    assert response.status_code == 200
    assert "Hạn nộp hồ sơ sớm hơn ngày bắt đầu nhận." in response.content.decode()
    data["registration_closes"] = "2027-07-01"
    response = client.post("/selection/rounds/new/", data)
    assert response.status_code == 302


def test_registration_page_creates_a_draft_dossier(client):
    round_ = make_round()
    product = ProductFactory()
    rep = make_user("establishment", establishment=product.establishment)
    client.force_login(rep)
    assert client.get(f"/selection/rounds/{round_.pk}/register/?product={product.pk}").status_code == 200
    response = client.post(
        f"/selection/rounds/{round_.pk}/register/", {"product": product.pk, "summary": "Mực một nắng"}
    )
    assert response.status_code == 302
    dossier = product.dossiers.get()
    response = client.post(
        f"/selection/dossiers/{dossier.pk}/documents/", {"kind": "photo", "file": png_upload()}
    )
    assert dossier.documents.count() == 1
    response = client.post(f"/selection/dossiers/{dossier.pk}/submit/", follow=True)
    assert "Thiếu tài liệu bắt buộc: Phiếu đăng ký." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "draft"


def test_the_score_form_saves_a_draft_by_htmx_and_shows_errors_in_place(client):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    client.force_login(m.user)
    page = client.get(f"/selection/dossiers/{d.pk}/score/")
    assert page.status_code == 200 and b"hx-post" in page.content
    first = round_.rubric.criteria.first()
    response = client.post(
        f"/selection/dossiers/{d.pk}/score/",
        {f"c_{first.pk}": "99", "action": "draft"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"is-invalid" in response.content
    assert not Score.objects.exists()
    response = client.post(
        f"/selection/dossiers/{d.pk}/score/",
        {f"c_{first.pk}": "12,5", "action": "draft"},
        HTTP_HX_REQUEST="true",
    )
    assert Score.objects.get().total == 12.5
    data = {f"c_{k}": v for k, v in full_points(round_).items()} | {"action": "submit"}
    response = client.post(f"/selection/dossiers/{d.pk}/score/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"]
    assert Score.objects.get().submitted_at


def test_a_judge_with_a_conflict_cannot_open_the_score_form(client):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    services.declare_conflict(user=m.user, dossier=d, kind="hard", reason="Người thân")
    client.force_login(m.user)
    response = client.get(f"/selection/dossiers/{d.pk}/score/")
    assert response.status_code in (302, 403)
    response = client.post(f"/selection/dossiers/{d.pk}/score/", {"action": "submit"})
    assert not Score.objects.exists()


def _approved_round(officer):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    services.save_score(user=m.user, dossier=d, points=full_points(round_), submit=True)
    services.close_scoring(user=officer, round_=round_)
    services.approve_results(user=officer, round_=round_)
    return round_, d, m


def test_after_approval_the_score_form_and_the_admin_refuse_changes(client, officer):
    round_, d, m = _approved_round(officer)
    client.force_login(m.user)
    before = Score.objects.get().total
    client.post(
        f"/selection/dossiers/{d.pk}/score/",
        {f"c_{c.pk}": "0" for c in round_.rubric.criteria.all()} | {"action": "submit"},
    )
    assert Score.objects.get().total == before
    admin_user = make_user("admin")
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[Score]
    sheet = Score.objects.get()
    assert not model_admin.has_change_permission(request, sheet)
    assert not model_admin.has_delete_permission(request, sheet)
    client.force_login(admin_user)
    client.post(f"/admin/selection/score/{sheet.pk}/change/", {"total": "0", "stage": "preliminary"})
    assert Score.objects.get().total == before


def test_results_page_records_the_decision_and_offers_the_pdf(client, officer):
    round_, d, m = _approved_round(officer)
    client.force_login(officer)
    assert client.get(f"/selection/rounds/{round_.pk}/results/").status_code == 200
    response = client.post(
        f"/selection/rounds/{round_.pk}/decision/",
        {"decision_no": "15/QĐ-UBND", "decision_date": "2026-12-20", "signer": "Phó Chủ tịch"},
        follow=True,
    )
    cert = Certificate.objects.get()
    assert cert.number in response.content.decode()
    pdf = client.get(f"/selection/certificates/{cert.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    outsider = make_user("establishment", establishment=ProductFactory().establishment)
    client.force_login(outsider)
    assert client.get(f"/selection/certificates/{cert.pk}/pdf/").status_code == 403


def test_council_page_adds_members_and_assigns(client, officer):
    round_ = make_round()
    make_dossier(round_, status="eligible")
    judge = make_user("judge", first_name="Giám", last_name="Khảo")
    client.force_login(officer)
    client.post(f"/selection/rounds/{round_.pk}/council/", {"user": judge.pk, "role": "member"})
    member = round_.council.get()
    client.post(f"/selection/rounds/{round_.pk}/council/", {"assign": member.pk, "group": ""})
    assert member.assignments.count() == 1
    assert client.get(f"/selection/rounds/{round_.pk}/council/").status_code == 200


def test_product_and_establishment_pages_show_selection_history(client, officer):
    round_ = make_round(status="decided", year=2024, code="H-2024", title="Vòng 2024")
    product = ProductFactory()
    result = Result.objects.create(
        round=round_, product=product, certified=True, score=85, certificate_no="H-2024-001"
    )
    Certificate.objects.create(result=result, number="H-2024-001", issued_on=datetime.date(2024, 10, 1))
    client.force_login(officer)
    page = client.get(f"/registry/products/{product.pk}/").content.decode()
    assert "Vòng 2024" in page and "H-2024-001" in page
    page = client.get(f"/registry/establishments/{product.establishment.pk}/").content.decode()
    assert "H-2024-001" in page


def test_notifications_page_lists_and_marks_read(client):
    product = ProductFactory()
    rep = make_user("establishment", establishment=product.establishment)
    notify([rep], kind="other", subject="Hồ sơ đã được nhận")
    client.force_login(rep)
    assert "Hồ sơ đã được nhận" in client.get("/selection/notifications/").content.decode()
    client.post("/selection/notifications/")
    assert not rep.notifications.filter(read_at__isnull=True).exists()


def test_dashboard_shows_dossiers_to_score_for_a_judge(client):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    client.force_login(m.user)
    page = client.get("/").content.decode()
    assert 'data-testid="stat-to_score"' in page


def test_nominate_page_carries_winners_to_the_region_round(client, officer):
    round_, d, m = _approved_round(officer)
    services.record_decision(
        user=officer, round_=round_, decision_no="1", decision_date=datetime.date(2026, 12, 1), signer="X"
    )
    from khuyencong.selection.models import Round

    region = Round.objects.create(
        code="KV-X",
        year=2027,
        level="region",
        region_id=round_.province.region_id,
        title="KV",
        rubric=round_.rubric,
        status="registration",
    )
    client.force_login(officer)
    assert client.get(f"/selection/rounds/{round_.pk}/nominate/").status_code == 200
    result = Result.objects.get(round=round_)
    response = client.post(
        f"/selection/rounds/{round_.pk}/nominate/", {"target": region.pk, "result": [result.pk]}
    )
    assert response.status_code == 302
    assert region.dossiers.get().nominated_from == result


@pytest.mark.parametrize("url", ["/selection/rounds/{pk}/", "/selection/rounds/{pk}/results/", "/selection/"])
def test_list_pages_do_not_query_per_dossier(client, officer, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_ = make_round(status="review")
    for _ in range(2):
        make_dossier(round_, status="scored", with_documents=False)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url.format(pk=round_.pk)).status_code == 200
    for _ in range(6):
        make_dossier(round_, status="scored", with_documents=False)
    with CaptureQueriesContext(connection) as many:
        client.get(url.format(pk=round_.pk))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries][-12:]


def test_revoking_a_certificate_from_the_results_page(client, officer):
    round_ = make_round(status="decided")
    result = Result.objects.create(round=round_, product=ProductFactory(), certified=True)
    cert = Certificate.objects.create(result=result, number="R-2", issued_on=datetime.date(2026, 1, 1))
    client.force_login(officer)
    assert "Thu hồi" in client.get(f"/selection/rounds/{round_.pk}/results/").content.decode()
    client.post(f"/selection/certificates/{cert.pk}/revoke/", {"reason": "Sản phẩm vi phạm chất lượng"})
    cert.refresh_from_db()
    assert cert.revoked_at

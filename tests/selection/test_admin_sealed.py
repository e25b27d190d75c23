"""Sealed means sealed in the admin too: approved rounds, decided dossiers, certificates and sealed sheets."""

import datetime

import pytest

from khuyencong.selection import services
from khuyencong.selection.models import Certificate, CouncilMember, Dossier, Round, RoundTransition, Score
from tests.factories import make_user

from .factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct")


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("admin", username="quantri", is_superuser=True, is_staff=True))
    return client


def _approved(officer):
    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible")
    member = seat(round_, role="chair")
    assign(member, dossier)
    services.save_score(user=member.user, dossier=dossier, points=full_points(round_), submit=True)
    services.close_scoring(user=officer, round_=round_)
    services.approve_results(user=officer, round_=round_)
    return round_, dossier, member


def _decided(officer):
    round_, dossier, member = _approved(officer)
    services.record_decision(
        user=officer,
        round_=round_,
        decision_no="9/QĐ-UBND",
        decision_date=datetime.date(2026, 9, 1),
        signer="Chủ tịch UBND tỉnh",
    )
    return round_, dossier, member


def _refused(admin_client, url, data):
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html  # read-only: no save button
    assert "chỉ đọc" in html or "niêm phong" in html or "không thể" in html  # says why
    assert admin_client.post(url, data).status_code == 403


def test_the_admin_refuses_to_change_an_approved_round(admin_client, officer):
    round_, _d, _m = _approved(officer)
    _refused(
        admin_client, f"/admin/selection/round/{round_.pk}/change/", {"title": "Đổi tên", "status": "review"}
    )
    round_.refresh_from_db()
    assert round_.status == "approved" and round_.title != "Đổi tên"


def test_the_admin_refuses_to_change_a_decided_dossier_and_its_seat(admin_client, officer):
    round_, dossier, member = _decided(officer)
    _refused(
        admin_client,
        f"/admin/selection/dossier/{dossier.pk}/change/",
        {"summary": "Khác", "status": "not_passed"},
    )
    assert Dossier.objects.get(pk=dossier.pk).status == "certified"
    _refused(admin_client, f"/admin/selection/councilmember/{member.pk}/change/", {"role": "member"})
    assert CouncilMember.objects.get(pk=member.pk).role == "chair"


def test_the_admin_refuses_to_change_a_certificate(admin_client, officer):
    _decided(officer)
    cert = Certificate.objects.get()
    _refused(
        admin_client,
        f"/admin/selection/certificate/{cert.pk}/change/",
        {"number": cert.number, "issued_on": "2026-09-01", "valid_until": "2099-01-01"},
    )
    cert.refresh_from_db()
    assert cert.valid_until.year != 2099
    assert (
        admin_client.post(f"/admin/selection/certificate/{cert.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_the_admin_refuses_to_change_a_sealed_score_sheet(admin_client, officer):
    _round, _d, _m = _approved(officer)
    sheet = Score.objects.get()
    _refused(
        admin_client, f"/admin/selection/score/{sheet.pk}/change/", {"total": "0", "stage": "preliminary"}
    )
    assert Score.objects.get().total == sheet.total


def test_after_the_recorded_re_opening_the_admin_may_correct_the_round_and_the_history_says_so(
    admin_client, officer, client
):
    round_, _d, _m = _approved(officer)
    services.reopen_round(user=officer, round_=round_, reason="Thư ký nhập nhầm tên kỳ bình chọn")
    page = admin_client.get(f"/admin/selection/round/{round_.pk}/change/").content.decode()
    assert 'name="_save"' in page
    t = RoundTransition.objects.get(round=round_, action="reopen")
    assert (t.user, t.note) == (officer, "Thư ký nhập nhầm tên kỳ bình chọn")
    client.force_login(officer)
    detail = client.get(f"/selection/rounds/{round_.pk}/").content.decode()
    assert (
        "Thư ký nhập nhầm tên kỳ bình chọn" in detail and "sct" in detail or officer.get_full_name() in detail
    )


def test_a_status_never_changes_in_the_admin(admin_client, officer):
    round_ = make_round(status="draft")
    html = admin_client.get(f"/admin/selection/round/{round_.pk}/change/").content.decode()
    assert 'name="status"' not in html
    assert Round.objects.get(pk=round_.pk).status == "draft"

"""What a walk through the demo round found: sealed sheets read-only, a conflict explained, Vietnamese numbers,
the council on a phone, the issuing province's full name on the certificate."""

import pytest

from khuyencong.documents.layout import full_name as _full_name
from khuyencong.selection import services
from khuyencong.selection.models import CouncilRole, Score
from tests.factories import make_user

from .factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


def _scoring():
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    m = seat(round_)
    assign(m, d)
    return round_, d, m


def test_the_sealed_message_shows_the_total_the_vietnamese_way(client):
    round_, d, m = _scoring()
    client.force_login(m.user)
    data = {f"c_{k}": v for k, v in full_points(round_, lambda c: c.max_points - 1).items()} | {
        "action": "submit"
    }
    page = client.post(f"/selection/dossiers/{d.pk}/score/", data, follow=True).content.decode()
    total = Score.objects.get().total
    assert f"{int(total)},00 điểm" in page
    assert f"{int(total)}.00 điểm" not in page


def test_a_sealed_sheet_opens_read_only_and_cannot_be_resubmitted(client):
    round_, d, m = _scoring()
    services.save_score(user=m.user, dossier=d, points=full_points(round_), submit=True)
    client.force_login(m.user)
    detail = client.get(f"/selection/dossiers/{d.pk}/").content.decode()
    assert "Xem phiếu chấm đã niêm phong" in detail
    page = client.get(f"/selection/dossiers/{d.pk}/score/").content.decode()
    assert "Đã nộp và niêm phong lúc" in page
    assert "Lưu nháp" not in page and "Nộp và niêm phong</button>" not in page
    assert 'name="c_' in page and "disabled" in page
    before = Score.objects.get().total
    response = client.post(
        f"/selection/dossiers/{d.pk}/score/",
        {f"c_{c.pk}": "0" for c in round_.rubric.criteria.all()} | {"action": "draft"},
    )
    assert response.status_code == 200
    assert "niêm phong" in response.content.decode()
    assert Score.objects.get().total == before


def test_a_member_with_a_conflict_is_sent_back_to_the_dossier_with_the_reason(client):
    round_, d, m = _scoring()
    services.declare_conflict(user=m.user, dossier=d, kind="hard", reason="Tư vấn thành lập HTX")
    client.force_login(m.user)
    response = client.get(f"/selection/dossiers/{d.pk}/score/", follow=True)
    assert response.redirect_chain[-1][0] == f"/selection/dossiers/{d.pk}/"
    page = response.content.decode()
    assert "Bạn đã khai báo xung đột lợi ích với hồ sơ này: không được chấm điểm." in page
    assert "Chấm điểm</a>" not in page


def test_the_council_page_stacks_each_member_on_a_phone(client):
    round_ = make_round()
    make_dossier(round_, status="eligible")
    chair = seat(round_, role="chair", first_name="Minh", last_name="Phạm")
    officer = make_user("province_officer", username="sct")
    client.force_login(officer)
    page = client.get(f"/selection/rounds/{round_.pk}/council/").content.decode()
    assert 'data-testid="member-phone"' in page and "Chủ tịch hội đồng" in page
    assert 'class="d-none d-md-table-cell">Vai trò' in page
    # The chair is seated: the next person is proposed as a member.
    assert '<option value="member" selected>' in page
    assert chair.role == CouncilRole.CHAIR


def test_the_certificate_names_the_issuing_province_in_full():
    from khuyencong.geo.models import Province

    assert _full_name(Province.objects.get(code=96)) == "Tỉnh Cà Mau"
    assert _full_name(Province.objects.get(code=92)) == "Thành phố Cần Thơ"


def test_my_dossiers_on_a_phone_show_the_round_under_the_product(client):
    from tests.factories import ProductFactory

    round_ = make_round(title="Bình chọn tỉnh Cà Mau 2026")
    product = ProductFactory(name="Mực một nắng Sông Đốc")
    make_dossier(round_, product=product)
    rep = make_user("establishment", establishment=product.establishment)
    client.force_login(rep)
    page = client.get("/selection/").content.decode()
    assert '<div class="small text-muted d-md-none">Bình chọn tỉnh Cà Mau 2026</div>' in page
    assert '<th class="d-none d-md-table-cell">Kỳ bình chọn</th>' in page


def test_an_out_of_bounds_score_is_explained_with_vietnamese_numbers(client):
    round_, d, m = _scoring()
    client.force_login(m.user)
    first = round_.rubric.criteria.first()
    page = client.post(
        f"/selection/dossiers/{d.pk}/score/",
        {f"c_{first.pk}": "99,5", "action": "draft"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    maximum = first.max_for(d.product.group)
    assert f"99,5 nằm ngoài khoảng 0 đến {int(maximum)}." in page
    assert not Score.objects.exists()


def test_results_under_review_fit_a_phone(client):
    round_, d, m = _scoring()
    services.save_score(user=m.user, dossier=d, points=full_points(round_), submit=True)
    officer = make_user("province_officer", username="sct")
    services.close_scoring(user=officer, round_=round_)
    client.force_login(officer)
    page = client.get(f"/selection/rounds/{round_.pk}/results/").content.decode()
    assert (
        '<th class="d-none d-md-table-cell">Hạng</th>' in page
        and '<th class="d-none d-md-table-cell">Đạt</th>' in page
    )
    assert 'data-testid="rank-phone">Hạng 1 · <span class="badge text-bg-success">đạt</span>' in page


def test_a_sealed_sheet_drops_the_keyboard_hint(client):
    round_, d, m = _scoring()
    services.save_score(user=m.user, dossier=d, points=full_points(round_), submit=True)
    client.force_login(m.user)
    assert "Ctrl+S" not in client.get(f"/selection/dossiers/{d.pk}/score/").content.decode()


def test_registering_a_product_that_already_holds_a_certificate_says_so_before_typing(client):
    import datetime

    from tests.catalogue.factories import certified_product

    product, cert = certified_product(name="Khô mực câu Sông Đốc")
    cert.valid_until = datetime.date.today() + datetime.timedelta(days=300)
    cert.save()
    round_ = make_round()
    rep = make_user("establishment", establishment=product.establishment)
    client.force_login(rep)
    url = f"/selection/rounds/{round_.pk}/register/"
    page = client.get(url, {"product": product.pk}).content.decode()
    assert 'data-testid="not-eligible"' in page and "Hãy chọn sản phẩm khác" in page
    assert (
        f'hx-get="{url}"' in page and 'hx-target="#dossier-area"' in page
    )  # checks and prefill swap together


def test_the_round_page_lists_every_criterion_without_a_scroll_box(client):
    round_ = make_round()
    client.force_login(make_user("province_officer", username="sct"))
    page = client.get(f"/selection/rounds/{round_.pk}/").content.decode()
    assert "max-height:16rem" not in page
    last = round_.rubric.criteria.order_by("order").last()
    assert last.title in page

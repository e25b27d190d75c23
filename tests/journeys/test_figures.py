"""Issue 16, figures that agree: each figure on a page counts one defined thing, and says which."""

import json
import re

import pytest

from khuyencong.selection.models import Result
from tests.factories import ProductFactory, make_user
from tests.selection.factories import make_round

pytestmark = pytest.mark.django_db


def _chart(html):
    return json.loads(
        re.search(r'<script id="report-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )


def test_the_certified_bars_add_up_to_the_tiles_and_say_why(client):
    again = ProductFactory(establishment__province_id=96)
    once = ProductFactory(establishment__province_id=96)
    r2023 = make_round(year=2023, code="CM-2023", status="closed")
    r2024 = make_round(year=2024, code="CM-2024", status="closed")
    for round_, product in [(r2023, again), (r2024, again), (r2024, once)]:
        Result.objects.create(round=round_, product=product, certified=True)
    client.force_login(make_user("province_officer", username="cm"))
    html = client.get("/reports/", {"province": "96"}).content.decode()
    tile = re.search(r'data-testid="figure-certified-province".*?<div class="fs-4[^>]*>\s*(\d+)', html, re.S)
    assert tile.group(1) == "2"
    series = {s["label"]: s["values"] for s in _chart(html)["rounds"]["series"]}
    assert sum(series["Cấp tỉnh"]) == 2  # 2023: one product, 2024: the newly certified one
    note = re.search(r'data-testid="rounds-chart-note">(.*?)</p>', html, re.S).group(1)
    assert "năm được công nhận lần đầu" in note and "1 giấy chứng nhận" in note


def test_the_rounds_tile_says_which_rounds_it_counts(client):
    make_round(year=2024, code="CM-A", status="closed")
    make_round(year=2024, code="CM-B", status="closed")
    make_round(year=2024, code="QG-2024", level="national", province=None, status="closed")
    client.force_login(make_user("viewer", username="bo"))
    html = client.get("/reports/").content.decode()
    card = re.search(r'data-testid="figure-rounds".*?</a>', html, re.S).group(0)
    assert "Kỳ bình chọn cấp quốc gia" in card and re.search(r"fs-4[^>]*>\s*1\b", card)
    assert "các tỉnh tổ chức 2 kỳ" in card
    client.force_login(make_user("province_officer", username="cm"))
    card = re.search(
        r'data-testid="figure-rounds".*?</a>', client.get("/reports/").content.decode(), re.S
    ).group(0)
    assert "Kỳ bình chọn cấp tỉnh" in card and "do tỉnh tự tổ chức" in card


def test_after_approval_the_round_page_offers_the_decision_not_the_approval(client):
    from khuyencong.selection import services
    from tests.selection.factories import assign, full_points, make_dossier, seat

    officer = make_user("province_officer", username="sct")
    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible")
    member = seat(round_)
    assign(member, dossier)
    services.save_score(user=member.user, dossier=dossier, points=full_points(round_), submit=True)
    services.close_scoring(user=officer, round_=round_)
    client.force_login(officer)
    assert "Xem xét và thông qua kết quả" in client.get(f"/selection/rounds/{round_.pk}/").content.decode()
    services.approve_results(user=officer, round_=round_)
    html = client.get(f"/selection/rounds/{round_.pk}/").content.decode()
    assert "Xem xét và thông qua kết quả" not in html
    assert 'data-testid="next-decide"' in html

"""The dossier and council pages are pinned to a number of queries that does not grow with what they list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.selection import services

from .factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db

# the pins: raise one only with a reason (a new panel on the page), never to hide a query per row
# +1 each: the product's earlier rounds (re-certification history) panel
DOSSIER_PAGE_OFFICER = 22
DOSSIER_PAGE_MEMBER = 24
COUNCIL_PAGE = 12


def _round_under_review(officer, members):
    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible")
    seats = [seat(round_, role="chair" if i == 0 else "member") for i in range(members)]
    for m in seats:
        assign(m, dossier)
        services.save_score(user=m.user, dossier=dossier, points=full_points(round_), submit=True)
    services.close_scoring(user=officer, round_=round_)
    return round_, dossier, seats


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def officer():
    from tests.factories import make_user

    return make_user("province_officer", username="sct")


def test_the_dossier_page_for_the_officer_is_pinned_and_flat(client, officer, django_assert_max_num_queries):
    _r, few, _s = _round_under_review(officer, 2)
    _r, many, _s = _round_under_review(officer, 6)
    client.force_login(officer)
    with django_assert_max_num_queries(DOSSIER_PAGE_OFFICER):
        client.get(f"/selection/dossiers/{many.pk}/")
    assert _count(client, f"/selection/dossiers/{many.pk}/") == _count(
        client, f"/selection/dossiers/{few.pk}/"
    )


def test_the_dossier_page_for_a_council_member_is_pinned_and_flat(
    client, officer, django_assert_max_num_queries
):
    _r, few, few_seats = _round_under_review(officer, 2)
    _r, many, many_seats = _round_under_review(officer, 6)
    client.force_login(many_seats[0].user)
    with django_assert_max_num_queries(DOSSIER_PAGE_MEMBER):
        client.get(f"/selection/dossiers/{many.pk}/")
    n_many = _count(client, f"/selection/dossiers/{many.pk}/")
    client.force_login(few_seats[0].user)
    assert _count(client, f"/selection/dossiers/{few.pk}/") == n_many


def test_the_council_page_is_pinned_and_flat(client, officer, django_assert_max_num_queries):
    few, _d, _s = _round_under_review(officer, 2)
    many, _d, _s = _round_under_review(officer, 7)
    client.force_login(officer)
    with django_assert_max_num_queries(COUNCIL_PAGE):
        client.get(f"/selection/rounds/{many.pk}/council/")
    assert _count(client, f"/selection/rounds/{many.pk}/council/") == _count(
        client, f"/selection/rounds/{few.pk}/council/"
    )

"""Every selection-workflow endpoint for every role: who is refused, and how (401 no token, 404 a record the
user may not read, 403 a step the user may not take). The services and predicates decide; a refused call
changes nothing.

Roles are those of tests/api/test_permissions.py plus "member": a judge seated on the round's council as a
member, with the dossier assigned. The round is Cà Mau's (96); the dossier's establishment is the world's.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from khuyencong.selection import services
from khuyencong.selection.models import (
    Conflict,
    CouncilMember,
    DossierDocument,
    Result,
    Round,
    Score,
)
from tests.api.test_permissions import user_for, world  # noqa: F401  (fixture)
from tests.catalogue.factories import CertificateFactory, ResultFactory
from tests.factories import make_user
from tests.selection.factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin",
    "province_officer",
    "other_province_officer",
    "commune_officer",
    "judge",
    "member",
    "own_rep",
    "other_rep",
    "viewer",
]


def _png():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (9, 9, 9)).save(buf, format="PNG")
    return SimpleUploadedFile("p.png", buf.getvalue(), content_type="image/png")


class State:
    """A round (and a dossier of the world's product) in the state an endpoint needs."""

    def __init__(self, world, status="registration", dossier_status="draft", **round_kwargs):  # noqa: F811
        self.world = world
        self.officer = make_user("province_officer")
        self.round = make_round(status=status, **round_kwargs)
        self.dossier = make_dossier(self.round, product=world["product"], status=dossier_status)
        self.member_user = make_user("judge")
        self.member = seat(self.round, "member", user=self.member_user)
        assign(self.member, self.dossier)

    def user(self, role):
        if role == "member":
            return self.member_user
        return user_for(role, self.world)

    def submit_sheet(self, user=None):
        """A submitted sheet of a second member (the round must be scoring)."""
        other = seat(self.round, "chair")
        assign(other, self.dossier)
        services.save_score(
            user=other.user, dossier=self.dossier, points=full_points(self.round), submit=True
        )


def call(client, bearer, state, role, method, url, **kwargs):
    user = state.user(role)
    headers = bearer(user) if user else {}
    if "json" in kwargs:
        kwargs = {"data": kwargs.pop("json"), "content_type": "application/json", **kwargs}
    return getattr(client, method)(url, **kwargs, **headers)


def table(**overrides):
    """Expected statuses: an anonymous call is 401; the rest as given, `default` for the roles not named."""
    default = overrides.pop("default")
    return [(role, 401 if role == "anonymous" else overrides.get(role, default)) for role in ROLES]


# Rounds visible to every role of Cà Mau (not a draft): officers of another province do not see them
MANAGE = table(default=403, admin=200, province_officer=200, other_province_officer=404)
# A draft round is seen only by those who run it (and the country-wide viewer and council)
MANAGE_DRAFT = table(default=404, admin=200, province_officer=200, viewer=403, member=403)


def _ok(expected, good=200):
    return expected == good


# --- rubrics and rounds ----------------------------------------------------------------------------


@pytest.mark.parametrize("role,expected", table(default=200))
def test_rubrics_are_read_by_every_signed_in_role(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    response = call(client, bearer, state, role, "get", "/api/v1/rubrics/")
    assert response.status_code == expected, response.content
    response = call(client, bearer, state, role, "get", f"/api/v1/rubrics/{state.round.rubric_id}")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role,expected", table(default=403, admin=201, province_officer=201))
def test_create_a_round(client, bearer, world, role, expected):  # noqa: F811
    from khuyencong.selection.demo import rubric

    state = State(world)
    payload = {
        "code": "API-NEW",
        "year": 2026,
        "level": "province",
        "title": "Vòng mới",
        "province": 96,
        "rubric": rubric().pk,
    }
    response = call(client, bearer, state, role, "post", "/api/v1/rounds/", json=payload)
    assert response.status_code == expected, response.content
    assert Round.objects.filter(code="API-NEW").exists() == (expected == 201)


def test_an_officer_cannot_create_a_region_round(client, bearer, world):  # noqa: F811
    from khuyencong.geo.models import Region
    from khuyencong.selection.demo import rubric

    state = State(world)
    payload = {
        "code": "API-REG",
        "year": 2026,
        "level": "region",
        "title": "Vòng khu vực",
        "region": Region.objects.get(code="south").pk,
        "rubric": rubric().pk,
    }
    response = call(client, bearer, state, "province_officer", "post", "/api/v1/rounds/", json=payload)
    assert response.status_code == 403


def test_a_round_refers_to_records_that_exist(client, bearer, world):  # noqa: F811
    state = State(world)
    payload = {
        "code": "API-X",
        "year": 2026,
        "level": "province",
        "title": "X",
        "province": 96,
        "rubric": 999999,
    }
    response = call(client, bearer, state, "province_officer", "post", "/api/v1/rounds/", json=payload)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["rubric"]


@pytest.mark.parametrize("role,expected", MANAGE)
def test_change_a_round(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    url = f"/api/v1/rounds/{state.round.pk}"
    response = call(client, bearer, state, role, "patch", url, json={"title": "Tên mới"})
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.title == "Tên mới") == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE_DRAFT)
def test_open_registration(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="draft")
    response = call(client, bearer, state, role, "post", f"/api/v1/rounds/{state.round.pk}/open-registration")
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.status == "registration") == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE)
def test_close_registration(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    response = call(
        client, bearer, state, role, "post", f"/api/v1/rounds/{state.round.pk}/close-registration"
    )
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.status == "screening") == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE)
def test_open_scoring(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="screening", dossier_status="eligible")
    response = call(client, bearer, state, role, "post", f"/api/v1/rounds/{state.round.pk}/open-scoring")
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.status == "scoring") == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE)
def test_close_scoring(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    state.submit_sheet()
    response = call(client, bearer, state, role, "post", f"/api/v1/rounds/{state.round.pk}/close-scoring")
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.status == "review") == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE)
def test_approve(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    state.submit_sheet()
    Round.objects.filter(pk=state.round.pk).update(status="review")
    response = call(client, bearer, state, role, "post", f"/api/v1/rounds/{state.round.pk}/approve")
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.status == "approved") == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE)
def test_reopen(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="approved", dossier_status="passed")
    url = f"/api/v1/rounds/{state.round.pk}/reopen"
    response = call(client, bearer, state, role, "post", url, json={"reason": "Sai sót khi cộng điểm"})
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.status == "review") == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE)
def test_start_the_final_stage(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible", two_stage=True)
    state.submit_sheet()
    Round.objects.filter(pk=state.round.pk).update(status="review")
    url = f"/api/v1/rounds/{state.round.pk}/start-final"
    response = call(client, bearer, state, role, "post", url, json={"retained": [state.dossier.pk]})
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.stage == "final") == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE)
def test_round_actions_are_those_the_user_may_take(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    response = call(client, bearer, state, role, "get", f"/api/v1/rounds/{state.round.pk}/actions")
    if expected == 404 or role == "anonymous":
        assert response.status_code == expected
        return
    assert response.status_code == 200
    actions = {a["action"] for a in response.json()}
    assert ("close_registration" in actions) == _ok(expected)


# --- council, assignment, progress ----------------------------------------------------------------

FOLLOW = table(default=403, admin=200, province_officer=200, other_province_officer=404)


@pytest.mark.parametrize("role,expected", FOLLOW)
def test_read_the_council(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    response = call(client, bearer, state, role, "get", f"/api/v1/rounds/{state.round.pk}/council")
    assert response.status_code == expected, response.content


def test_the_chair_and_secretary_follow_the_council(client, bearer, world):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    for role in ("chair", "secretary"):
        person = seat(state.round, role).user
        for path in ("council", "progress"):
            response = client.get(f"/api/v1/rounds/{state.round.pk}/{path}", **bearer(person))
            assert response.status_code == 200, (role, path, response.content)


@pytest.mark.parametrize("role,expected", FOLLOW)
def test_council_candidates(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    response = call(client, bearer, state, role, "get", f"/api/v1/rounds/{state.round.pk}/council/candidates")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role,expected", [(r, 201 if e == 200 else e) for r, e in MANAGE])
def test_seat_a_council_member(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    person = make_user("judge", province_id=96)
    url = f"/api/v1/rounds/{state.round.pk}/council"
    response = call(client, bearer, state, role, "post", url, json={"user": person.pk, "role": "member"})
    assert response.status_code == expected, response.content
    assert CouncilMember.objects.filter(round=state.round, user=person).exists() == (expected == 201)


def test_a_person_from_elsewhere_cannot_be_seated(client, bearer, world):  # noqa: F811
    state = State(world)
    person = make_user("judge", province_id=92)
    url = f"/api/v1/rounds/{state.round.pk}/council"
    response = call(client, bearer, state, "province_officer", "post", url, json={"user": person.pk})
    assert response.status_code == 400 and "user" in response.json()["errors"]


@pytest.mark.parametrize("role,expected", MANAGE)
def test_assign_dossiers(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, dossier_status="submitted")
    chair = seat(state.round, "chair")
    url = f"/api/v1/rounds/{state.round.pk}/council/{chair.pk}/assign"
    response = call(client, bearer, state, role, "post", url, json={})
    assert response.status_code == expected, response.content
    assert chair.assignments.exists() == _ok(expected)


@pytest.mark.parametrize("role,expected", FOLLOW)
def test_scoring_progress(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    response = call(client, bearer, state, role, "get", f"/api/v1/rounds/{state.round.pk}/progress")
    assert response.status_code == expected, response.content


# --- results, selection, decision, historical results, nomination -----------------------------------


@pytest.mark.parametrize(
    "role,expected",
    table(default=403, admin=200, province_officer=200, member=200, other_province_officer=404),
)
def test_results_before_approval(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    state.submit_sheet()
    Round.objects.filter(pk=state.round.pk).update(status="review")
    response = call(client, bearer, state, role, "get", f"/api/v1/rounds/{state.round.pk}/results")
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["rows"][0]["score"] == "100.00"


@pytest.mark.parametrize("role,expected", MANAGE)
def test_save_the_selection(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    state.submit_sheet()
    Round.objects.filter(pk=state.round.pk).update(status="review")
    url = f"/api/v1/rounds/{state.round.pk}/selection"
    payload = {"choices": [{"dossier": state.dossier.pk, "selected": True}]}
    response = call(client, bearer, state, role, "put", url, json=payload)
    assert response.status_code == expected, response.content
    state.dossier.refresh_from_db()
    assert state.dossier.selected == _ok(expected)


@pytest.mark.parametrize("role,expected", MANAGE)
def test_record_the_decision(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="approved", dossier_status="passed")
    Result.objects.create(
        round=state.round, product=state.dossier.product, dossier=state.dossier, certified=True
    )
    url = f"/api/v1/rounds/{state.round.pk}/decision"
    payload = {"decision_no": "9/QĐ-UBND", "decision_date": "2026-06-01", "signer": "Chủ tịch"}
    response = call(client, bearer, state, role, "post", url, json=payload)
    assert response.status_code == expected, response.content
    state.round.refresh_from_db()
    assert (state.round.status == "decided") == _ok(expected)


@pytest.mark.parametrize("role,expected", [(r, 201 if e == 200 else e) for r, e in MANAGE])
def test_record_a_historical_result(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="decided", is_historical=True, year=2019)
    url = f"/api/v1/rounds/{state.round.pk}/historical-results"
    payload = {"product": world["product"].pk, "score": "81.5", "certified": True, "decision_no": "5/QĐ-UBND"}
    response = call(client, bearer, state, role, "post", url, json=payload)
    assert response.status_code == expected, response.content
    assert Result.objects.filter(round=state.round).exists() == (expected == 201)


def _decided_with_a_region_round(world):  # noqa: F811
    from khuyencong.geo.models import Region

    state = State(world, status="decided", dossier_status="certified")
    result = ResultFactory(round=state.round, product=world["product"], dossier=state.dossier)
    target = make_round(level="region", province=None, region=Region.objects.get(code="south"))
    return state, result, target


@pytest.mark.parametrize("role,expected", MANAGE)
def test_what_may_be_nominated(client, bearer, world, role, expected):  # noqa: F811
    state, result, target = _decided_with_a_region_round(world)
    response = call(client, bearer, state, role, "get", f"/api/v1/rounds/{state.round.pk}/nominations")
    assert response.status_code == expected, response.content
    if expected == 200:
        assert [r["id"] for r in response.json()["results"]] == [result.pk]


@pytest.mark.parametrize("role,expected", [(r, 201 if e == 200 else e) for r, e in MANAGE])
def test_nominate(client, bearer, world, role, expected):  # noqa: F811
    state, result, target = _decided_with_a_region_round(world)
    url = f"/api/v1/rounds/{state.round.pk}/nominations"
    response = call(
        client, bearer, state, role, "post", url, json={"target": target.pk, "results": [result.pk]}
    )
    assert response.status_code == expected, response.content
    assert target.dossiers.exists() == (expected == 201)


# --- dossiers ----------------------------------------------------------------------------------------

# Who reads a dossier: officers of its place, its representative, the council members assigned to it, the
# country-wide viewer (the Ministry)
READ_DOSSIER = table(default=200, other_province_officer=404, judge=404, other_rep=404)
# Who changes a draft dossier: its representative and officers of its place
EDIT_DOSSIER = table(
    default=403,
    admin=200,
    province_officer=200,
    commune_officer=200,
    own_rep=200,
    other_province_officer=404,
    judge=404,
    other_rep=404,
    viewer=403,
)


@pytest.mark.parametrize("role,expected", READ_DOSSIER)
def test_dossier_checks_and_documents_are_read_by_its_readers(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    doc = state.dossier.documents.first()
    for url in (
        f"/api/v1/dossiers/{state.dossier.pk}/checks",
        f"/api/v1/dossiers/{state.dossier.pk}/documents",
        f"/api/v1/dossiers/{state.dossier.pk}/documents/{doc.pk}",
    ):
        response = call(client, bearer, state, role, "get", url)
        assert response.status_code == expected, (url, response.content)


@pytest.mark.parametrize("role,expected", [(r, 201 if e == 200 else e) for r, e in EDIT_DOSSIER])
def test_upload_a_document(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    before = state.dossier.documents.count()
    url = f"/api/v1/dossiers/{state.dossier.pk}/documents"
    response = call(client, bearer, state, role, "post", url, data={"kind": "other", "file": _png()})
    assert response.status_code == expected, response.content
    assert state.dossier.documents.count() == before + (expected == 201)


@pytest.mark.parametrize("role,expected", [(r, 204 if e == 200 else e) for r, e in EDIT_DOSSIER])
def test_remove_a_document(client, bearer, world, role, expected):  # noqa: F811
    state = State(world)
    doc = state.dossier.documents.first()
    response = call(
        client, bearer, state, role, "delete", f"/api/v1/dossiers/{state.dossier.pk}/documents/{doc.pk}"
    )
    assert response.status_code == expected, response.content
    assert DossierDocument.objects.filter(pk=doc.pk).exists() == (expected != 204)


def test_a_document_of_another_dossier_is_not_found_under_this_one(client, bearer, world):  # noqa: F811
    state = State(world)
    other = make_dossier(state.round)
    doc = other.documents.first()
    response = call(
        client, bearer, state, "own_rep", "get", f"/api/v1/dossiers/{state.dossier.pk}/documents/{doc.pk}"
    )
    assert response.status_code == 404


def test_a_bad_upload_is_refused_on_its_field(client, bearer, world):  # noqa: F811
    state = State(world)
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    url = f"/api/v1/dossiers/{state.dossier.pk}/documents"
    response = call(client, bearer, state, "own_rep", "post", url, data={"kind": "photo", "file": fake})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["file"]


@pytest.mark.parametrize("role,expected", MANAGE)
def test_screen_a_dossier(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="screening", dossier_status="submitted")
    url = f"/api/v1/dossiers/{state.dossier.pk}/screen"
    response = call(
        client, bearer, state, role, "post", url, json={"decision": "returned", "note": "Thiếu giấy ATTP"}
    )
    expected = {"judge": 404, "other_rep": 404, "viewer": 403}.get(role, expected)
    assert response.status_code == expected, response.content
    state.dossier.refresh_from_db()
    assert (state.dossier.status == "returned") == _ok(expected)


@pytest.mark.parametrize(
    "role,expected",
    table(
        default=403,
        admin=201,
        province_officer=201,
        member=201,
        other_province_officer=404,
        judge=404,
        other_rep=404,
    ),
)
def test_declare_a_conflict(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    url = f"/api/v1/dossiers/{state.dossier.pk}/conflict"
    payload = {"kind": "hard", "reason": "Người thân của chủ cơ sở"}
    if role in ("admin", "province_officer"):
        payload["member"] = state.member.pk  # the officer records it for the member
    response = call(client, bearer, state, role, "post", url, json=payload)
    assert response.status_code == expected, response.content
    assert Conflict.objects.filter(dossier=state.dossier).exists() == (expected == 201)


SCORE = table(default=403, member=200, other_province_officer=404, judge=404, other_rep=404)


@pytest.mark.parametrize("role,expected", SCORE)
def test_read_my_score_sheet(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    response = call(client, bearer, state, role, "get", f"/api/v1/dossiers/{state.dossier.pk}/score")
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role,expected", SCORE)
def test_save_a_score_sheet(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    points = {str(k): v for k, v in full_points(state.round).items()}
    url = f"/api/v1/dossiers/{state.dossier.pk}/score"
    response = call(client, bearer, state, role, "put", url, json={"points": points, "submit": True})
    assert response.status_code == expected, response.content
    assert Score.objects.filter(dossier=state.dossier, submitted_at__isnull=False).exists() == _ok(expected)


def test_a_point_above_the_maximum_names_the_criterion(client, bearer, world):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    criterion = state.round.rubric.criteria.first()
    url = f"/api/v1/dossiers/{state.dossier.pk}/score"
    response = call(client, bearer, state, "member", "put", url, json={"points": {str(criterion.pk): 999}})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [f"c_{criterion.pk}"]


@pytest.mark.parametrize(
    "role,expected",
    table(
        default=403,
        admin=200,
        province_officer=200,
        member=200,
        other_province_officer=404,
        judge=404,
        other_rep=404,
    ),
)
def test_read_the_sheets(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible")
    state.submit_sheet()
    Round.objects.filter(pk=state.round.pk).update(status="review")
    response = call(client, bearer, state, role, "get", f"/api/v1/dossiers/{state.dossier.pk}/sheets")
    assert response.status_code == expected, response.content
    if expected == 200:
        assert len(response.json()) == 1  # the submitted one; the member has none


@pytest.mark.parametrize("role,expected", [(r, 201 if e == 200 else e) for r, e in MANAGE])
def test_record_a_visit(client, bearer, world, role, expected):  # noqa: F811
    state = State(world, status="scoring", dossier_status="eligible", two_stage=True, stage="final")
    state.dossier.retained_for_final = True
    state.dossier.save()
    url = f"/api/v1/dossiers/{state.dossier.pk}/visits"
    data = {
        "visited_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "visitors": "Ông A, bà B",
        "findings": "Cơ sở sản xuất sạch sẽ, đúng quy trình",
        "file": _png(),
    }
    response = call(client, bearer, state, role, "post", url, data=data)
    expected = {"judge": 404, "other_rep": 404, "viewer": 403}.get(role, expected)
    assert response.status_code == expected, response.content
    assert state.dossier.visits.exists() == (expected == 201)


# --- certificates ------------------------------------------------------------------------------------


def _certificate(world):  # noqa: F811
    state = State(world, status="decided", dossier_status="certified")
    result = ResultFactory(round=state.round, product=world["product"], dossier=state.dossier)
    return state, CertificateFactory(result=result)


@pytest.mark.parametrize(
    "role,expected",
    table(default=200, other_province_officer=404, judge=404, other_rep=404),
)
def test_certificate_pdf(client, bearer, world, role, expected):  # noqa: F811
    state, cert = _certificate(world)
    response = call(client, bearer, state, role, "get", f"/api/v1/certificates/{cert.pk}/pdf")
    assert response.status_code == expected, response.content[:200]
    if expected == 200:
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "role,expected",
    table(default=403, admin=200, province_officer=200, other_province_officer=404, judge=404, other_rep=404),
)
def test_revoke_a_certificate(client, bearer, world, role, expected):  # noqa: F811
    state, cert = _certificate(world)
    url = f"/api/v1/certificates/{cert.pk}/revoke"
    response = call(client, bearer, state, role, "post", url, json={"reason": "Cơ sở ngừng sản xuất"})
    assert response.status_code == expected, response.content
    cert.refresh_from_db()
    assert (cert.revoked_at is not None) == _ok(expected)

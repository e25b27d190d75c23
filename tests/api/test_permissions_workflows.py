"""Project life-cycle and dossier endpoints for every role: the programme and selection services decide."""

import datetime

import pytest

from khuyencong.programme.models import Project
from khuyencong.selection.models import Dossier
from tests.api.test_permissions import call, world  # noqa: F401  (fixture)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

OFFICERS_ONLY = [
    ("anonymous", 401),
    ("admin", 200),
    ("province_officer", 200),
    ("other_province_officer", 404),
    ("commune_officer", 403),
    ("judge", 404),
    ("own_rep", 403),
    ("other_rep", 404),
    ("viewer", 403),
]


@pytest.fixture
def project(world):  # noqa: F811
    from tests.programme.factories import ProjectFactory

    return ProjectFactory(establishment=world["establishment"], province_id=96, commune_id=32098)


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 201),
        ("province_officer", 201),
        ("other_province_officer", 403),
        ("commune_officer", 201),
        ("judge", 403),
        ("own_rep", 403),
        ("other_rep", 403),
        ("viewer", 403),
    ],
)
def test_propose_project(client, bearer, world, role, expected):  # noqa: F811
    payload = {
        "code": "DA-API-1",
        "year": 2026,
        "title": "Đào tạo nghề đan lác",
        "programme": "local",
        "activity": "training",
        "province": 96,
        "commune": 32098,
        "establishment": world["establishment"].pk,
        "total_cost": 300_000_000,
        "support_requested": 100_000_000,
    }
    response = call(
        client,
        bearer,
        role,
        world,
        "post",
        "/api/v1/projects/",
        data=payload,
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    assert Project.objects.filter(code="DA-API-1").exists() == (expected == 201)


D = datetime.date(2026, 5, 4).isoformat()
STEPS = [
    ("appraise", "proposed", {"amount": 100_000_000}, "appraised"),
    (
        "approve",
        "appraised",
        {"decision_no": "12/QĐ-SCT", "decision_date": D, "amount": 100_000_000},
        "approved",
    ),
    ("contract", "approved", {"contract_no": "HĐ-01", "contract_date": D}, "contracted"),
    ("start", "contracted", {}, "in_progress"),
    ("accept", "in_progress", {"acceptance_record": "BB-01", "acceptance_date": D, "jobs": 12}, "accepted"),
    (
        "settle",
        "accepted",
        {
            "amount": 90_000_000,
            "settled_date": D,
            "final_reference": "UNC-01",
            "budget_chapter": "417",
            "budget_type": "280",
            "budget_item": "338",
            "budget_section": "7000",
            "budget_subsection": "7049",
        },
        "settled",
    ),
]


@pytest.mark.parametrize("role,expected", OFFICERS_ONLY)
@pytest.mark.parametrize("action,status,payload,after", STEPS, ids=[s[0] for s in STEPS])
def test_project_steps(client, bearer, world, project, role, expected, action, status, payload, after):  # noqa: F811
    if action == "appraise":
        from khuyencong.programme.services import current_scheme

        scheme = current_scheme()
        payload = {
            **payload,
            "checks": {str(c.pk): True for c in scheme.criteria.filter(kind="check")} if scheme else {},
        }
    Project.objects.filter(pk=project.pk).update(
        status=status,
        support_appraised=100_000_000,
        support_approved=100_000_000 if status != "appraised" else 0,
        acceptance_record="BB-01" if status == "accepted" else "",
    )
    if action == "settle":
        from tests.programme.factories import attach_settlement_papers

        attach_settlement_papers(project)
    response = call(
        client,
        bearer,
        role,
        world,
        "post",
        f"/api/v1/projects/{project.pk}/{action}",
        data=payload,
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    project.refresh_from_db()
    assert (project.status == after) == (expected == 200)


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 200),
        ("province_officer", 200),
        ("other_province_officer", 404),
        ("commune_officer", 200),
        ("judge", 404),
        ("own_rep", 403),
        ("other_rep", 404),
        ("viewer", 403),
    ],
)
def test_cancel_a_proposal(client, bearer, world, project, role, expected):  # noqa: F811
    response = call(
        client,
        bearer,
        role,
        world,
        "post",
        f"/api/v1/projects/{project.pk}/cancel",
        data={"reason": "Cơ sở rút đề xuất"},
        content_type="application/json",
    )
    assert response.status_code == expected, response.content


def test_an_illegal_step_is_a_400_with_its_reason(client, bearer, world, project):  # noqa: F811
    response = call(
        client,
        bearer,
        "province_officer",
        world,
        "post",
        f"/api/v1/projects/{project.pk}/settle",
        data={"amount": 1, "settled_date": D},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["detail"]


DOSSIER_ROLES = [
    ("anonymous", 401),
    ("admin", 200),
    ("province_officer", 200),
    ("other_province_officer", 404),
    ("commune_officer", 200),
    ("judge", 404),
    ("own_rep", 200),
    ("other_rep", 404),
    ("viewer", 403),
]


@pytest.mark.parametrize("role,expected", [(r, 201 if e == 200 else e) for r, e in DOSSIER_ROLES])
def test_register_a_dossier(client, bearer, world, role, expected):  # noqa: F811
    from tests.selection.factories import make_round

    round_ = make_round()
    product = ProductFactory(establishment=world["establishment"])
    payload = {"round": round_.pk, "product": product.pk, "summary": "Bánh phồng tôm 40 % tôm tươi"}
    response = call(
        client,
        bearer,
        role,
        world,
        "post",
        "/api/v1/dossiers/",
        data=payload,
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    assert Dossier.objects.filter(round=round_, product=product).exists() == (expected == 201)


@pytest.mark.parametrize("role,expected", DOSSIER_ROLES)
def test_change_a_dossier(client, bearer, world, role, expected):  # noqa: F811
    from tests.selection.factories import make_dossier, make_round

    dossier = make_dossier(make_round(), product=world["product"])
    response = call(
        client,
        bearer,
        role,
        world,
        "patch",
        f"/api/v1/dossiers/{dossier.pk}",
        data={"markets": "Co.opmart"},
        content_type="application/json",
    )
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role,expected", DOSSIER_ROLES)
def test_submit_a_dossier(client, bearer, world, role, expected):  # noqa: F811
    from tests.selection.factories import make_dossier, make_round

    dossier = make_dossier(make_round(), product=world["product"])
    response = call(client, bearer, role, world, "post", f"/api/v1/dossiers/{dossier.pk}/submit")
    assert response.status_code == expected, response.content
    dossier.refresh_from_db()
    assert (dossier.status == "submitted") == (expected == 200)

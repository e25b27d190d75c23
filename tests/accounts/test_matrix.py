"""Every cell of the permission matrix (accounts/matrix.py), walked through the pages, the API, the exports
and the admin site.

Allowed: the page answers and shows the record. Refused: 403 or 404, and to someone who may not read the
record at all, the same answer as for a record that does not exist. Own place only: the page answers
and shows the record to the record's own commune/establishment, never to the others.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from khuyencong.accounts.matrix import ADMIN_SITE, MATRIX, NO, OWN, ROWS, WHO, YES, admin_cell, as_markdown
from khuyencong.accounts.permissions import may_use_admin_site
from khuyencong.api.services import create_token
from khuyencong.geo.models import Province
from khuyencong.outreach import services as outreach
from khuyencong.programme import services as programme
from khuyencong.programme import target_services
from khuyencong.registry.models import Artisan, CraftVillage
from tests.factories import EstablishmentFactory, ProductFactory, make_user
from tests.outreach.factories import answers_for, make_event, make_rep, make_survey
from tests.programme.factories import ProjectFactory
from tests.selection.factories import make_round

pytestmark = pytest.mark.django_db

MISSING = 987654


def _users(est, rival):
    return {
        "admin": make_user("admin"),
        "province_officer": make_user("province_officer"),
        "other_province_officer": make_user("province_officer", province_id=92),
        "commune_officer": make_user("commune_officer", commune_id=32098),
        "other_commune_officer": make_user("commune_officer", commune_id=32152),
        "viewer": make_user("viewer"),
        "other_viewer": make_user("viewer", province_id=92),
        "national_organiser": make_user("national_organiser"),
        "judge": make_user("judge"),
        "representative": make_rep(est),
        "other_representative": make_rep(rival),
    }


@pytest.fixture
def world():
    est = EstablishmentFactory(province_id=96, commune_id=32098, name="Cơ sở Ma trận", code="CM-MT1")
    rival = EstablishmentFactory(province_id=96, commune_id=32152, name="Cơ sở Khác")
    product = ProductFactory(establishment=est, name="Sản phẩm Ma trận")
    project = ProjectFactory(
        establishment=est,
        status="settled",
        support_approved=90_000_000,
        support_settled=90_000_000,
        title="Đề án Ma trận",
    )
    officer = make_user("province_officer", username="organiser")
    survey = make_survey(officer)
    outreach.submit_response(
        user=make_rep(est), survey=survey, answers=answers_for(survey, text="Câu trả lời Ma trận")
    )
    event = make_event(officer)
    outreach.add_participant(user=officer, event=event, establishment=est)
    outreach.add_outcome(
        user=officer,
        event=event,
        data={"establishment": est, "kind": "contract", "partner": "Đối tác Ma trận", "value": 7_770_000_000},
    )
    region_round = make_round(
        status="registration",
        level="region",
        province_id=None,
        region=Province.objects.get(code=96).region,
        title="Vòng khu vực Ma trận",
    )
    # issue 15: a resolution of Cà Mau, its local programme, a craft village and an artisan of the establishment
    resolution = programme.record_resolution(
        user=officer,
        province=96,
        data={
            "number": "77/2025/NQ-HĐND",
            "issued_on": datetime.date(2025, 9, 20),
            "effective_from": datetime.date(2025, 10, 1),
        },
        ceilings=[{"activity": "demo_model", "max_share_percent": "30", "max_amount": 800_000_000}],
    )
    local_programme = target_services.create_target_programme(
        user=officer,
        data={
            "code": "CTKC-MT",
            "name": "Chương trình Ma trận",
            "scope": "province",
            "province_id": 96,
            "start_year": 2025,
            "end_year": 2028,
        },
    )
    village = CraftVillage.objects.create(
        code="LN-MT",
        name="Làng nghề Ma trận",
        trade="Dệt chiếu",
        recognition_no="1/QĐ-UBND",
        recognition_date=datetime.date(2015, 1, 1),
        households=9,
        province_id=96,
        commune_id=32098,
    )
    village.establishments.add(est)
    artisan = Artisan.objects.create(
        code="NN-MT",
        name="Nghệ nhân Ma trận",
        title="folk",
        title_year=2019,
        trade="Dệt chiếu",
        establishment=est,
        province_id=96,
        commune_id=32098,
    )
    return {
        "resolution": resolution,
        "local_programme": local_programme,
        "village": village,
        "artisan": artisan,
        "region_round": region_round,
        "est": est,
        "product": product,
        "project": project,
        "survey": survey,
        "event": event,
        "users": _users(est, rival),
    }


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8-sig", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _get(client, user, url, **headers):
    client.logout()
    client.force_login(user)
    return client.get(url, **headers)


# row key -> (url of the record, url of a record that does not exist or None, text that shows the record)
def _probe(key, w):
    return {
        "establishment.read": (
            reverse("registry:establishment_detail", args=[w["est"].pk]),
            reverse("registry:establishment_detail", args=[MISSING]),
            "CM-MT1",
        ),
        "establishment.edit": (
            reverse("registry:establishment_edit", args=[w["est"].pk]),
            reverse("registry:establishment_edit", args=[MISSING]),
            "CM-MT1",
        ),
        "product.read": (
            reverse("registry:product_detail", args=[w["product"].pk]),
            reverse("registry:product_detail", args=[MISSING]),
            "Sản phẩm Ma trận",
        ),
        "project.read": (
            reverse("programme:project_detail", args=[w["project"].pk]),
            reverse("programme:project_detail", args=[MISSING]),
            "Đề án Ma trận",
        ),
        "project.api": (
            f"/api/v1/projects/{w['project'].pk}",
            f"/api/v1/projects/{MISSING}",
            "Đề án Ma trận",
        ),
        "report.rows": ("/reports/rows/support/?province=96", None, "Đề án Ma trận"),
        "export.establishments": (
            reverse("interchange:export", args=["establishments", "csv"]),
            None,
            "CM-MT1",
        ),
        "survey.results": (
            reverse("outreach:survey_export", args=[w["survey"].pk, "csv"]),
            reverse("outreach:survey_export", args=[MISSING, "csv"]),
            "Câu trả lời Ma trận",
        ),
        "event.outcomes": (
            reverse("outreach:event_detail", args=[w["event"].pk]),
            reverse("outreach:event_detail", args=[MISSING]),
            "7.770.000.000",
        ),
        "round.region.edit": (
            reverse("selection:round_edit", args=[w["region_round"].pk]),
            reverse("selection:round_edit", args=[MISSING]),
            "Vòng khu vực Ma trận",
        ),
        "rule.read": (
            reverse("programme:rule_detail", args=[w["resolution"].pk]),
            reverse("programme:rule_detail", args=[MISSING]),
            "77/2025/NQ-HĐND",
        ),
        "rule.edit": (
            reverse("programme:rule_edit", args=[w["resolution"].pk]),
            reverse("programme:rule_edit", args=[MISSING]),
            "77/2025/NQ-HĐND",
        ),
        "village.read": (
            reverse("registry:village_detail", args=[w["village"].pk]),
            reverse("registry:village_detail", args=[MISSING]),
            "Làng nghề Ma trận",
        ),
        "village.edit": (
            reverse("registry:village_edit", args=[w["village"].pk]),
            reverse("registry:village_edit", args=[MISSING]),
            "LN-MT",
        ),
        "village.api": (
            f"/api/v1/craft-villages/{w['village'].pk}",
            f"/api/v1/craft-villages/{MISSING}",
            "Làng nghề Ma trận",
        ),
        "artisan.read": (
            reverse("registry:artisan_detail", args=[w["artisan"].pk]),
            reverse("registry:artisan_detail", args=[MISSING]),
            "Nghệ nhân Ma trận",
        ),
        "artisan.edit": (
            reverse("registry:artisan_edit", args=[w["artisan"].pk]),
            reverse("registry:artisan_edit", args=[MISSING]),
            "NN-MT",
        ),
        "export.villages": (reverse("interchange:export", args=["villages", "csv"]), None, "LN-MT"),
        "targets.read": (
            reverse("targets:progress", args=[w["local_programme"].pk]),
            reverse("targets:progress", args=[MISSING]),
            "Chương trình Ma trận",
        ),
        "targets.edit": (
            reverse("targets:edit", args=[w["local_programme"].pk]),
            reverse("targets:edit", args=[MISSING]),
            "CTKC-MT",
        ),
        "targets.api": (
            f"/api/v1/programmes/{w['local_programme'].pk}/progress",
            f"/api/v1/programmes/{MISSING}/progress",
            f'"programme": {w["local_programme"].pk}',
        ),
    }[key]


CELLS = [(row.key, who) for row in MATRIX for who, _role, _relation in WHO]


@pytest.mark.parametrize("key, who", CELLS)
def test_each_cell_of_the_matrix_holds(client, world, key, who):
    row = next(r for r in MATRIX if r.key == key)
    expected = row.cell(who)
    user = world["users"][who]
    url, missing_url, shows = _probe(key, world)
    headers = {}
    if key.endswith(".api"):
        _token, raw = create_token(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = _get(client, user, url, **headers)
    own_relation = not who.startswith("other_")
    if expected == YES or (expected == OWN and own_relation):
        assert response.status_code == 200, (key, who, response.status_code)
        assert shows in _body(response), (key, who)
        return
    if expected == OWN:
        assert response.status_code == 200, (key, who, response.status_code)
        assert shows not in _body(response), (key, who)
        return
    assert expected == NO
    if response.status_code == 200:  # a list or an export: answers, without the record
        assert missing_url is None or key == "event.outcomes", (key, who)
        assert shows not in _body(response), (key, who)
        return
    assert response.status_code in (403, 404), (key, who, response.status_code)
    reads = _probe_reads(key, who)
    if missing_url and not reads:
        assert _get(client, user, missing_url, **headers).status_code == response.status_code, (key, who)


def _probe_reads(key, who) -> bool:
    """May the user read the record the row is about (then a refusal may say it exists)?"""
    if key == "round.region.edit":
        return True  # a region round under way is public to the accounts of its region and the country
    if key == "survey.results" and who.endswith("representative"):
        return True  # the survey was sent to them: they know it, its answers are not theirs to read
    read_key = {
        "establishment.edit": "establishment.read",
        "survey.results": "establishment.read",
        "rule.edit": "rule.read",
        "village.edit": "village.read",
        "artisan.edit": "artisan.read",
        "targets.edit": "targets.read",
    }.get(key, key)
    return next(r for r in MATRIX if r.key == read_key).cell(who) in (YES, OWN)


def test_the_matrix_has_a_cell_for_every_column():
    for row in MATRIX:
        assert set(row.cells) == {key for key, _r, _p in WHO}


def test_docs_permissions_md_is_generated_from_the_matrix():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
    assert doc.read_text(encoding="utf-8") == as_markdown(), "run: khuyencong permissions_doc"


def test_officers_read_the_matrix_as_a_page(client):
    client.force_login(make_user("province_officer"))
    page = client.get(reverse("accounts:permissions")).content.decode()
    assert "Ai được làm gì" in page and "Cán bộ cấp xã" in page and "chỉ địa bàn của mình" in page
    client.force_login(make_user("establishment", establishment=EstablishmentFactory()))
    assert client.get(reverse("accounts:permissions")).status_code == 403


# --- the admin site (/admin/): the same cells, through the model's changelist and change page ---------

ADMIN_CELLS = [(key, who) for key, who in CELLS if key in ADMIN_SITE]


def _admin_record(key, w):
    """The record an admin row is about, and a text its admin pages show."""
    return {
        "registry.establishment": (w["est"], "CM-MT1"),
        "registry.product": (w["product"], "Sản phẩm Ma trận"),
        "programme.project": (w["project"], "Đề án Ma trận"),
        "outreach.survey": (w["survey"], w["survey"].title),
        "outreach.outcome": (w["event"].outcomes.get(), "Đối tác Ma trận"),
    }[".".join(ADMIN_SITE[key][:2])]


def _admin_refused(response, shows):
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/"), response["Location"]
    else:
        assert response.status_code in (403, 404), response.status_code
    assert shows not in _body(response)


@pytest.mark.parametrize("staff_flag", [False, True], ids=["as-is", "staff-flag-and-model-perms"])
@pytest.mark.parametrize("key, who", ADMIN_CELLS)
def test_each_cell_of_the_matrix_holds_in_the_admin(client, world, key, who, staff_flag):
    """An allowed admin cell opens the changelist and the change page with the record; a refused one
    redirects to the admin login (or 403/404), never the record, even for a non-administrator given
    the staff flag and the model's view and change permissions (Django's own rule would let them in)."""
    row = ROWS[key]
    app, model, action = ADMIN_SITE[key]
    user = world["users"][who]
    if staff_flag and who != "admin":
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app, codename__in=[f"view_{model}", f"change_{model}"]
            )
        )
    record, shows = _admin_record(key, world)
    changelist = f"/admin/{app}/{model}/"
    change = f"/admin/{app}/{model}/{record.pk}/change/"
    expected = admin_cell(row, who)
    if expected == YES:
        listing = _get(client, user, changelist)
        assert listing.status_code == 200, (key, who, listing.status_code)
        assert shows in _body(listing) or str(record) in _body(listing), (key, who)
        page = _get(client, user, change)
        assert page.status_code == 200, (key, who, page.status_code)
        assert shows in _body(page), (key, who)
        if action == "change":
            assert 'name="_save"' in _body(page), (key, who)
        return
    assert expected == NO
    _admin_refused(_get(client, user, changelist), shows)
    _admin_refused(_get(client, user, change), shows)
    if action == "change":
        response = client.post(change, {"name": "Đổi qua admin", "code": "CM-MT1"})
        _admin_refused(response, shows)
        record.refresh_from_db()
        assert record.name == "Cơ sở Ma trận", (key, who)


def test_the_admin_site_is_for_administrators_only():
    assert may_use_admin_site(make_user("admin"))
    assert not may_use_admin_site(make_user("admin", is_superuser=False, is_staff=False))
    assert not may_use_admin_site(make_user("province_officer", is_staff=True))
    assert set(ADMIN_SITE) <= set(ROWS)

"""Issue 16, dead ends: no link to a page the reader cannot open; duplicates named; slips caught as typed."""

import pytest

from khuyencong.accounts import permissions
from khuyencong.programme.models import Plan
from khuyencong.registry.models import Establishment
from khuyencong.registry.selectors import visible_establishments
from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db


def test_the_link_predicates_agree_with_what_each_user_may_open():
    mine = EstablishmentFactory(province_id=96, commune_id=32098)
    EstablishmentFactory(province_id=96, commune_id=None)
    EstablishmentFactory(province_id=92, commune_id=None)
    users = [
        make_user("admin"),
        make_user("province_officer"),
        make_user("commune_officer"),
        make_user("viewer"),
        make_user("viewer", province_id=92),
        make_user("judge"),
        make_user("establishment", establishment=mine, province_id=96),
    ]
    for user in users:
        visible = set(visible_establishments(user).values_list("pk", flat=True))
        for establishment in Establishment.objects.all():
            assert permissions.can_read_establishment(user, establishment) == (establishment.pk in visible), (
                user.role,
                establishment.province_id,
            )


def test_a_representative_sees_the_plan_named_not_linked(client):
    from khuyencong.programme import services

    officer = make_user("province_officer", username="sct")
    est = EstablishmentFactory()
    Plan.objects.create(province_id=96, year=2026, title="Kế hoạch khuyến công 2026")
    project = services.propose_project(
        user=officer,
        data={
            "code": "DA-1",
            "year": 2026,
            "title": "Máy sấy",
            "programme": "local",
            "activity": "machinery",
            "establishment": est,
            "province": est.province,
            "total_cost": 100_000_000,
            "support_requested": 30_000_000,
        },
    )
    assert project.plan_id
    rep = make_user("establishment", establishment=est, province_id=96)
    client.force_login(rep)
    html = client.get(f"/programme/projects/{project.pk}/").content.decode()
    assert "/programme/plans/" not in html and 'data-testid="plan-name"' in html
    assert client.get(f"/programme/plans/{project.plan_id}/").status_code == 404
    client.force_login(officer)
    assert (
        f"/programme/plans/{project.plan_id}/"
        in client.get(f"/programme/projects/{project.pk}/").content.decode()
    )


def test_an_event_page_links_only_to_establishments_the_reader_may_open(client):
    from khuyencong.outreach import services
    from tests.outreach.factories import make_event, make_rep

    officer = make_user("province_officer", username="sct")
    event = make_event(officer)
    mine, other = EstablishmentFactory(), EstablishmentFactory()
    for est in (mine, other):
        services.add_participant(user=officer, event=event, establishment=est)
    client.force_login(make_rep(mine))
    html = client.get(f"/outreach/events/{event.pk}/").content.decode()
    assert f"/registry/establishments/{mine.pk}/" in html
    assert f"/registry/establishments/{other.pk}/" not in html and other.name in html
    assert client.get(f"/registry/establishments/{other.pk}/").status_code == 404


def test_a_training_page_links_only_to_establishments_the_reader_may_open(client):
    from khuyencong.outreach import services
    from tests.outreach.factories import make_training

    officer = make_user("province_officer", username="sct")
    training = make_training(officer, commune_id=32098)
    here = EstablishmentFactory(commune_id=32098)
    elsewhere = EstablishmentFactory(commune_id=None)
    for est in (here, elsewhere):
        services.add_trainee(user=officer, training=training, data={"establishment": est, "name": "Học viên"})
    client.force_login(make_user("commune_officer", username="xa"))  # of commune 32098
    response = client.get(f"/outreach/trainings/{training.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and elsewhere.name in html
    assert f"/registry/establishments/{here.pk}/" in html
    assert f"/registry/establishments/{elsewhere.pk}/" not in html
    assert client.get(f"/registry/establishments/{elsewhere.pk}/").status_code == 404


def test_favicon_ico_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


def test_a_taken_tax_code_names_the_establishment_holding_it(client):
    holder = EstablishmentFactory(name="Công ty Khô mực Sông Đốc", code="CM-KM-01")
    client.force_login(make_user("province_officer", username="sct"))
    response = client.post(
        "/registry/establishments/new/",
        {
            "code": "CM-NEW-1",
            "name": "Cơ sở mới",
            "kind": "household",
            "tax_code": holder.tax_code,
            "province": "96",
            "confirm_not_duplicate": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Công ty Khô mực Sông Đốc" in html and "CM-KM-01" in html


def test_the_same_product_twice_in_one_establishment_is_refused(client):
    existing = ProductFactory(name="Khô mực một nắng", code="SP-1")
    client.force_login(make_user("province_officer", username="sct"))
    response = client.post(
        "/registry/products/new/",
        {
            "code": "SP-2",
            "establishment": existing.establishment.pk,
            "name": "kho  MUC mot nang",
            "group": "agro_processing",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "SP-1" in html and "đã được đăng ký cho cơ sở này" in html
    other = EstablishmentFactory()
    response = client.post(
        "/registry/products/new/",
        {"code": "SP-3", "establishment": other.pk, "name": "Khô mực một nắng", "group": "agro_processing"},
    )
    assert response.status_code == 302


def test_points_above_the_maximum_are_refused_as_typed(client):
    from tests.selection.factories import assign, make_dossier, make_round, seat

    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible")
    member = seat(round_)
    assign(member, dossier)
    criterion = round_.rubric.criteria.order_by("pk").first()
    maximum = criterion.max_for(dossier.product.group)
    client.force_login(member.user)
    form = client.get(f"/selection/dossiers/{dossier.pk}/score/").content.decode()
    assert f'hx-target="#err_{criterion.pk}"' in form
    url = f"/selection/dossiers/{dossier.pk}/score/check/"
    too_high = client.get(
        url, {"criterion": criterion.pk, f"c_{criterion.pk}": str(maximum + 1)}
    ).content.decode()
    assert "data-error" in too_high and f"{criterion.code}:" in too_high
    fine = client.get(url, {"criterion": criterion.pk, f"c_{criterion.pk}": "1"}).content.decode()
    assert "data-error" not in fine
    client.force_login(make_user("judge", username="other"))
    assert client.get(url, {"criterion": criterion.pk}).status_code in (403, 404)

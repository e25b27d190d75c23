"""Who sees what: drafts hidden from other members, establishments see their own, communes theirs."""

import pytest

from khuyencong.selection import selectors, services
from khuyencong.selection.models import Score
from tests.factories import EstablishmentFactory, ProductFactory, make_user

from .factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


def test_a_member_cannot_read_another_members_draft_or_submitted_score_while_scoring_is_open():
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    a, b = seat(round_), seat(round_)
    assign(a, d)
    assign(b, d)
    services.save_score(user=a.user, dossier=d, points=full_points(round_))
    assert list(selectors.visible_sheets(b.user, d)) == []
    assert [s.member for s in selectors.visible_sheets(a.user, d)] == [a]
    services.save_score(user=a.user, dossier=d, points=full_points(round_), submit=True)
    assert list(selectors.visible_sheets(b.user, d)) == []


def test_after_scoring_closes_members_see_submitted_sheets_but_never_drafts():
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    a, b = seat(round_), seat(round_)
    assign(a, d)
    assign(b, d)
    services.save_score(user=a.user, dossier=d, points=full_points(round_), submit=True)
    services.save_score(user=b.user, dossier=d, points=full_points(round_))
    round_.status = "review"
    round_.save()
    seen_by_a = list(selectors.visible_sheets(a.user, d))
    assert [s.member for s in seen_by_a] == [a]
    assert Score.objects.count() == 2


def test_a_member_reading_another_members_draft_through_the_page_sees_nothing(client):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    a, b = seat(round_), seat(round_)
    assign(a, d)
    assign(b, d)
    services.save_score(user=a.user, dossier=d, comment="BÍ MẬT", points=full_points(round_))
    client.force_login(b.user)
    page = client.get(f"/selection/dossiers/{d.pk}/").content.decode()
    assert "BÍ MẬT" not in page


def test_an_establishment_sees_only_its_own_dossiers():
    round_ = make_round()
    mine, theirs = make_dossier(round_), make_dossier(round_)
    rep = make_user("establishment", establishment=mine.establishment)
    assert list(selectors.visible_dossiers(rep)) == [mine]
    assert theirs not in selectors.visible_dossiers(rep)


def test_a_commune_officer_sees_only_their_communes_dossiers():
    round_ = make_round()
    here = make_dossier(round_, product=ProductFactory(establishment=EstablishmentFactory(commune_id=32098)))
    elsewhere = make_dossier(
        round_, product=ProductFactory(establishment=EstablishmentFactory(commune_id=32152))
    )
    commune = make_user("commune_officer")
    visible = set(selectors.visible_dossiers(commune))
    assert here in visible and elsewhere not in visible


def test_an_establishment_cannot_register_another_establishments_product():
    round_ = make_round()
    product = ProductFactory()
    rep = make_user("establishment", establishment=EstablishmentFactory())
    with pytest.raises(services.PermissionDenied):
        services.create_dossier(user=rep, round_=round_, product=product, data={"summary": "x"})


def test_a_commune_officer_registers_on_behalf_of_a_local_establishment_only():
    round_ = make_round()
    commune = make_user("commune_officer")
    local = ProductFactory(establishment=EstablishmentFactory(commune_id=32098))
    far = ProductFactory(establishment=EstablishmentFactory(commune_id=32152))
    assert services.create_dossier(user=commune, round_=round_, product=local, data={"summary": "x"}).pk
    with pytest.raises(services.PermissionDenied):
        services.create_dossier(user=commune, round_=round_, product=far, data={"summary": "x"})


def test_documents_are_served_only_to_those_who_may_read_the_dossier(client):
    round_ = make_round()
    d = make_dossier(round_)
    doc = d.documents.get(kind="registration_form")
    outsider = make_user("establishment", establishment=EstablishmentFactory())
    client.force_login(outsider)
    assert client.get(f"/selection/documents/{doc.pk}/").status_code == 404
    owner = make_user("establishment", establishment=d.establishment)
    client.force_login(owner)
    response = client.get(f"/selection/documents/{doc.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_documents_are_stored_outside_the_public_media_folder(settings):
    d = make_dossier(make_round())
    path = d.documents.first().file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_a_judge_sees_only_rounds_of_their_place_and_their_seats():
    judge = make_user("judge", province_id=92)
    round_ = make_round()
    assert round_ not in selectors.visible_rounds(judge)
    seat(round_, user=judge)
    assert round_ in selectors.visible_rounds(judge)


def test_rounds_being_prepared_are_hidden_from_establishments():
    draft = make_round(status="draft")
    rep = make_user("establishment", establishment=EstablishmentFactory())
    assert draft not in selectors.visible_rounds(rep)
    assert make_round(status="registration") in selectors.visible_rounds(rep)

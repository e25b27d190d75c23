"""What each user reads of surveys and events: a commune's answers to its officer, a competitor's contract
values never to a representative."""

import pytest
from django.urls import reverse

from khuyencong.outreach import services
from tests.factories import EstablishmentFactory
from tests.outreach.factories import answers_for, make_event, make_rep, make_survey

pytestmark = pytest.mark.django_db

SONG_DOC, DAM_DOI = 32098, 32152


def csv_text(response) -> str:
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


@pytest.fixture
def answered_survey(officer):
    """A province-wide survey answered in Sông Đốc and in Đầm Dơi."""
    own = make_rep(EstablishmentFactory(commune_id=SONG_DOC, name="Cơ sở Sông Đốc"))
    other = make_rep(EstablishmentFactory(commune_id=DAM_DOI, name="Cơ sở Đầm Dơi"))
    survey = make_survey(officer)
    services.submit_response(
        user=own, survey=survey, answers=answers_for(survey, number="12", text="Thiếu vốn ở Sông Đốc")
    )
    services.submit_response(
        user=other, survey=survey, answers=answers_for(survey, number="30", text="Thiếu mặt bằng ở Đầm Dơi")
    )
    return survey


def test_a_commune_officer_reads_the_answers_of_their_commune_only(client, commune_officer, answered_survey):
    client.force_login(commune_officer)
    response = client.get(reverse("outreach:survey_detail", args=[answered_survey.pk]))
    page = response.content.decode()
    assert "Thiếu vốn ở Sông Đốc" in page and "Cơ sở Sông Đốc" in page
    assert "Thiếu mặt bằng ở Đầm Dơi" not in page and "Cơ sở Đầm Dơi" not in page
    results = response.context["results"]
    assert (results["invited"], results["answered"]) == (1, 1)  # the commune's invitations and answers
    assert results["questions"][2]["stats"]["sum"] == 12
    export = csv_text(client.get(reverse("outreach:survey_export", args=[answered_survey.pk, "csv"])))
    assert "Cơ sở Sông Đốc" in export and "Thiếu vốn ở Sông Đốc" in export
    assert "Cơ sở Đầm Dơi" not in export and "Thiếu mặt bằng ở Đầm Dơi" not in export


def test_the_province_officer_reads_every_answer(client, officer, answered_survey):
    client.force_login(officer)
    export = csv_text(client.get(reverse("outreach:survey_export", args=[answered_survey.pk, "csv"])))
    assert "Cơ sở Sông Đốc" in export and "Cơ sở Đầm Dơi" in export


def test_a_representative_sees_its_own_contract_value_not_a_competitors(client, officer):
    event = make_event(officer)
    mine, rival = EstablishmentFactory(name="Cơ sở của tôi"), EstablishmentFactory(name="Cơ sở đối thủ")
    for est, value in ((mine, 1_230_000_000), (rival, 4_560_000_000)):
        services.add_participant(user=officer, event=event, establishment=est)
        services.add_outcome(
            user=officer,
            event=event,
            data={
                "establishment": est,
                "kind": "contract",
                "partner": f"Đối tác của {est.name}",
                "value": value,
            },
        )
    client.force_login(make_rep(mine))
    page = client.get(reverse("outreach:event_detail", args=[event.pk])).content.decode()
    assert "1.230.000.000 đ" in page and "Đối tác của Cơ sở của tôi" in page
    assert "4.560.000.000" not in page and "Đối tác của Cơ sở đối thủ" not in page
    assert 'data-testid="value">5,79 tỷ đồng<' in page  # the event's total, a public aggregate

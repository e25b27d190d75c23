from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from khuyencong.outreach import services
from khuyencong.outreach.models import Answer, Event, Outcome, Participation, Response, TrainingParticipant
from tests.factories import EstablishmentFactory, ProductFactory, make_user
from tests.outreach.factories import answers_for, future, make_event, make_rep, make_survey, make_training

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Service messages checked in English here; the pages' tests check the Vietnamese."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_an_officer_records_a_fair_and_the_write_is_audited(officer):
    event = make_event(officer)
    entry = LogEntry.objects.get_for_object(event).get()
    assert entry.actor == officer and event.year == future(10).year


def test_inverted_dates_are_refused_with_a_clear_message(officer):
    with pytest.raises(ValidationError) as exc:
        make_event(officer, start_date=date(2026, 5, 10), end_date=date(2026, 5, 8))
    assert "before the start date" in str(exc.value.message_dict["end_date"])
    assert not Event.objects.exists()


def test_the_same_event_on_overlapping_dates_is_refused(officer):
    make_event(officer, start_date=date(2026, 5, 10), end_date=date(2026, 5, 14))
    with pytest.raises(ValidationError) as exc:
        make_event(
            officer, title="HỘI CHỢ CNNT CÀ MAU", start_date=date(2026, 5, 13), end_date=date(2026, 5, 16)
        )
    assert "overlap" in str(exc.value)
    make_event(officer, start_date=date(2026, 5, 15), end_date=date(2026, 5, 16))  # next to it is fine
    assert Event.objects.count() == 2


def test_negative_counts_are_refused(officer):
    with pytest.raises(ValidationError) as exc:
        make_event(officer, booths_supported=-2)
    assert "negative" in str(exc.value.message_dict["booths_supported"])


def test_an_event_in_another_province_must_not_name_the_home_province(officer):
    with pytest.raises(ValidationError) as exc:
        make_event(officer, scope="out_of_province")
    assert "host_province" in exc.value.message_dict
    event = make_event(officer, scope="abroad", host_province=None, country="Nhật Bản")
    assert event.place_label.endswith("Nhật Bản")


def test_a_commune_officer_and_another_provinces_officer_may_not_record_events(officer, commune_officer):
    with pytest.raises(PermissionDenied):
        make_event(commune_officer)
    other = make_user("province_officer", province_id=92)
    with pytest.raises(PermissionDenied):
        services.create_event(
            user=other,
            data={
                "province": officer.province,
                "kind": "fair",
                "title": "X",
                "scope": "in_province",
                "host_province": officer.province,
                "start_date": future(1),
                "end_date": future(2),
                "organiser": "Y",
            },
        )


def test_a_representative_registers_once_and_an_officer_confirms(officer):
    event = make_event(officer)
    product = ProductFactory()
    rep = make_rep(product.establishment)
    participation = services.register_interest(user=rep, event=event, products=[product], note="Cần 1 gian")
    assert participation.status == "interested" and list(participation.products.all()) == [product]
    with pytest.raises(ValidationError) as exc:
        services.register_interest(user=rep, event=event)
    assert "already registered" in str(exc.value)
    services.decide_participation(
        user=officer, participation=participation, confirm=True, booth_supported=True
    )
    participation.refresh_from_db()
    assert participation.status == "confirmed" and participation.booth_supported
    assert participation.confirmed_by == officer


def test_a_representative_cannot_show_another_establishments_product(officer):
    event = make_event(officer)
    rep = make_rep()
    with pytest.raises(ValidationError):
        services.register_interest(user=rep, event=event, products=[ProductFactory()])
    assert not Participation.objects.exists()


def test_registration_is_closed_after_the_event(officer):
    event = make_event(officer, start_date=date(2020, 1, 1), end_date=date(2020, 1, 3))
    with pytest.raises(ValidationError):
        services.register_interest(user=make_rep(), event=event)


def test_an_officer_cannot_register_interest_and_a_rep_cannot_confirm(officer):
    event = make_event(officer)
    with pytest.raises(PermissionDenied):
        services.register_interest(user=officer, event=event)
    rep = make_rep()
    p = services.register_interest(user=rep, event=event)
    with pytest.raises(PermissionDenied):
        services.decide_participation(user=rep, participation=p)


def test_outcomes_need_a_confirmed_participant_and_a_non_negative_value(officer):
    event = make_event(officer, start_date=date(2026, 5, 10), end_date=date(2026, 5, 14))
    est = EstablishmentFactory()
    data = {
        "establishment": est,
        "kind": "contract",
        "partner": "Saigon Co.op",
        "value": 500_000_000,
        "signed_on": date(2026, 5, 12),
    }
    with pytest.raises(ValidationError) as exc:
        services.add_outcome(user=officer, event=event, data=data)
    assert "confirmed participants" in str(exc.value)
    services.add_participant(user=officer, event=event, establishment=est)
    with pytest.raises(ValidationError):
        services.add_outcome(user=officer, event=event, data={**data, "value": -5})
    with pytest.raises(ValidationError) as exc:
        services.add_outcome(user=officer, event=event, data={**data, "signed_on": date(2026, 5, 1)})
    assert "before the event started" in str(exc.value)
    services.add_outcome(user=officer, event=event, data=data)
    assert Outcome.objects.get().value == 500_000_000


def test_an_agent_counts_only_in_another_province(officer):
    event = make_event(officer)
    est = EstablishmentFactory()
    services.add_participant(user=officer, event=event, establishment=est)
    data = {"establishment": est, "kind": "agent", "partner": "Đại lý", "partner_province": officer.province}
    with pytest.raises(ValidationError) as exc:
        services.add_outcome(user=officer, event=event, data=data)
    assert "another province" in str(exc.value)
    from khuyencong.geo.models import Province

    services.add_outcome(
        user=officer, event=event, data={**data, "partner_province": Province.objects.get(pk=79)}
    )


def test_a_participant_with_outcomes_cannot_be_declined(officer):
    event = make_event(officer)
    est = EstablishmentFactory()
    p = services.add_participant(user=officer, event=event, establishment=est)
    services.add_outcome(
        user=officer, event=event, data={"establishment": est, "kind": "mou", "partner": "Lotte"}
    )
    with pytest.raises(ValidationError):
        services.decide_participation(user=officer, participation=p, confirm=False)


def test_a_trainee_in_two_overlapping_trainings_is_refused(officer, commune_officer):
    first = make_training(officer)
    services.add_trainee(user=officer, training=first, data={"user": commune_officer, "attended": True})
    second = make_training(
        officer, topic="Lập hồ sơ đề án", start_date=date(2026, 6, 11), end_date=date(2026, 6, 12)
    )
    with pytest.raises(ValidationError) as exc:
        services.add_trainee(user=officer, training=second, data={"user": commune_officer})
    assert "overlap" in str(exc.value)
    p = TrainingParticipant.objects.get()
    assert p.role == "Commune officer"  # role and place filled from the account (this module runs in English)
    assert p.place


def test_a_trainee_needs_a_name_user_or_establishment(officer):
    training = make_training(officer)
    with pytest.raises(ValidationError) as exc:
        services.add_trainee(user=officer, training=training, data={"role": "Chủ cơ sở"})
    assert "name" in exc.value.message_dict


def test_a_commune_officer_records_trainings_in_their_commune_only(commune_officer):
    make_training(commune_officer, commune_id=32098)
    with pytest.raises(PermissionDenied):
        make_training(commune_officer, commune_id=32152)


def test_a_choice_question_needs_two_choices(officer):
    survey = make_survey(officer, send=False)
    with pytest.raises(ValidationError) as exc:
        services.add_question(
            user=officer, survey=survey, data={"text": "?", "kind": "choice", "choices": "Một"}
        )
    assert "two choices" in str(exc.value)


def test_a_sent_survey_cannot_change_its_questions(officer):
    EstablishmentFactory()
    survey = make_survey(officer)
    with pytest.raises(ValidationError):
        services.add_question(user=officer, survey=survey, data={"text": "?", "kind": "text"})


def test_sending_invites_the_establishments_of_the_place(officer):
    EstablishmentFactory(commune_id=32098)
    EstablishmentFactory(commune_id=32152)
    EstablishmentFactory(province_id=92, commune_id=31135)
    assert make_survey(officer).invitations.count() == 2
    assert make_survey(officer, title="Xã Sông Đốc", commune_id=32098).invitations.count() == 1


def test_an_establishment_answers_once_and_a_second_answer_is_refused(officer):
    rep = make_rep()
    survey = make_survey(officer)
    services.submit_response(user=rep, survey=survey, answers=answers_for(survey))
    with pytest.raises(services.AlreadyAnswered) as exc:
        services.submit_response(user=rep, survey=survey, answers=answers_for(survey, choice="Đào tạo"))
    assert "already answered" in str(exc.value)
    assert Response.objects.count() == 1 and Answer.objects.count() == 4


def test_bad_answers_are_refused_and_nothing_is_half_saved(officer):
    rep = make_rep()
    survey = make_survey(officer)
    with pytest.raises(ValidationError) as exc:
        services.submit_response(user=rep, survey=survey, answers=answers_for(survey, number="-3"))
    assert "negative" in str(exc.value)
    with pytest.raises(ValidationError):
        services.submit_response(user=rep, survey=survey, answers=answers_for(survey, choice="Khác"))
    with pytest.raises(ValidationError):
        services.submit_response(user=rep, survey=survey, answers=answers_for(survey, number="mười"))
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_establishment_not_invited_cannot_answer(officer):
    EstablishmentFactory(commune_id=32152)
    survey = make_survey(officer, commune_id=32152)
    rep = make_rep(EstablishmentFactory(commune_id=32098))
    with pytest.raises(PermissionDenied):
        services.submit_response(user=rep, survey=survey, answers=answers_for(survey))


def test_a_closed_survey_takes_no_answers(officer):
    rep = make_rep()
    survey = make_survey(officer)
    services.close_survey(user=officer, survey=survey)
    with pytest.raises(ValidationError) as exc:
        services.submit_response(user=rep, survey=survey, answers=answers_for(survey))
    assert "closed" in str(exc.value)


def test_a_question_names_a_known_programme_activity_only(officer):
    survey = make_survey(officer, send=False)
    with pytest.raises(ValidationError) as exc:
        services.add_question(
            user=officer, survey=survey, data={"text": "?", "kind": "number", "activity": "xyz"}
        )
    assert "activity" in exc.value.message_dict


def test_a_representative_cannot_design_or_send_surveys(officer):
    rep = make_rep()
    survey = make_survey(officer, send=False)
    with pytest.raises(PermissionDenied):
        services.send_survey(user=rep, survey=survey)
    with pytest.raises(PermissionDenied):
        services.create_survey(user=rep, data={"province": officer.province, "title": "X", "year": 2026})

from datetime import date

import pytest

from khuyencong.geo.models import Province
from khuyencong.outreach import selectors, services
from tests.factories import EstablishmentFactory, make_user
from tests.outreach.factories import answers_for, make_event, make_rep, make_survey, make_training

pytestmark = pytest.mark.django_db


def test_officers_see_their_province_events_only_and_reps_their_province(officer, commune_officer):
    mine = make_event(officer)
    cantho_officer = make_user("province_officer", province_id=92)
    theirs = make_event(
        cantho_officer,
        title="Hội chợ Cần Thơ",
        province=Province.objects.get(pk=92),
        host_province=Province.objects.get(pk=92),
    )
    assert list(selectors.visible_events(officer)) == [mine]
    assert list(selectors.visible_events(commune_officer)) == [mine]
    rep = make_rep()
    assert list(selectors.visible_events(rep)) == [mine]
    # a Cà Mau establishment that took part in Cần Thơ's fair sees it too
    services.add_participant(user=cantho_officer, event=theirs, establishment=rep.establishment)
    assert set(selectors.visible_events(rep)) == {mine, theirs}
    assert list(selectors.visible_events(make_user("judge"))) == []


def test_the_list_filters_by_year_kind_and_place(officer):
    make_event(officer, start_date=date(2025, 3, 1), end_date=date(2025, 3, 2))
    conf = make_event(
        officer,
        kind="conference",
        title="Kết nối cung cầu",
        scope="out_of_province",
        host_province=Province.objects.get(pk=79),
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 2),
    )
    assert list(selectors.event_list(officer, year=2026)) == [conf]
    assert list(selectors.event_list(officer, kind="conference")) == [conf]
    assert list(selectors.event_list(officer, scope="out_of_province")) == [conf]
    assert selectors.event_list(officer, scope="abroad").count() == 0
    assert selectors.event_years(officer) == [2026, 2025]


def test_contract_value_is_not_multiplied_by_participants(officer):
    event = make_event(officer)
    ests = [EstablishmentFactory() for _ in range(3)]
    for est in ests:
        services.add_participant(user=officer, event=event, establishment=est)
    for est, value in zip(ests[:2], [1_200_000_000, 850_000_000], strict=True):
        services.add_outcome(
            user=officer,
            event=event,
            data={"establishment": est, "kind": "contract", "partner": "Co.op", "value": value},
        )
    row = selectors.event_list(officer).get()
    assert row.participant_count == 3 and row.contract_value == 2_050_000_000
    totals = selectors.event_totals(event)
    assert totals["contracts"] == 2 and totals["value"] == 2_050_000_000


def test_training_counts_per_year(officer):
    t1 = make_training(officer)
    make_training(officer, topic="Khác", start_date=date(2025, 4, 1), end_date=date(2025, 4, 1))
    est = EstablishmentFactory()
    services.add_trainee(
        user=officer, training=t1, data={"name": "A", "attended": True, "establishment": est}
    )
    services.add_trainee(user=officer, training=t1, data={"name": "B"})
    counts = selectors.training_counts_by_year(officer)
    assert counts[0] == {"year": 2026, "trainings": 1, "participants": 2, "attended": 1, "establishments": 1}
    assert counts[1]["year"] == 2025 and counts[1]["participants"] == 0


def test_survey_results_aggregate_answers_and_the_rate(officer):
    reps = [make_rep() for _ in range(3)]
    EstablishmentFactory()  # invited, never answers
    survey = make_survey(officer)
    services.submit_response(user=reps[0], survey=survey, answers=answers_for(survey, number="12"))
    services.submit_response(
        user=reps[1],
        survey=survey,
        answers=answers_for(survey, choice="Đào tạo", multi=("Siêu thị", "Xuất khẩu"), number="8", text=""),
    )
    results = selectors.survey_results(survey, officer)
    assert (results["invited"], results["answered"], results["rate"]) == (4, 2, 50)
    choice, multi, number, text = results["questions"]
    assert [c["count"] for c in choice["counts"]] == [1, 1, 0]
    assert [c["count"] for c in multi["counts"]] == [2, 0, 1]
    assert number["stats"] == {"sum": 20, "mean": 10, "min": 8, "max": 12}
    assert [t for _, t in text["texts"]] == ["Thiếu vốn"]
    header, rows = selectors.export_rows(survey, officer)
    assert len(header) == 7 and len(rows) == 2
    assert [row.count("Siêu thị; Xuất khẩu") for row in rows] in ([1, 0], [0, 1])  # the one who picked both


def test_needs_summary_counts_needs_for_the_plan(officer):
    rep = make_rep()
    survey = make_survey(officer)
    services.submit_response(user=rep, survey=survey, answers=answers_for(survey))
    rows = selectors.needs_summary(officer.province, 2026)
    top = rows[0]
    assert top["need"] in {"Máy móc", "Siêu thị"} and top["count"] == 1
    machinery = next(r for r in rows if r["need"] == "Máy móc")
    assert machinery["activity"] == "machinery" and machinery["projects"] == 0
    assert selectors.needs_summary(officer.province, 2025) == []


def test_a_rep_sees_surveys_sent_to_them_and_pending_ones(officer):
    rep = make_rep()
    draft = make_survey(officer, send=False, title="Nháp")
    sent = make_survey(officer)
    assert list(selectors.visible_surveys(rep)) == [sent]
    assert list(selectors.pending_surveys(rep)) == [sent]
    services.submit_response(user=rep, survey=sent, answers=answers_for(sent))
    assert list(selectors.pending_surveys(rep)) == []
    assert draft in selectors.visible_surveys(officer)


def test_the_list_filters_by_the_province_where_the_event_is_held(officer):
    hcm = Province.objects.get(pk=79)
    make_event(officer)
    there = make_event(
        officer, title="Tuần hàng Cà Mau tại TP. Hồ Chí Minh", scope="out_of_province", host_province=hcm
    )
    assert list(selectors.event_list(officer, host_province=hcm)) == [there]

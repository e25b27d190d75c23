"""Two-stage rounds in the web UI: preliminary results, retention, visits, final scoring, results from the final."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from khuyencong.selection import selectors, services
from khuyencong.selection.models import Result, Visit
from tests.factories import make_user

from .factories import assign, full_points, make_dossier, make_round, pdf_upload, png_upload, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct", province_id=96)


def _share(round_, f):
    return full_points(round_, lambda c: (c.max_points * Decimal(f)).quantize(Decimal("0.01")))


@pytest.fixture
def prelim(officer):
    """A two-stage round after its preliminary scoring: strong (90), middling (75), weak (50)."""
    round_ = make_round(status="scoring", two_stage=True, grades_prizes=True)
    strong, middling, weak = (make_dossier(round_, status="eligible") for _ in range(3))
    member = seat(round_)
    assign(member, strong, middling, weak)
    for d, f in ((strong, "0.9"), (middling, "0.75"), (weak, "0.5")):
        services.save_score(user=member.user, dossier=d, submit=True, points=_share(round_, f))
    services.close_scoring(user=officer, round_=round_)
    round_.refresh_from_db()
    return round_, member, strong, middling, weak


def _to_final(officer, round_, member, retained, scores):
    services.start_final_stage(user=officer, round_=round_, retained_ids=[d.pk for d in retained])
    services.open_scoring(user=officer, round_=round_)
    for d, f in scores:
        services.save_score(user=member.user, dossier=d, submit=True, points=_share(round_, f))
    services.close_scoring(user=officer, round_=round_)
    round_.refresh_from_db()


# --- services --------------------------------------------------------------------------------


def test_preliminary_results_are_visible_before_the_final_stage(prelim):
    round_, _m, strong, middling, weak = prelim
    rows = {r.dossier.pk: r for r in selectors.result_rows(round_)}
    assert rows[strong.pk].score == Decimal("90.00") and rows[weak.pk].score == Decimal("50.00")
    assert selectors.retention_proposal(list(rows.values())) == {strong.pk, middling.pk}


def test_retention_may_be_adjusted_by_hand_but_only_among_scored_dossiers(officer, prelim):
    round_, _m, strong, middling, weak = prelim
    unscored = make_dossier(round_, status="eligible")
    with pytest.raises(ValidationError):
        services.start_final_stage(user=officer, round_=round_, retained_ids=[])
    with pytest.raises(ValidationError):
        services.start_final_stage(user=officer, round_=round_, retained_ids=[strong.pk, unscored.pk])
    services.start_final_stage(
        user=officer, round_=round_, retained_ids=[strong.pk, weak.pk]
    )  # weak: the council's call
    weak.refresh_from_db()
    middling.refresh_from_db()
    assert weak.retained_for_final and weak.status == "eligible"
    assert not middling.retained_for_final and middling.status == "not_passed"


def test_selection_waits_for_the_final_stage(officer, prelim):
    round_, _m, strong, *_ = prelim
    with pytest.raises(ValidationError):
        services.select_results(user=officer, round_=round_, choices={strong.pk: {"selected": True}})


def test_results_and_approval_use_the_final_scores_and_show_the_preliminary_mean(officer, prelim):
    round_, member, strong, middling, weak = prelim
    _to_final(officer, round_, member, [strong, middling], [(strong, "0.8"), (middling, "0.6")])
    rows = {r.dossier.pk: r for r in selectors.result_rows(round_)}
    assert set(rows) == {strong.pk, middling.pk}
    assert rows[strong.pk].score == Decimal("80.00") and rows[strong.pk].preliminary == Decimal("90.00")
    assert rows[middling.pk].passed is False  # 60 in the final, though 75 in the preliminary
    services.approve_results(user=officer, round_=round_)
    assert Result.objects.get(round=round_, product=strong.product).score == Decimal("80.00")
    assert Result.objects.get(round=round_, product=middling.product).certified is False


def test_a_prize_is_refused_for_a_dossier_that_did_not_pass(officer):
    round_ = make_round(status="scoring", grades_prizes=True)
    good, poor = make_dossier(round_, status="eligible"), make_dossier(round_, status="eligible")
    member = seat(round_)
    assign(member, good, poor)
    services.save_score(user=member.user, dossier=good, submit=True, points=_share(round_, "0.9"))
    services.save_score(user=member.user, dossier=poor, submit=True, points=_share(round_, "0.4"))
    services.close_scoring(user=officer, round_=round_)
    with pytest.raises(ValidationError) as exc:
        services.select_results(
            user=officer, round_=round_, choices={poor.pk: {"selected": False, "prize": "C"}}
        )
    assert "không đạt điểm tối thiểu nên không được xếp giải" in " ".join(exc.value.messages)
    poor.refresh_from_db()
    assert poor.prize == ""
    services.select_results(user=officer, round_=round_, choices={good.pk: {"selected": True, "prize": "A"}})


def test_a_visit_is_recorded_for_a_retained_dossier_with_a_checked_file(officer, prelim):
    round_, _m, strong, middling, _w = prelim
    today = timezone.localdate()
    with pytest.raises(ValidationError):  # still the preliminary stage
        services.record_visit(
            user=officer,
            dossier=strong,
            visited_on=today,
            visitors="Tổ thẩm định",
            findings="Cơ sở sạch sẽ, đúng quy trình",
        )
    services.start_final_stage(user=officer, round_=round_, retained_ids=[strong.pk])
    with pytest.raises(ValidationError):  # not retained
        services.record_visit(
            user=officer,
            dossier=middling,
            visited_on=today,
            visitors="Tổ thẩm định",
            findings="Cơ sở sạch sẽ, đúng quy trình",
        )
    with pytest.raises(ValidationError) as exc:
        services.record_visit(
            user=officer,
            dossier=strong,
            visited_on=today + datetime.timedelta(days=1),
            visitors="",
            findings="ngắn",
            upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        )
    assert set(exc.value.message_dict) == {"visited_on", "visitors", "findings", "file"}
    assert not Visit.objects.exists()
    judge = make_user("judge")
    with pytest.raises(PermissionDenied):
        services.record_visit(
            user=judge,
            dossier=strong,
            visited_on=today,
            visitors="A",
            findings="Cơ sở sạch sẽ, đúng quy trình",
        )
    visit = services.record_visit(
        user=officer,
        dossier=strong,
        visited_on=today,
        visitors="Ông A, bà B",
        findings="Cơ sở sạch sẽ, đúng quy trình",
        upload=png_upload("anh.png"),
    )
    assert (
        visit.file.name.startswith("visits/")
        and "anh" not in visit.file.name
        and visit.original_name == "anh.png"
    )


# --- pages -----------------------------------------------------------------------------------


def test_round_page_shows_the_stage_and_the_preliminary_close_button(client, officer):
    round_ = make_round(status="scoring", two_stage=True)
    client.force_login(officer)
    page = client.get(f"/selection/rounds/{round_.pk}/").content.decode()
    assert "Sơ khảo" in page and "Kết thúc vòng sơ khảo" in page and "Chung khảo" in page


def test_results_page_retains_dossiers_and_starts_the_final(client, officer, prelim):
    round_, _m, strong, middling, weak = prelim
    client.force_login(officer)
    page = client.get(f"/selection/rounds/{round_.pk}/results/").content.decode()
    assert "Kết quả sơ khảo" in page and "Bắt đầu vòng chung khảo với các hồ sơ đã đánh dấu" in page
    assert (
        f'name="retained" value="{strong.pk}" aria-label="Chọn vào chung khảo {strong.product.name}" checked'
        in page
    )
    assert f'name="retained" value="{weak.pk}" aria-label="Chọn vào chung khảo {weak.product.name}">' in page
    page = client.get(
        f"/selection/rounds/{round_.pk}/results/?top=1"
    ).content.decode()  # by rank: the best of the group
    assert f'value="{middling.pk}" aria-label="Chọn vào chung khảo {middling.product.name}">' in page
    response = client.post(
        f"/selection/rounds/{round_.pk}/do/start_final/", {"retained": [strong.pk, weak.pk]}, follow=True
    )
    page = response.content.decode()
    assert "Chung khảo" in page and "Mở chấm điểm vòng chung khảo" in page
    weak.refresh_from_db()
    assert weak.retained_for_final


def test_others_cannot_retain_or_record_visits(client, officer, prelim):
    round_, member, strong, *_ = prelim
    client.force_login(member.user)
    client.post(f"/selection/rounds/{round_.pk}/do/start_final/", {"retained": [strong.pk]})
    round_.refresh_from_db()
    assert round_.stage == "preliminary"
    services.start_final_stage(user=officer, round_=round_, retained_ids=[strong.pk])
    page = client.get(f"/selection/dossiers/{strong.pk}/").content.decode()
    assert (
        "Thăm cơ sở" in page and "Ghi nhận chuyến thăm" not in page and "record-visit" not in page
    )  # the council reads visits, officers record them
    client.post(
        f"/selection/dossiers/{strong.pk}/visits/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "visitors": "Tôi",
            "findings": "Cơ sở sạch sẽ, đúng quy trình",
        },
    )
    assert not Visit.objects.exists()


def test_an_officer_records_a_visit_on_the_page_and_only_the_council_opens_its_file(client, officer, prelim):
    round_, member, strong, *_ = prelim
    services.start_final_stage(user=officer, round_=round_, retained_ids=[strong.pk])
    client.force_login(officer)
    page = client.get(f"/selection/dossiers/{strong.pk}/").content.decode()
    assert "Ghi nhận chuyến thăm" in page
    response = client.post(
        f"/selection/dossiers/{strong.pk}/visits/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "visitors": "Ông A, bà B",
            "findings": "Xưởng sạch, quy trình đúng như hồ sơ",
            "file": pdf_upload("bienban.pdf"),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Xưởng sạch, quy trình đúng như hồ sơ" in page and "bienban.pdf" in page
    visit = Visit.objects.get()
    assert client.get(f"/selection/visits/{visit.pk}/").status_code == 200
    client.force_login(member.user)
    assert client.get(f"/selection/visits/{visit.pk}/").status_code == 200
    rep = make_user("establishment", establishment=strong.establishment)
    client.force_login(rep)
    assert client.get(f"/selection/visits/{visit.pk}/").status_code == 404
    assert "Xưởng sạch" not in client.get(f"/selection/dossiers/{strong.pk}/").content.decode()
    client.force_login(make_user("province_officer", province_id=92))  # another province
    assert client.get(f"/selection/visits/{visit.pk}/").status_code == 404


def test_a_bad_visit_file_is_refused_on_the_page(client, officer, prelim):
    round_, _m, strong, *_ = prelim
    services.start_final_stage(user=officer, round_=round_, retained_ids=[strong.pk])
    client.force_login(officer)
    response = client.post(
        f"/selection/dossiers/{strong.pk}/visits/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "visitors": "Ông A",
            "findings": "Xưởng sạch, quy trình đúng như hồ sơ",
            "file": SimpleUploadedFile("virus.exe", b"MZ"),
        },
        follow=True,
    )
    assert ".exe" in response.content.decode()
    assert not Visit.objects.exists()


def test_final_results_page_shows_both_means_and_disables_prizes_for_those_who_did_not_pass(
    client, officer, prelim
):
    round_, member, strong, middling, _w = prelim
    _to_final(officer, round_, member, [strong, middling], [(strong, "0.8"), (middling, "0.6")])
    client.force_login(officer)
    page = client.get(f"/selection/rounds/{round_.pk}/results/").content.decode()
    assert "Điểm sơ khảo" in page and "Điểm chung khảo" in page
    assert "90,00" in page and "80,00" in page and "75,00" in page and "60,00" in page
    assert f'name="prize_{middling.pk}" aria-label="Giải {middling.product.name}" disabled' in page
    assert f'name="prize_{strong.pk}" aria-label="Giải {strong.product.name}">' in page
    response = client.post(
        f"/selection/rounds/{round_.pk}/results/",
        {f"row_{middling.pk}": "1", f"prize_{middling.pk}": "B"},
        follow=True,
    )
    middling.refresh_from_db()
    assert (
        middling.prize == ""
        and "không đạt điểm tối thiểu nên không được xếp giải" in response.content.decode()
    )


def test_a_stage_cannot_close_before_any_sheet_is_submitted(client, officer):
    round_ = make_round(status="scoring", two_stage=True)
    make_dossier(round_, status="eligible")
    client.force_login(officer)
    response = client.post(f"/selection/rounds/{round_.pk}/do/close_scoring/", follow=True)
    assert "Chưa thành viên nào nộp phiếu chấm" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == "scoring"


def test_the_number_of_stages_is_fixed_once_scoring_started_and_visits_stop_at_approval(officer, prelim):
    round_, member, strong, middling, _w = prelim
    with pytest.raises(ValidationError) as exc:
        services.update_round(user=officer, round_=round_, data={"two_stage": False})
    assert "two_stage" in exc.value.message_dict
    _to_final(officer, round_, member, [strong], [(strong, "0.8")])
    services.approve_results(user=officer, round_=round_)
    with pytest.raises(ValidationError):
        services.record_visit(
            user=officer,
            dossier=strong,
            visited_on=timezone.localdate(),
            visitors="Ông A",
            findings="Xưởng sạch, quy trình đúng như hồ sơ",
        )


def test_a_single_stage_results_page_disables_the_prize_of_a_dossier_that_did_not_pass(client, officer):
    round_ = make_round(status="scoring", grades_prizes=True)
    good, poor = make_dossier(round_, status="eligible"), make_dossier(round_, status="eligible")
    member = seat(round_)
    assign(member, good, poor)
    services.save_score(user=member.user, dossier=good, submit=True, points=_share(round_, "0.9"))
    services.save_score(user=member.user, dossier=poor, submit=True, points=_share(round_, "0.4"))
    services.close_scoring(user=officer, round_=round_)
    client.force_login(officer)
    page = client.get(f"/selection/rounds/{round_.pk}/results/").content.decode()
    assert f'name="prize_{poor.pk}" aria-label="Giải {poor.product.name}" disabled' in page
    assert f'name="prize_{good.pk}" aria-label="Giải {good.product.name}">' in page
    assert "Điểm sơ khảo" not in page


def test_a_member_who_submitted_a_sheet_is_not_offered_the_conflict_form(client, prelim):
    _round, member, strong, *_ = prelim
    client.force_login(member.user)
    page = client.get(f"/selection/dossiers/{strong.pk}/").content.decode()
    assert "Xung đột lợi ích" in page and "Khai báo xung đột lợi ích" not in page

"""The life cycle tables of rounds and dossiers: every allowed step works and is recorded; every other is refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from khuyencong.selection import services, workflow
from khuyencong.selection.models import (
    DossierStatus,
    DossierTransition,
    RoundStatus,
    RoundTransition,
    Score,
    Stage,
)
from tests.factories import make_user

from .factories import make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct")


def _submitted_sheet(round_, dossier, stage=Stage.PRELIMINARY):
    member = seat(round_)
    Score.objects.create(dossier=dossier, member=member, stage=stage, total=90, submitted_at=timezone.now())
    return member


def round_step(action, *, user, status):
    """A round in `status`, made ready for `action` (council, dossiers, sheets), then the step through its service."""
    round_ = make_round(status=status, two_stage=action == "start_final")
    if action == "open_scoring":
        seat(round_)
        make_dossier(round_, status="eligible")
        return services.open_scoring(user=user, round_=round_)
    if action in ("close_scoring", "start_final", "approve"):
        dossier = make_dossier(round_, status="scored" if action != "close_scoring" else "eligible")
        _submitted_sheet(round_, dossier)
        if action == "close_scoring":
            return services.close_scoring(user=user, round_=round_)
        if action == "start_final":
            return services.start_final_stage(user=user, round_=round_, retained_ids=[dossier.pk])
        return services.approve_results(user=user, round_=round_)
    if action == "reopen":
        return services.reopen_round(user=user, round_=round_, reason="Sai sót khi cộng điểm của hội đồng")
    if action == "decide":
        services.record_decision(
            user=user,
            round_=round_,
            decision_no="12/QĐ-UBND",
            decision_date=datetime.date(2026, 10, 1),
            signer="Chủ tịch UBND tỉnh",
        )
        round_.refresh_from_db()
        return round_
    func = {
        "open_registration": services.open_registration,
        "close_registration": services.close_registration,
    }[action]
    return func(user=user, round_=round_)


ROUND_CASES = [
    (action, status, status in sources)
    for action, (sources, _target) in workflow.ROUND_TRANSITIONS.items()
    for status in RoundStatus.values
]


@pytest.mark.parametrize(
    ("action", "status", "allowed"), ROUND_CASES, ids=[f"{a}-from-{s}" for a, s, _ in ROUND_CASES]
)
def test_each_round_step_is_allowed_only_from_its_table_statuses(officer, action, status, allowed):
    target = workflow.ROUND_TRANSITIONS[action][1]
    if allowed:
        moved = round_step(action, user=officer, status=status)
        t = RoundTransition.objects.get(round__status=target, action=action)
        assert (t.from_status, t.to_status, t.user) == (status, target, officer)
        assert t.round.status == target
        assert getattr(moved, "status", target) == target
    else:
        with pytest.raises(workflow.IllegalTransition) as exc:
            round_step(action, user=officer, status=status)
        message = exc.value.messages[0]
        assert "không thể" in message
        allowed_here = [
            str(workflow.ROUND_ACTION_LABELS[a])
            for a, (src, _t) in workflow.ROUND_TRANSITIONS.items()
            if status in src and a != "start_final"
        ]
        for label in allowed_here:  # the refusal names the steps allowed from here
            assert label in message
        assert not RoundTransition.objects.filter(action=action).exists()


DOSSIER_SERVICE_ACTIONS = ["submit", "declare_eligible", "return", "reject"]


def dossier_step(action, *, user, dossier):
    if action == "submit":
        return services.submit_dossier(user=user, dossier=dossier)
    decision = {v: k for k, v in workflow.SCREEN_DECISIONS.items()}[action]
    return services.screen_dossier(
        user=user, dossier=dossier, decision=decision, note="Thiếu giấy phép kinh doanh"
    )


DOSSIER_CASES = [
    (action, status, status in sources)
    for action, (sources, _target) in workflow.DOSSIER_TRANSITIONS.items()
    for status in DossierStatus.values
]


@pytest.mark.parametrize(
    ("action", "status", "allowed"), DOSSIER_CASES, ids=[f"{a}-from-{s}" for a, s, _ in DOSSIER_CASES]
)
def test_each_dossier_step_is_allowed_only_from_its_table_statuses(officer, action, status, allowed):
    dossier = make_dossier(make_round(), status=status)
    target = workflow.DOSSIER_TRANSITIONS[action][1]

    def take():
        if action in DOSSIER_SERVICE_ACTIONS:
            return dossier_step(action, user=officer, dossier=dossier)
        # the steps the round's own steps take on each of its dossiers
        return services._move_dossier(user=officer, dossier=dossier, action=action)

    if allowed:
        take()
        dossier.refresh_from_db()
        assert dossier.status == target
        t = DossierTransition.objects.get(dossier=dossier)
        assert (t.action, t.from_status, t.to_status, t.user) == (action, status, target, officer)
    else:
        with pytest.raises(workflow.IllegalTransition) as exc:
            take()
        assert "không thể" in exc.value.messages[0]
        dossier.refresh_from_db()
        assert dossier.status == status
        assert not DossierTransition.objects.filter(dossier=dossier).exists()


def test_illegal_steps_are_refused_as_a_validation_error_naming_what_is_allowed(officer):
    round_ = make_round(status="draft")
    with pytest.raises(ValidationError) as exc:
        services.close_scoring(user=officer, round_=round_)
    assert "Mở nhận hồ sơ" in exc.value.messages[0]


def test_a_round_walks_from_preparation_to_decision_and_every_step_is_recorded(officer):
    round_ = make_round(status="draft")
    services.open_registration(user=officer, round_=round_)
    services.close_registration(user=officer, round_=round_)
    member = seat(round_)
    dossier = make_dossier(round_, status="eligible")
    services.open_scoring(user=officer, round_=round_)
    from .factories import full_points

    services.save_score(user=member.user, dossier=dossier, points=full_points(round_), submit=True)
    services.close_scoring(user=officer, round_=round_)
    services.approve_results(user=officer, round_=round_)
    services.reopen_round(user=officer, round_=round_, reason="Sửa lỗi nhập liệu của thư ký")
    services.approve_results(user=officer, round_=round_)
    services.record_decision(
        user=officer,
        round_=round_,
        decision_no="1/QĐ",
        decision_date=datetime.date(2026, 9, 1),
        signer="Chủ tịch",
    )
    steps = list(
        RoundTransition.objects.filter(round=round_).values_list("action", "from_status", "to_status")
    )
    assert steps == [
        ("open_registration", "draft", "registration"),
        ("close_registration", "registration", "screening"),
        ("open_scoring", "screening", "scoring"),
        ("close_scoring", "scoring", "review"),
        ("approve", "review", "approved"),
        ("reopen", "approved", "review"),
        ("approve", "review", "approved"),
        ("decide", "approved", "decided"),
    ]
    assert RoundTransition.objects.get(round=round_, action="reopen").note == "Sửa lỗi nhập liệu của thư ký"
    dossier_steps = list(DossierTransition.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert dossier_steps == ["mark_scored", "pass", "pass", "certify"]


def test_a_registered_and_nominated_dossier_records_how_it_began(officer):
    from tests.factories import ProductFactory

    round_ = make_round()
    product = ProductFactory()
    dossier = services.create_dossier(
        user=officer, round_=round_, product=product, data={"summary": "Mực khô"}
    )
    t = DossierTransition.objects.get(dossier=dossier)
    assert (t.action, t.from_status, t.to_status) == ("register", "", "draft")
    created = services.create_round(
        user=officer,
        data={
            "code": "CM-NEW",
            "year": 2026,
            "level": "province",
            "title": "Vòng mới",
            "province": round_.province,
            "rubric": round_.rubric,
            "product_groups": ["handicraft"],
        },
    )
    assert RoundTransition.objects.get(round=created).to_status == "draft"


def test_only_the_officers_running_the_round_take_its_steps(officer):
    round_ = make_round(status="draft")
    other = make_user("province_officer", province_id=92)
    with pytest.raises(PermissionDenied):
        services.open_registration(user=other, round_=round_)
    assert workflow.allowed_actions(other, round_) == []
    assert workflow.allowed_actions(officer, round_) == [
        "open_registration",
        "edit",
        "council",
        "assign",
        "declare_conflict",
    ]


def test_a_two_stage_round_in_review_offers_the_final_stage_not_approval(officer):
    round_ = make_round(status="review", two_stage=True)
    actions = workflow.allowed_actions(officer, round_)
    assert "start_final" in actions and "approve" not in actions and "select" not in actions
    round_.stage = Stage.FINAL
    actions = workflow.allowed_actions(officer, round_)
    assert "approve" in actions and "start_final" not in actions


def test_a_historical_round_takes_no_step_of_the_life_cycle(officer):
    round_ = make_round(
        status="decided", is_historical=True, level="district", year=2019, rubric=None, legacy_district_id=967
    )
    with pytest.raises(workflow.IllegalTransition) as exc:
        services.open_registration(user=officer, round_=round_)
    assert "chỉ ghi nhận kết quả" in exc.value.messages[0]


def test_a_dossier_offers_its_representative_submit_and_the_officer_screening(officer):
    from tests.factories import ProductFactory

    product = ProductFactory()
    rep = make_user("establishment", establishment=product.establishment)
    dossier = make_dossier(make_round(), product=product)
    assert workflow.allowed_actions(rep, dossier) == ["submit", "edit"]
    dossier.status = "submitted"
    assert workflow.allowed_actions(rep, dossier) == []
    assert workflow.allowed_actions(officer, dossier) == ["declare_eligible", "return", "reject"]


@pytest.mark.parametrize(
    ("prizes", "ok"), [("A,B", True), ("a, c", True), ("AB", False), ("D", False), ("A,BC", False)]
)
def test_prizes_that_go_on_are_each_a_b_or_c(officer, prizes, ok):
    round_ = make_round(status="draft")
    if ok:
        services.update_round(user=officer, round_=round_, data={"advance_prizes": prizes})
    else:
        with pytest.raises(ValidationError) as exc:
            services.update_round(user=officer, round_=round_, data={"advance_prizes": prizes})
        assert "advance_prizes" in exc.value.message_dict


def test_a_sealed_sheet_is_a_domain_refusal_with_a_message_not_a_crash(officer):
    from khuyencong.selection.models import ScoresSealed

    from .factories import assign, full_points

    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible")
    member = seat(round_)
    assign(member, dossier)
    services.save_score(user=member.user, dossier=dossier, points=full_points(round_), submit=True)
    with pytest.raises(
        ValidationError
    ) as exc:  # a ScoresSealed is a ValidationError: views and API answer 400
        services.save_score(user=member.user, dossier=dossier, points=full_points(round_))
    assert isinstance(exc.value, ScoresSealed)
    assert "niêm phong" in exc.value.messages[0]


@pytest.mark.parametrize("status", RoundStatus.values)
def test_the_round_page_offers_exactly_the_steps_the_table_allows(client, officer, status):
    round_ = make_round(status=status)
    client.force_login(officer)
    html = client.get(f"/selection/rounds/{round_.pk}/").content.decode()
    allowed = workflow.allowed_actions(officer, round_)
    for action in ("open_registration", "close_registration", "open_scoring", "close_scoring"):
        button = f"/selection/rounds/{round_.pk}/do/{action}/"
        assert (button in html) == (action in allowed), action


def test_the_life_cycles_are_the_ones_the_regulation_describes():
    """Written out by hand so that a change to a table is a deliberate change to this test too."""
    rounds = {a: (set(src), dst) for a, (src, dst) in workflow.ROUND_TRANSITIONS.items()}
    assert rounds == {
        "open_registration": ({"draft"}, "registration"),
        "close_registration": ({"registration"}, "screening"),
        "open_scoring": ({"registration", "screening"}, "scoring"),
        "close_scoring": ({"scoring"}, "review"),
        "start_final": ({"review"}, "screening"),
        "approve": ({"review"}, "approved"),
        "reopen": ({"approved"}, "review"),
        "decide": ({"approved"}, "decided"),
    }
    dossiers = {a: (set(src), dst) for a, (src, dst) in workflow.DOSSIER_TRANSITIONS.items()}
    reviewed = {"eligible", "scored", "passed", "not_passed"}
    assert dossiers == {
        "submit": ({"draft", "returned"}, "submitted"),
        "declare_eligible": ({"submitted"}, "eligible"),
        "return": ({"submitted"}, "returned"),
        "reject": ({"submitted"}, "rejected"),
        "mark_scored": ({"eligible"}, "scored"),
        "retain": ({"eligible", "scored"}, "eligible"),
        "drop": ({"eligible", "scored"}, "not_passed"),
        "pass": (reviewed, "passed"),
        "fail": (reviewed, "not_passed"),
        "certify": ({"passed"}, "certified"),
    }


def test_scoring_cannot_open_on_a_round_being_prepared(officer):
    round_ = make_round(status="draft")
    seat(round_)
    make_dossier(round_, status="eligible")
    with pytest.raises(workflow.IllegalTransition):
        services.open_scoring(user=officer, round_=round_)

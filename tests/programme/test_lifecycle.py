"""The life cycle table: every allowed step works and is recorded; every other step is refused."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from khuyencong.programme import services
from khuyencong.programme.models import ProjectStatus, ProjectTransition
from tests.factories import make_user

from .conftest import step
from .factories import ProjectFactory

pytestmark = pytest.mark.django_db

CASES = [
    (action, status, status in sources)
    for action, (sources, _target) in services.TRANSITIONS.items()
    for status in ProjectStatus.values
]


@pytest.mark.parametrize(("action", "status", "allowed"), CASES, ids=[f"{a}-from-{s}" for a, s, _ in CASES])
def test_each_step_is_allowed_only_from_its_table_statuses(action, status, allowed):
    officer = make_user("province_officer")
    project = ProjectFactory(
        status=status, support_approved=150_000_000 if status not in ("proposed", "appraised") else 0
    )
    if allowed:
        moved = step(action, user=officer, project=project)
        assert moved.status == services.TRANSITIONS[action][1]
        t = ProjectTransition.objects.get(project=project)
        assert (t.from_status, t.to_status, t.user) == (status, moved.status, officer)
    else:
        with pytest.raises(services.IllegalTransition) as exc:
            step(action, user=officer, project=project)
        assert "không thể chuyển sang" in str(exc.value.messages[0])
        project.refresh_from_db()
        assert project.status == status
        assert not ProjectTransition.objects.filter(project=project).exists()


def test_a_project_walks_from_proposal_to_settlement_and_every_step_is_audited():
    officer = make_user("province_officer")
    commune = make_user("commune_officer")
    project = services.propose_project(
        user=commune,
        data={
            "code": "DA-X-1",
            "year": 2026,
            "title": "Máy cho tôm ăn",
            "programme": "local",
            "activity": "training",
            "province_id": 96,
            "commune_id": 32098,
            "total_cost": 500_000_000,
            "support_requested": 150_000_000,
            "counterpart": 350_000_000,
            "note": "Đề xuất của xã",
        },
    )
    for action in ["appraise", "approve", "contract", "start", "accept", "settle"]:
        project = step(action, user=officer, project=project)
    assert project.status == "settled" and project.support_settled == 150_000_000
    steps = list(project.transitions.values_list("to_status", "user__username"))
    assert steps == [("proposed", commune.username)] + [
        (s, officer.username)
        for s in ["appraised", "approved", "contracted", "in_progress", "accepted", "settled"]
    ]
    entries = LogEntry.objects.get_for_object(project)
    assert entries.filter(actor=officer).count() == 6 and entries.filter(actor=commune).count() == 1


def test_cancelling_needs_a_reason_and_keeps_it():
    officer = make_user("province_officer")
    project = ProjectFactory(status="in_progress")
    with pytest.raises(ValidationError):
        step("cancel", user=officer, project=project, reason="  ")
    project = step("cancel", user=officer, project=project)
    assert project.status == "cancelled" and project.cancel_reason == "Cơ sở rút đề xuất"


def test_a_settled_project_cannot_be_cancelled():
    project = ProjectFactory(status="settled", support_approved=1, support_settled=1)
    with pytest.raises(services.IllegalTransition):
        step("cancel", user=make_user("province_officer"), project=project)


def test_settling_above_the_approved_amount_needs_a_recorded_reason():
    officer = make_user("province_officer")
    project = ProjectFactory(status="accepted", support_approved=150_000_000)
    with pytest.raises(ValidationError) as exc:
        step("settle", user=officer, project=project, amount=160_000_000)
    assert "reason" in exc.value.message_dict
    project.refresh_from_db()
    assert project.status == "accepted" and project.support_settled is None
    project = step(
        "settle",
        user=officer,
        project=project,
        amount=160_000_000,
        reason="Phát sinh chi phí lắp đặt được UBND tỉnh chấp thuận",
    )
    assert project.support_settled == 160_000_000 and "lắp đặt" in project.settlement_note


def test_approval_needs_decision_number_and_date():
    project = ProjectFactory(status="appraised", support_appraised=100_000_000)
    with pytest.raises(ValidationError) as exc:
        step(
            "approve", user=make_user("province_officer"), project=project, decision_no="", decision_date=None
        )
    assert {"decision_no", "decision_date"} <= set(exc.value.message_dict)


def test_appraisal_refuses_an_unmet_checklist():
    project = ProjectFactory()
    with pytest.raises(ValidationError) as exc:
        step("appraise", user=make_user("province_officer"), project=project, checks={})
    assert "Chưa đạt tiêu chí thẩm định" in str(exc.value)
    project.refresh_from_db()
    assert project.status == "proposed"


# --- who may do what ------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["appraise", "approve", "accept", "settle"])
@pytest.mark.parametrize("who", ["commune_officer", "viewer", "establishment", "judge"])
def test_only_province_officers_appraise_approve_accept_and_settle(action, who):
    sources = services.TRANSITIONS[action][0]
    project = ProjectFactory(status=sources[0], support_approved=150_000_000)
    user = make_user(who, establishment=project.establishment) if who == "establishment" else make_user(who)
    with pytest.raises(PermissionDenied):
        step(action, user=user, project=project)


def test_an_officer_of_another_province_may_not_approve():
    project = ProjectFactory(status="appraised", support_appraised=100_000_000)
    with pytest.raises(PermissionDenied):
        step("approve", user=make_user("province_officer", province_id=92), project=project)


def test_an_admin_may_take_every_step():
    project = ProjectFactory(status="appraised", support_appraised=100_000_000)
    assert step("approve", user=make_user("admin"), project=project).status == "approved"


def test_a_commune_officer_may_withdraw_their_communes_proposal_only():
    mine = ProjectFactory()
    other = ProjectFactory(commune_id=32065)
    officer = make_user("commune_officer")
    assert step("cancel", user=officer, project=mine).status == "cancelled"
    with pytest.raises(PermissionDenied):
        step("cancel", user=officer, project=other)
    with pytest.raises(PermissionDenied):
        step("cancel", user=officer, project=ProjectFactory(status="approved"))

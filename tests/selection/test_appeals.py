"""Appeals: lodged by a representative within the round's period after the results are published, answered by
the officer for the council; upheld, the round goes through the recorded re-opening. Every step notified, audited."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from khuyencong.notifications.models import Notification
from khuyencong.selection import services, workflow
from khuyencong.selection.models import (
    Appeal,
    AppealTransition,
    Reopening,
    Round,
    RoundStatus,
    RoundTransition,
)
from tests.factories import ProductFactory, make_user

from .factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct", email="sct@example.vn")


def _approved_round(officer, appeal_days=10):
    round_ = make_round(status="scoring", appeal_days=appeal_days, pass_mark=Decimal("70"))
    product = ProductFactory(name="Bánh phồng tôm Cái Nước")
    rep = make_user("establishment", establishment=product.establishment, email="coso@example.vn")
    dossier = make_dossier(round_, product=product, status="eligible")
    chair = seat(round_, role="chair")
    secretary = seat(round_, role="secretary", email="thuky@example.vn")
    assign(chair, dossier)
    services.save_score(
        user=chair.user,
        dossier=dossier,
        points=full_points(round_, lambda c: (c.max_points * Decimal("0.6")).quantize(Decimal("0.01"))),
        submit=True,
    )
    services.close_scoring(user=officer, round_=round_)
    services.approve_results(user=officer, round_=round_)
    return Round.objects.get(pk=round_.pk), dossier, rep, secretary


def _backdate_approval(round_, days):
    RoundTransition.objects.filter(round=round_, action="approve").update(
        at=timezone.now() - datetime.timedelta(days=days)
    )


def test_an_appeal_is_lodged_answered_and_upheld_through_the_recorded_reopening(
    officer, django_capture_on_commit_callbacks
):
    round_, dossier, rep, secretary = _approved_round(officer)
    published = Notification.objects.get(user=rep, kind="results")
    assert "60 điểm, không đạt" in published.body
    assert "khiếu nại" in published.body  # told until when an appeal may be lodged

    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.lodge_appeal(
            user=rep,
            dossier=dossier,
            grounds="Tiêu chí c1 chưa tính giấy chứng nhận an toàn thực phẩm đã nộp.",
        )
    assert appeal.status == "lodged"
    assert Notification.objects.filter(user=officer, kind="appeal").exists()
    assert Notification.objects.filter(user=secretary.user, kind="appeal").exists()
    assert {m.to[0] for m in mail.outbox} >= {"sct@example.vn", "thuky@example.vn", "coso@example.vn"}

    # the decision waits for the answer
    with pytest.raises(ValidationError) as exc:
        services.record_decision(
            user=officer, round_=round_, decision_no="1/QĐ", decision_date=timezone.localdate(), signer="A"
        )
    assert "Bánh phồng tôm" in exc.value.messages[0]
    # a second appeal on the same dossier waits for the first
    with pytest.raises(ValidationError):
        services.lodge_appeal(user=rep, dossier=dossier, grounds="Một khiếu nại nữa về cùng hồ sơ này.")
    # the representative does not answer appeals
    with pytest.raises(PermissionDenied):
        services.answer_appeal(user=rep, appeal=appeal, upheld=True, answer="Chấp nhận khiếu nại.")
    with pytest.raises(ValidationError):
        services.answer_appeal(user=officer, appeal=appeal, upheld=True, answer="")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_appeal(
            user=officer, appeal=appeal, upheld=True, answer="Hội đồng chấp nhận: chấm lại tiêu chí c1."
        )
    appeal.refresh_from_db()
    round_.refresh_from_db()
    assert appeal.status == "upheld" and appeal.answered_by == officer
    assert round_.status == RoundStatus.REVIEW and not round_.scores_locked
    reopening = Reopening.objects.get(round=round_)
    assert appeal.reopening == reopening and "Bánh phồng tôm" in reopening.reason
    assert "coso@example.vn" in {m.to[0] for m in mail.outbox}
    steps = list(
        AppealTransition.objects.filter(appeal=appeal).values_list("action", "from_status", "to_status")
    )
    assert steps == [("lodge", "", "lodged"), ("uphold", "lodged", "upheld")]
    assert LogEntry.objects.get_for_object(appeal).filter(actor=officer).exists()
    assert LogEntry.objects.get_for_object(appeal).filter(actor=rep).exists()


def test_an_appeal_after_the_period_is_refused_with_the_dates(officer):
    round_, dossier, rep, _secretary = _approved_round(officer, appeal_days=5)
    _backdate_approval(round_, 6)
    with pytest.raises(ValidationError) as exc:
        services.lodge_appeal(user=rep, dossier=dossier, grounds="Khiếu nại nộp muộn sau thời hạn quy định.")
    closes = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert closes in exc.value.messages[0] and "5" in exc.value.messages[0]
    assert not Appeal.objects.exists()
    # the last day still counts
    _backdate_approval(round_, 5)
    services.lodge_appeal(user=rep, dossier=dossier, grounds="Khiếu nại nộp đúng ngày cuối của thời hạn.")


def test_no_appeal_before_publication_or_in_a_round_without_a_period(officer):
    round_ = make_round(status="review", appeal_days=10)
    product = ProductFactory()
    rep = make_user("establishment", establishment=product.establishment)
    dossier = make_dossier(round_, product=product, status="scored")
    with pytest.raises(ValidationError):
        services.lodge_appeal(user=rep, dossier=dossier, grounds="Kết quả chưa công bố nhưng vẫn khiếu nại.")
    round_, dossier, rep, _s = _approved_round(officer, appeal_days=None)
    with pytest.raises(ValidationError) as exc:
        services.lodge_appeal(user=rep, dossier=dossier, grounds="Kỳ này không nhận khiếu nại nhưng vẫn gửi.")
    assert "không nhận khiếu nại" in exc.value.messages[0]


def test_a_dismissed_appeal_keeps_the_results_and_the_decision_waits_for_the_period(officer):
    round_, dossier, rep, _s = _approved_round(officer)
    appeal = services.lodge_appeal(user=rep, dossier=dossier, grounds="Đề nghị xem xét lại điểm tiêu chí b2.")
    services.answer_appeal(
        user=officer, appeal=appeal, upheld=False, answer="Giữ nguyên kết quả: điểm b2 đúng."
    )
    round_.refresh_from_db()
    assert round_.status == RoundStatus.APPROVED and not Reopening.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.record_decision(
            user=officer, round_=round_, decision_no="1/QĐ", decision_date=timezone.localdate(), signer="A"
        )
    assert "thời hạn khiếu nại" in exc.value.messages[0].lower()
    _backdate_approval(round_, 11)
    services.record_decision(
        user=officer, round_=round_, decision_no="1/QĐ", decision_date=timezone.localdate(), signer="A"
    )
    # an answered appeal takes no further step
    with pytest.raises(workflow.IllegalTransition):
        services.withdraw_appeal(user=rep, appeal=Appeal.objects.get(pk=appeal.pk))


def test_the_appeal_table_is_shaped_like_the_others():
    assert workflow.APPEAL_TRANSITIONS["uphold"] == (("lodged",), "upheld")
    for action, (sources, target) in workflow.APPEAL_TRANSITIONS.items():
        assert action in workflow.APPEAL_ACTION_LABELS and target and sources


def test_the_representative_lodges_on_the_dossier_page_and_the_officer_answers_on_the_results_page(
    client, officer
):
    round_, dossier, rep, _s = _approved_round(officer)
    client.force_login(rep)
    page = client.get(f"/selection/dossiers/{dossier.pk}/").content.decode()
    assert 'data-testid="lodge-appeal"' in page
    client.post(f"/selection/dossiers/{dossier.pk}/appeal/", {"grounds": "Ngắn"})
    assert not Appeal.objects.exists()
    client.post(
        f"/selection/dossiers/{dossier.pk}/appeal/",
        {"grounds": "Điểm tiêu chí a1 thấp hơn doanh thu thực tế đã kê khai."},
    )
    appeal = Appeal.objects.get()
    client.force_login(officer)
    page = client.get(f"/selection/rounds/{round_.pk}/results/").content.decode()
    assert "Điểm tiêu chí a1 thấp hơn" in page and 'data-testid="answer-appeal"' in page
    client.post(
        f"/selection/appeals/{appeal.pk}/answer/",
        {"decision": "dismiss", "answer": "Giữ nguyên: doanh thu chưa có chứng từ."},
    )
    appeal.refresh_from_db()
    assert appeal.status == "dismissed"
    client.force_login(rep)
    page = client.get(f"/selection/dossiers/{dossier.pk}/").content.decode()
    assert "Giữ nguyên: doanh thu chưa có chứng từ." in page and 'data-testid="lodge-appeal"' in page

"""Money the way the treasury sees it: advances within the dated rules, a settlement that needs its papers
and closes with the final payment, and a database that refuses a settled project not paid in full."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from khuyencong.programme import services
from khuyencong.programme.models import AdvanceRule, Disbursement, Project
from tests.factories import make_user

from .conftest import step
from .factories import BUDGET, ProjectFactory, attach_settlement_papers

pytestmark = pytest.mark.django_db

D = datetime.date


def officer():
    from khuyencong.accounts.models import User

    return User.objects.filter(username="ketoan").first() or make_user("province_officer", username="ketoan")


def pay(project, amount, **kw):
    return services.record_disbursement(
        user=kw.pop("user", None) or officer(),
        project=project,
        amount=amount,
        paid_on=kw.pop("paid_on", D(2026, 6, 1)),
        **kw,
    )


def running(activity="training", approved=150_000_000, **kw):
    return ProjectFactory(
        status="in_progress", activity=activity, support_approved=approved, decision_date=D(2026, 3, 1), **kw
    )


def test_a_training_project_is_advanced_at_most_70_percent_and_the_advance_names_its_rule():
    project = running()
    advance = pay(project, 100_000_000)
    assert advance.kind == "advance" and advance.rule.citation == "Thông tư số 36/2013/TT-BCT"
    with pytest.raises(ValidationError) as exc:
        pay(project, 5_000_001)
    message = exc.value.message_dict["amount"][0]
    assert "105.000.000" in message and "70 %" in message and "36/2013/TT-BCT" in message
    pay(project, 5_000_000)
    project.refresh_from_db()
    assert project.support_paid == 105_000_000


def test_cluster_infrastructure_is_advanced_30_percent_only_once_over_half_built():
    project = running("cluster", approved=1_000_000_000)
    with pytest.raises(ValidationError) as exc:
        pay(project, 100_000_000)
    assert "progress_percent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        pay(project, 100_000_000, progress_percent=Decimal("50"))
    assert "50 %" in exc.value.message_dict["progress_percent"][0]
    with pytest.raises(ValidationError) as exc:
        pay(project, 300_000_001, progress_percent=Decimal("62.5"))
    assert "300.000.000" in exc.value.message_dict["amount"][0]
    advance = pay(project, 300_000_000, progress_percent=Decimal("62.5"))
    assert advance.progress_percent == Decimal("62.5")


def test_an_activity_without_an_advance_rule_is_paid_after_acceptance():
    project = running("machinery")
    with pytest.raises(ValidationError) as exc:
        pay(project, 1_000_000)
    assert "sau nghiệm thu" in exc.value.message_dict["amount"][0]
    project.status, project.acceptance_record = "accepted", "BB-01"
    project.save()
    assert pay(project, 150_000_000).kind == "payment"


def test_a_project_keeps_the_advance_rule_in_force_when_it_was_approved():
    AdvanceRule.objects.create(
        activity="training",
        effective_from=D(2027, 1, 1),
        max_share_percent=Decimal("50"),
        citation="Thông tư mới",
        wording="tạm ứng tối đa 50 %",
    )
    approved_2026 = running()
    approved_2027 = ProjectFactory(
        status="in_progress", activity="training", support_approved=150_000_000, decision_date=D(2027, 2, 1)
    )
    assert pay(approved_2026, 105_000_000).rule.effective_from == D(2014, 2, 10)
    with pytest.raises(ValidationError) as exc:
        pay(approved_2027, 75_000_001)
    assert "Thông tư mới" in exc.value.message_dict["amount"][0]
    assert pay(approved_2027, 75_000_000).rule.citation == "Thông tư mới"


def settle(project, **kw):
    return step("settle", user=officer(), project=project, **kw)


def accepted(**kw):
    return ProjectFactory(status="accepted", support_approved=150_000_000, **kw)


def test_settlement_without_the_papers_is_refused():
    project = accepted()
    with pytest.raises(services.SettlementIncomplete) as exc:
        settle(project, papers=False)
    assert "Biên bản nghiệm thu" in exc.value.messages[0] and "Quyết toán" in exc.value.messages[0]
    project.refresh_from_db()
    assert project.status == "accepted" and not project.disbursements.exists()


def test_settlement_without_the_budget_classification_is_refused():
    with pytest.raises(services.SettlementIncomplete) as exc:
        settle(accepted(), budget=None)
    assert "mục lục" in exc.value.messages[0] or "chương" in exc.value.messages[0]


def test_settlement_closes_with_the_final_payment_so_payments_equal_the_settled_amount():
    project = running()
    pay(project, 100_000_000)
    project.status, project.acceptance_record = "accepted", "BB-01"
    project.save()
    with pytest.raises(ValidationError) as exc:
        settle(project, amount=140_000_000, final_reference="")
    assert "40.000.000" in exc.value.message_dict["final_reference"][0]
    project = settle(project, amount=140_000_000, final_reference="UNC-QT-7", settled_date=D(2026, 12, 1))
    payments = list(project.disbursements.values_list("kind", "amount", "reference"))
    assert payments == [("advance", 100_000_000, ""), ("final", 40_000_000, "UNC-QT-7")]
    assert sum(a for _k, a, _r in payments) == project.support_settled == project.support_paid == 140_000_000
    assert project.budget_chapter == "417" and project.budget_subsection == "7049"
    with pytest.raises(ValidationError):
        pay(project, 1)  # the settlement closed the account


def test_a_settlement_below_what_was_paid_is_refused():
    project = accepted()
    pay(project, 120_000_000)
    with pytest.raises(ValidationError) as exc:
        settle(project, amount=100_000_000)
    assert "120.000.000" in exc.value.message_dict["amount"][0]


def test_the_database_refuses_a_settled_project_not_paid_in_full():
    project = accepted()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(status="settled", support_settled=150_000_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(support_paid=150_000_001)
    Project.objects.filter(pk=project.pk).update(
        status="settled", support_settled=150_000_000, support_paid=150_000_000
    )


def test_the_budget_classification_is_kept_until_settlement():
    officer = make_user("province_officer")
    project = running()
    with pytest.raises(ValidationError) as exc:
        services.set_budget_classification(user=officer, project=project, data={"budget_chapter": "41"})
    assert "budget_chapter" in exc.value.message_dict
    services.set_budget_classification(user=officer, project=project, data=BUDGET)
    project.refresh_from_db()
    assert project.budget_classified
    attach_settlement_papers(project)
    assert not services.settlement_papers_missing(project)
    assert Disbursement.objects.count() == 0

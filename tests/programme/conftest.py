import datetime

import pytest

from khuyencong.programme import services
from khuyencong.programme.models import CriterionKind
from tests.programme.factories import BUDGET, attach_settlement_papers

TODAY = datetime.date(2026, 5, 1)


def all_checks():
    scheme = services.current_scheme()
    return {str(c.pk): True for c in scheme.criteria.filter(kind=CriterionKind.CHECK)}


def step(action, *, user, project, **overrides):
    """Take one step with valid arguments (overridable)."""
    kwargs = {
        "appraise": lambda: {"amount": 150_000_000, "checks": all_checks(), "note": "đạt"},
        "approve": lambda: {"decision_no": "123/QĐ-SCT", "decision_date": TODAY, "amount": 150_000_000},
        "contract": lambda: {"contract_no": "HĐ-01", "contract_date": TODAY},
        "start": lambda: {},
        "accept": lambda: {"acceptance_record": "BB-01", "acceptance_date": TODAY, "outcomes": {"jobs": 5}},
        "settle": lambda: {
            "amount": 150_000_000,
            "settled_date": TODAY,
            "final_reference": "UNC-01",
            "budget": BUDGET,
        },
        "cancel": lambda: {"reason": "Cơ sở rút đề xuất"},
    }[action]()
    papers = overrides.pop("papers", True)
    kwargs.update(overrides)
    if action == "settle" and papers:
        attach_settlement_papers(project, user)
    func = {
        "appraise": services.appraise_project,
        "approve": services.approve_project,
        "contract": services.contract_project,
        "start": services.start_project,
        "accept": services.accept_project,
        "settle": services.settle_project,
        "cancel": services.cancel_project,
    }[action]
    return func(user=user, project=project, **kwargs)


@pytest.fixture(autouse=True)
def _default_rules(db):
    """The regulation's rules are migration data; a browser test's flush may have removed them."""
    from khuyencong.programme.defaults import ensure_defaults
    from khuyencong.programme.models import AppraisalCriterion, AppraisalScheme, CeilingRule

    ensure_defaults(CeilingRule, AppraisalScheme, AppraisalCriterion)
    from khuyencong.programme.advance_defaults import ensure_advance_rules
    from khuyencong.programme.models import AdvanceRule

    ensure_advance_rules(AdvanceRule)


@pytest.fixture
def take_step():
    return step

"""Totals are database sums of the rows, whatever the rows (hypothesis); reads are scoped."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from khuyencong.programme import selectors
from khuyencong.programme.models import Disbursement, Project
from tests.factories import EstablishmentFactory, make_user

from .factories import PlanFactory, ProjectFactory, certify

STATUSES = [
    "proposed",
    "appraised",
    "approved",
    "contracted",
    "in_progress",
    "accepted",
    "settled",
    "cancelled",
]
row = st.fixed_dictionaries(
    {
        "programme": st.sampled_from(["national", "local"]),
        "activity": st.sampled_from(["machinery", "training", "demo_model", "fair"]),
        "year": st.sampled_from([2024, 2025, 2026]),
        "commune_id": st.sampled_from([32098, 32065, None]),
        "status": st.sampled_from(STATUSES),
        "support_approved": st.integers(0, 10**12),
        "support_settled": st.integers(0, 10**12),
        "counterpart": st.integers(0, 10**12),
        "paid": st.lists(st.integers(1, 10**11), max_size=3),
    }
)


class TotalsAreSumsOfRows(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(row, max_size=8))
    def test_totals_by_source_activity_year_and_place_are_the_sum_of_rows(self, rows):
        est = EstablishmentFactory()
        for i, r in enumerate(rows):
            # the database holds the treasury's view: a settled project is paid its settled amount,
            # any other no more than its approved support
            if r["status"] == "settled":
                r["paid"] = [r["support_settled"]] if r["support_settled"] else []
            else:
                r["support_approved"] = max(r["support_approved"], sum(r["paid"]))
            p = Project.objects.create(
                support_paid=sum(r["paid"]),
                code=f"H-{i}",
                title="x",
                province_id=96,
                establishment=est,
                **{k: v for k, v in r.items() if k != "paid"},
            )
            for j, amount in enumerate(r["paid"]):
                Disbursement.objects.create(project=p, amount=amount, paid_on=f"2026-0{j + 1}-01")
        committed = {"approved", "contracted", "in_progress", "accepted", "settled"}
        qs = Project.objects.filter(establishment=est)
        total = selectors.totals(qs)
        assert total["approved"] == sum(r["support_approved"] for r in rows if r["status"] in committed)
        assert total["settled"] == sum(r["support_settled"] for r in rows if r["status"] == "settled")
        assert total["counterpart"] == sum(r["counterpart"] for r in rows if r["status"] in committed)
        assert total["disbursed"] == sum(sum(r["paid"]) for r in rows)
        for fields in [
            ("programme",),
            ("activity",),
            ("year",),
            ("commune",),
            ("programme", "activity", "year"),
        ]:
            grouped = selectors.totals_by(qs, *fields)
            assert sum(g["approved"] for g in grouped) == total["approved"]
            assert sum(g["settled"] for g in grouped) == total["settled"]
            for g in grouped:
                expect = sum(
                    r["support_approved"]
                    for r in rows
                    if r["status"] in committed
                    and all(r["commune_id" if f == "commune" else f] == g[f] for f in fields)
                )
                assert g["approved"] == expect

    @settings(max_examples=20, deadline=None)
    @given(st.lists(row, max_size=8), st.integers(0, 10**13), st.integers(0, 10**13))
    def test_plan_vs_actual_adds_up_per_source(self, rows, national, local):
        plan = PlanFactory(national_budget=national, local_budget=local)
        for i, r in enumerate(rows):
            Project.objects.create(
                code=f"P-{i}",
                title="x",
                province_id=96,
                **{**{k: v for k, v in r.items() if k != "paid"}, "year": 2026},
                support_paid=r["support_settled"] if r["status"] == "settled" else 0,
            )
        actual = selectors.plan_actuals(plan)
        for programme, budget in (("national", national), ("local", local)):
            src = actual["by_programme"][programme]
            mine = [r for r in rows if r["programme"] == programme]
            committed = sum(
                r["support_approved"]
                for r in mine
                if r["status"] in {"approved", "contracted", "in_progress", "accepted"}
            ) + sum(r["support_settled"] for r in mine if r["status"] == "settled")
            assert src["committed"] == committed == sum(line["committed"] for line in src["lines"])
            assert src["left"] == budget - committed
        assert actual["total"]["committed"] == sum(s["committed"] for s in actual["by_programme"].values())


@pytest.mark.django_db
def test_each_role_reads_the_projects_of_its_place():
    mine = ProjectFactory()
    other_commune = ProjectFactory(commune_id=32065)
    other_province = ProjectFactory(
        province_id=92, commune_id=31135, establishment=EstablishmentFactory(province_id=92, commune_id=31135)
    )
    seen = lambda user: set(selectors.visible_projects(user))  # noqa: E731
    assert seen(make_user("province_officer")) == {mine, other_commune}
    assert seen(make_user("commune_officer")) == {mine}
    assert seen(make_user("viewer")) == {mine, other_commune, other_province}
    assert seen(make_user("viewer", province_id=92)) == {other_province}
    assert seen(make_user("establishment", establishment=mine.establishment)) == {mine}
    assert seen(make_user("judge")) == set()


@pytest.mark.django_db
def test_plans_are_read_province_wide_but_not_by_establishments():
    plan = PlanFactory()
    assert list(selectors.visible_plans(make_user("commune_officer"))) == [plan]
    assert list(selectors.visible_plans(make_user("province_officer", province_id=92))) == []
    assert (
        list(selectors.visible_plans(make_user("establishment", establishment=EstablishmentFactory()))) == []
    )


@pytest.mark.django_db
def test_an_establishments_support_and_its_later_certified_products():
    est = EstablishmentFactory()
    ProjectFactory(
        establishment=est,
        year=2024,
        status="settled",
        support_approved=300_000_000,
        support_settled=280_000_000,
    )
    ProjectFactory(establishment=est, status="cancelled")
    result = certify(est, year=2025)
    data = selectors.establishment_support(est)
    assert len(data["projects"]) == 1 and data["totals"]["settled"] == 280_000_000
    assert data["certified"] == [result]


class CeilingArithmetic(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(
        cost=st.integers(0, 10**11),
        amount=st.integers(0, 10**10),
        line=st.booleans(),
        activity=st.sampled_from(["machinery", "demo_model"]),
    )
    def test_the_limit_is_the_smaller_of_the_share_and_the_maximum(self, cost, amount, line, activity):
        from decimal import ROUND_HALF_UP, Decimal

        from khuyencong.programme import services
        from khuyencong.programme.defaults import ensure_defaults
        from khuyencong.programme.models import AppraisalCriterion, AppraisalScheme, CeilingRule

        ensure_defaults(CeilingRule, AppraisalScheme, AppraisalCriterion)
        # approved in 2024, before the amendment 64/2024/TT-BTC: the 28/2018 ceilings
        project = Project(
            activity=activity,
            total_cost=cost or None,
            technology_line=line,
            year=2024,
            province_id=96,
            decision_date=__import__("datetime").date(2024, 6, 1),
        )
        check = services.check_ceiling(project, amount)
        if not cost:
            assert check.refused and check.limit is None
            return
        share, maximum = (
            (Decimal(50), 300_000_000 * (Decimal("1.5") if line else 1))
            if activity == "machinery"
            else (Decimal(30), 1_000_000_000)
        )
        limit = min(int((Decimal(cost) * share / 100).to_integral_value(ROUND_HALF_UP)), int(maximum))
        assert check.limit == limit
        assert check.exceeded == (amount > limit)
        if check.exceeded:
            assert "28/2018/TT-BTC" in check.message


class PriorityPointsStayInRange(TestCase):
    @settings(max_examples=40, deadline=None)
    @given(
        jobs=st.integers(0, 10_000),
        cost=st.integers(0, 10**11),
        counterpart=st.integers(0, 10**11),
        local=st.booleans(),
    )
    def test_points_are_between_zero_and_the_schemes_maximum(self, jobs, cost, counterpart, local):
        from khuyencong.programme import services
        from khuyencong.programme.defaults import ensure_defaults
        from khuyencong.programme.models import AppraisalCriterion, AppraisalScheme, CeilingRule

        ensure_defaults(CeilingRule, AppraisalScheme, AppraisalCriterion)
        scheme = services.current_scheme()
        project = Project(
            expected_jobs=jobs, total_cost=cost or None, counterpart=counterpart, local_materials=local
        )
        points, reasons = services.priority_points(project, scheme)
        assert 0 <= points <= 100
        assert sum(__import__("decimal").Decimal(r["points"]) for r in reasons) == points
        more, _ = services.priority_points(
            Project(
                expected_jobs=jobs + 1,
                total_cost=cost or None,
                counterpart=counterpart,
                local_materials=local,
            ),
            scheme,
        )
        assert more >= points

"""Selection's invariants are held by the database too, whatever path writes the row."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from khuyencong.selection.models import CouncilMember, Result, Round, Score, ScoreItem
from tests.factories import ProductFactory, make_user

from .factories import make_dossier, make_round, seat


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.django_db
def test_a_round_has_one_chair():
    round_ = make_round()
    seat(round_, role="chair")
    seat(round_, role="member")
    _refused(lambda: CouncilMember.objects.create(round=round_, user=make_user("judge"), role="chair"))
    seat(make_round(), role="chair")  # another round has its own


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"pass_mark": Decimal("100.5")},
        {"pass_mark": Decimal("-1")},
        {"registration_opens": datetime.date(2026, 5, 2), "registration_closes": datetime.date(2026, 5, 1)},
        {"scoring_opens": datetime.date(2026, 6, 2), "scoring_closes": datetime.date(2026, 6, 1)},
    ],
)
def test_a_round_with_impossible_dates_or_pass_mark_is_refused(change):
    round_ = make_round()
    _refused(lambda: Round.objects.filter(pk=round_.pk).update(**change))


@pytest.mark.django_db
def test_a_round_closing_the_day_it_opens_is_allowed():
    make_round(registration_opens=datetime.date(2026, 5, 1), registration_closes=datetime.date(2026, 5, 1))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("prize", "AB"), ("prize", "D"), ("score", Decimal("100.01")), ("score", Decimal("-0.5"))],
)
def test_a_result_out_of_bounds_is_refused(field, value):
    _refused(lambda: Result.objects.create(round=make_round(), product=ProductFactory(), **{field: value}))


@pytest.mark.django_db
def test_a_dossier_prize_is_a_b_or_c():
    dossier = make_dossier(make_round(), with_documents=False)
    _refused(
        lambda: type(dossier).objects.filter(pk=dossier.pk).update(prize="D")
    )  # one letter: the column holds one


@pytest.mark.django_db
def test_negative_points_are_refused():
    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible", with_documents=False)
    sheet = Score.objects.create(dossier=dossier, member=seat(round_), total=0)
    criterion = round_.rubric.criteria.first()
    _refused(lambda: ScoreItem.objects.create(score=sheet, criterion=criterion, points=Decimal("-1")))
    _refused(lambda: Score.objects.filter(pk=sheet.pk).update(total=Decimal("-1")))


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_the_rows_that_break_a_rule_before_adding_it():
    before = [("selection", "0006_notification_moves_to_notifications")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    # rows written as the schema stood then (today's models carry columns added later)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    OldRound, OldMember = old.get_model("selection", "Round"), old.get_model("selection", "CouncilMember")
    round_ = OldRound.objects.create(
        code="BAD-1", year=2026, level="province", province_id=96, title="Vòng sai", pass_mark=Decimal("120")
    )
    try:
        chairs = [
            OldMember.objects.create(round=round_, user_id=make_user("judge").pk, role="chair")
            for _ in range(2)
        ]
        with pytest.raises(RuntimeError) as exc:
            MigrationExecutor(connection).migrate(latest)
        text = str(exc.value)
        assert (
            f"Round {round_.pk} (code='BAD-1', pass_mark=Decimal('120.00')): pass mark between 0 and 100"
            in text
        )
        for chair in chairs:
            assert f"CouncilMember {chair.pk} (round_id={round_.pk}" in text and "one chair per round" in text
    finally:
        OldRound.objects.filter(pk=round_.pk).update(pass_mark=70)
        OldMember.objects.filter(round_id=round_.pk).delete()
        MigrationExecutor(connection).migrate(latest)
    assert MigrationExecutor(connection).migration_plan(latest) == []
    assert Round.objects.get(pk=round_.pk).certificate_validity_months == 36  # 3 years then, 36 months now

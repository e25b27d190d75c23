"""Round rules for fair judging: a minimum of submitted sheets per dossier, conflicts declared with their kind."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from khuyencong.selection import services
from khuyencong.selection.models import Conflict, Round, RoundStatus
from khuyencong.selection.selectors import result_rows
from tests.factories import ProductFactory, make_user

from .factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct", email="sct@example.vn")


def _submit(member, dossier, fraction="0.8"):
    services.save_score(
        user=member.user,
        dossier=dossier,
        points=full_points(
            dossier.round, lambda c: (c.max_points * Decimal(fraction)).quantize(Decimal("0.01"))
        ),
        submit=True,
    )


def test_scoring_cannot_close_while_a_dossier_has_fewer_sheets_than_the_minimum_and_the_refusal_names_it(
    officer,
):
    round_ = make_round(status="scoring", min_sheets=2)
    well = make_dossier(round_, product=ProductFactory(name="Chiếu cói Kim Sơn"), status="eligible")
    thin = make_dossier(round_, product=ProductFactory(name="Mắm tép Gò Công"), status="eligible")
    bare = make_dossier(round_, product=ProductFactory(name="Nón lá Huế"), status="eligible")
    a, b = seat(round_), seat(round_)
    assign(a, well, thin, bare)
    assign(b, well, thin, bare)
    _submit(a, well)
    _submit(b, well)
    _submit(a, thin)
    with pytest.raises(ValidationError) as exc:
        services.close_scoring(user=officer, round_=round_)
    text = " ".join(exc.value.messages)
    assert "ít nhất 2 phiếu" in text
    assert "“Nón lá Huế” (0 phiếu)" in text and "“Mắm tép Gò Công” (1 phiếu)" in text
    assert "Chiếu cói" not in text
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.SCORING
    _submit(b, thin)
    _submit(a, bare)
    _submit(b, bare)
    services.close_scoring(user=officer, round_=round_)
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.REVIEW


def test_without_a_minimum_one_sheet_is_enough_to_close(officer):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    make_dossier(round_, status="eligible")  # no sheet at all: allowed when the round sets no minimum
    m = seat(round_)
    assign(m, d)
    _submit(m, d)
    services.close_scoring(user=officer, round_=round_)
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.REVIEW


def test_a_conflict_needs_its_kind_and_reason_and_the_mean_excludes_the_member(officer):
    round_ = make_round(status="scoring")
    d = make_dossier(round_, status="eligible")
    a, b, c = seat(round_), seat(round_), seat(round_)
    assign(a, d)
    assign(b, d)
    assign(c, d)
    with pytest.raises(ValidationError) as exc:
        services.declare_conflict(user=c.user, dossier=d, kind="", reason="Con của chủ cơ sở")
    assert "trực tiếp" in exc.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as exc:
        services.declare_conflict(user=c.user, dossier=d, kind="soft", reason="")
    assert "reason" in exc.value.message_dict
    services.declare_conflict(user=c.user, dossier=d, kind="soft", reason="Từng cộng tác với cơ sở")
    conflict = Conflict.objects.get(member=c, dossier=d)
    assert (conflict.kind, conflict.reason) == ("soft", "Từng cộng tác với cơ sở")
    _submit(a, d, "0.9")
    _submit(b, d, "0.7")
    services.close_scoring(user=officer, round_=round_)
    (row,) = result_rows(Round.objects.get(pk=round_.pk))
    assert row.score == Decimal("80.00")  # (90 + 70) / 2: the member with a conflict is not counted

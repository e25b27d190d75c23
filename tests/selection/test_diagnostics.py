"""The judging diagnostic's statistics: hand-computed examples, then properties over any sheets (hypothesis)."""

import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from khuyencong.selection import diagnostics as dx
from khuyencong.selection.diagnostics import Sheet

# --- hand-computed examples ------------------------------------------------------------------------

# Shrout & Fleiss (1979), Table 2: 6 targets scored by 4 judges. Published: ICC(1,1) = 0.17, ICC(2,1) = 0.29.
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def _sheets(table):
    return [Sheet(f"j{j}", f"t{i}", v) for i, row in enumerate(table) for j, v in enumerate(row)]


def test_icc_on_the_shrout_fleiss_example_by_hand():
    # N = 24 scores, n = 6 targets, k = 4 judges; Σx = 127, Σx² = 841.
    correction = Fraction(127**2, 24)  # (Σx)² / N = 16129 / 24
    ss_total = 841 - correction  # 168.958…
    # row sums 24, 12, 26, 16, 30, 19 → SS_rows = Σ r² / k − (Σx)² / N = 2913/4 − 16129/24 = 56.208…
    ss_rows = Fraction(24**2 + 12**2 + 26**2 + 16**2 + 30**2 + 19**2, 4) - correction
    # column sums 46, 15, 26, 40 → SS_cols = Σ c² / n − (Σx)² / N = 4617/6 − 16129/24 = 97.458…
    ss_cols = Fraction(46**2 + 15**2 + 26**2 + 40**2, 6) - correction
    ms_rows = ss_rows / 5  # BMS 11.24 in the paper
    ms_within = (ss_total - ss_rows) / 18  # WMS 6.26 (N − n = 18)
    ms_cols = ss_cols / 3  # JMS 32.49
    ms_error = (ss_total - ss_rows - ss_cols) / 15  # EMS 1.02 ((n − 1)(k − 1) = 15)
    assert round(float(ms_rows), 2) == 11.24 and round(float(ms_within), 2) == 6.26
    assert round(float(ms_cols), 2) == 32.49 and round(float(ms_error), 2) == 1.02
    icc1 = (ms_rows - ms_within) / (ms_rows + 3 * ms_within)
    icc21 = (ms_rows - ms_error) / (ms_rows + 3 * ms_error + 4 * (ms_cols - ms_error) / 6)
    assert round(float(icc1), 2) == 0.17 and round(float(icc21), 2) == 0.29  # as published

    sheets = _sheets(SHROUT_FLEISS)
    assert dx.icc1(sheets) == pytest.approx(float(icc1), abs=1e-12)
    assert dx.icc2_1(sheets) == pytest.approx(float(icc21), abs=1e-12)
    result = dx.reliability(sheets)
    assert result.complete and result.form == "ICC(2,1)" and result.band == "poor"


def test_icc1_with_missing_sheets_by_hand():
    # A: 80, 84 · B: 60, 64, 62 · C: 70 (a member missing on A, two on C).
    sheets = [
        Sheet("m1", "A", 80),
        Sheet("m2", "A", 84),
        Sheet("m1", "B", 60),
        Sheet("m2", "B", 64),
        Sheet("m3", "B", 62),
        Sheet("m3", "C", 70),
    ]
    # means 82, 62, 70; grand mean 420 / 6 = 70
    # SSB = 2·12² + 3·8² + 1·0² = 480, MSB = 480 / (3 − 1) = 240
    # SSW = (2² + 2²) + (2² + 2² + 0²) + 0 = 16, MSW = 16 / (6 − 3) = 16/3
    # k0 = (6 − (2² + 3² + 1²) / 6) / (3 − 1) = (6 − 14/6) / 2 = 11/6
    # ICC(1) = (240 − 16/3) / (240 + (11/6 − 1)·16/3) = (704/3) / (2200/9) = 0.96
    assert dx.icc1(sheets) == pytest.approx(0.96, abs=1e-12)
    assert dx.icc2_1(sheets) is None  # not complete: ICC(2,1) is not computed
    result = dx.reliability(sheets)
    assert not result.complete and result.form == "ICC(1)" and result.value == pytest.approx(0.96)
    assert result.band == "excellent"


def test_normalised_ranking_and_moves_by_hand():
    # P spreads widely (90, 50, 70: mean 70, sd 20); Q narrowly and in another order (72, 78, 72: mean 74, sd √12).
    sheets = [
        Sheet("P", "d1", 90),
        Sheet("P", "d2", 50),
        Sheet("P", "d3", 70),
        Sheet("Q", "d1", 72),
        Sheet("Q", "d2", 78),
        Sheet("Q", "d3", 72),
    ]
    # Legal means: d1 81, d2 64, d3 71 → ranks d1 1, d3 2, d2 3.
    legal = dx.rank({"d1": 81, "d2": 64, "d3": 71})
    assert legal == {"d1": 1, "d3": 2, "d2": 3}
    # Council: all six totals, mean 432/6 = 72; squared deviations 324+484+4+0+36+0 = 848, sd = √(848/5) = 13.0231.
    c_sd = math.sqrt(848 / 5)
    # z of P: +1, −1, 0; z of Q: (72−74)/√12 = −0.5774, (78−74)/√12 = +1.1547, −0.5774.
    zq = [-2 / math.sqrt(12), 4 / math.sqrt(12), -2 / math.sqrt(12)]
    expected = {
        "d1": 72 + c_sd * (1 + zq[0]) / 2,  # 74.75
        "d2": 72 + c_sd * (-1 + zq[1]) / 2,  # 73.01
        "d3": 72 + c_sd * (0 + zq[2]) / 2,  # 68.24
    }
    diag = dx.diagnose(sheets, threshold=15, legal_ranks=legal)
    for d, value in expected.items():
        assert diag.normalised[d] == pytest.approx(value, abs=1e-9)
    assert round(diag.normalised["d1"], 2) == 74.75 and round(diag.normalised["d3"], 2) == 68.24
    assert diag.normalised_ranks == {"d1": 1, "d2": 2, "d3": 3}
    moves = {m.dossier: (m.legal_rank, m.normalised_rank, m.shift) for m in diag.moves}
    assert moves == {"d2": (3, 2, 1), "d3": (2, 3, -1)}
    assert diag.council_mean == pytest.approx(72) and diag.council_sd == pytest.approx(c_sd)
    profiles = {p.member: p for p in diag.members}
    # P's offsets against Q on each dossier: 90−72, 50−78, 70−72 → (18 − 28 − 2) / 3 = −4
    assert profiles["P"].offset == pytest.approx(-4) and profiles["Q"].offset == pytest.approx(4)
    assert profiles["P"].sd == pytest.approx(20) and profiles["Q"].sd == pytest.approx(math.sqrt(12))


def test_outlier_sheets_by_hand():
    sheets = [
        Sheet("a", "x", 70),
        Sheet("b", "x", 71),
        Sheet("c", "x", 96),  # median of 70, 71, 96 is 71: 25 points above
        Sheet("a", "y", 70),
        Sheet("b", "y", 90),  # two sheets only: nothing says which one is odd
    ]
    (found,) = dx.outliers(sheets, threshold=12)  # a and b stay close to the median (1 and 0 points)
    assert (found.member, found.dossier, found.median, found.deviation) == ("c", "x", 71, 25)
    # the mean of the others would have flagged the sound sheets too: a's others average (71 + 96) / 2 = 83.5
    assert abs(70 - (71 + 96) / 2) > 12
    assert dx.outliers(sheets, threshold=25) == []  # "more than" the threshold
    assert dx.median([4, 1, 3, 2]) == 2.5


def test_a_member_with_a_single_sheet_is_only_recentred():
    sheets = [Sheet("a", "x", 80), Sheet("a", "y", 60), Sheet("b", "x", 50)]
    mapped = {(s.member, s.dossier): s.total for s in dx.normalised_sheets(sheets)}
    assert mapped[("b", "x")] == pytest.approx(190 / 3)  # 50 − 50 + council mean (80 + 60 + 50) / 3


# --- properties over any sheets -----------------------------------------------------------------------

totals = st.integers(min_value=0, max_value=10000).map(lambda c: c / 100)  # 0,00 to 100,00 as typed


@st.composite
def sheet_sets(draw, complete=False):
    members = draw(st.integers(min_value=2, max_value=6))
    dossiers = draw(st.integers(min_value=2, max_value=8))
    sheets = []
    for m in range(members):
        for d in range(dossiers):
            if complete or draw(st.booleans()):
                sheets.append(Sheet(f"m{m}", f"d{d}", draw(totals)))
    assume(len(sheets) >= 2)
    return sheets


@settings(max_examples=150, deadline=None)
@given(sheet_sets())
def test_each_member_lands_on_the_councils_scale(sheets):
    council = [s.total for s in sheets]
    c_mean, c_sd = dx.mean(council), dx.sample_sd(council)
    mapped = dx.normalised_sheets(sheets)
    assert len(mapped) == len(sheets)
    for member in {s.member for s in sheets}:
        own = [s.total for s in sheets if s.member == member]
        new = [s.total for s in mapped if s.member == member]
        assert dx.mean(new) == pytest.approx(c_mean, abs=1e-6)
        if dx.sample_sd(own):  # a scale of their own: mapped onto the council's spread
            assert dx.sample_sd(new) == pytest.approx(c_sd, abs=1e-6)
        else:  # one sheet or all equal: only re-centred, the spread kept
            assert (dx.sample_sd(new) or 0) == pytest.approx(dx.sample_sd(own) or 0, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(
    sheet_sets(),
    st.floats(min_value=0.2, max_value=5),
    st.floats(min_value=-30, max_value=30),
)
def test_a_members_own_scale_does_not_matter_to_the_normalised_order(sheets, factor, shift):
    """Rescaling one member's totals (a·x + b, a > 0) leaves every dossier's standing on the council's scale."""
    council_sd = dx.sample_sd([s.total for s in sheets])
    assume(council_sd and council_sd > 1e-6)
    target = sheets[0].member
    moved = [
        Sheet(s.member, s.dossier, s.total * factor + shift if s.member == target else s.total)
        for s in sheets
    ]
    assume(dx.sample_sd([s.total for s in moved]) > 1e-6)

    def standing(data):
        scores = dx.normalised_scores(data)
        values = [s.total for s in data]
        c_mean, c_sd = dx.mean(values), dx.sample_sd(values)
        return {d: (v - c_mean) / c_sd for d, v in scores.items()}

    before, after = standing(sheets), standing(moved)
    assert before.keys() == after.keys()
    for d in before:
        assert after[d] == pytest.approx(before[d], abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(sheet_sets(), st.floats(min_value=-20, max_value=20), st.integers(min_value=1, max_value=40))
def test_outliers_depend_on_distances_only(sheets, shift, threshold):
    found = dx.outliers(sheets, threshold)
    for o in found:
        assert abs(o.deviation) > threshold and o.sheets >= 3
    shifted = [Sheet(s.member, s.dossier, s.total + shift) for s in sheets]
    key = {(o.member, o.dossier) for o in found}
    # shifting every total by the same amount moves no sheet away from the others (up to float noise at the edge)
    again = {(o.member, o.dossier) for o in dx.outliers(shifted, threshold + 1e-6)}
    assert again <= key


@settings(max_examples=150, deadline=None)
@given(
    st.lists(totals, min_size=2, max_size=8, unique=True),
    st.integers(min_value=2, max_value=5),
)
def test_members_who_agree_exactly_have_perfect_reliability(true_scores, k):
    sheets = [Sheet(f"m{j}", f"d{i}", t) for i, t in enumerate(true_scores) for j in range(k)]
    result = dx.reliability(sheets)
    assert result.icc1 == pytest.approx(1.0) and result.icc2_1 == pytest.approx(1.0)
    assert result.complete and result.value == pytest.approx(1.0)


@settings(max_examples=150, deadline=None)
@given(sheet_sets())
def test_reliability_never_exceeds_one_and_icc21_only_on_complete_data(sheets):
    result = dx.reliability(sheets)
    for value in (result.icc1, result.icc2_1):
        assert value is None or value <= 1 + 1e-9
    if not dx.is_complete(sheets):
        assert result.icc2_1 is None and result.form == "ICC(1)"


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefgh"), totals, min_size=1))
def test_competition_ranking(scores):
    ranks = dx.rank(scores)
    for d, r in ranks.items():
        assert r == 1 + sum(1 for other in scores.values() if round(other, 2) > round(scores[d], 2))


@settings(max_examples=100, deadline=None)
@given(sheet_sets())
def test_the_diagnostic_leaves_the_sheets_and_the_legal_ranks_as_they_were(sheets):
    copy = list(sheets)
    legal_scores = {
        d: dx.mean(s.total for s in sheets if s.dossier == d) for d in {s.dossier for s in sheets}
    }
    legal = dx.rank(legal_scores)
    diag = dx.diagnose(sheets, threshold=10, legal_ranks=dict(legal))
    assert sheets == copy and diag.legal_ranks == legal
    assert {m.dossier for m in diag.moves} == {d for d in legal if legal[d] != diag.normalised_ranks[d]}


def test_a_member_giving_equal_totals_is_only_re_centred():
    """0,05 three times: the float mean differs from 0,05 in the last bit; that is no spread of one's own."""
    sheets = [Sheet("m0", f"d{d}", 0.05) for d in range(3)] + [
        Sheet("m1", f"d{d}", t) for d, t in enumerate((10.0, 20.0, 30.0))
    ]
    assert dx.sample_sd([0.05, 0.05, 0.05]) == 0
    council_mean = dx.mean([s.total for s in sheets])
    mapped = [s.total for s in dx.normalised_sheets(sheets) if s.member == "m0"]
    assert dx.mean(mapped) == pytest.approx(council_mean)

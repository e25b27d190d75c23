"""How fairly a council judged: statistics over the members' submitted sheets, free of the ORM.

None of this changes the legal result. The regulation's result is the mean of the members' totals, the pass mark
and the council's selection (`scoring.aggregate`, `selectors.result_rows`); what is here is a diagnostic for the
secretary and the officers running the round: is one member systematically severe or lenient, would the order
change if each member's scale were evened out, which sheets stand far from the others, and how much the members
agree overall. The arithmetic is in floats: these are estimates shown rounded, never stored as results.

Definitions (n dossiers, a sheet = one member's total on one dossier; members need not score every dossier):

- A member's **offset** is the mean, over the dossiers they scored, of their total minus the mean of the *other*
  members' totals on that dossier (dossiers nobody else scored are left out). Negative: stricter than the others.
- **Normalised score**: each sheet is turned into the member's z-score, z = (total − member's mean) / member's
  standard deviation, and mapped back to points on the council's scale, council mean + z × council standard
  deviation (mean and standard deviation over all sheets). A member with a single sheet, or whose sheets are all
  equal, has no scale of their own: their sheets are only re-centred (total − member's mean + council mean). A
  dossier's normalised score is the mean of its mapped sheets. Standard deviations are sample ones (n − 1).
- **Outlier sheet**: a sheet whose total differs from the dossier's median total (the middle of all its sheets) by
  more than the round's threshold, in points. The median, not the mean of the others: with three sheets, one far
  off would drag the others' mean and make the two sound sheets look far too. It needs at least three sheets on the
  dossier: with two, nothing says which of the two is the odd one.
- **Inter-rater reliability**, intraclass correlation (Shrout & Fleiss 1979):
  ICC(1) — one-way random effects, single rater, for unbalanced data (members missing on some dossiers): with
  N sheets over n dossiers, n_i sheets on dossier i, MSB = Σ n_i (m_i − m)² / (n − 1),
  MSW = ΣΣ (x − m_i)² / (N − n), k0 = (N − Σ n_i² / N) / (n − 1), ICC(1) = (MSB − MSW) / (MSB + (k0 − 1) MSW).
  ICC(2,1) — two-way random effects, absolute agreement, single rater — only when every member scored every
  dossier (complete data): ICC(2,1) = (MSR − MSE) / (MSR + (k − 1) MSE + k (MSC − MSE) / n).
  Read as Koo & Li (2016): below 0,5 poor, 0,5–0,75 moderate, 0,75–0,9 good, above 0,9 excellent.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sheet:
    member: Hashable
    dossier: Hashable
    total: float


@dataclass(frozen=True)
class MemberProfile:
    member: Hashable
    sheets: int
    mean: float
    sd: float | None  # None with a single sheet
    offset: float | None  # None when nobody else scored the member's dossiers


@dataclass(frozen=True)
class Outlier:
    member: Hashable
    dossier: Hashable
    total: float
    median: float  # the dossier's median total, this sheet included
    sheets: int

    @property
    def deviation(self) -> float:
        return self.total - self.median


@dataclass(frozen=True)
class Move:
    dossier: Hashable
    legal_rank: int | None
    normalised_rank: int | None

    @property
    def shift(self) -> int:
        """Places gained (positive) or lost (negative) on the normalised ranking."""
        if self.legal_rank is None or self.normalised_rank is None:
            return 0
        return self.legal_rank - self.normalised_rank


@dataclass(frozen=True)
class Reliability:
    icc1: float | None
    icc2_1: float | None  # None unless the data is complete
    complete: bool
    dossiers: int
    members: int
    sheets: int

    @property
    def value(self) -> float | None:
        """The coefficient the page leads with: ICC(2,1) on complete data, else ICC(1)."""
        return self.icc2_1 if self.complete and self.icc2_1 is not None else self.icc1

    @property
    def form(self) -> str:
        return "ICC(2,1)" if self.complete and self.icc2_1 is not None else "ICC(1)"

    @property
    def band(self) -> str:
        """poor / moderate / good / excellent (Koo & Li 2016), "" when not computable."""
        return agreement_band(self.value)


@dataclass
class Diagnostic:
    council_mean: float | None
    council_sd: float | None
    members: list[MemberProfile]
    normalised: dict
    normalised_ranks: dict
    moves: list[Move]
    outliers: list[Outlier]
    reliability: Reliability
    threshold: float
    legal_ranks: dict = field(default_factory=dict)


# --- small exact pieces --------------------------------------------------------------------------


def mean(values: Iterable[float]) -> float | None:
    values = [float(v) for v in values]
    return math.fsum(values) / len(values) if values else None


def sample_sd(values: Iterable[float]) -> float | None:
    """The sample standard deviation (n − 1); None with fewer than two values."""
    values = [float(v) for v in values]
    if len(values) < 2:
        return None
    if max(values) - min(values) < 1e-9:
        # equal totals: exactly 0 (the float mean of equal values may differ from them in the last bit,
        # which would give a spread of 1e-17 and z-scores of ±1 out of nothing)
        return 0.0
    m = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - m) ** 2 for v in values) / (len(values) - 1))


def agreement_band(value: float | None) -> str:
    if value is None:
        return ""
    if value < 0.5:
        return "poor"
    if value < 0.75:
        return "moderate"
    if value <= 0.9:
        return "good"
    return "excellent"


def _clean(sheets: Iterable[Sheet]) -> list[Sheet]:
    out = [Sheet(s.member, s.dossier, float(s.total)) for s in sheets]
    seen = set()
    for s in out:
        if (s.member, s.dossier) in seen:
            raise ValueError(f"two sheets of member {s.member!r} on dossier {s.dossier!r}")
        seen.add((s.member, s.dossier))
    return out


def _by(sheets: list[Sheet], key: str) -> dict:
    grouped: dict = defaultdict(list)
    for s in sheets:
        grouped[getattr(s, key)].append(s)
    return grouped


# --- members -------------------------------------------------------------------------------------


def member_profiles(sheets: Iterable[Sheet]) -> list[MemberProfile]:
    sheets = _clean(sheets)
    by_dossier = _by(sheets, "dossier")
    profiles = []
    for member, own in _by(sheets, "member").items():
        gaps = []
        for s in own:
            others = [o.total for o in by_dossier[s.dossier] if o.member != member]
            if others:
                gaps.append(s.total - math.fsum(others) / len(others))
        totals = [s.total for s in own]
        profiles.append(MemberProfile(member, len(own), mean(totals), sample_sd(totals), mean(gaps)))
    return profiles


# --- normalised scores and ranks -----------------------------------------------------------------


def normalised_sheets(sheets: Iterable[Sheet]) -> list[Sheet]:
    """Every sheet mapped from its member's scale to the council's (see the module's docstring)."""
    sheets = _clean(sheets)
    if not sheets:
        return []
    all_totals = [s.total for s in sheets]
    c_mean, c_sd = mean(all_totals), sample_sd(all_totals) or 0.0
    mapped = []
    for _member, own in _by(sheets, "member").items():
        totals = [s.total for s in own]
        m_mean, m_sd = mean(totals), sample_sd(totals)
        for s in own:
            if m_sd:  # a scale of their own: z-score, then the council's scale
                value = c_mean + (s.total - m_mean) / m_sd * c_sd
            else:  # one sheet, or all equal: re-centred only
                value = s.total - m_mean + c_mean
            mapped.append(Sheet(s.member, s.dossier, value))
    return mapped


def normalised_scores(sheets: Iterable[Sheet]) -> dict:
    """The dossier's normalised score: the mean of its sheets on the council's scale."""
    return {d: mean(s.total for s in own) for d, own in _by(normalised_sheets(sheets), "dossier").items()}


def rank(scores: Mapping, groups: Mapping | None = None, places: int | None = 2) -> dict:
    """Competition ranking (1, 2, 2, 4) by score, highest first, within each group (all one group when None).

    Scores are compared rounded to `places` decimals, as the results page shows them, so that a difference
    in the fifteenth decimal of a float does not split a tie.
    """
    groups = groups or {}
    by_group: dict = defaultdict(list)
    for d, score in scores.items():
        if score is not None:
            by_group[groups.get(d)].append((round(score, places) if places is not None else score, d))
    ranks = {}
    for entries in by_group.values():
        ordered = sorted(entries, key=lambda e: -e[0])
        for i, (score, d) in enumerate(ordered):
            ranks[d] = 1 + sum(1 for other, _d in ordered[:i] if other > score)
    return ranks


def rank_moves(legal_ranks: Mapping, normalised_ranks: Mapping) -> list[Move]:
    """The dossiers whose rank differs between the legal and the normalised ranking, biggest moves first."""
    moves = [
        Move(d, legal_ranks.get(d), normalised_ranks.get(d))
        for d in set(legal_ranks) | set(normalised_ranks)
        if legal_ranks.get(d) != normalised_ranks.get(d)
    ]
    return sorted(moves, key=lambda m: (-abs(m.shift), m.legal_rank or 10**6, str(m.dossier)))


# --- outliers --------------------------------------------------------------------------------------


def median(values: Iterable[float]) -> float:
    ordered = sorted(float(v) for v in values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def outliers(sheets: Iterable[Sheet], threshold: float) -> list[Outlier]:
    """Sheets more than `threshold` points from the median total of their dossier (three sheets at least)."""
    if threshold <= 0:
        raise ValueError("the threshold is a positive number of points")
    found = []
    for dossier, own in _by(_clean(sheets), "dossier").items():
        if len(own) < 3:
            continue
        middle = median(s.total for s in own)
        for s in own:
            if abs(s.total - middle) > threshold:
                found.append(Outlier(s.member, dossier, s.total, middle, len(own)))
    return sorted(found, key=lambda o: -abs(o.deviation))


# --- reliability -----------------------------------------------------------------------------------


def icc1(sheets: Iterable[Sheet]) -> float | None:
    """ICC(1), one-way random effects, single rater, unbalanced (see the module's docstring); None when it cannot
    be estimated (fewer than two dossiers, no dossier with two sheets, or no variance at all)."""
    by_dossier = _by(_clean(sheets), "dossier")
    n = len(by_dossier)
    big_n = sum(len(v) for v in by_dossier.values())
    if n < 2 or big_n <= n:
        return None
    grand = math.fsum(s.total for v in by_dossier.values() for s in v) / big_n
    means = {d: math.fsum(s.total for s in v) / len(v) for d, v in by_dossier.items()}
    ssb = math.fsum(len(v) * (means[d] - grand) ** 2 for d, v in by_dossier.items())
    ssw = math.fsum((s.total - means[d]) ** 2 for d, v in by_dossier.items() for s in v)
    msb, msw = ssb / (n - 1), ssw / (big_n - n)
    k0 = (big_n - math.fsum(len(v) ** 2 for v in by_dossier.values()) / big_n) / (n - 1)
    denominator = msb + (k0 - 1) * msw
    if denominator <= 0:
        return None
    return (msb - msw) / denominator


def is_complete(sheets: Iterable[Sheet]) -> bool:
    """Every member who scored at all scored every dossier that was scored."""
    sheets = _clean(sheets)
    members = {s.member for s in sheets}
    dossiers = {s.dossier for s in sheets}
    return bool(sheets) and len(sheets) == len(members) * len(dossiers)


def icc2_1(sheets: Iterable[Sheet]) -> float | None:
    """ICC(2,1), two-way random effects, absolute agreement, single rater; complete data only (None otherwise,
    or with fewer than two dossiers or members, or no variance at all)."""
    sheets = _clean(sheets)
    if not is_complete(sheets):
        return None
    members = sorted({s.member for s in sheets}, key=str)
    dossiers = sorted({s.dossier for s in sheets}, key=str)
    n, k = len(dossiers), len(members)
    if n < 2 or k < 2:
        return None
    x = {(s.dossier, s.member): s.total for s in sheets}
    grand = math.fsum(x.values()) / (n * k)
    row = {d: math.fsum(x[(d, m)] for m in members) / k for d in dossiers}
    col = {m: math.fsum(x[(d, m)] for d in dossiers) / n for m in members}
    ss_rows = k * math.fsum((row[d] - grand) ** 2 for d in dossiers)
    ss_cols = n * math.fsum((col[m] - grand) ** 2 for m in members)
    ss_total = math.fsum((v - grand) ** 2 for v in x.values())
    ss_error = ss_total - ss_rows - ss_cols
    msr, msc = ss_rows / (n - 1), ss_cols / (k - 1)
    mse = max(ss_error, 0.0) / ((n - 1) * (k - 1))
    denominator = msr + (k - 1) * mse + k * (msc - mse) / n
    if denominator <= 0:
        return None
    return (msr - mse) / denominator


def reliability(sheets: Iterable[Sheet]) -> Reliability:
    sheets = _clean(sheets)
    return Reliability(
        icc1=icc1(sheets),
        icc2_1=icc2_1(sheets),
        complete=is_complete(sheets),
        dossiers=len({s.dossier for s in sheets}),
        members=len({s.member for s in sheets}),
        sheets=len(sheets),
    )


# --- all at once -----------------------------------------------------------------------------------


def diagnose(
    sheets: Iterable[Sheet],
    *,
    threshold: float,
    legal_ranks: Mapping | None = None,
    groups: Mapping | None = None,
) -> Diagnostic:
    """The whole diagnostic of a round's stage. `legal_ranks` (dossier → rank in the legal result) and `groups`
    (dossier → the grouping the legal ranking uses, the product group) let the normalised ranking be compared with
    the legal one on equal terms."""
    sheets = _clean(sheets)
    totals = [s.total for s in sheets]
    normalised = normalised_scores(sheets)
    normalised_ranks = rank(normalised, groups)
    legal_ranks = dict(legal_ranks or {})
    return Diagnostic(
        council_mean=mean(totals),
        council_sd=sample_sd(totals),
        members=sorted(member_profiles(sheets), key=lambda p: str(p.member)),
        normalised=normalised,
        normalised_ranks=normalised_ranks,
        moves=rank_moves(legal_ranks, normalised_ranks) if legal_ranks else [],
        outliers=outliers(sheets, threshold),
        reliability=reliability(sheets),
        threshold=float(threshold),
        legal_ranks=legal_ranks,
    )

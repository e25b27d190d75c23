"""Scoring arithmetic, exact (Decimal): one member's sheet total and the aggregate of the members' totals.

Kept free of the ORM so it can be property-tested on its own.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_points(value) -> Decimal:
    """Parse points typed with a comma or a dot ("8,5" or "8.5"); raise ValueError on anything else."""
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace(",", ".")
        if not text:
            raise ValueError("empty")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(str(value))
    if number != number.quantize(CENT):
        raise ValueError("more than two decimals")
    return number


def out_of_bounds(points: Decimal, maximum: Decimal) -> bool:
    return points < 0 or points > maximum


def sheet_total(points: Iterable[Decimal]) -> Decimal:
    return sum(points, Decimal("0")).quantize(CENT)


def aggregate(totals: Iterable[Decimal], method: str = "mean") -> Decimal | None:
    """The dossier's score from the members' totals; None when nobody has submitted."""
    values = list(totals)
    if not values:
        return None
    if method != "mean":
        raise ValueError(f"unknown aggregation {method}")
    return (sum(values, Decimal("0")) / Decimal(len(values))).quantize(CENT, rounding=ROUND_HALF_UP)

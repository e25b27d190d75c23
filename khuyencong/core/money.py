"""Money is integer VND (đồng). Never float.

Parsing accepts the forms provinces type in spreadsheets (4550000000, 4.550.000.000,
4,550,000,000, 4 550 000 000); formatting shows the Vietnamese way (4.550.000.000 đ; 19,51 tỷ đồng).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

VND = int

_GROUPED = re.compile(r"^[0-9]{1,3}([.,\s\u00a0][0-9]{3})+$")


class MoneyError(ValueError):
    """A value that is not a whole, non-negative amount of đồng."""


def parse_vnd(value) -> int:
    """Parse an amount of VND; raise MoneyError with a reason for anything that is not whole đồng."""
    if value is None:
        raise MoneyError("empty")
    if isinstance(value, bool):
        raise MoneyError("not a number")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float | Decimal):
        dec = Decimal(str(value))
        if dec != dec.to_integral_value():
            raise MoneyError("a fraction of a đồng")
        amount = int(dec)
    else:
        text = str(value).strip().replace("\u00a0", " ")
        if text.endswith("đ") or text.lower().endswith("vnd"):
            text = text.rstrip("đ").strip()
            if text.lower().endswith("vnd"):
                text = text[:-3].strip()
        if not text:
            raise MoneyError("empty")
        if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
            raise MoneyError("not ascii digits")  # int() would read Arabic-Indic ١٢٣ as 123
        negative = text.startswith("-")
        if negative:
            raise MoneyError("negative amount")
        if re.fullmatch(r"[0-9]+", text):
            amount = int(text)
        elif _GROUPED.match(text):
            separators = {ch for ch in text if not ch.isdigit()}
            if len(separators) > 1:
                raise MoneyError("mixed digit grouping")
            amount = int(re.sub(r"[^0-9]", "", text))
        elif re.match(r"^[0-9]+[.,][0-9]+$", text):
            raise MoneyError("a fraction of a đồng")
        else:
            raise MoneyError("not a whole number of đồng")
    if amount < 0:
        raise MoneyError("negative amount")
    return amount


def group_digits(n: int) -> str:
    """1759 -> "1.759" (Vietnamese thousands separator)."""
    sign = "-" if n < 0 else ""
    return sign + f"{abs(int(n)):,}".replace(",", ".")


def format_vnd(amount: int | None) -> str:
    if amount is None:
        return "—"
    return f"{group_digits(amount)} đ"


def format_billions(amount: int | None, decimals: int = 2) -> str:
    """19510000000 -> "19,51 tỷ đồng"; amounts below a billion read in millions."""
    if amount is None:
        return "—"
    amount = int(amount)
    if abs(amount) >= 1_000_000_000:
        value, unit = Decimal(amount) / Decimal(1_000_000_000), "tỷ đồng"
    elif abs(amount) >= 1_000_000:
        value, unit = Decimal(amount) / Decimal(1_000_000), "triệu đồng"
    else:
        return format_vnd(amount)
    q = Decimal(1).scaleb(-decimals)
    value = value.quantize(q, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{value:f}".partition(".")
    frac = frac.rstrip("0")
    text = group_digits(int(whole))
    return f"{text},{frac} {unit}" if frac else f"{text} {unit}"

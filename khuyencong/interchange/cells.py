"""Cell parsers for the interchange files: each takes what a spreadsheet holds and returns a value or raises CellError.

The reasons are short, in Vietnamese-first UI terms (msgids English), shown as `row N, column C: why`.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from khuyencong.core.money import MoneyError, parse_vnd
from khuyencong.core.text import (
    MULTILINE_FIELDS,
    TEXT_MAX_CHARS,
    TextRefused,
    canonical_code,
    clean_text,
    fold,
    fold_key,
)

from .readers import OversizeCell


class CellError(ValueError):
    """A cell that cannot be read; its message says why."""


# columns holding codes (their own or another record's): compared in the codes' canonical form
CODE_COLUMNS = frozenset({"code", "establishment", "product", "round", "tax_code"})


def clean_row(row: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The row's text cells through the text policy (the same as the forms' and the API's).

    Returns the cleaned row and the (column, why) of every refused cell: control characters (NUL, ESC…),
    direction overrides, zero-width characters, bytes that were not UTF-8, cells too long.
    """
    cleaned, errors = {}, []
    for key, value in row.items():
        if isinstance(value, OversizeCell):
            errors.append(
                (
                    key,
                    _("at most %(limit)s characters (this has %(length)s)")
                    % {
                        "limit": f"{TEXT_MAX_CHARS:,}".replace(",", "."),
                        "length": f"{value.length:,}".replace(",", "."),
                    },
                )
            )
            continue
        if isinstance(value, str):
            try:
                value = text(value)  # drops an export's apostrophe first
                if key in CODE_COLUMNS:
                    value = canonical_code(value)
                else:
                    value = clean_text(value, multiline=key in MULTILINE_FIELDS)
            except TextRefused as exc:
                errors.append((key, str(exc)))
                continue
        cleaned[key] = value
    return cleaned, errors


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    if type(value) is str:  # most cells: only the strip and the apostrophe check below
        value = value.strip()
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
            value = value[1:].strip()
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = str(value).strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        value = value[1:].strip()  # an export's guard against formulas (khuyencong.core.exports)
    return value


_MONEY_REASONS = {
    "empty": "empty",
    "not a number": "not a number",
    "a fraction of a đồng": "a fraction of a đồng",
    "negative amount": "a negative amount",
    "mixed digit grouping": "mixed digit grouping",
    "not a whole number of đồng": "not a whole number of đồng",
}


def money(value) -> int:
    """Whole, non-negative VND: 4550000000, 4.550.000.000, 4,550,000,000, 4 550 000 000 or a number cell."""
    try:
        return parse_vnd(value if not isinstance(value, str) else value.strip())
    except MoneyError as exc:
        reason = str(exc)
        messages = {
            "empty": _("empty"),
            "not a number": _("not a number"),
            "a fraction of a đồng": _("a fraction of a đồng is not allowed"),
            "negative amount": _("a negative amount is not allowed"),
            "mixed digit grouping": _("digits are grouped inconsistently"),
            "not ascii digits": _("write numbers with the digits 0–9"),
        }
        raise CellError(
            messages.get(reason, _("“%(value)s” is not a whole amount of đồng") % {"value": text(value)})
        ) from exc


def count(value) -> int:
    """A non-negative integer with the same grouping rules as money (1759, 1.759)."""
    try:
        return parse_vnd(value if not isinstance(value, str) else value.strip())
    except MoneyError as exc:
        if str(exc) == "negative amount":
            raise CellError(_("must not be negative")) from exc
        raise CellError(_("“%(value)s” is not a whole number") % {"value": text(value)}) from exc


def decimal(value, *, low=None, high=None) -> Decimal:
    """A decimal with `.` or `,` as the decimal mark (86,5 = 86.5)."""
    if isinstance(value, bool):
        raise CellError(_("not a number"))
    if isinstance(value, int | float | Decimal):
        result = Decimal(str(value))
    else:
        raw = text(value).replace(" ", "")
        if not re.fullmatch(r"-?[0-9]+([.,][0-9]+)?", raw):
            raise CellError(_("“%(value)s” is not a number") % {"value": text(value)})
        try:
            result = Decimal(raw.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the regex guards this
            raise CellError(_("“%(value)s” is not a number") % {"value": text(value)}) from exc
    if (low is not None and result < low) or (high is not None and result > high):
        raise CellError(_("must be between %(low)s and %(high)s") % {"low": low, "high": high})
    return result


def year(value) -> int:
    raw = text(value)
    if not re.fullmatch(r"[0-9]{4}", raw):
        raise CellError(_("“%(value)s” is not a four-digit year") % {"value": raw})
    number = int(raw)
    if not 1800 <= number <= 2100:
        raise CellError(_("year %(value)s is out of range") % {"value": raw})
    return number


def date(value) -> dt.date:
    """dd/mm/yyyy, ISO yyyy-mm-dd, or a date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    for pattern, fmt in (
        (r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", "%d/%m/%Y"),
        (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "%Y-%m-%d"),
    ):
        if re.fullmatch(pattern, raw):
            try:
                return dt.datetime.strptime(raw, fmt).date()
            except ValueError:
                break
    raise CellError(_("“%(value)s” is not a date (dd/mm/yyyy or yyyy-mm-dd)") % {"value": raw})


def code_list(value) -> list[str]:
    """Codes of other records in one cell (a craft village's establishments), separated by ";" or "," or line
    breaks: each in the codes' canonical form, once, in the order given."""
    codes = []
    for part in re.split(r"[;,\r\n]", text(value)):
        if not part.strip():
            continue
        try:
            code = canonical_code(part)
        except TextRefused as exc:
            raise CellError(str(exc)) from exc
        if code not in codes:
            codes.append(code)
    return codes


_YES = {"yes", "y", "co", "x", "1", "true", "dat"}
_NO = {"no", "n", "khong", "0", "false", "khong dat"}


def yes_no(value) -> bool:
    """yes/no, có/không, x, 1/0 (and boolean cells)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(text(value))
    if key in _YES:
        return True
    if key in _NO or key == "":
        return False
    raise CellError(_("“%(value)s” is not yes/no (có/không, x, 1/0)") % {"value": text(value)})


_CHOICE_KEYS: dict[int, dict[str, str]] = {}


def _choice_keys(labels_vi: dict[str, str]) -> dict[str, str]:
    keys = _CHOICE_KEYS.get(id(labels_vi))
    if keys is None:
        keys = {}
        for code, label in labels_vi.items():
            keys[fold_key(code)] = code
            keys[fold_key(label)] = code
        _CHOICE_KEYS[id(labels_vi)] = keys
    return keys


def choice(value, labels_vi: dict[str, str], choices=None) -> str:
    """An enumeration by its English code or its Vietnamese label (case, diacritics and spaces ignored).

    The refusal lists what the reader would write: the Vietnamese labels in Vietnamese, the codes (with
    their English labels from `choices`) in English.
    """
    code = _choice_keys(labels_vi).get(fold_key(text(value)))
    if code is not None:
        return code
    if (translation.get_language() or "vi").startswith("vi"):
        accepted = "; ".join(labels_vi.values())
    else:
        accepted = "; ".join(f"{c} ({choices(c).label})" if choices else c for c in labels_vi)
    raise CellError(_("“%(value)s” is not one of: %(choices)s") % {"value": text(value), "choices": accepted})

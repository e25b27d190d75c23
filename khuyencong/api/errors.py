"""Request validation errors in the caller's language (Vietnamese first, English when asked).

Pydantic words its errors in English ("Field required", "Input should be a valid integer"); the API
answers with the same field paths but our own messages, through gettext, chosen by the error's type
and filled from its context (the bound, the allowed values). The text policy's refusals (a control
character in a name, ...) are already ours and translated: they pass as they are.
"""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _


def _num(value) -> str:
    """A bound as the reader writes it: 1.000.000 and 8,5 in Vietnamese, 1,000,000 and 8.5 in English."""
    from decimal import Decimal

    from khuyencong.core.templatetags.vn import num

    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    if value == int(value):
        return num(int(value))
    return str(value).replace(".", ",") if get_language() == "vi" else str(value)


def _choices(expected: str) -> str:
    """Pydantic's "'a', 'b' or 'c'" as a plain list: 'a', 'b', 'c' (no English word left)."""
    return (expected or "").replace(" or ", ", ")


def _messages():
    """Error type → message (a function of the error's context). Built per call: gettext at request time."""
    whole = _("Enter a whole number.")
    number = _("Enter a number, with a dot for decimals (e.g. 8.5).")
    date = _("Enter a date as YYYY-MM-DD.")
    when = _("Enter a date and time as YYYY-MM-DDTHH:MM:SS (ISO 8601).")
    boolean = _("Enter true or false.")
    text = _("Enter a text.")
    return {
        "missing": lambda c: _("This field is required."),
        "extra_forbidden": lambda c: _("Unknown field: remove it (see the schema for the fields taken)."),
        "int_type": lambda c: whole,
        "int_parsing": lambda c: whole,
        "int_from_float": lambda c: whole,
        "int_parsing_size": lambda c: whole,
        "float_type": lambda c: number,
        "float_parsing": lambda c: number,
        "finite_number": lambda c: number,
        "decimal_type": lambda c: number,
        "decimal_parsing": lambda c: number,
        "decimal_max_digits": lambda c: (
            ngettext("At most %(n)s digit.", "At most %(n)s digits.", c.get("max_digits", 0))
            % {"n": c.get("max_digits")}
        ),
        "decimal_max_places": lambda c: (
            ngettext(
                "At most %(n)s decimal place.", "At most %(n)s decimal places.", c.get("decimal_places", 0)
            )
            % {"n": c.get("decimal_places")}
        ),
        "decimal_whole_digits": lambda c: (
            ngettext(
                "At most %(n)s digit before the decimal point.",
                "At most %(n)s digits before the decimal point.",
                c.get("whole_digits", 0),
            )
            % {"n": c.get("whole_digits")}
        ),
        "bool_type": lambda c: boolean,
        "bool_parsing": lambda c: boolean,
        "string_type": lambda c: text,
        "string_unicode": lambda c: text,
        "string_too_short": lambda c: (
            ngettext("At least %(n)s character.", "At least %(n)s characters.", c.get("min_length", 0))
            % {"n": c.get("min_length")}
        ),
        "string_too_long": lambda c: (
            ngettext("At most %(n)s character.", "At most %(n)s characters.", c.get("max_length", 0))
            % {"n": c.get("max_length")}
        ),
        "string_pattern_mismatch": lambda c: _("The value does not have the expected form."),
        "too_short": lambda c: (
            ngettext("At least %(n)s item.", "At least %(n)s items.", c.get("min_length", 0))
            % {"n": c.get("min_length")}
        ),
        "too_long": lambda c: (
            ngettext("At most %(n)s item.", "At most %(n)s items.", c.get("max_length", 0))
            % {"n": c.get("max_length")}
        ),
        "greater_than_equal": lambda c: _("Must be at least %(n)s.") % {"n": _num(c.get("ge"))},
        "greater_than": lambda c: _("Must be more than %(n)s.") % {"n": _num(c.get("gt"))},
        "less_than_equal": lambda c: _("Must be at most %(n)s.") % {"n": _num(c.get("le"))},
        "less_than": lambda c: _("Must be less than %(n)s.") % {"n": _num(c.get("lt"))},
        "multiple_of": lambda c: _("Must be a multiple of %(n)s.") % {"n": _num(c.get("multiple_of"))},
        "literal_error": lambda c: (
            _("Choose one of: %(choices)s.") % {"choices": _choices(c.get("expected"))}
        ),
        "enum": lambda c: _("Choose one of: %(choices)s.") % {"choices": _choices(c.get("expected"))},
        "date_type": lambda c: date,
        "date_parsing": lambda c: date,
        "date_from_datetime_parsing": lambda c: date,
        "date_from_datetime_inexact": lambda c: date,
        "date_future": lambda c: _("The date must be in the future."),
        "date_past": lambda c: _("The date must be in the past."),
        "datetime_type": lambda c: when,
        "datetime_parsing": lambda c: when,
        "datetime_from_date_parsing": lambda c: when,
        "uuid_type": lambda c: _("Enter a UUID (e.g. 123e4567-e89b-12d3-a456-426614174000)."),
        "uuid_parsing": lambda c: _("Enter a UUID (e.g. 123e4567-e89b-12d3-a456-426614174000)."),
        "list_type": lambda c: _("Send a list."),
        "tuple_type": lambda c: _("Send a list."),
        "set_type": lambda c: _("Send a list."),
        "dict_type": lambda c: _("Send an object (a JSON dictionary)."),
        "model_type": lambda c: _("Send an object (a JSON dictionary)."),
        "model_attributes_type": lambda c: _("Send an object (a JSON dictionary)."),
        "json_invalid": lambda c: _("The body is not valid JSON."),
        "json_type": lambda c: _("The body is not valid JSON."),
        "none_required": lambda c: _("This field takes no value."),
        "union_tag_invalid": lambda c: _("The value is not valid."),
    }


def message_for(error: dict) -> str:
    """The message for one pydantic error, in the active language."""
    kind = error.get("type", "")
    if kind in ("value_error", "assertion_error"):  # our own validators' words (already translated)
        return str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    make = _messages().get(kind)
    if make is None:
        return _("The value is not valid.")
    try:
        return make(error.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return _("The value is not valid.")

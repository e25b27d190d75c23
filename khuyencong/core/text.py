"""Text helpers shared by every app: the search key that makes search ignore diacritics and case."""

import re
import unicodedata

# at module level, not in each function: an import checks ~10 cells of every row, and an import statement in
# the function costs as much as the check itself
from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")
_DIACRITICS = re.compile("[\u0300-\u036f]")  # the combining diacritical marks (all of category Mn)
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # category Cc but tab and line feed


def fold(text: str | None) -> str:
    """Lower-case `text` and strip Vietnamese diacritics: "Khô Mực Đặc Biệt" -> "kho muc dac biet".

    Stored beside names in a `search_text` column, so that a plain `icontains` on the folded
    query matches whatever the user typed, on SQLite and PostgreSQL alike.
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    plain = _DIACRITICS.sub("", decomposed)
    if (
        plain.isascii()
    ):  # what is left to drop can only be ASCII control characters: no look at each character
        return _SPACES.sub(" ", _ASCII_CONTROL.sub("", plain)).strip().lower()
    # drop combining marks (the diacritics) and control characters (a NUL breaks PostgreSQL queries)
    stripped = "".join(
        ch for ch in decomposed if unicodedata.category(ch) not in {"Mn", "Cc"} or ch in "\t\n"
    )
    return _SPACES.sub(" ", stripped).strip().lower()


def fold_key(text: str | None) -> str:
    """`fold` without spaces, underscores, dots or hyphens: for matching column names and codes."""
    return re.sub(r"[\s_\-./]+", "", fold(text))


def search_terms(query: str | None) -> list[str]:
    """Split a user's query into folded words; every word must match."""
    return [word for word in fold(query).split(" ") if word]


# ---------------------------------------------------------------------------------------------------------
# The text policy: what every input (forms, API, import) does to text before it reaches a record.
#
# - NFC: "Khô" typed on a Mac (NFD: o + combining circumflex) and on Windows (NFC: ô) is one spelling.
# - Stripped, because harmless: whitespace at both ends; in multi-line text, CR LF / CR become LF.
# - Refused, with the field named: control characters (C0/C1: NUL, BEL, ESC, ...; tab and line breaks
#   are allowed only in multi-line text), direction overrides and isolates (U+202A–U+202E,
#   U+2066–U+2069; they make "exe.pdf" read as "fdp.exe"), invisible zero-width characters (U+200B, ...),
#   line/paragraph separators in single-line text, and lone surrogates (bytes that were not UTF-8).
# - Codes: one canonical form (upper case, no spaces), so "cm-004", " CM-004 " and "CM-004" are one code
#   and the database's unique constraint holds on it.
# - Numbers: only the digits 0-9 (Python's int() would read Arabic-Indic "١٢٣" as 123).
# - Lengths bounded: a model's max_length, and TEXT_MAX_CHARS for text without one.
# ---------------------------------------------------------------------------------------------------------

TEXT_MAX_CHARS = 10_000

_DIRECTION = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x1B: "ESC", 0x7F: "DEL", 9: "TAB", 10: "LF", 13: "CR"}


class TextRefused(ValueError):
    """Text the policy refuses; str() says why (translated), without the field's name."""


def _describe(ch: str) -> str:
    code = ord(ch)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(ch, "")
    return f"U+{code:04X} {name}".strip()


# every character `text_problem` may refuse (control characters: category Cc; surrogates: Cs; line and paragraph
# separators: Zl, Zp): text without any of them is accepted without looking at each character (an import checks
# ~10 cells of every row)
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029" + "".join(sorted(_DIRECTION | _ZERO_WIDTH)) + "]"
)


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` is refused, or None. `value` is already NFC and stripped."""
    if not _SUSPECT.search(value):
        return None
    for ch in value:
        if ch in "\n\t" and multiline:
            continue
        category = unicodedata.category(ch)
        if category == "Cc":
            if ch in "\n\r\t":
                return _("line breaks and tabs are not allowed here (one line only)")
            return _("contains a control character (%(char)s) that cannot be stored") % {
                "char": _describe(ch)
            }
        if ch in _DIRECTION:
            return _("contains a text-direction control (%(char)s) that can disguise what the text says") % {
                "char": _describe(ch)
            }
        if ch in _ZERO_WIDTH:
            return _("contains an invisible character (%(char)s)") % {"char": _describe(ch)}
        if category == "Cs":
            return _("contains bytes that are not UTF-8 text; save the file as “CSV UTF-8”")
        if category in ("Zl", "Zp") and not multiline:
            return _("line breaks and tabs are not allowed here (one line only)")
    return None


def clean_text(value, *, multiline: bool = False, max_length: int | None = None) -> str:
    """The text a record stores for `value` (NFC, stripped), or TextRefused saying why."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", str(value))
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    problem = text_problem(value, multiline=multiline)
    if problem:
        raise TextRefused(problem)
    limit = max_length or TEXT_MAX_CHARS
    if len(value) > limit:
        raise TextRefused(
            _("at most %(limit)s characters (this has %(length)s)")
            % {"limit": f"{limit:,}".replace(",", "."), "length": f"{len(value):,}".replace(",", ".")}
        )
    return value


def canonical_code(value, *, max_length: int | None = None) -> str:
    """A code in its one canonical form: the policy's text, upper case, without spaces ("cm 004" -> "CM004")."""
    return re.sub(r"\s+", "", clean_text(value, max_length=max_length)).upper()


def non_ascii_digit(value: str) -> str | None:
    """The first digit in `value` that is not 0-9 (Arabic-Indic, full-width, ...), or None."""
    for ch in str(value):
        if ch.isdigit() and not ("0" <= ch <= "9"):
            return ch
    return None


def check_ascii_digits(value) -> None:
    ch = non_ascii_digit(value) if isinstance(value, str) else None
    if ch:
        raise TextRefused(_("write numbers with the digits 0–9 (found %(char)s)") % {"char": _describe(ch)})


CODE_FIELDS = frozenset({"code", "tax_code"})
MULTILINE_FIELDS = frozenset(
    {
        "description",
        "markets",
        "notes",
        "note",
        "reason",
        "detail",
        "details",
        "text",
        "choices",
        "summary",
        "comment",
        "comments",
        "content",
        "body",
        "message",
        "address_notes",
    }
)


def clean_field(name: str, value, *, multiline: bool | None = None, max_length: int | None = None):
    """The policy for a field called `name` (used by the API schemas and the model safety net)."""
    if not isinstance(value, str):
        return value
    if name in CODE_FIELDS:
        return canonical_code(value, max_length=max_length)
    return clean_text(
        value, multiline=name in MULTILINE_FIELDS if multiline is None else multiline, max_length=max_length
    )


def choice_label(choices, code) -> str:
    """A stored code's label in the reader's language (the code itself when it is no longer a choice)."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code or ""

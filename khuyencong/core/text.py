"""Text helpers shared by every app: the search key that makes search ignore diacritics and case."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case `text` and strip Vietnamese diacritics: "Khô Mực Đặc Biệt" -> "kho muc dac biet".

    Stored beside names in a `search_text` column, so that a plain `icontains` on the folded
    query matches whatever the user typed, on SQLite and PostgreSQL alike.
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    # drop combining marks (the diacritics) and control characters (a NUL breaks PostgreSQL queries)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in {"Mn", "Cc"} or ch in "\t\n")
    return _SPACES.sub(" ", stripped).strip().lower()


def fold_key(text: str | None) -> str:
    """`fold` without spaces, underscores, dots or hyphens: for matching column names and codes."""
    return re.sub(r"[\s_\-./]+", "", fold(text))


def search_terms(query: str | None) -> list[str]:
    """Split a user's query into folded words; every word must match."""
    return [word for word in fold(query).split(" ") if word]

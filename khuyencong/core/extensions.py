"""Sections other areas add to shared pages (an establishment's or a product's page).

An app registers, in its AppConfig.ready(), a callable `(request, obj) -> dict | None`; the dict
has "template" and "context" (and optional "order"). The page renders every section returned,
so the registry does not import the apps that build on it.
"""

from collections import defaultdict
from collections.abc import Callable

_SECTIONS: dict[str, list[Callable]] = defaultdict(list)


def register_section(page: str, func: Callable) -> Callable:
    if func not in _SECTIONS[page]:
        _SECTIONS[page].append(func)
    return func


def sections_for(page: str, request, obj) -> list[dict]:
    found = []
    for func in _SECTIONS[page]:
        section = func(request, obj)
        if section:
            found.append(section)
    return sorted(found, key=lambda s: s.get("order", 100))

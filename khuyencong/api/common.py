"""What every router shares: the error shape, documented error codes and limit/offset pagination."""

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

MAX_INT = 2_147_483_647


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


# Documented on every operation, so clients (and schemathesis) know the error shape.
ERRORS = {frozenset({400, 401, 403, 404, 422}): ErrorOut}
PUBLIC_ERRORS = {frozenset({400, 404, 422}): ErrorOut}


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="How many items (at most 200)")
    offset: int = Field(0, ge=0, le=MAX_INT, description="How many items to skip")


_pages: dict[type, type] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The schema of a page of `item`: total (before limit/offset), limit, offset and the items."""
    if item not in _pages:
        name = item.__name__.removesuffix("Out") + "Page"
        _pages[item] = create_model(
            name, __base__=Schema, total=(int, ...), limit=(int, ...), offset=(int, ...), items=(list[item], ...)
        )
    return _pages[item]


def paginate(queryset: QuerySet, page: PageParams) -> dict[str, Any]:
    total = queryset.count()
    return {"total": total, "limit": page.limit, "offset": page.offset,
            "items": list(queryset[page.offset : page.offset + page.limit])}


def changed_fields(payload: Schema) -> dict[str, Any]:
    """The fields a PATCH actually sent."""
    return payload.model_dump(exclude_unset=True)

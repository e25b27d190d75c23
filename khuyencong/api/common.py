"""What every router shares: the error shape, documented error codes and limit/offset pagination."""

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, ValidationInfo, create_model, field_validator

from khuyencong.core.text import clean_field

MAX_INT = 2_147_483_647


class Input(BaseModel):
    """Request bodies: strict types (no "1" for 1, no 0 for false), no unknown fields, and every string
    through the text policy (NFC, stripped, control/direction/zero-width characters refused on the field,
    codes in their canonical form) — the same policy as the forms and the import."""

    model_config = ConfigDict(strict=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _text_policy(cls, value, info: ValidationInfo):
        if not isinstance(value, str):
            return value
        field = cls.model_fields.get(info.field_name)
        max_length = None
        for meta in getattr(field, "metadata", ()):
            max_length = getattr(meta, "max_length", None) or max_length
        return clean_field(info.field_name, value, max_length=max_length)  # TextRefused is a ValueError


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


# Documented on every operation, so clients (and schemathesis) know the error shape.
ERRORS = {frozenset({400, 401, 403, 404, 422}): ErrorOut}
PUBLIC_ERRORS = {frozenset({400, 404, 422}): ErrorOut}


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="How many items (at most 200)")
    offset: int = Field(0, ge=0, le=MAX_INT, description="How many items to skip")
    cursor: str | None = Field(
        None,
        max_length=1000,
        description="Instead of offset: the `next_cursor` of the "
        "previous page (keyset pagination, as fast on the last page as on the first)",
    )


_pages: dict[type, type] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The schema of a page of `item`: total (before limit/offset), limit, offset and the items."""
    if item not in _pages:
        name = item.__name__.removesuffix("Out") + "Page"
        _pages[item] = create_model(
            name,
            __base__=Schema,
            total=(int, ...),
            limit=(int, ...),
            offset=(int, ...),
            items=(list[item], ...),
            next_cursor=(str | None, None),
        )
    return _pages[item]


def paginate(queryset, page: PageParams) -> dict[str, Any]:
    """A page of a QuerySet (or of a list with `count`, `after` and `cursor_of`, as the catalogue's): the total
    (cached until the data changes), the items after `offset` or after `cursor`, and the next page's cursor."""
    from django.core.exceptions import ValidationError

    from khuyencong.core import keyset
    from khuyencong.core.counts import cached_count

    is_qs = isinstance(queryset, QuerySet)
    total = cached_count(queryset) if is_qs else queryset.count()
    if page.cursor:
        try:
            values = keyset.decode(page.cursor)
            rest = keyset.keyset_after(queryset, values) if is_qs else queryset.after(values)
            items = list(rest[: page.limit])
        except (ValueError, TypeError) as exc:
            raise ValidationError({"cursor": ["Not a cursor of this list."]}) from exc
    else:
        items = list(queryset[page.offset : page.offset + page.limit])
    next_cursor = None
    if items and len(items) == page.limit:
        values = keyset.cursor_values(queryset, items[-1]) if is_qs else queryset.cursor_of(items[-1])
        next_cursor = keyset.encode(values) if values is not None else None
    return {
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
        "items": items,
        "next_cursor": next_cursor,
    }


def changed_fields(payload: Schema) -> dict[str, Any]:
    """The fields a PATCH actually sent."""
    return payload.model_dump(exclude_unset=True)


def with_etag(response, obj):
    """Put the record's version in the response's ETag header (and return the record)."""
    from khuyencong.core.concurrency import etag_of

    response["ETag"] = etag_of(obj)
    return obj


def if_match(request) -> dict:
    """The version an `If-Match` header names, as the services take it ({"version": ...}), or {}."""
    from khuyencong.core.concurrency import version_from_if_match

    version = version_from_if_match(request.headers.get("If-Match"))
    return {"version": version} if version else {}

"""The one pagination of the API: ninja's `@paginate` with Passend's bounds.

An operation returns its queryset and declares `response={200: list[ItemOut]}`;
`@paginate(PagePagination)` reads `page` and `page_size` from the query,
slices, counts, and answers `{"items", "count", "page", "page_size"}`. An
operation that knows its total already (a cached count of the organisation,
passend.candidates.counts) returns `Counted(queryset, total)`: counting every
row of a large organisation on each call is what made a list slow.

Leaf layer: imports ninja only, never an app of Passend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

# Far beyond any real list, and small enough that (page - 1) * page_size
# stays a valid database offset.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100
PAGE_SIZE = 50


@dataclass(frozen=True)
class Counted:
    """A queryset with its total known; the page reads only its own rows."""

    queryset: QuerySet[Any]
    total: int


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Which page, from 1.")
        page_size: int = Field(
            PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items per page, at most {MAX_PAGE_SIZE}.",
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="All items, over every page.")
        page: int
        page_size: int

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Counted,
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        if isinstance(queryset, Counted):
            count = queryset.total
            queryset = queryset.queryset
        else:
            count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": queryset[offset : offset + pagination.page_size],
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
        }

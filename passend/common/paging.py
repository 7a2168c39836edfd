"""A paginator that may be told its total instead of counting.

A list's total over the whole organisation is a count of every row; where it
is known already (a cached count, passend.candidates.counts), the page needs
only its own rows.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


class CountedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            # `count` is a cached property: a known total takes its place.
            self.__dict__["count"] = count

    def page(self, number: Any) -> Page:
        """Always a whole page of rows: a total cached a moment too early
        (rows written without signals) must not cut the last page short."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], number, self)

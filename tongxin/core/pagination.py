"""Pagination for the API and the ledger tables, with page parameters checked.

API (``?page=``, ``?page_size=``): a page that is not a whole number of at least 1, or a
page size that is not a whole number from 1 to :attr:`ApiPagination.max_page_size`,
answers 400 with what is wrong; a page beyond the last answers 404 (DRF's "Invalid
page."), ``page=last`` gives the last page.

Pages (``?page=``, ``?per_page=`` of django-tables2): never an error. A page that is not
a number shows the first page, one beyond the last shows the last page, and the page
size is clamped: below 1 → the table's default, above :data:`MAX_PER_PAGE` → that.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework import serializers as drf_serializers

from tongxin.core.validation import BIGINT_MAX, parse_positive_int

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500

#: A ledger table stops counting past this many rows: its badge says "10000+" and its
#: pages reach the first ``COUNT_CAP`` rows (a filter or the other sort order reaches the
#: rest). Counting half a million reports of a province costs more than the whole rest of
#: the page; counting at most ``COUNT_CAP + 1`` of them costs a few milliseconds.
COUNT_CAP = 10_000


class ApiPagination(pagination.PageNumberPagination):
    """Page-number pagination whose ``page`` and ``page_size`` are validated (400)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PER_PAGE

    def _param(self, request: Any, name: str, maximum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        try:
            return parse_positive_int(raw, maximum=maximum)
        except ValidationError as exc:
            raise drf_serializers.ValidationError({name: list(exc.messages)}) from exc

    def get_page_size(self, request: Any) -> int | None:
        size = self._param(request, self.page_size_query_param, self.max_page_size)
        return size if size is not None else self.page_size

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw in self.last_page_strings:
            return paginator.num_pages
        number = self._param(request, self.page_query_param, BIGINT_MAX)
        return number or 1


def capped_count(queryset: QuerySet[Any]) -> tuple[int, bool]:
    """The number of rows, or :data:`COUNT_CAP` and True when there are more: one query
    that reads at most ``COUNT_CAP + 1`` rows."""
    counted = queryset.order_by()[: COUNT_CAP + 1].count()
    return (COUNT_CAP, True) if counted > COUNT_CAP else (counted, False)


class ClampedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator for the ledger tables whose page size is clamped to 1…MAX_PER_PAGE and
    whose count stops at :data:`COUNT_CAP` (then :attr:`more` is true)."""

    more = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        for _wrapper in range(3):  # django-tables2's rows wrap its data, which wraps the queryset
            if isinstance(rows, QuerySet) or not hasattr(rows, "data"):
                break
            rows = rows.data
        if not isinstance(rows, QuerySet):
            return super().count
        counted, self.more = capped_count(rows)
        return counted

    def __init__(self, object_list: Any, per_page: Any, *args: Any, **kwargs: Any) -> None:
        try:
            size = int(per_page)
        except (TypeError, ValueError):
            size = DEFAULT_PER_PAGE
        if size < 1:
            size = DEFAULT_PER_PAGE
        super().__init__(object_list, min(size, MAX_PER_PAGE), *args, **kwargs)

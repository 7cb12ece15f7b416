"""Shared table pieces (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables


class ScopedTable(tables.Table):  # type: ignore[misc]
    """Base table: Tabler styling, sortable columns; export uses the same columns."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-sm"}
        template_name = "django_tables2/bootstrap5.html"
        per_page = 50


class CapabilityColumn(tables.ManyToManyColumn):  # type: ignore[misc]
    """Vocabulary terms joined with 、 (prefetched; never a query per row)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("separator", "、")
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)

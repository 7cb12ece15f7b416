"""API ordering without repeated rows (kept free of project imports: settings name it)."""

from __future__ import annotations

from typing import Any

from rest_framework import filters


class SafeOrderingFilter(filters.OrderingFilter):
    """DRF's ordering, limited by default to the model's own single-valued columns: ordering
    by a many-to-many or reverse relation would repeat rows."""

    def get_default_valid_fields(self, queryset: Any, view: Any, context: Any = None) -> list[tuple[str, str]]:
        fields = super().get_default_valid_fields(queryset, view, context or {})
        model = queryset.model
        single = {f.name for f in model._meta.concrete_fields} | {f.attname for f in model._meta.concrete_fields}
        return [(name, label) for name, label in fields if name.split("__")[0] in single]

"""Shared filter pieces: one FilterSet per model builds on these."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tongxin.core.choices import CapabilityKind
from tongxin.core.models import Capability
from tongxin.core.scope import VIEW, has_policy, restrict


class ScopedFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    """A FilterSet whose choices of related objects are limited to the user's scope.

    ``q`` searches the fields named in ``Meta.search_fields``.
    """

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for filter_ in self.filters.values():
            queryset = filter_.extra.get("queryset")
            if callable(queryset) and not isinstance(queryset, QuerySet):
                queryset = queryset(request)
            if isinstance(queryset, QuerySet) and has_policy(queryset.model):
                # Anonymous or not, the choices are what this user may view (none for nobody).
                filter_.extra["queryset"] = restrict(queryset, user, VIEW)
                # A field built earlier (by a copy of the class's filters) keeps the old
                # queryset: drop it so the scoped one is used for choices and validation.
                filter_.__dict__.pop("_field", None)
        for form_field in self.form.fields.values():
            widget = form_field.widget
            css = "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
            widget.attrs.setdefault("class", css)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        condition = Q()
        for field_name in getattr(self.Meta, "search_fields", ()):
            condition |= Q(**{f"{field_name}__icontains": value.strip()})
        return queryset.filter(condition)


def capability_filter(kind: str, label: Any) -> django_filters.ModelMultipleChoiceFilter:
    """Rows having ALL the chosen vocabulary terms."""
    return django_filters.ModelMultipleChoiceFilter(
        queryset=Capability.objects.filter(kind=kind), conjoined=True, label=label
    )


NEED = CapabilityKind.NEED
ADVANTAGE = CapabilityKind.ADVANTAGE

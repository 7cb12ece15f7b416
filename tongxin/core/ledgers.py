"""The registry of ledgers: one small spec per listable model.

A spec names the model's FilterSet, table, edit form and import form. The generic views,
the export, the import task, the navigation, the search page and the scope-matrix tests
all read it, so adding a model to the product is one spec plus its pieces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import django_filters
import django_tables2 as tables
from django.db import models

from tongxin.core.forms import ScopedModelForm


@dataclass(frozen=True)
class Ledger:
    """How one model is listed, filtered, exported, edited and imported."""

    model: type[models.Model]
    filterset: type[django_filters.FilterSet]
    table: type[tables.Table]
    form: type[ScopedModelForm] | None = None
    import_form: type[ScopedModelForm] | None = None
    key_field: str | None = None
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str | models.Prefetch[Any]] = ()
    search_fields: Sequence[str] = ()
    annotate: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] | None = None
    icon: str = "list"
    group: str = "ledgers"  # menu the ledger appears in
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.model._meta.model_name)

    @property
    def key(self) -> str:
        """The ledger's key in the registry, unique across apps ("cadres.recommendation")."""
        return str(self.model._meta.label_lower)

    @property
    def namespace(self) -> str:
        return str(self.model._meta.app_label)

    def url_name(self, view: str) -> str:
        return f"{self.namespace}:{self.name}_{view}"

    def optimise(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        if self.annotate is not None:
            queryset = self.annotate(queryset)
        return queryset


_REGISTRY: dict[str, Ledger] = {}


def register(ledger: Ledger) -> Ledger:
    from tongxin.core.scope import policy_of

    policy_of(ledger.model)  # a model without an access policy cannot be served
    _REGISTRY[ledger.key] = ledger
    return ledger


def get_ledger(name: str) -> Ledger:
    """The ledger of ``name``: its key ("cadres.recommendation"), or its model's name when
    only one app has a ledger of that name ("village", as import jobs store it)."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    matches = [ledger for ledger in _REGISTRY.values() if ledger.name == name]
    if len(matches) != 1:
        raise KeyError(name)
    return matches[0]


def all_ledgers() -> list[Ledger]:
    return list(_REGISTRY.values())

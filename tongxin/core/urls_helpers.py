"""URL patterns for a ledger: list, add, detail, edit, delete, history, export, import."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path

from tongxin.core.ledgers import Ledger
from tongxin.core.views import generic


def ledger_urls(
    ledger: Ledger, *, detail_view: Any = generic.ObjectDetailView, prefix: str | None = None
) -> list[URLPattern]:
    name = ledger.name
    base = f"{name}s/" if prefix is None else prefix
    kw = {"ledger": ledger}
    return [
        path(base, generic.ObjectListView.as_view(**kw), name=f"{name}_list"),
        path(f"{base}add/", generic.ObjectEditView.as_view(**kw), name=f"{name}_add"),
        path(f"{base}export/", generic.ObjectExportView.as_view(**kw), name=f"{name}_export"),
        path(f"{base}import/", generic.ObjectImportView.as_view(**kw), name=f"{name}_import"),
        path(f"{base}import/template/", generic.ImportTemplateView.as_view(**kw), name=f"{name}_import_template"),
        path(f"{base}<int:pk>/", detail_view.as_view(**kw), name=f"{name}_detail"),
        path(f"{base}<int:pk>/edit/", generic.ObjectEditView.as_view(**kw), name=f"{name}_edit"),
        path(f"{base}<int:pk>/delete/", generic.ObjectDeleteView.as_view(**kw), name=f"{name}_delete"),
        path(f"{base}<int:pk>/history/", generic.ObjectHistoryView.as_view(**kw), name=f"{name}_history"),
    ]

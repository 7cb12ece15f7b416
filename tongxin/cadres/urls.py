from typing import Any

from django.urls import URLPattern, path

from tongxin.cadres import views, views_data, views_structure
from tongxin.cadres.ledgers import access_log, bodies, people, posts, rules
from tongxin.cadres.views_training import training_urls
from tongxin.core.urls_helpers import ledger_urls

app_name = "cadres"

_OWN_VIEWS: dict[str, Any] = {"person_export": views.PersonExportView, "person_history": views.PersonHistoryView}


def _person_urls() -> list[URLPattern]:
    patterns = ledger_urls(people, detail_view=views.PersonDetailView, prefix="people/")
    for index, pattern in enumerate(patterns):
        view = _OWN_VIEWS.get(pattern.name or "")
        if view is not None:
            patterns[index] = path(str(pattern.pattern), view.as_view(ledger=people), name=pattern.name)
    return patterns


urlpatterns = [
    *_person_urls(),
    path("people/<int:pk>/unmask/", views.PersonUnmaskView.as_view(), name="person_unmask"),
    path("people/<int:pk>/stage/", views.PersonStageView.as_view(), name="person_stage"),
    *ledger_urls(access_log, prefix="access-log/"),
    *ledger_urls(bodies, prefix="bodies/"),
    *ledger_urls(posts, prefix="posts/"),
    *ledger_urls(rules, prefix="rules/"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("counts/", views.BodyCountsView.as_view(), name="body_counts"),
    *training_urls(),
    path("people/<int:pk>/review/", views_data.ReserveReviewView.as_view(), name="person_review"),
    path("people/<int:pk>/data/", views_data.PersonDataView.as_view(), name="person_data"),
    path("structure/", views_structure.StructureView.as_view(), name="structure"),
    path("structure/export/", views_structure.StructureExportView.as_view(), name="structure_export"),
]

from typing import Any

from django.urls import URLPattern, path

from tongxin.core.ledgers import Ledger
from tongxin.core.urls_helpers import ledger_urls
from tongxin.platforms import ledgers
from tongxin.platforms.services.dashboards import BOARDS
from tongxin.platforms.views import charity, dashboards, intellectuals, investment, research

app_name = "platforms"


def _with(ledger: Ledger, prefix: str, own: dict[str, Any], detail: Any = None) -> list[URLPattern]:
    """The ledger's URLs, with some of its views replaced by the platform's own."""
    kwargs: dict[str, Any] = {"prefix": prefix}
    if detail is not None:
        kwargs["detail_view"] = detail
    patterns = ledger_urls(ledger, **kwargs)
    for index, pattern in enumerate(patterns):
        view = own.get(pattern.name or "")
        if view is not None:
            patterns[index] = path(str(pattern.pattern), view.as_view(ledger=ledger), name=pattern.name)
    return patterns


urlpatterns = [
    # Platform 1: research and proposals.
    *ledger_urls(ledgers.topics, detail_view=research.TopicDetailView, prefix="research/topics/"),
    *ledger_urls(ledgers.reports, prefix="research/reports/"),
    *ledger_urls(ledgers.proposals, detail_view=research.ProposalDetailView, prefix="research/proposals/"),
    path("research/proposals/<int:pk>/answer/", research.ProposalAnswerView.as_view(), name="proposal_answer"),
    *ledger_urls(ledgers.instructions, prefix="research/instructions/"),
    *ledger_urls(ledgers.milestones, prefix="research/milestones/"),
    *_with(
        ledgers.participations,
        "research/participations/",
        {"participation_history": research.ParticipationHistoryView},
        detail=research.ParticipationDetailView,
    ),
    path("research/performance/", research.PerformanceView.as_view(), name="performance"),
    # Platform 2: organisations serving society.
    *ledger_urls(ledgers.organisations, detail_view=charity.OrganisationDetailView, prefix="charity/organisations/"),
    *ledger_urls(ledgers.activities, prefix="charity/activities/"),
    *ledger_urls(ledgers.events, prefix="charity/events/"),
    # Platform 3: investment and talent through the associations.
    *ledger_urls(ledgers.associations, detail_view=investment.AssociationDetailView, prefix="investment/associations/"),
    *ledger_urls(ledgers.contacts, prefix="investment/contacts/"),
    *ledger_urls(ledgers.promotions, prefix="investment/promotions/"),
    *ledger_urls(ledgers.leads, detail_view=investment.LeadDetailView, prefix="investment/projects/"),
    path("investment/projects/<int:pk>/step/", investment.LeadStepView.as_view(), name="lead_step"),
    *ledger_urls(ledgers.talents, prefix="investment/talents/"),
    # Platform 4: non-party intellectuals serve development.
    *_with(
        ledgers.intellectuals,
        "intellectuals/profiles/",
        {"intellectual_history": intellectuals.IntellectualHistoryView},
        detail=intellectuals.IntellectualDetailView,
    ),
    *ledger_urls(ledgers.countryside, prefix="intellectuals/countryside/"),
    *ledger_urls(
        ledgers.requests, detail_view=intellectuals.ServiceRequestDetailView, prefix="intellectuals/requests/"
    ),
    path("intellectuals/requests/<int:pk>/match/", intellectuals.RequestMatchView.as_view(), name="request_match"),
    path("intellectuals/requests/<int:pk>/accept/", intellectuals.RequestAcceptView.as_view(), name="request_accept"),
    *ledger_urls(ledgers.innovations, prefix="intellectuals/innovation/"),
    # A dashboard per platform, with an Excel file behind every chart (``?table=``).
    *(
        pattern
        for key in BOARDS
        for pattern in (
            path(f"{key}/dashboard/", dashboards.dashboard, {"board": key}, name=f"{key}_dashboard"),
            path(
                f"{key}/dashboard/export/", dashboards.dashboard_export, {"board": key}, name=f"{key}_dashboard_export"
            ),
        )
    ),
]

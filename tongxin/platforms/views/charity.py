"""Pages of platform 2 (organisations serving society) beyond the ledgers."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum

from tongxin.core.scope import VIEW, restrict
from tongxin.core.views.generic import ObjectDetailView
from tongxin.platforms.models import Organisation


class OrganisationDetailView(ObjectDetailView):
    """An organisation with its charity activities and events (in the reader's scope)."""

    def extra_context(self, obj: Organisation) -> dict[str, Any]:
        user = self.request.user
        activities = restrict(obj.activities.all(), user, VIEW)
        return {
            "activities": activities.select_related("village").order_by("-date", "pk")[:50],
            "totals": activities.aggregate(n=Count("pk"), amount=Sum("amount"), people=Sum("beneficiaries")),
            "events": restrict(obj.events.all(), user, VIEW).order_by("-date", "pk")[:50],
        }

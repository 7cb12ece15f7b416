from typing import Any

from tongxin.core.views.generic import ObjectDetailView
from tongxin.pairing.services.related import related_pairs


class EnterpriseDetailView(ObjectDetailView):
    """The enterprise ledger: current profile, its pairs (with their liaison officers and
    latest activities, as far as the reader may see them) and its survey history."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {
            "surveys": obj.surveys.order_by("-date"),
            "related": related_pairs(self.request.user, enterprise=obj.pk),
            "other": "village",
        }

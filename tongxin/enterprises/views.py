from typing import Any

from tongxin.core.views.generic import ObjectDetailView


class EnterpriseDetailView(ObjectDetailView):
    """The enterprise ledger: current profile and its survey history."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {"surveys": obj.surveys.order_by("-date")}

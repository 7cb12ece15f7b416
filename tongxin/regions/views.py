from typing import Any

from tongxin.core.views.generic import ObjectDetailView


class VillageDetailView(ObjectDetailView):
    """The village ledger: current profile, its survey history and recent changes."""

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {"surveys": obj.surveys.order_by("-date")}


class TownshipDetailView(ObjectDetailView):
    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {"villages": obj.villages.order_by("code")}

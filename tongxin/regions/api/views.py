from tongxin.core.api import ScopedModelViewSet
from tongxin.regions.api.serializers import TownshipSerializer, VillageSerializer
from tongxin.regions.filtersets import TownshipFilterSet, VillageFilterSet
from tongxin.regions.models import Township, Village


class TownshipViewSet(ScopedModelViewSet):
    queryset = Township.objects.select_related("county")
    serializer_class = TownshipSerializer
    filterset_class = TownshipFilterSet
    ordering_fields = ["code", "name"]


class VillageViewSet(ScopedModelViewSet):
    queryset = Village.objects.select_related("township").prefetch_related("needs", "advantages")
    serializer_class = VillageSerializer
    filterset_class = VillageFilterSet
    ordering_fields = ["code", "name", "population", "per_capita_income", "collective_income"]

from tongxin.core.api import ScopedModelViewSet
from tongxin.enterprises.api.serializers import EnterpriseSerializer
from tongxin.enterprises.filtersets import EnterpriseFilterSet
from tongxin.enterprises.models import Enterprise


class EnterpriseViewSet(ScopedModelViewSet):
    queryset = Enterprise.objects.select_related("township").prefetch_related("offers")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "employees", "revenue"]

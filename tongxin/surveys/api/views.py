from tongxin.core.api import ScopedModelViewSet
from tongxin.surveys.api.serializers import SurveySerializer
from tongxin.surveys.filtersets import SurveyFilterSet
from tongxin.surveys.models import Survey


class SurveyViewSet(ScopedModelViewSet):
    queryset = Survey.objects.select_related("township", "village", "enterprise")
    serializer_class = SurveySerializer
    filterset_class = SurveyFilterSet
    ordering_fields = ["date"]

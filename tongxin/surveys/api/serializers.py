from tongxin.core.api import ScopedModelSerializer
from tongxin.surveys.models import Survey


class SurveySerializer(ScopedModelSerializer):
    class Meta:
        model = Survey
        fields = [
            "id",
            "kind",
            "date",
            "village",
            "enterprise",
            "township",
            "surveyors",
            "findings",
            "figures",
            "version",
            "last_updated",
        ]
        read_only_fields = ["township", "last_updated"]

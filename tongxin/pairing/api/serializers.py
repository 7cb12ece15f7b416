from typing import Any

from rest_framework import serializers

from tongxin.core.api import ScopedModelSerializer
from tongxin.pairing.choices import Side
from tongxin.pairing.explain import explanation_text
from tongxin.pairing.forms import CAMPAIGN_FIELDS
from tongxin.pairing.models import Activity, Campaign, LiaisonAppointment, MatchRun, Pair, Participant, Report


class CampaignSerializer(ScopedModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", *CAMPAIGN_FIELDS, "stage", "version"]
        read_only_fields = ["stage"]


class ParticipantSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "side", "enterprise", "village", "name", "capacity", "ranking", "ranked_at", "on_behalf"]


class RankingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.IntegerField()
    partners = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, max_length=500)


class MatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    proposing = serializers.ChoiceField(choices=Side.choices, required=False)


class AdvanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    to = serializers.CharField()


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MatchRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = MatchRun
        fields = ["id", "campaign", "proposing", "duration_ms", "result", "created"]


class PairSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    why = serializers.SerializerMethodField()

    class Meta:
        model = Pair
        fields = [
            "id",
            "campaign",
            "enterprise",
            "enterprise_name",
            "village",
            "village_name",
            "township",
            "status",
            "origin",
            "reason",
            "fit_score",
            "fit_parts",
            "explanation",
            "why",
            "start_date",
            "end_date",
            "version",
        ]
        read_only_fields = fields

    def get_why(self, obj: Pair) -> str:
        return explanation_text(obj.explanation) if obj.explanation else obj.reason


class LiaisonAppointmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = LiaisonAppointment
        fields = ["id", "campaign", "liaison", "pairs", "term_start", "term_end", "version"]
        read_only_fields = ["version"]


class ActivitySerializer(ScopedModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "pair",
            "head",
            "date",
            "title",
            "participants",
            "amount",
            "description",
            "confirmed_by_village",
            "version",
        ]


class ReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Report
        fields = [
            "id",
            "pair",
            "period",
            "due_date",
            "status",
            "investment",
            "projects",
            "jobs",
            "farmer_income",
            "collective_income",
            "narrative",
            "submitted_at",
            "return_reason",
            "version",
        ]
        read_only_fields = ["due_date", "status", "submitted_at", "return_reason", "version"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and ("pair" not in attrs or "period" not in attrs):
            raise serializers.ValidationError("pair and period are required")
        return attrs


class ReportingRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    township = serializers.CharField()
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    completeness = serializers.FloatField(allow_null=True, help_text="submitted / expected, in %")
    timeliness = serializers.FloatField(allow_null=True, help_text="submitted by the due date / expected, in %")


class ReportingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    campaign = serializers.IntegerField()
    period = serializers.CharField()
    rows = ReportingRowSerializer(many=True)

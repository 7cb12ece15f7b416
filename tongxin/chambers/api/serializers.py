from typing import Any

from rest_framework import serializers

from tongxin.chambers.choices import MemberStatus
from tongxin.chambers.forms import CASE_FIELDS, CHAMBER_FIELDS, MEMBERSHIP_FIELDS
from tongxin.chambers.models import (
    Application,
    BoardPost,
    Chamber,
    Dues,
    MemberActivity,
    Membership,
    MembershipLevel,
    Officer,
    RightsCase,
)
from tongxin.core.api import ScopedModelSerializer


class ChamberSerializer(ScopedModelSerializer):
    class Meta:
        model = Chamber
        fields = ["id", *CHAMBER_FIELDS, "version", "last_updated"]
        read_only_fields = ["last_updated"]


class OfficerSerializer(ScopedModelSerializer):
    class Meta:
        model = Officer
        fields = ["id", "chamber", "name", "position", "enterprise", "term_start", "term_end", "version"]


class MembershipLevelSerializer(ScopedModelSerializer):
    class Meta:
        model = MembershipLevel
        fields = ["id", "chamber", "name", "rank", "yearly_dues", "version"]


class MembershipSerializer(ScopedModelSerializer):
    """A member; the status, dates and certificate number move only through ``transition``."""

    class Meta:
        model = Membership
        fields = ["id", *MEMBERSHIP_FIELDS, "status", "joined_on", "status_since", "number", "version"]
        read_only_fields = ["status", "joined_on", "status_since", "number"]


class ApplicationSerializer(ScopedModelSerializer):
    class Meta:
        model = Application
        fields = [
            "id",
            "chamber",
            "kind",
            "enterprise",
            "name",
            "work_unit",
            "level",
            "statement",
            "documents",
            "status",
            "submitted_on",
            "decided_on",
            "reason",
            "membership",
            "version",
        ]
        read_only_fields = ["status", "submitted_on", "decided_on", "reason", "membership"]

    def create(self, validated_data: dict[str, Any]) -> Any:
        request = self.context.get("request")
        validated_data["submitted_by"] = getattr(request, "user", None)
        return super().create(validated_data)


class DuesSerializer(ScopedModelSerializer):
    class Meta:
        model = Dues
        fields = ["id", "membership", "year", "amount", "due_on", "paid_on", "paid_amount", "receipt", "version"]
        read_only_fields = ["paid_on", "paid_amount", "receipt"]


class TransitionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    to = serializers.ChoiceField(choices=MemberStatus.choices)
    on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ChamberReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=300)


class PaymentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    on = serializers.DateField(required=False)
    receipt = serializers.CharField(max_length=40, required=False, allow_blank=True)


class RightsCaseSerializer(ScopedModelSerializer):
    class Meta:
        model = RightsCase
        fields = [
            "id",
            "chamber",
            *CASE_FIELDS,
            "status",
            "received_on",
            "acknowledge_due",
            "resolve_due",
            "due_estimated",
            "acknowledged_on",
            "handler",
            "referred_to",
            "finished_on",
            "outcome",
            "recovered",
            "satisfaction",
            "reopened",
            "escalated_on",
            "version",
        ]
        read_only_fields = [
            "chamber",
            "status",
            "received_on",
            "acknowledge_due",
            "resolve_due",
            "due_estimated",
            "acknowledged_on",
            "handler",
            "referred_to",
            "finished_on",
            "outcome",
            "recovered",
            "satisfaction",
            "reopened",
            "escalated_on",
        ]


class CaseStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The values of a case's step; which ones a step needs is said in its action."""

    text = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    handler = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    department = serializers.CharField(max_length=100, required=False, allow_blank=True)
    outcome = serializers.CharField(max_length=500, required=False, allow_blank=True)
    recovered = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True)
    resolved = serializers.BooleanField(required=False, default=True)
    satisfaction = serializers.IntegerField(required=False, min_value=1, max_value=5)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MemberActivitySerializer(ScopedModelSerializer):
    class Meta:
        model = MemberActivity
        fields = [
            "id",
            "chamber",
            "kind",
            "title",
            "held_on",
            "place",
            "capacity",
            "signup_until",
            "description",
            "version",
        ]


class BoardPostSerializer(ScopedModelSerializer):
    class Meta:
        model = BoardPost
        fields = [
            "id",
            "chamber",
            "membership",
            "side",
            "topic",
            "title",
            "text",
            "tags",
            "valid_until",
            "closed",
            "version",
        ]
        read_only_fields = ["chamber"]


class ActivityStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``sign_up`` {membership}, ``attendance`` {present: [sign-up ids]}, ``feedback``
    {signup, rating, feedback}."""

    membership = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, max_length=5000
    )
    signup = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    rating = serializers.IntegerField(required=False, min_value=1, max_value=5)
    feedback = serializers.CharField(max_length=500, required=False, allow_blank=True)


class MatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    post = serializers.IntegerField()
    title = serializers.CharField()
    score = serializers.FloatField()
    needs_met = serializers.FloatField()
    distance_km = serializers.FloatField()

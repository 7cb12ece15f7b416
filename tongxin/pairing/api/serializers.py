from typing import Any

from django.urls import reverse
from rest_framework import serializers

from tongxin.accounts.models import User
from tongxin.core.api import ScopedModelSerializer
from tongxin.core.scope import VIEW, restrict
from tongxin.core.validation import validate_multiline
from tongxin.pairing.choices import PairStatus, Side
from tongxin.pairing.explain import Names, RankingsKnown, explanation_text
from tongxin.pairing.forms import CAMPAIGN_FIELDS
from tongxin.pairing.models import Activity, Campaign, LiaisonAppointment, MatchRun, Pair, Participant, Report
from tongxin.pairing.models.pairs import holds_liaison_hat, liaison_choices


def _user(serializer: serializers.BaseSerializer[Any]) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class CampaignSerializer(ScopedModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", *CAMPAIGN_FIELDS, "stage", "version"]
        read_only_fields = ["stage"]


class ParticipantSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "side",
            "enterprise",
            "village",
            "name",
            "capacity",
            "ranking",
            "ranked_at",
            "on_behalf",
            "version",
        ]


MAX_ID = 2**63 - 1


class RankingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    partners = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), allow_empty=True, max_length=500
    )
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The participant's version you read (409 if it changed since)."
    )


class MatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    proposing = serializers.ChoiceField(choices=Side.choices, required=False)


class AdvanceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The next stage; closing the campaign also needs ``confirm_name``, its name typed."""

    to = serializers.CharField()
    confirm_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, validators=[validate_multiline]
    )


class MatchRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A matching run and where it is: ``status`` (pending, running, done, failed), the
    ``step`` it is at and ``percent`` while it runs; counts once done (the proposals
    themselves are under /api/proposals/). ``status_url`` answers this again."""

    step = serializers.SerializerMethodField()
    step_label = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()
    pairs = serializers.SerializerMethodField()
    unmatched_enterprises = serializers.SerializerMethodField()
    unmatched_villages = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "campaign",
            "proposing",
            "status",
            "step",
            "step_label",
            "percent",
            "created",
            "started",
            "finished",
            "duration_ms",
            "timings",
            "error",
            "pairs",
            "unmatched_enterprises",
            "unmatched_villages",
            "status_url",
            "page_url",
        ]

    def _progress(self, run: MatchRun) -> dict[str, Any]:
        from tongxin.pairing.services import match_run_progress

        cached: dict[int, dict[str, Any]] = self.__dict__.setdefault("_progress_of", {})
        if run.pk not in cached:
            cached[run.pk] = match_run_progress(run)
        return cached[run.pk]

    def get_step(self, run: MatchRun) -> str:
        return str(self._progress(run)["step"])

    def get_step_label(self, run: MatchRun) -> str:
        return str(self._progress(run)["step_label"])

    def get_percent(self, run: MatchRun) -> int:
        return int(self._progress(run)["percent"])

    def _count(self, run: MatchRun, key: str) -> int | None:
        return len(run.result.get(key, [])) if run.status == MatchRun.Status.DONE else None

    def get_pairs(self, run: MatchRun) -> int | None:
        return self._count(run, "pairs")

    def get_unmatched_enterprises(self, run: MatchRun) -> int | None:
        return self._count(run, "unmatched_enterprises")

    def get_unmatched_villages(self, run: MatchRun) -> int | None:
        return self._count(run, "unmatched_villages")

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_status_url(self, run: MatchRun) -> str:
        return self._absolute(reverse("campaign-match", args=[run.campaign_id]) + f"?run={run.pk}")

    def get_page_url(self, run: MatchRun) -> str:
        return self._absolute(run.get_absolute_url())


class PairSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A proposal or pair. ``explanation`` and ``why`` hold only the rankings the reader
    may know (a contact: their own and their own position, never the other side's
    ranking of others)."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    explanation = serializers.SerializerMethodField()
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

    def _known(self, obj: Pair) -> RankingsKnown:
        """One lookup per campaign for a whole list (the child serializer is shared)."""
        cache: dict[int, RankingsKnown] = self.__dict__.setdefault("_rankings_known", {})
        if obj.campaign_id not in cache:
            cache[obj.campaign_id] = RankingsKnown(_user(self), obj.campaign_id)
        return cache[obj.campaign_id]

    def get_explanation(self, obj: Pair) -> dict[str, Any]:
        if not obj.explanation:
            return {}
        return self._known(obj).redact(obj.explanation, obj.enterprise_id, obj.village_id)

    def _names(self) -> Names:
        """The names an explanation mentions, read once for the whole page (the list's
        rows are known to the shared child serializer through its parent)."""
        names: Names | None = self.__dict__.get("_names_read")
        if names is None:
            page = self.parent.instance if isinstance(self.parent, serializers.ListSerializer) else None
            candidates = page if isinstance(page, list | tuple) else [self.instance]
            rows: list[Pair] = [row for row in candidates if isinstance(row, Pair)]
            names = self.__dict__["_names_read"] = Names([row.explanation for row in rows if row.explanation])
        return names

    def get_why(self, obj: Pair) -> str:
        if not obj.explanation:
            return obj.reason
        return explanation_text(self.get_explanation(obj), self._names())


class LiaisonAppointmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Create-only: the campaign is one the user may appoint for, the pairs approved pairs
    of that campaign, the officer a liaison officer of its county (else 400)."""

    class Meta:
        model = LiaisonAppointment
        fields = ["id", "campaign", "liaison", "pairs", "term_start", "term_end", "version"]
        read_only_fields = ["version"]

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        user = _user(self)
        fields["campaign"].queryset = restrict(Campaign.objects.all(), user, "appoint")
        fields["pairs"].child_relation.queryset = restrict(Pair.objects.filter(status=PairStatus.APPROVED), user, VIEW)
        fields["liaison"].queryset = restrict(User.objects.filter(liaison_choices()), user, VIEW)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        campaign, liaison = attrs.get("campaign"), attrs.get("liaison")
        if campaign is not None and liaison is not None and not holds_liaison_hat(liaison.pk, campaign.county_id):
            raise serializers.ValidationError({"liaison": "Only a liaison officer of this county can be appointed."})
        if campaign is not None and any(p.campaign_id != campaign.pk for p in attrs.get("pairs", [])):
            raise serializers.ValidationError({"pairs": "Choose approved pairs of this campaign."})
        return attrs


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
            "confirmed_by",
            "confirmed_at",
            "version",
        ]
        # The village's confirmation is set only by POST …/confirm/ (``activity_confirm``).
        read_only_fields = ["confirmed_by_village", "confirmed_by", "confirmed_at"]


class VersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The version you read (409 if it changed since)."
    )


class ReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version of the report you read; leave out only while there is no report yet (409 if stale).",
    )

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
        read_only_fields = ["due_date", "status", "submitted_at", "return_reason"]
        # POST updates the draft of (pair, period) when there is one (see ``report_save``).
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        fields["pair"].queryset = restrict(Pair.objects.all(), _user(self), VIEW)
        return fields

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
    not_due = serializers.BooleanField(help_text="the period's due date has not passed: no rates yet (null)")


class ReportingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    campaign = serializers.IntegerField()
    period = serializers.CharField()
    rows = ReportingRowSerializer(many=True)


def _ids_field(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=500,
        help_text=help_text,
    )


class BulkReviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Several proposals, one review action: ``review`` (the township's approval),
    ``return`` (with a reason), ``approve`` (the county's), ``reject`` (with a reason)."""

    action = serializers.ChoiceField(choices=["review", "return", "approve", "reject"])
    ids = _ids_field("Proposal ids, at most 500.")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, validators=[validate_multiline]
    )


class BulkIdsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ids = _ids_field("Report ids, at most 500.")


class RemindSerializer(serializers.Serializer):  # type: ignore[type-arg]
    townships = _ids_field("Township ids of the campaign's county, at most 500.")


class RefusalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    reason = serializers.CharField()
    code = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a bulk action did (ids) and what it refused (each with its name and reason)."""

    done = serializers.ListField(child=serializers.IntegerField())
    refused = RefusalSerializer(many=True)

"""The selection API: read-only resources in the caller's scope (the same policies as the
pages), and the votes as aggregate counts per candidate."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.core.api import ScopedModelSerializer
from tongxin.core.scope import VIEW, restrict
from tongxin.selection.filtersets import NominationFilterSet, RecommendationFilterSet, SelectionFilterSet
from tongxin.selection.models import Mark, Nomination, Recommendation, Selection
from tongxin.selection.services.voting import votes_per_candidate


class SelectionSerializer(ScopedModelSerializer):
    class Meta:
        model = Selection
        fields = [
            "id",
            "name",
            "year",
            "county",
            "description",
            "stage",
            "places",
            "max_per_industry",
            "min_from_townships",
            "jury_weight",
            "public_weight",
            "publicity_days",
            "tallied_at",
            "version",
        ]
        read_only_fields = fields


class NominationSerializer(ScopedModelSerializer):
    class Meta:
        model = Nomination
        fields = [
            "id",
            "selection",
            "category",
            "name",
            "post",
            "township",
            "enterprise",
            "industry",
            "channel",
            "nominator",
            "deeds",
            "revenue",
            "jobs",
            "taxes",
            "status",
            "rejection_reason",
            "ballot",
            "votes",
            "jury_score",
            "public_score",
            "final_score",
            "rank",
            "outcome",
            "tie_break",
            "jurors_scored",
            "jurors_recused",
            "version",
        ]
        read_only_fields = fields


class RecommendationSerializer(ScopedModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    council = serializers.CharField(source="deputy.council", read_only=True)
    level = serializers.CharField(source="deputy.level", read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "nomination", "deputy", "deputy_name", "council", "level", "date", "text", "version"]
        read_only_fields = fields


class MarkSerializer(ScopedModelSerializer):
    class Meta:
        model = Mark
        fields = ["id", "juror", "nomination", "criterion", "points", "version"]
        read_only_fields = fields


class VoteCountSerializer(serializers.Serializer):  # type: ignore[type-arg]
    nomination = serializers.IntegerField()
    votes = serializers.IntegerField()


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"
    base: Any = None

    def get_queryset(self) -> Any:
        return restrict(self.base.all(), self.request.user, VIEW)


class SelectionViewSet(_ReadOnly):
    """Selections; ``votes`` gives the public vote as counts per candidate (never a voter)."""

    serializer_class = SelectionSerializer
    filterset_class = SelectionFilterSet
    base = Selection.objects.select_related("county")

    @extend_schema(responses=VoteCountSerializer(many=True))
    @action(detail=True, methods=["get"])
    def votes(self, request: Request, pk: str) -> Response:
        selection = self.get_object()
        counts = votes_per_candidate(selection)
        ids = selection.nominations.exclude(ballot__isnull=True).order_by("ballot").values_list("pk", flat=True)
        return Response([{"nomination": pk_, "votes": counts.get(pk_, 0)} for pk_ in ids])


class NominationViewSet(_ReadOnly):
    serializer_class = NominationSerializer
    filterset_class = NominationFilterSet
    base = Nomination.objects.select_related("selection")


class RecommendationViewSet(_ReadOnly):
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet
    base = Recommendation.objects.select_related("deputy")


class MarkViewSet(_ReadOnly):
    """Jury marks: a juror reads their own, the committee all of its county's."""

    serializer_class = MarkSerializer
    base = Mark.objects.all()

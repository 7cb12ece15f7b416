"""API of the leadership bodies, their posts, the staffing rules and the reserve stages,
under the same policy as the pages: the county's cadre officers read and write them;
for everyone else the lists are empty and every row is 404."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.cadres.choices import ReserveStage
from tongxin.cadres.filtersets import BodyFilterSet, PostFilterSet, StaffingRuleFilterSet
from tongxin.cadres.models import Body, Person, Post, StaffingRule, StageRecord
from tongxin.cadres.services.reserve import reserve_advance
from tongxin.core.api import ScopedModelSerializer, ScopedModelViewSet
from tongxin.core.filtersets import ScopedFilterSet
from tongxin.core.scope import VIEW, get_scoped_or_404, restrict


class BodySerializer(ScopedModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "name", "kind", "county", "township", "area", "version", "last_updated"]
        read_only_fields = ["last_updated"]


class PostSerializer(ScopedModelSerializer):
    """A post; ``person`` is a file of the body's county (non-party), ``other_holder``
    the name of anyone else holding it."""

    class Meta:
        model = Post
        fields = [
            "id", "body", "title", "role", "rank", "person", "other_holder", "start", "term_end",
            "version", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["last_updated"]


class StaffingRuleSerializer(ScopedModelSerializer):
    class Meta:
        model = StaffingRule
        fields = [
            "id", "name", "county", "body_kind", "mode", "minimum", "post_role", "source_document", "source_date",
            "version", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["last_updated"]


class StageRecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A dated step of a person through the reserve pipeline. Written only through the
    pipeline's rules: the next stage (or removal, with a reason), never dated before the
    previous one."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    stage = serializers.ChoiceField(choices=ReserveStage.choices)

    class Meta:
        model = StageRecord
        fields = ["id", "person", "stage", "date", "note", "reason", "created"]
        read_only_fields = ["created"]

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        relation = fields["person"]
        relation.queryset = restrict(Person.objects.all(), user, VIEW)
        return fields


class BodyViewSet(ScopedModelViewSet):
    """Leadership bodies of the county."""

    queryset = Body.objects.select_related("county", "township")
    serializer_class = BodySerializer
    filterset_class = BodyFilterSet
    ordering_fields = ["name", "kind"]


class PostViewSet(ScopedModelViewSet):
    """Posts of the bodies, with their holders."""

    queryset = Post.objects.select_related("body", "person")
    serializer_class = PostSerializer
    filterset_class = PostFilterSet
    ordering_fields = ["title", "start", "term_end"]


class StaffingRuleViewSet(ScopedModelViewSet):
    """Staffing rules with their source documents (evaluated by ``/api/cadres/compliance/``)."""

    queryset = StaffingRule.objects.select_related("county")
    serializer_class = StaffingRuleSerializer
    filterset_class = StaffingRuleFilterSet
    ordering_fields = ["name", "source_date"]


class StageRecordFilterSet(ScopedFilterSet):
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("person"))
    stage = django_filters.MultipleChoiceFilter(choices=ReserveStage.choices, label=_("stage"))

    class Meta:
        model = StageRecord
        fields = ["person", "stage"]
        search_fields = ["note", "reason"]


class _ReadAndAdd(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """List, detail and create: no change, no delete."""


@extend_schema_view(
    create=extend_schema(description="The next step of a person in the reserve pipeline (400 when it does not follow).")
)
class StageRecordViewSet(_ReadAndAdd, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Reserve stages: read, and add the next step through the pipeline's service (the
    same as ``POST /api/cadres/people/<id>/stage/`` and the person's page). A step is
    never changed or deleted."""

    queryset = StageRecord.objects.select_related("person")
    serializer_class = StageRecordSerializer
    filterset_class = StageRecordFilterSet
    ordering_fields = ["date"]

    def get_queryset(self) -> Any:
        return restrict(super().get_queryset(), self.request.user, VIEW)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = get_scoped_or_404(Person, request.user, VIEW, pk=data["person"].pk)
        record = reserve_advance(
            user=request.user,
            person=person,
            stage=data["stage"],
            on=data["date"],
            note=data.get("note", ""),
            reason=data.get("reason", ""),
        )
        return Response(self.get_serializer(record).data, status=201)

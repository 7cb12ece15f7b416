"""API of training (courses, enrolments) and friend-making (pairs, contacts), with the
policy of the pages: cadre officers of the county only, everyone else 404. Reading one
enrolment, pair or contact is logged as an API read of the person's file; enrolments are
made, attended and completed through the services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.cadres.choices import AccessKind
from tongxin.cadres.filtersets_training import (
    CourseFilterSet,
    EnrolmentFilterSet,
    FriendContactFilterSet,
    FriendPairFilterSet,
)
from tongxin.cadres.models import Course, Enrolment, FriendContact, FriendPair
from tongxin.cadres.services.access import person_view_log
from tongxin.cadres.services.training import enrolment_attend, enrolment_complete, enrolment_enrol
from tongxin.core.api import ScopedModelSerializer, ScopedModelViewSet
from tongxin.core.scope import VIEW, get_scoped_or_404

COMMON = ["version", "last_updated"]


class CourseSerializer(ScopedModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "name", "kind", "organiser", "county", "start", "end", "hours", "place", *COMMON]
        read_only_fields = ["last_updated"]


class EnrolmentSerializer(ScopedModelSerializer):
    """An enrolment as read (writes go through ``create``, ``attend`` and ``complete``)."""

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "course",
            "person",
            "status",
            "hours_attended",
            "completed_on",
            "certificate_number",
            "certificate_date",
            *COMMON,
        ]
        read_only_fields = [f for f in fields if f not in ("course", "person")]


class AttendSerializer(serializers.Serializer):  # type: ignore[type-arg]
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)


class CompleteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    on = serializers.DateField()
    certificate_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    certificate_date = serializers.DateField(required=False, allow_null=True, default=None)


class FriendPairSerializer(ScopedModelSerializer):
    class Meta:
        model = FriendPair
        fields = ["id", "leader", "person", "frequency", "since", "ended", *COMMON]
        read_only_fields = ["last_updated"]


class FriendContactSerializer(ScopedModelSerializer):
    class Meta:
        model = FriendContact
        fields = [
            "id",
            "pair",
            "date",
            "form",
            "topics",
            "concerns",
            "follow_up",
            "follow_up_owner",
            "follow_up_done",
            *COMMON,
        ]
        read_only_fields = ["last_updated"]


class LoggedRetrieveMixin:
    """``retrieve`` logs an API read of the person the row is about."""

    person_path = "person"

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        person: Any = obj
        for bit in self.person_path.split("__"):
            person = getattr(person, bit)
        person_view_log(user=request.user, person=person, kind=AccessKind.API)
        return Response(self.get_serializer(obj).data)  # type: ignore[attr-defined]


class CourseViewSet(ScopedModelViewSet):
    queryset = Course.objects.select_related("county")
    serializer_class = CourseSerializer
    filterset_class = CourseFilterSet
    ordering_fields = ["start", "name"]


class EnrolmentViewSet(LoggedRetrieveMixin, ScopedModelViewSet):
    """Enrolments: ``POST`` enrols (course, person); ``attend`` and ``complete`` record the
    hours and the completion (the certificate file is uploaded on the page)."""

    queryset = Enrolment.objects.select_related("course", "person")
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = enrolment_enrol(user=self.request.user, course=data["course"], person=data["person"])

    @extend_schema(request=AttendSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def attend(self, request: Request, pk: Any = None) -> Response:
        enrolment = self.get_object()
        serializer = AttendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = enrolment_attend(user=request.user, enrolment=enrolment, hours=serializer.validated_data["hours"])
        return Response(self.get_serializer(saved).data)

    @extend_schema(request=CompleteSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        enrolment = self.get_object()
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = enrolment_complete(user=request.user, enrolment=enrolment, **serializer.validated_data)
        return Response(self.get_serializer(saved).data)

    def get_object(self) -> Any:
        # The workflow actions are judged by the service (403 when visible but not allowed).
        if self.action in ("attend", "complete"):
            obj = get_scoped_or_404(Enrolment, self.request.user, VIEW, pk=self.kwargs["pk"])
            self.check_object_permissions(self.request, obj)
            return obj
        return super().get_object()


class FriendPairViewSet(LoggedRetrieveMixin, ScopedModelViewSet):
    queryset = FriendPair.objects.select_related("leader", "person")
    serializer_class = FriendPairSerializer
    filterset_class = FriendPairFilterSet
    ordering_fields = ["since"]


class FriendContactViewSet(LoggedRetrieveMixin, ScopedModelViewSet):
    person_path = "pair__person"
    queryset = FriendContact.objects.select_related("pair__person", "pair__leader")
    serializer_class = FriendContactSerializer
    filterset_class = FriendContactFilterSet
    ordering_fields = ["date"]

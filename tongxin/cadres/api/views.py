from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tongxin.cadres.api.serializers import ComplianceSerializer, PersonSerializer, StageSerializer, UnmaskedSerializer
from tongxin.cadres.choices import AccessKind
from tongxin.cadres.filtersets import PersonFilterSet
from tongxin.cadres.models import Person, StaffingRule
from tongxin.cadres.services.access import people_list_log, person_unmask, person_view_log
from tongxin.cadres.services.compliance import compliance_report
from tongxin.cadres.services.reserve import reserve_advance
from tongxin.core.api import ScopedModelViewSet
from tongxin.core.scope import VIEW, can


class PersonViewSet(ScopedModelViewSet):
    """Cadre files. Reading one is logged; identifiers are masked; ``unmask`` (POST) gives
    the full values to a holder of the right, logged."""

    queryset = Person.objects.select_related("county")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["code", "name", "birth_date"]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page of files, logged (one access-log row per county, with how many)."""
        response = super().list(request, *args, **kwargs)
        people_list_log(user=request.user, people=getattr(self, "_listed", []))
        return response

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self._listed = list(page) if page is not None else list(queryset)
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        person_view_log(user=request.user, person=person, kind=AccessKind.API)
        return Response(self.get_serializer(person).data)

    @extend_schema(request=StageSerializer, responses=StageSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, pk: Any = None) -> Response:
        """The next step in the reserve pipeline (the same service as the page)."""
        person = self.get_object()
        serializer = StageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = reserve_advance(
            user=request.user,
            person=person,
            stage=data["stage"],
            on=data["date"],
            note=data.get("note", ""),
            reason=data.get("reason", ""),
        )
        return Response(StageSerializer(record).data, status=201)

    @extend_schema(request=None, responses=UnmaskedSerializer)
    @action(detail=True, methods=["post"])
    def unmask(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        return Response(UnmaskedSerializer(person_unmask(user=request.user, person=person)).data)


class ComplianceView(APIView):
    """The staffing rules of the user's counties, evaluated, with candidates per gap."""

    @extend_schema(responses=ComplianceSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not can(request.user, StaffingRule, VIEW):
            raise NotFound
        reports = compliance_report(user=request.user)
        return Response([report_dict(report) for report in reports])


def report_dict(report: Any) -> dict[str, Any]:
    result = report.result
    return {
        "rule": report.rule.pk,
        "name": report.rule.name,
        "met": result.met,
        "shortfall": result.shortfall,
        "future_shortfall": result.future_shortfall,
        "bodies": [
            {
                "body": b.body_id,
                "name": b.name,
                "count": b.count,
                "required": b.required,
                "shortfall": b.shortfall,
                "future_shortfall": b.future_shortfall,
                "leaving": [{"post": x.post_id, "on": x.on, "reason": x.reason} for x in b.leaving],
            }
            for b in result.bodies
        ],
        "gaps": [
            {
                "body": gap.body.body_id,
                "candidates": [
                    {
                        "person": c.id,
                        "name": c.name,
                        "score": c.score,
                        "reasons": [{"code": r.code, "points": r.points, "value": r.value} for r in c.reasons],
                    }
                    for c in gap.candidates
                ],
            }
            for gap in report.gaps
        ],
    }

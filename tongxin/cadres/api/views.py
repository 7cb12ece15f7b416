from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.cadres.api.serializers import PersonSerializer, UnmaskedSerializer
from tongxin.cadres.choices import AccessKind
from tongxin.cadres.filtersets import PersonFilterSet
from tongxin.cadres.models import Person
from tongxin.cadres.services.access import person_unmask, person_view_log
from tongxin.core.api import ScopedModelViewSet


class PersonViewSet(ScopedModelViewSet):
    """Cadre files. Reading one is logged; identifiers are masked; ``unmask`` (POST) gives
    the full values to a holder of the right, logged."""

    queryset = Person.objects.select_related("county")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["code", "name", "birth_date"]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        person_view_log(user=request.user, person=person, kind=AccessKind.API)
        return Response(self.get_serializer(person).data)

    @extend_schema(request=None, responses=UnmaskedSerializer)
    @action(detail=True, methods=["post"])
    def unmask(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()
        return Response(UnmaskedSerializer(person_unmask(user=request.user, person=person)).data)

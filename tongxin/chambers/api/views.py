from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.accounts.models import User
from tongxin.chambers.api.serializers import (
    ActivityStepSerializer,
    ApplicationSerializer,
    BoardPostSerializer,
    CaseStepSerializer,
    ChamberReasonSerializer,
    ChamberSerializer,
    DuesSerializer,
    MatchSerializer,
    MemberActivitySerializer,
    MembershipLevelSerializer,
    MembershipSerializer,
    OfficerSerializer,
    PaymentSerializer,
    RightsCaseSerializer,
    TransitionSerializer,
)
from tongxin.chambers.filtersets import (
    ApplicationFilterSet,
    BoardPostFilterSet,
    ChamberFilterSet,
    DuesFilterSet,
    MemberActivityFilterSet,
    MembershipFilterSet,
    MembershipLevelFilterSet,
    OfficerFilterSet,
    RightsCaseFilterSet,
)
from tongxin.chambers.models import (
    ActivitySignup,
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
from tongxin.chambers.services import cases as steps
from tongxin.chambers.services.activities import activity_attendance, activity_feedback, activity_sign_up
from tongxin.chambers.services.applications import application_approve, application_return, application_review
from tongxin.chambers.services.board import board_matches, post_close
from tongxin.chambers.services.dues import dues_pay
from tongxin.chambers.services.members import membership_transition
from tongxin.core.api import ScopedModelViewSet


class ChamberViewSet(ScopedModelViewSet):
    queryset = Chamber.objects.select_related("county", "parent", "township")
    serializer_class = ChamberSerializer
    filterset_class = ChamberFilterSet
    ordering_fields = ["name", "kind"]


class OfficerViewSet(ScopedModelViewSet):
    queryset = Officer.objects.select_related("chamber", "enterprise")
    serializer_class = OfficerSerializer
    filterset_class = OfficerFilterSet
    ordering_fields = ["name", "term_end"]


class MembershipLevelViewSet(ScopedModelViewSet):
    queryset = MembershipLevel.objects.select_related("chamber")
    serializer_class = MembershipLevelSerializer
    filterset_class = MembershipLevelFilterSet


class MembershipViewSet(ScopedModelViewSet):
    """Members; ``transition`` (POST) is one step of the lifecycle, as on the page."""

    queryset = Membership.objects.select_related("chamber", "enterprise", "level")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ["joined_on", "status"]

    @extend_schema(request=TransitionSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        membership = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership_transition(
            user=request.user,
            membership=membership,
            to=data["to"],
            on=data.get("on"),
            reason=data.get("reason", ""),
        )
        membership.refresh_from_db()
        return Response(MembershipSerializer(membership, context=self.get_serializer_context()).data)


class ApplicationViewSet(ScopedModelViewSet):
    """Applications; ``review``, ``approve`` and ``return`` (POST) are the workflow steps."""

    queryset = Application.objects.select_related("chamber", "enterprise", "level")
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    ordering_fields = ["submitted_on", "status"]

    def _answer(self, application: Application) -> Response:
        application.refresh_from_db()
        return Response(ApplicationSerializer(application, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        return self._answer(application_review(user=request.user, application=self.get_object()))

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(application_approve(user=request.user, application=self.get_object()))

    @extend_schema(request=ChamberReasonSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        serializer = ChamberReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = self.get_object()
        return self._answer(
            application_return(user=request.user, application=application, reason=serializer.validated_data["reason"])
        )


class DuesViewSet(ScopedModelViewSet):
    """Yearly dues; ``pay`` (POST) records a payment."""

    queryset = Dues.objects.select_related("membership__chamber", "membership__enterprise")
    serializer_class = DuesSerializer
    filterset_class = DuesFilterSet
    ordering_fields = ["year", "due_on"]

    @extend_schema(request=PaymentSerializer, responses=DuesSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: Any = None) -> Response:
        serializer = PaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dues = dues_pay(
            user=request.user,
            dues=self.get_object(),
            amount=data["amount"],
            on=data.get("on"),
            receipt=data.get("receipt", ""),
        )
        return Response(DuesSerializer(dues, context=self.get_serializer_context()).data)


class RightsCaseViewSet(ScopedModelViewSet):
    """Rights-protection cases; each step is a POST action (the same services as the page):
    ``acknowledge`` {text}, ``assign`` {handler}, ``refer`` {department, text}, ``note``
    {text}, ``finish`` {outcome, recovered, resolved}, ``rate`` {satisfaction, text},
    ``reopen`` {reason}."""

    queryset = RightsCase.objects.select_related("chamber", "membership__enterprise")
    serializer_class = RightsCaseSerializer
    filterset_class = RightsCaseFilterSet
    ordering_fields = ["received_on", "resolve_due", "status"]

    def _step(self, request: Request, run: Any) -> Response:
        serializer = CaseStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = self.get_object()
        run(case, serializer.validated_data)
        case.refresh_from_db()
        return Response(RightsCaseSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=CaseStepSerializer, responses=RightsCaseSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request, lambda c, d: steps.case_acknowledge(user=request.user, case=c, text=d.get("text", ""))
        )

    @extend_schema(request=CaseStepSerializer, responses=RightsCaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        def run(case: RightsCase, data: dict[str, Any]) -> Any:
            handler = User.objects.filter(pk=data.get("handler") or 0, is_active=True).first()
            return steps.case_assign(user=request.user, case=case, handler=handler)

        return self._step(request, run)

    @extend_schema(request=CaseStepSerializer, responses=RightsCaseSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request,
            lambda c, d: steps.case_refer(
                user=request.user, case=c, department=d.get("department", ""), text=d.get("text", "")
            ),
        )

    @extend_schema(request=CaseStepSerializer, responses=RightsCaseSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, lambda c, d: steps.case_note(user=request.user, case=c, text=d.get("text", "")))

    @extend_schema(request=CaseStepSerializer, responses=RightsCaseSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request,
            lambda c, d: steps.case_finish(
                user=request.user,
                case=c,
                outcome=d.get("outcome", ""),
                recovered=d.get("recovered"),
                resolved=d.get("resolved", True),
            ),
        )

    @extend_schema(request=CaseStepSerializer, responses=RightsCaseSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request,
            lambda c, d: steps.case_rate(
                user=request.user, case=c, satisfaction=d.get("satisfaction", 0), text=d.get("text", "")
            ),
        )

    @extend_schema(request=CaseStepSerializer, responses=RightsCaseSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            request, lambda c, d: steps.case_reopen(user=request.user, case=c, reason=d.get("reason", ""))
        )


class MemberActivityViewSet(ScopedModelViewSet):
    """Activities; ``sign_up``, ``attendance`` and ``feedback`` (POST) as on the page."""

    queryset = MemberActivity.objects.select_related("chamber")
    serializer_class = MemberActivitySerializer
    filterset_class = MemberActivityFilterSet
    ordering_fields = ["held_on"]

    def _data(self, request: Request) -> dict[str, Any]:
        serializer = ActivityStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=ActivityStepSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def sign_up(self, request: Request, pk: Any = None) -> Response:
        data = self._data(request)
        activity = self.get_object()
        membership = Membership.objects.filter(pk=data.get("membership") or 0).first()
        if membership is None:
            raise ValidationError({"membership": [_("Choose one of your members.")]})
        signup = activity_sign_up(user=request.user, activity=activity, membership=membership)
        return Response({"signup": signup.pk}, status=201)

    @extend_schema(request=ActivityStepSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: Any = None) -> Response:
        data = self._data(request)
        came = activity_attendance(user=request.user, activity=self.get_object(), present=set(data.get("present", [])))
        return Response({"attended": came})

    @extend_schema(request=ActivityStepSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: Any = None) -> Response:
        data = self._data(request)
        activity = self.get_object()
        signup = ActivitySignup.objects.filter(activity=activity, pk=data.get("signup") or 0).first()
        if signup is None:
            raise NotFound
        activity_feedback(user=request.user, signup=signup, rating=data.get("rating", 0), text=data.get("feedback", ""))
        return Response({"signup": signup.pk})


class BoardPostViewSet(ScopedModelViewSet):
    """The needs-and-offers board; ``matches`` (GET) the best posts of the other side,
    ``close`` (POST) closes a post."""

    queryset = BoardPost.objects.select_related("chamber", "membership__enterprise")
    serializer_class = BoardPostSerializer
    filterset_class = BoardPostFilterSet
    ordering_fields = ["created"]

    @extend_schema(responses=MatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request: Request, pk: Any = None) -> Response:
        found = board_matches(user=request.user, post=self.get_object())
        return Response(
            [
                {
                    "post": m.post.pk,
                    "title": m.post.title,
                    "score": m.score,
                    "needs_met": m.needs_met,
                    "distance_km": m.distance_km,
                }
                for m in found
            ]
        )

    @extend_schema(request=None, responses=BoardPostSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        post = post_close(user=request.user, post=self.get_object())
        return Response(BoardPostSerializer(post, context=self.get_serializer_context()).data)

"""Pairing API: campaigns (rankings, matching, stages), proposals, pairs, liaisons, activities, reports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tongxin.core.api import ScopedModelViewSet
from tongxin.core.disposition import content_disposition
from tongxin.core.scope import VIEW, get_scoped_or_404, restrict
from tongxin.core.services import save_in_scope
from tongxin.core.validation import parse_id, parse_period
from tongxin.pairing import services
from tongxin.pairing.api import serializers as s
from tongxin.pairing.choices import LetterKind
from tongxin.pairing.filtersets import (
    ActivityFilterSet,
    CampaignFilterSet,
    LiaisonAppointmentFilterSet,
    PairFilterSet,
    ReportFilterSet,
)
from tongxin.pairing.models import Activity, Campaign, LiaisonAppointment, MatchRun, Pair, Participant, Report
from tongxin.pairing.services.bulk import pairs_review_bulk, reports_accept_bulk
from tongxin.pairing.services.selection import MatchRunningError


class CampaignViewSet(ScopedModelViewSet):
    queryset = Campaign.objects.all()
    serializer_class = s.CampaignSerializer
    filterset_class = CampaignFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.RankingSerializer, responses=s.ParticipantSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def preferences(self, request: Request, pk: str) -> Response:
        """GET: the participants you may rank for, with their rankings. POST: replace one ranking."""
        campaign = self.get_object()
        if request.method == "POST":
            data = s.RankingSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            participant = get_scoped_or_404(
                Participant, request.user, VIEW, pk=data.validated_data["participant"], campaign=campaign
            )
            services.preferences_set(
                participant=participant,
                user=request.user,
                partners=data.validated_data["partners"],
                version=data.validated_data["version"],
            )
        rows = restrict(campaign.participants.all(), request.user, VIEW).select_related("enterprise", "village")
        return Response(s.ParticipantSerializer(rows, many=True).data)

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("run", int, description="one run of this campaign (else its latest runs)")],
        responses=PolymorphicProxySerializer(
            component_name="MatchRunStatus",
            serializers=[s.MatchRunSerializer(many=True), s.MatchRunSerializer],
            resource_type_field_name=None,
            many=False,
        ),
    )
    @extend_schema(
        methods=["POST"], request=s.MatchSerializer, responses={202: s.MatchRunSerializer, 409: s.MatchRunSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def match(self, request: Request, pk: str) -> Response:
        """POST: start the stable matching in the background: 202 with the run and its
        ``status_url`` (409 with the run under way if one is). GET: the campaign's runs you
        may see, newest first, with their progress; ``?run=<id>``: that run alone.
        The proposals appear under /api/proposals/ when the run is done."""
        campaign = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            runs = restrict(MatchRun.objects.filter(campaign=campaign), request.user, VIEW).defer("inputs")
            if "run" in request.query_params:
                try:
                    run_id = parse_id(request.query_params["run"])
                except DjangoValidationError as exc:
                    raise ValidationError({"run": exc.messages}) from exc
                run = runs.filter(pk=run_id).first()
                if run is None:
                    raise NotFound
                return Response(s.MatchRunSerializer(run, context=context).data)
            return Response(s.MatchRunSerializer(runs[:10], many=True, context=context).data)
        data = s.MatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            run = services.match_run_start(
                campaign=campaign, user=request.user, proposing=data.validated_data.get("proposing")
            )
        except MatchRunningError as exc:
            body = {"detail": str(exc.message), "code": exc.code, **s.MatchRunSerializer(exc.run, context=context).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(s.MatchRunSerializer(run, context=context).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=s.RemindSerializer, responses=s.BulkResultSerializer)
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, pk: str) -> Response:
        """催报: call for the missing reports of each township given (recorded; the liaison
        officers of those pairs are notified). ``done``: the records made, ``refused``:
        each township not called for, with the reason."""
        from tongxin.inbox.services.chase import reports_chase_townships

        data = s.RemindSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = self.get_object()
        result = reports_chase_townships(campaign=campaign, user=request.user, ids=data.validated_data["townships"])
        return Response(result.as_dict())

    @extend_schema(request=s.AdvanceSerializer, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        """Move the campaign to the next stage. Closing it cannot be undone: send
        ``confirm_name``, the campaign's name, or the answer is 400 (``confirm_name``)."""
        data = s.AdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_advance(
            campaign=self.get_object(),
            user=request.user,
            to=data.validated_data["to"],
            confirm_name=data.validated_data["confirm_name"],
        )
        return Response(s.CampaignSerializer(campaign).data)


class _PairBase(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = s.PairSerializer
    filterset_class = PairFilterSet
    # Ids are numbers: ``bulk/`` (and ``bulk.json``) is never taken for a pair's id.
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        queryset = Pair.objects.select_related("enterprise", "village", "township")
        return restrict(queryset, self.request.user, VIEW)

    def _transition(self, request: Request, service: Any, needs_reason: bool) -> Response:
        pair = self.get_object()
        kwargs: dict[str, Any] = {"pair": pair, "user": request.user}
        if needs_reason:
            data = s.ReasonSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            kwargs["reason"] = data.validated_data["reason"]
        return Response(s.PairSerializer(service(**kwargs), context=self.get_serializer_context()).data)


class ProposalViewSet(_PairBase):
    """Proposals from matching and overrides, with the review transitions."""

    def get_queryset(self) -> Any:
        return super().get_queryset().proposals()

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """Township approval (first review)."""
        return self._transition(request, services.pair_township_approve, False)

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        """Township return with a reason."""
        return self._transition(request, services.pair_return, True)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """County approval."""
        return self._transition(request, services.pair_approve, False)

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        """County rejection with a reason."""
        return self._transition(request, services.pair_reject, True)

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request: Request, pk: str) -> Response:
        """County override: drop a proposal with a reason."""
        return self._transition(request, services.pair_override_drop, True)

    @extend_schema(request=s.BulkReviewSerializer, responses=s.BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """One review action on several proposals, each as if alone (the same checks):
        ``done`` the ids done, ``refused`` the others, each with its name and reason."""
        data = s.BulkReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = pairs_review_bulk(
            user=request.user, action=values["action"], ids=values["ids"], reason=values["reason"]
        )
        return Response(result.as_dict())


class PairViewSet(_PairBase):
    """Approved pairs (locked) and their letters."""

    def get_queryset(self) -> Any:
        return super().get_queryset().pairs()

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path="letter.pdf")
    def letter(self, request: Request, pk: str) -> HttpResponse:
        """The letter of responsibility as PDF (404 until issued; POST …/letter/issue/ issues it)."""
        letter = self.get_object().letters.filter(kind=LetterKind.RESPONSIBILITY).first()
        if letter is None:
            return Response({"detail": _("No letter issued yet.")}, status=status.HTTP_404_NOT_FOUND)
        return _pdf(letter)

    @extend_schema(request=None, responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["post"], url_path="letter/issue", url_name="letter-issue")
    def issue_letter(self, request: Request, pk: str) -> HttpResponse:
        """Issue the letter of responsibility (once; issuing again returns the same letter) as PDF."""
        return _pdf(services.letter_issue_responsibility(pair=self.get_object(), user=request.user))


def _pdf(letter: Any) -> HttpResponse:
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    # Named by its document number (RFC 6266), with an ASCII name for older clients.
    disposition = content_disposition(letter.file_name, inline=True, fallback=letter.ascii_file_name)
    response["Content-Disposition"] = disposition
    return response


class LiaisonViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = s.LiaisonAppointmentSerializer
    filterset_class = LiaisonAppointmentFilterSet

    def get_queryset(self) -> Any:
        return restrict(LiaisonAppointment.objects.prefetch_related("pairs"), self.request.user, VIEW)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.liaison_appoint(
            campaign=data["campaign"],
            user=self.request.user,
            liaison=data["liaison"],
            pairs=list(data["pairs"]),
            term_start=data["term_start"],
            term_end=data["term_end"],
        )


class ActivityViewSet(ScopedModelViewSet):
    """Activities of approved pairs of running campaigns; the village confirms them."""

    queryset = Activity.objects.select_related("pair")
    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilterSet

    def perform_create(self, serializer: Any) -> None:
        def save() -> Activity:
            activity: Activity = serializer.save(created_by=self.request.user)
            services.activity_recorded(activity=activity, user=self.request.user)
            return activity

        save_in_scope(user=self.request.user, instance=Activity(), save=save, adding=True)

    def perform_destroy(self, instance: Any) -> None:
        if instance.confirmed_by_village:  # the model refuses it too; a broken rule is a 400
            raise services.PairingError(_("A confirmed activity is never deleted."), "locked")
        super().perform_destroy(instance)

    @extend_schema(request=s.VersionSerializer, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """The village of the pair confirms that the activity took place (send the version you read)."""
        activity = get_scoped_or_404(Activity, request.user, VIEW, pk=pk)
        data = s.VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.activity_confirm(activity=activity, user=request.user, version=data.validated_data["version"])
        return Response(s.ActivitySerializer(done, context=self.get_serializer_context()).data)


class ReportViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Reports: POST creates or updates the draft of (pair, period); actions submit/accept/return."""

    serializer_class = s.ReportSerializer
    filterset_class = ReportFilterSet
    lookup_value_regex = "[0-9]+"  # ``bulk-accept/`` is never taken for a report's id

    def get_queryset(self) -> Any:
        return restrict(Report.objects.select_related("pair"), self.request.user, VIEW)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ReportSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        pair = get_scoped_or_404(Pair, request.user, VIEW, pk=values.pop("pair").pk)
        report = services.report_save(
            pair=pair,
            user=request.user,
            period=values.pop("period"),
            data=values,
            version=values.pop("version", 0),  # none sent: the client saw no report yet
        )
        return Response(
            s.ReportSerializer(report, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.VersionSerializer(required=False))
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit the report; with ``version``, only if it is still the version you read (409)."""
        report = self.get_object()
        version = None
        if "version" in request.data:
            data = s.VersionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            version = data.validated_data["version"]
        done = services.report_submit(pair=report.pair, user=request.user, period=report.period, version=version)
        return Response(s.ReportSerializer(done).data)

    @extend_schema(request=s.BulkIdsSerializer, responses=s.BulkResultSerializer)
    @action(detail=False, methods=["post"], url_path="bulk-accept", url_name="bulk-accept")
    def bulk_accept(self, request: Request) -> Response:
        """Accept several submitted reports, each as if alone (the same checks)."""
        data = s.BulkIdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(reports_accept_bulk(user=request.user, ids=data.validated_data["ids"]).as_dict())

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return Response(s.ReportSerializer(services.report_accept(report=self.get_object(), user=request.user)).data)

    @extend_schema(request=s.ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_return(
            report=self.get_object(), user=request.user, reason=data.validated_data["reason"]
        )
        return Response(s.ReportSerializer(report).data)


class ReportingView(APIView):
    """Expected, submitted, on-time, completeness and timeliness per township for one period."""

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign", int, required=True),
            OpenApiParameter("period", str, required=True, description="YYYY-MM"),
        ],
        responses=s.ReportingSerializer,
    )
    def get(self, request: Request) -> Response:
        try:
            campaign_id = parse_id(request.query_params.get("campaign", ""))
        except DjangoValidationError as exc:
            raise ValidationError({"campaign": exc.messages}) from exc
        campaign = get_scoped_or_404(Campaign, request.user, VIEW, pk=campaign_id)
        try:
            period = parse_period(request.query_params.get("period", ""), allowed=services.periods(campaign))
        except DjangoValidationError as exc:
            raise ValidationError({"period": exc.messages}) from exc
        pairs = restrict(Pair.objects.all(), request.user, VIEW)
        rows = services.reporting_summary(campaign=campaign, period=period, pairs=pairs, today=timezone.localdate())
        return Response(
            {"campaign": campaign.pk, "period": period.strftime("%Y-%m"), "rows": [r.as_dict() for r in rows]}
        )

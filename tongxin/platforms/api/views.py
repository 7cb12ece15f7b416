"""The platforms' API: the same policy as the pages; the answer is the same service."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.core.api import ScopedModelViewSet
from tongxin.platforms import filtersets as f
from tongxin.platforms.api import serializers as s
from tongxin.platforms.models import (
    Association,
    CharityActivity,
    CharityEvent,
    Contact,
    CountrysideActivity,
    InnovationProject,
    Instruction,
    Intellectual,
    InvestmentLead,
    Milestone,
    Organisation,
    PromotionEvent,
    Proposal,
    ResearchReport,
    ResearchTopic,
    ServiceRequest,
    Talent,
)
from tongxin.platforms.services.intellectuals import request_accept, request_match
from tongxin.platforms.services.investment import lead_advance
from tongxin.platforms.services.research import proposal_answer, with_progress


class ResearchTopicViewSet(ScopedModelViewSet):
    queryset = ResearchTopic.objects.select_related("county", "township")
    serializer_class = s.ResearchTopicSerializer
    filterset_class = f.ResearchTopicFilterSet
    ordering_fields = ["year", "title"]


class ResearchReportViewSet(ScopedModelViewSet):
    queryset = ResearchReport.objects.select_related("topic")
    serializer_class = s.ResearchReportSerializer
    filterset_class = f.ResearchReportFilterSet
    ordering_fields = ["date", "title"]


class ResearchProposalViewSet(ScopedModelViewSet):
    """Proposals; ``answer`` (POST) records the department's official answer."""

    # A grouped query keeps no default ordering: the model's, for stable pages.
    queryset = with_progress(Proposal.objects.select_related("county", "township", "topic")).order_by(
        "county", "-submitted_on", "code", "pk"
    )
    serializer_class = s.ProposalSerializer
    filterset_class = f.ProposalFilterSet
    ordering_fields = ["code", "submitted_on", "due_on"]

    @extend_schema(request=s.AnswerSerializer, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        proposal = self.get_object()
        serializer = s.AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answered = proposal_answer(
            user=request.user, proposal=proposal, state=data["state"], on=data["date"], text=data.get("text", "")
        )
        fresh = with_progress(Proposal.objects.filter(pk=answered.pk)).get()
        return Response(s.ProposalSerializer(fresh, context=self.get_serializer_context()).data)


class InstructionViewSet(ScopedModelViewSet):
    queryset = Instruction.objects.select_related("proposal")
    serializer_class = s.InstructionSerializer
    filterset_class = f.InstructionFilterSet
    ordering_fields = ["date"]


class MilestoneViewSet(ScopedModelViewSet):
    queryset = Milestone.objects.select_related("proposal")
    serializer_class = s.MilestoneSerializer
    filterset_class = f.MilestoneFilterSet
    ordering_fields = ["planned_on", "done_on"]


class OrganisationViewSet(ScopedModelViewSet):
    queryset = Organisation.objects.select_related("county", "township")
    serializer_class = s.OrganisationSerializer
    filterset_class = f.OrganisationFilterSet
    ordering_fields = ["name", "registration_number"]


class CharityActivityViewSet(ScopedModelViewSet):
    queryset = CharityActivity.objects.select_related("organisation", "village")
    serializer_class = s.CharityActivitySerializer
    filterset_class = f.CharityActivityFilterSet
    ordering_fields = ["date", "code", "amount"]


class CharityEventViewSet(ScopedModelViewSet):
    queryset = CharityEvent.objects.select_related("organisation")
    serializer_class = s.CharityEventSerializer
    filterset_class = f.CharityEventFilterSet
    ordering_fields = ["date"]


class AssociationViewSet(ScopedModelViewSet):
    queryset = Association.objects.select_related("county")
    serializer_class = s.AssociationSerializer
    filterset_class = f.AssociationFilterSet
    ordering_fields = ["name"]


class ContactViewSet(ScopedModelViewSet):
    queryset = Contact.objects.select_related("association")
    serializer_class = s.ContactSerializer
    filterset_class = f.ContactFilterSet
    ordering_fields = ["name"]


class PromotionEventViewSet(ScopedModelViewSet):
    queryset = PromotionEvent.objects.select_related("association")
    serializer_class = s.PromotionEventSerializer
    filterset_class = f.PromotionEventFilterSet
    ordering_fields = ["date"]


class InvestmentLeadViewSet(ScopedModelViewSet):
    """Investment projects; ``step`` (POST) moves one along the pipeline."""

    queryset = InvestmentLead.objects.select_related("association", "township")
    serializer_class = s.InvestmentLeadSerializer
    filterset_class = f.InvestmentLeadFilterSet
    ordering_fields = ["code", "stage_on", "planned_investment"]

    @extend_schema(request=s.StepSerializer, responses=s.StepSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: Any = None) -> Response:
        lead = self.get_object()
        serializer = s.StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        done = lead_advance(
            user=request.user,
            lead=lead,
            stage=data["stage"],
            on=data["date"],
            note=data.get("note", ""),
            reason=data.get("reason", ""),
        )
        return Response(s.StepSerializer(done).data, status=201)


class TalentViewSet(ScopedModelViewSet):
    queryset = Talent.objects.select_related("association")
    serializer_class = s.TalentSerializer
    filterset_class = f.TalentFilterSet
    ordering_fields = ["introduced_on", "name"]


class IntellectualViewSet(ScopedModelViewSet):
    queryset = Intellectual.objects.select_related("township")
    serializer_class = s.IntellectualSerializer
    filterset_class = f.IntellectualFilterSet
    ordering_fields = ["field", "unit"]


class CountrysideActivityViewSet(ScopedModelViewSet):
    queryset = CountrysideActivity.objects.select_related("county", "township").prefetch_related(
        "villages", "volunteers"
    )
    serializer_class = s.CountrysideActivitySerializer
    filterset_class = f.CountrysideActivityFilterSet
    ordering_fields = ["date", "code"]


class ServiceRequestViewSet(ScopedModelViewSet):
    """Village service requests; ``match`` proposes a volunteer (ranked by the fit engine),
    ``accept`` records the acceptance — the services of the pages."""

    queryset = ServiceRequest.objects.select_related("village")
    serializer_class = s.ServiceRequestSerializer
    filterset_class = f.ServiceRequestFilterSet
    ordering_fields = ["created", "wanted_on"]

    @extend_schema(request=s.VolunteerMatchSerializer, responses=s.ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def match(self, request: Request, pk: Any = None) -> Response:
        service = self.get_object()
        serializer = s.VolunteerMatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = Intellectual.objects.filter(pk=serializer.validated_data["volunteer"]).first()
        if found is None:
            raise ValidationError({"volunteer": [_("Choose a volunteer of the village's county.")]})
        done = request_match(user=request.user, request=service, intellectual=found)
        return Response(s.ServiceRequestSerializer(done, context=self.get_serializer_context()).data)

    @extend_schema(request=s.AcceptSerializer, responses=s.ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        service = self.get_object()
        serializer = s.AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = request_accept(user=request.user, request=service, on=serializer.validated_data["date"])
        return Response(s.ServiceRequestSerializer(done, context=self.get_serializer_context()).data)


class InnovationProjectViewSet(ScopedModelViewSet):
    queryset = InnovationProject.objects.select_related("enterprise").prefetch_related("intellectuals")
    serializer_class = s.InnovationProjectSerializer
    filterset_class = f.InnovationProjectFilterSet
    ordering_fields = ["started_on", "code"]

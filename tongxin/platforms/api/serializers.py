from rest_framework import serializers

from tongxin.core.api import ScopedModelSerializer
from tongxin.platforms.choices import AnswerState, LeadStage
from tongxin.platforms.forms import (
    ACTIVITY_FIELDS,
    COUNTRYSIDE_FIELDS,
    LEAD_FIELDS,
    ORGANISATION_FIELDS,
    PROJECT_FIELDS,
    PROPOSAL_FIELDS,
)
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
from tongxin.platforms.services.research import ANSWER_TEXT_MAX

_META = ["version", "last_updated"]


class ResearchTopicSerializer(ScopedModelSerializer):
    class Meta:
        model = ResearchTopic
        fields = ["id", "county", "township", "year", "title", "issue", "organiser", "status", *_META]
        read_only_fields = ["last_updated"]


class ResearchReportSerializer(ScopedModelSerializer):
    class Meta:
        model = ResearchReport
        fields = ["id", "topic", "title", "date", "summary", *_META]
        read_only_fields = ["last_updated"]


class ProposalSerializer(ScopedModelSerializer):
    """A proposal; the answer is read only here (given through ``answer``)."""

    progress = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", *PROPOSAL_FIELDS, "answer_state", "answered_on", "answer_text", "progress", *_META]
        read_only_fields = ["answer_state", "answered_on", "answer_text", "last_updated"]

    def get_progress(self, obj: Proposal) -> int | None:
        done = getattr(obj, "progress_done", None)
        return (done or 0) if obj.implemented else None


class AnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    state = serializers.ChoiceField(choices=AnswerState.choices)
    date = serializers.DateField()
    text = serializers.CharField(max_length=ANSWER_TEXT_MAX, required=False, allow_blank=True)


class InstructionSerializer(ScopedModelSerializer):
    class Meta:
        model = Instruction
        fields = ["id", "proposal", "leader", "date", "text", *_META]
        read_only_fields = ["last_updated"]


class MilestoneSerializer(ScopedModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "proposal", "title", "planned_on", "done_on", "progress", *_META]
        read_only_fields = ["last_updated"]


class OrganisationSerializer(ScopedModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", *ORGANISATION_FIELDS, *_META]
        read_only_fields = ["last_updated"]


class CharityActivitySerializer(ScopedModelSerializer):
    class Meta:
        model = CharityActivity
        fields = ["id", *ACTIVITY_FIELDS, *_META]
        read_only_fields = ["last_updated"]


class CharityEventSerializer(ScopedModelSerializer):
    class Meta:
        model = CharityEvent
        fields = ["id", "organisation", "kind", "title", "date", "attendance", "note", *_META]
        read_only_fields = ["last_updated"]


class AssociationSerializer(ScopedModelSerializer):
    class Meta:
        model = Association
        fields = ["id", "name", "kind", "county", *_META]
        read_only_fields = ["last_updated"]


class ContactSerializer(ScopedModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "association", "name", "origin", "place", "field", "relationship", *_META]
        read_only_fields = ["last_updated"]


class PromotionEventSerializer(ScopedModelSerializer):
    class Meta:
        model = PromotionEvent
        fields = ["id", "association", "kind", "title", "date", "place", "note", *_META]
        read_only_fields = ["last_updated"]


class InvestmentLeadSerializer(ScopedModelSerializer):
    """A project; its stage moves only through ``step``."""

    class Meta:
        model = InvestmentLead
        fields = ["id", *LEAD_FIELDS, "stage", "stage_on", "lost_reason", *_META]
        read_only_fields = ["stage", "stage_on", "lost_reason", "last_updated"]


class StepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    stage = serializers.ChoiceField(choices=LeadStage.choices)
    date = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TalentSerializer(ScopedModelSerializer):
    class Meta:
        model = Talent
        fields = ["id", "association", "name", "origin", "field", "unit", "introduced_on", *_META]
        read_only_fields = ["last_updated"]


class IntellectualSerializer(ScopedModelSerializer):
    """A profile: the person by id only (the name is the file's, under the cadres policy)."""

    class Meta:
        model = Intellectual
        fields = ["id", "person", "field", "speciality", "unit", "township", "volunteer", *_META]
        read_only_fields = ["last_updated"]


class CountrysideActivitySerializer(ScopedModelSerializer):
    class Meta:
        model = CountrysideActivity
        fields = ["id", *COUNTRYSIDE_FIELDS, *_META]
        read_only_fields = ["last_updated"]


class ServiceRequestSerializer(ScopedModelSerializer):
    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "village",
            "kind",
            "title",
            "wanted_on",
            "status",
            "volunteer",
            "score",
            "accepted_on",
            *_META,
        ]
        read_only_fields = ["status", "volunteer", "score", "accepted_on", "last_updated"]


class VolunteerMatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    volunteer = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class AcceptSerializer(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateField()


class InnovationProjectSerializer(ScopedModelSerializer):
    class Meta:
        model = InnovationProject
        fields = ["id", *PROJECT_FIELDS, *_META]
        read_only_fields = ["last_updated"]

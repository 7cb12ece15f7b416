from typing import Any

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.core.filtersets import ScopedFilterSet
from tongxin.platforms.choices import (
    AnswerState,
    AssociationKind,
    CharityKind,
    EventKind,
    LeadStage,
    OrganisationKind,
    Origin,
    ParticipationRole,
    ProjectStatus,
    PromotionKind,
    RequestStatus,
    ServiceField,
    TopicStatus,
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
    Participation,
    PromotionEvent,
    Proposal,
    ResearchReport,
    ResearchTopic,
    ServiceRequest,
    Talent,
)
from tongxin.platforms.services.investment import stale_q
from tongxin.platforms.services.research import overdue_q, unanswered_q
from tongxin.regions.models import Township


class ResearchTopicFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("year"), min_value=1, max_value=9999, decimal_places=0)
    status = django_filters.MultipleChoiceFilter(choices=TopicStatus.choices, label=_("status"))
    township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), label=_("township"))

    class Meta:
        model = ResearchTopic
        fields = ["year", "status", "township"]
        search_fields = ["title", "issue", "organiser"]


class ResearchReportFilterSet(ScopedFilterSet):
    topic = django_filters.ModelChoiceFilter(queryset=ResearchTopic.objects.all(), label=_("topic"))

    class Meta:
        model = ResearchReport
        fields = ["topic"]
        search_fields = ["title", "summary", "topic__title"]


class ProposalFilterSet(ScopedFilterSet):
    answer_state = django_filters.MultipleChoiceFilter(choices=AnswerState.choices, label=_("answer"))
    answered = django_filters.BooleanFilter(method="filter_answered", label=_("answered"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("answer overdue"))
    year = django_filters.NumberFilter(
        field_name="submitted_on", lookup_expr="year", label=_("year"), min_value=1, max_value=9999, decimal_places=0
    )
    topic = django_filters.ModelChoiceFilter(queryset=ResearchTopic.objects.all(), label=_("research topic"))
    township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), label=_("township"))

    class Meta:
        model = Proposal
        fields = ["answer_state", "topic", "township"]
        search_fields = ["code", "title", "department"]

    def filter_answered(self, queryset: Any, name: str, value: Any) -> Any:
        if value is None:
            return queryset
        return queryset.exclude(unanswered_q()) if value else queryset.filter(unanswered_q())

    def filter_overdue(self, queryset: Any, name: str, value: Any) -> Any:
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class InstructionFilterSet(ScopedFilterSet):
    proposal = django_filters.ModelChoiceFilter(queryset=Proposal.objects.all(), label=_("proposal"))

    class Meta:
        model = Instruction
        fields = ["proposal"]
        search_fields = ["leader", "text", "proposal__title"]


class MilestoneFilterSet(ScopedFilterSet):
    proposal = django_filters.ModelChoiceFilter(queryset=Proposal.objects.all(), label=_("proposal"))
    done = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True, label=_("done"))

    class Meta:
        model = Milestone
        fields = ["proposal"]
        search_fields = ["title", "proposal__title"]


class ParticipationFilterSet(ScopedFilterSet):
    role = django_filters.MultipleChoiceFilter(choices=ParticipationRole.choices, label=_("role"))
    topic = django_filters.ModelChoiceFilter(queryset=ResearchTopic.objects.all(), label=_("research topic"))
    proposal = django_filters.ModelChoiceFilter(queryset=Proposal.objects.all(), label=_("proposal"))

    class Meta:
        model = Participation
        fields = ["role", "topic", "proposal"]
        search_fields = ["person__name", "topic__title", "proposal__title"]


class OrganisationFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, label=_("type"))
    township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), label=_("township"))

    class Meta:
        model = Organisation
        fields = ["kind", "township"]
        search_fields = ["name", "registration_number"]


class CharityActivityFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=CharityKind.choices, label=_("kind"))
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all(), label=_("organisation"))
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = CharityActivity
        fields = ["kind", "organisation"]
        search_fields = ["code", "title", "organisation__name"]


class CharityEventFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label=_("kind"))
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all(), label=_("organisation"))

    class Meta:
        model = CharityEvent
        fields = ["kind", "organisation"]
        search_fields = ["title", "note", "organisation__name"]


class AssociationFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=AssociationKind.choices, label=_("kind"))

    class Meta:
        model = Association
        fields = ["kind"]
        search_fields = ["name"]


class ContactFilterSet(ScopedFilterSet):
    association = django_filters.ModelChoiceFilter(queryset=Association.objects.all(), label=_("association"))
    origin = django_filters.MultipleChoiceFilter(choices=Origin.choices, label=_("origin"))

    class Meta:
        model = Contact
        fields = ["association", "origin"]
        search_fields = ["name", "place", "field"]


class PromotionEventFilterSet(ScopedFilterSet):
    association = django_filters.ModelChoiceFilter(queryset=Association.objects.all(), label=_("association"))
    kind = django_filters.MultipleChoiceFilter(choices=PromotionKind.choices, label=_("kind"))

    class Meta:
        model = PromotionEvent
        fields = ["association", "kind"]
        search_fields = ["title", "place"]


class InvestmentLeadFilterSet(ScopedFilterSet):
    association = django_filters.ModelChoiceFilter(queryset=Association.objects.all(), label=_("association"))
    stage = django_filters.MultipleChoiceFilter(choices=LeadStage.choices, label=_("stage"))
    origin = django_filters.MultipleChoiceFilter(choices=Origin.choices, label=_("origin"))
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("stale"))

    class Meta:
        model = InvestmentLead
        fields = ["association", "stage", "origin"]
        search_fields = ["code", "title", "investor", "industry"]

    def filter_stale(self, queryset: Any, name: str, value: Any) -> Any:
        if value is None:
            return queryset
        q = stale_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class TalentFilterSet(ScopedFilterSet):
    association = django_filters.ModelChoiceFilter(queryset=Association.objects.all(), label=_("association"))
    origin = django_filters.MultipleChoiceFilter(choices=Origin.choices, label=_("origin"))

    class Meta:
        model = Talent
        fields = ["association", "origin"]
        search_fields = ["name", "field", "unit"]


class IntellectualFilterSet(ScopedFilterSet):
    field = django_filters.MultipleChoiceFilter(choices=ServiceField.choices, label=_("field"))
    volunteer = django_filters.BooleanFilter(label=_("volunteers"))

    class Meta:
        model = Intellectual
        fields = ["field", "volunteer"]
        # Never the person's name: a search must not confirm who is on the files.
        search_fields = ["unit", "speciality"]


class CountrysideActivityFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ServiceField.choices, label=_("kind"))
    township = django_filters.ModelChoiceFilter(queryset=Township.objects.all(), label=_("township"))
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = CountrysideActivity
        fields = ["kind", "township"]
        search_fields = ["title"]


class ServiceRequestFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ServiceField.choices, label=_("kind"))
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices, label=_("status"))

    class Meta:
        model = ServiceRequest
        fields = ["kind", "status"]
        search_fields = ["title", "village__name"]


class InnovationProjectFilterSet(ScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label=_("status"))

    class Meta:
        model = InnovationProject
        fields = ["status"]
        search_fields = ["title", "problem", "enterprise__name"]

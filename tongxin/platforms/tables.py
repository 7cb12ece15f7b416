from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.core.tables import ScopedTable
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
from tongxin.platforms.people import PersonNameColumn


class ResearchTopicTable(ScopedTable):
    title = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")

    class Meta(ScopedTable.Meta):
        model = ResearchTopic
        fields = ("year", "title", "organiser", "township", "status")


class ResearchReportTable(ScopedTable):
    title = tables.Column(linkify=True)
    topic = tables.Column(verbose_name=_("topic"), accessor="topic__title", order_by="topic__title")

    class Meta(ScopedTable.Meta):
        model = ResearchReport
        fields = ("title", "topic", "date")


class ProposalTable(ScopedTable):
    code = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")
    progress_done = tables.Column(verbose_name=_("progress (%)"), orderable=False)

    class Meta(ScopedTable.Meta):
        model = Proposal
        fields = (
            "code",
            "title",
            "department",
            "township",
            "submitted_on",
            "due_on",
            "answer_state",
            "answered_on",
            "progress_done",
        )

    def render_progress_done(self, value: Any, record: Proposal) -> Any:
        return value if record.implemented else "—"


class InstructionTable(ScopedTable):
    leader = tables.Column(linkify=True)
    proposal = tables.Column(verbose_name=_("proposal"), accessor="proposal__code", order_by="proposal__code")

    class Meta(ScopedTable.Meta):
        model = Instruction
        fields = ("proposal", "leader", "date", "text")


class MilestoneTable(ScopedTable):
    title = tables.Column(linkify=True)
    proposal = tables.Column(verbose_name=_("proposal"), accessor="proposal__code", order_by="proposal__code")

    class Meta(ScopedTable.Meta):
        model = Milestone
        fields = ("proposal", "title", "planned_on", "done_on", "progress")


class ParticipationTable(ScopedTable):
    role = tables.Column(linkify=True)
    person = tables.Column(verbose_name=_("person"), accessor="person__name", order_by="person__code")
    topic = tables.Column(verbose_name=_("research topic"), accessor="topic__title")
    proposal = tables.Column(verbose_name=_("proposal"), accessor="proposal__code")

    class Meta(ScopedTable.Meta):
        model = Participation
        fields = ("person", "role", "topic", "proposal")


class OrganisationTable(ScopedTable):
    name = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")

    class Meta(ScopedTable.Meta):
        model = Organisation
        fields = ("name", "registration_number", "kind", "township")


class CharityActivityTable(ScopedTable):
    code = tables.Column(linkify=True)
    organisation = tables.Column(
        verbose_name=_("organisation"), accessor="organisation__name", order_by="organisation__name"
    )
    village = tables.Column(verbose_name=_("village served"), accessor="village__name", order_by="village__code")

    class Meta(ScopedTable.Meta):
        model = CharityActivity
        fields = ("code", "title", "organisation", "kind", "date", "amount", "beneficiaries", "village")


class CharityEventTable(ScopedTable):
    title = tables.Column(linkify=True)
    organisation = tables.Column(
        verbose_name=_("organisation"), accessor="organisation__name", order_by="organisation__name"
    )

    class Meta(ScopedTable.Meta):
        model = CharityEvent
        fields = ("title", "organisation", "kind", "date", "attendance")


class AssociationTable(ScopedTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Association
        fields = ("name", "kind")


class ContactTable(ScopedTable):
    name = tables.Column(linkify=True)
    association = tables.Column(verbose_name=_("association"), accessor="association__name")

    class Meta(ScopedTable.Meta):
        model = Contact
        fields = ("name", "association", "origin", "place", "field", "relationship")


class PromotionEventTable(ScopedTable):
    title = tables.Column(linkify=True)
    association = tables.Column(verbose_name=_("association"), accessor="association__name")

    class Meta(ScopedTable.Meta):
        model = PromotionEvent
        fields = ("title", "association", "kind", "date", "place")


class InvestmentLeadTable(ScopedTable):
    code = tables.Column(linkify=True)
    association = tables.Column(verbose_name=_("association"), accessor="association__name")
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")

    class Meta(ScopedTable.Meta):
        model = InvestmentLead
        fields = (
            "code",
            "title",
            "association",
            "origin",
            "industry",
            "currency",
            "planned_investment",
            "actual_investment",
            "responsible_unit",
            "owner",
            "township",
            "stage",
            "stage_on",
        )


class TalentTable(ScopedTable):
    name = tables.Column(linkify=True)
    association = tables.Column(verbose_name=_("association"), accessor="association__name")

    class Meta(ScopedTable.Meta):
        model = Talent
        fields = ("name", "association", "origin", "field", "unit", "introduced_on")


class IntellectualTable(ScopedTable):
    id = tables.Column(verbose_name=_("No."), linkify=True)
    person = PersonNameColumn(verbose_name=_("name"), accessor="person__name", orderable=False)
    township = tables.Column(verbose_name=_("based in"), accessor="township__name", order_by="township__code")

    class Meta(ScopedTable.Meta):
        model = Intellectual
        fields = ("id", "person", "field", "speciality", "unit", "township", "volunteer")


class CountrysideActivityTable(ScopedTable):
    code = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")
    villages = tables.ManyToManyColumn(verbose_name=_("villages served"), separator="、", orderable=False)

    class Meta(ScopedTable.Meta):
        model = CountrysideActivity
        fields = ("code", "title", "kind", "date", "township", "villages", "beneficiaries")


class ServiceRequestTable(ScopedTable):
    title = tables.Column(linkify=True)
    village = tables.Column(verbose_name=_("village"), accessor="village__name", order_by="village__code")

    class Meta(ScopedTable.Meta):
        model = ServiceRequest
        fields = ("title", "village", "kind", "wanted_on", "status", "score", "accepted_on")


class InnovationProjectTable(ScopedTable):
    code = tables.Column(linkify=True)
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="enterprise__name")

    class Meta(ScopedTable.Meta):
        model = InnovationProject
        fields = ("code", "title", "enterprise", "status", "started_on", "patents", "new_products", "output_value")

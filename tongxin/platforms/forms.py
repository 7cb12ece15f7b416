from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.core.forms import NaturalKeyChoiceField, ScopedModelForm
from tongxin.enterprises.models import Enterprise
from tongxin.platforms.choices import AnswerState, LeadStage
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
from tongxin.platforms.services.research import ANSWER_TEXT_MAX
from tongxin.regions.models import County, Township, Village


def _dates(*names: str) -> dict[str, Any]:
    return {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in names}


class ResearchTopicForm(ScopedModelForm):
    class Meta:
        model = ResearchTopic
        fields = ["county", "township", "year", "title", "issue", "organiser", "status"]


class ResearchReportForm(ScopedModelForm):
    class Meta:
        model = ResearchReport
        fields = ["topic", "title", "date", "summary"]
        widgets = _dates("date")


PROPOSAL_FIELDS = ["code", "county", "township", "topic", "title", "content", "department", "submitted_on", "due_on"]


class ProposalForm(ScopedModelForm):
    class Meta:
        model = Proposal
        fields = PROPOSAL_FIELDS
        widgets = _dates("submitted_on", "due_on")


class ProposalImportForm(ScopedModelForm):
    """One row of an existing list of proposals; matched by proposal number."""

    require_version = False

    county = NaturalKeyChoiceField(queryset=County.objects.all(), label=_("county"))
    township = NaturalKeyChoiceField(queryset=Township.objects.all(), label=_("township"), required=False)

    class Meta:
        model = Proposal
        fields = [name for name in PROPOSAL_FIELDS if name != "topic"]

    def import_example(self) -> dict[str, Any]:
        return {
            "code": "330122-2026-001",
            "title": _("Extend the rural bus lines to every village"),
            "department": _("County transport bureau"),
            "submitted_on": "2026-03-01",
            "due_on": "2026-06-01",
        }


class InstructionForm(ScopedModelForm):
    class Meta:
        model = Instruction
        fields = ["proposal", "leader", "date", "text"]
        widgets = _dates("date")


class MilestoneForm(ScopedModelForm):
    class Meta:
        model = Milestone
        fields = ["proposal", "title", "planned_on", "done_on", "progress"]
        widgets = _dates("planned_on", "done_on")


class ParticipationForm(ScopedModelForm):
    class Meta:
        model = Participation
        fields = ["person", "role", "topic", "proposal"]


class AnswerForm(forms.Form):
    """The department's official answer to a proposal."""

    state = forms.ChoiceField(
        label=_("answer"), choices=AnswerState.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    text = forms.CharField(
        label=_("answer text"),
        max_length=ANSWER_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


ORGANISATION_FIELDS = ["name", "registration_number", "kind", "county", "township"]


class OrganisationForm(ScopedModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS


class OrganisationImportForm(ScopedModelForm):
    """One row of a list of registered organisations; matched by registration number."""

    require_version = False

    county = NaturalKeyChoiceField(queryset=County.objects.all(), label=_("county"))
    township = NaturalKeyChoiceField(queryset=Township.objects.all(), label=_("township"), required=False)

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS

    def import_example(self) -> dict[str, Any]:
        return {"name": _("Lingyin temple"), "registration_number": "330122-ZJ-0001"}


ACTIVITY_FIELDS = ["code", "organisation", "kind", "title", "date", "amount", "beneficiaries", "village"]


class CharityActivityForm(ScopedModelForm):
    class Meta:
        model = CharityActivity
        fields = ACTIVITY_FIELDS
        widgets = _dates("date")


class CharityActivityImportForm(ScopedModelForm):
    """One row of an existing list of charity activities; matched by activity number."""

    require_version = False

    organisation = NaturalKeyChoiceField(
        queryset=Organisation.objects.all(), keys=("registration_number", "name"), label=_("organisation")
    )
    village = NaturalKeyChoiceField(queryset=Village.objects.all(), label=_("village served"), required=False)

    class Meta:
        model = CharityActivity
        fields = ACTIVITY_FIELDS

    def import_example(self) -> dict[str, Any]:
        return {
            "code": "330122-CS-0001",
            "organisation": "330122-ZJ-0001",
            "title": _("Winter relief for elderly people living alone"),
            "date": "2026-01-15",
            "amount": "20000",
            "beneficiaries": "120",
        }


class CharityEventForm(ScopedModelForm):
    class Meta:
        model = CharityEvent
        fields = ["organisation", "kind", "title", "date", "attendance", "note"]
        widgets = _dates("date")


class AssociationForm(ScopedModelForm):
    class Meta:
        model = Association
        fields = ["name", "kind", "county"]


class ContactForm(ScopedModelForm):
    class Meta:
        model = Contact
        fields = ["association", "name", "origin", "place", "field", "relationship"]


class PromotionEventForm(ScopedModelForm):
    class Meta:
        model = PromotionEvent
        fields = ["association", "kind", "title", "date", "place", "note"]
        widgets = _dates("date")


LEAD_FIELDS = [
    "code",
    "association",
    "title",
    "origin",
    "investor",
    "industry",
    "currency",
    "planned_investment",
    "actual_investment",
    "responsible_unit",
    "owner",
    "township",
]


class InvestmentLeadForm(ScopedModelForm):
    class Meta:
        model = InvestmentLead
        fields = LEAD_FIELDS


class InvestmentLeadImportForm(ScopedModelForm):
    """One row of an existing list of investment projects; matched by project number (a
    new project starts as a lead; its stage moves by steps only)."""

    require_version = False

    association = NaturalKeyChoiceField(queryset=Association.objects.all(), keys=("name",), label=_("association"))
    township = NaturalKeyChoiceField(queryset=Township.objects.all(), label=_("township"), required=False)

    class Meta:
        model = InvestmentLead
        fields = LEAD_FIELDS

    def import_example(self) -> dict[str, Any]:
        return {
            "code": "330122-ZS-0001",
            "title": _("Precision parts plant"),
            "industry": _("Equipment manufacturing"),
            "planned_investment": "5000",
            "actual_investment": "0",
            "responsible_unit": _("County investment promotion bureau"),
            "owner": _("Deputy director Wang"),
        }


class StepForm(forms.Form):
    """The next step of a project along the pipeline."""

    stage = forms.ChoiceField(label=_("stage"), widget=forms.Select(attrs={"class": "form-select"}))
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    note = forms.CharField(
        label=_("note"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    reason = forms.CharField(
        label=_("reason"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args: Any, following: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["stage"]
        field.choices = [(value, label) for value, label in LeadStage.choices if value in following]


class TalentForm(ScopedModelForm):
    class Meta:
        model = Talent
        fields = ["association", "name", "origin", "field", "unit", "introduced_on"]
        widgets = _dates("introduced_on")


class IntellectualForm(ScopedModelForm):
    class Meta:
        model = Intellectual
        fields = ["person", "field", "speciality", "unit", "township", "volunteer"]


COUNTRYSIDE_FIELDS = ["code", "county", "township", "kind", "title", "date", "villages", "volunteers", "beneficiaries"]


class CountrysideActivityForm(ScopedModelForm):
    class Meta:
        model = CountrysideActivity
        fields = COUNTRYSIDE_FIELDS
        widgets = _dates("date")


class CountrysideActivityImportForm(ScopedModelForm):
    """One row of an existing list of countryside activities; matched by activity number
    (villages by code or name, separated by commas or 、)."""

    require_version = False

    county = NaturalKeyChoiceField(queryset=County.objects.all(), label=_("county"))
    township = NaturalKeyChoiceField(queryset=Township.objects.all(), label=_("township"), required=False)

    class Meta:
        model = CountrysideActivity
        fields = [name for name in COUNTRYSIDE_FIELDS if name != "volunteers"]

    def import_example(self) -> dict[str, Any]:
        return {"code": "330122-XX-0001", "title": _("Free clinic day"), "date": "2026-05-10", "beneficiaries": "150"}


class ServiceRequestForm(ScopedModelForm):
    class Meta:
        model = ServiceRequest
        fields = ["village", "kind", "title", "wanted_on"]
        widgets = _dates("wanted_on")


PROJECT_FIELDS = [
    "code",
    "enterprise",
    "title",
    "problem",
    "intellectuals",
    "status",
    "started_on",
    "milestones",
    "patents",
    "new_products",
    "output_value",
]


class InnovationProjectForm(ScopedModelForm):
    class Meta:
        model = InnovationProject
        fields = PROJECT_FIELDS
        widgets = _dates("started_on")


class InnovationProjectImportForm(ScopedModelForm):
    """One row of an existing list of innovation projects; matched by project number (the
    enterprise by credit code or name)."""

    require_version = False

    enterprise = NaturalKeyChoiceField(queryset=Enterprise.objects.all(), keys=("uscc", "name"), label=_("enterprise"))

    class Meta:
        model = InnovationProject
        fields = [name for name in PROJECT_FIELDS if name != "intellectuals"]

    def import_example(self) -> dict[str, Any]:
        return {"code": "330122-KC-0001", "title": _("Energy-saving kiln"), "problem": _("High energy use")}


class MatchForm(forms.Form):
    volunteer = forms.IntegerField(label=_("volunteer"), min_value=1, max_value=2**31 - 1)


class AcceptForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))

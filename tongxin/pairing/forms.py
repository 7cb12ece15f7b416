from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.core.filtersets import BoundedModelChoiceField
from tongxin.core.forms import ScopedModelForm
from tongxin.core.validation import validate_multiline
from tongxin.enterprises.choices import Industry
from tongxin.pairing.choices import PairStatus
from tongxin.pairing.models import (
    Activity,
    ActivityPhoto,
    Campaign,
    Decision,
    GroupMember,
    JointMeeting,
    LeadingGroup,
    Pair,
    PairPlan,
    Report,
    Support,
)
from tongxin.pairing.models.running import RUNNING_STAGES
from tongxin.regions.models import Township

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LeadingGroupForm(ScopedModelForm):
    class Meta:
        model = LeadingGroup
        fields = ["county", "township", "name", "established"]
        widgets = {"established": DATE}


class GroupMemberForm(ScopedModelForm):
    class Meta:
        model = GroupMember
        fields = ["group", "name", "post", "role", "department"]


class JointMeetingForm(ScopedModelForm):
    class Meta:
        model = JointMeeting
        fields = ["group", "date", "title", "departments", "minutes"]
        widgets = {"date": DATE, "minutes": forms.Textarea(attrs={"rows": 6})}


class DecisionForm(ScopedModelForm):
    class Meta:
        model = Decision
        fields = ["meeting", "text", "owner", "due_date", "done"]
        widgets = {"due_date": DATE}


CAMPAIGN_FIELDS = [
    "county",
    "name",
    "year",
    "start",
    "end",
    "report_frequency",
    "report_due_days",
    "enterprise_capacity",
    "village_capacity",
    "proposing",
    "letter_prefix",
    "appointment_prefix",
    "issuer",
]


class CampaignForm(ScopedModelForm):
    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = {"start": DATE, "end": DATE}


class ApprovedPairsMixin:
    """Activities and support are recorded for approved pairs of running campaigns only
    (the choices say so; the model's ``clean`` is the rule every path obeys)."""

    fields: dict[str, Any]

    def limit_pairs(self) -> None:
        field = self.fields.get("pair")
        if field is not None and not field.disabled:
            field.queryset = field.queryset.filter(
                status=PairStatus.APPROVED, campaign__stage__in=RUNNING_STAGES
            ).select_related("enterprise", "village")


class ActivityForm(ApprovedPairsMixin, ScopedModelForm):
    """An activity; the village's confirmation is not a field (see ``activity_confirm``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_pairs()

    class Meta:
        model = Activity
        fields = ["pair", "head", "date", "title", "participants", "amount", "description"]
        widgets = {"date": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def save(self, commit: bool = True) -> Any:
        adding = self.instance.pk is None
        if adding and self.user is not None and self.user.is_authenticated:
            self.instance.created_by = self.user
        saved = super().save(commit=commit)
        if commit and adding:  # in the saving transaction (save_in_scope): refused, notifies nobody
            from tongxin.pairing.services.activities import activity_recorded

            activity_recorded(activity=saved, user=self.user)
        return saved


class SupportForm(ApprovedPairsMixin, ScopedModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_pairs()

    class Meta:
        model = Support
        fields = ["pair", "kind", "date", "amount", "description"]
        widgets = {"date": DATE}


class PairPlanForm(ScopedModelForm):
    class Meta:
        model = PairPlan
        fields = ["mode", "mode_notes", "investment", "projects", "jobs", "farmer_income", "collective_income"]


class PhotoForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ActivityPhoto
        fields = ["image", "caption"]


class ReportForm(forms.ModelForm):  # type: ignore[type-arg]
    """The indicators and narrative of a report (status changes go through services).

    ``version`` is the version of the report the user started from, 0 when there was no
    report yet: the service refuses the save (409) if the report changed meanwhile.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Report
        fields = ["investment", "projects", "jobs", "farmer_income", "collective_income", "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 0

    @property
    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


def reason_field() -> forms.CharField:
    """A reason given for a workflow step: bounded, no control characters."""
    return forms.CharField(
        label=_("Reason"),
        max_length=2000,
        validators=[validate_multiline],
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


MAX_ID = 2**63 - 1


class ReasonForm(forms.Form):
    reason = reason_field()


class OverrideAddForm(forms.Form):
    enterprise = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    village = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    reason = reason_field()


class AppointForm(forms.Form):
    liaison: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("liaison officer"))
    pairs = forms.ModelMultipleChoiceField(queryset=Pair.objects.none(), label=_("pairs"))
    term_start = forms.DateField(label=_("term start"), widget=DATE)
    term_end = forms.DateField(label=_("term end"), widget=DATE)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        from tongxin.accounts.choices import Role
        from tongxin.accounts.models import RoleAssignment, User
        from tongxin.accounts.roles import active_assignments_q

        super().__init__(*args, **kwargs)
        liaisons = RoleAssignment.objects.filter(active_assignments_q(), role=Role.LIAISON, county=campaign.county_id)
        self.fields["liaison"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, pk__in=liaisons.values("user_id")
        ).order_by("full_name", "username")
        self.fields["pairs"].queryset = campaign.pairs.filter(status=PairStatus.APPROVED).select_related(  # type: ignore[attr-defined]
            "enterprise", "village"
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


class RankFilterForm(forms.Form):
    """Search and filters of the ranking page (GET): the partners listed, never the ranking saved."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control", "placeholder": _("name or code")}),
    )
    township = BoundedModelChoiceField(
        label=_("township"),
        queryset=Township.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    industry = forms.ChoiceField(
        label=_("industry"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    km = forms.IntegerField(
        label=_("within (km)"),
        required=False,
        min_value=1,
        max_value=2000,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, county: Any, with_industry: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The townships of the campaign's county: every partner listed lies in one of them.
        self.fields["township"].queryset = Township.objects.filter(county_id=county).order_by("code")  # type: ignore[attr-defined]
        if with_industry:
            self.fields["industry"].choices = [("", "---------"), *Industry.choices]  # type: ignore[attr-defined]
        else:
            del self.fields["industry"]

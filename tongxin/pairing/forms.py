from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
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
from tongxin.pairing.models.running import RUNNING_STAGES, validate_photo_size
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


class MultipleImageInput(forms.ClearableFileInput):
    """``<input type=file multiple>``."""

    allow_multiple_selected = True


#: At most this many photos in one upload.
MAX_PHOTOS = 20


class PhotosField(forms.ImageField):
    """Several photos at once, each checked as a single photo is (an image Pillow can
    read, an image file name, at most 5 MB); every bad file is named in the error, and
    one bad file refuses them all."""

    widget = MultipleImageInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(limit)d photos at once.") % {"limit": MAX_PHOTOS})
        errors: list[str] = []
        cleaned = []
        for upload in files:
            try:
                image = super().clean(upload, initial)
                validate_photo_size(image)
            except ValidationError as exc:
                name = getattr(upload, "name", "")
                errors.extend(_("%(file)s: %(error)s") % {"file": name, "error": m} for m in exc.messages)
            else:
                cleaned.append(image)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ActivityForm(ApprovedPairsMixin, ScopedModelForm):
    """An activity; the village's confirmation is not a field (see ``activity_confirm``).

    A new activity's date defaults to today (local time) and it may bring several photos
    at once, saved with it in the same transaction (all or none)."""

    photos = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("Several images at once, at most 5 MB each."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_pairs()
        if self.instance.pk is not None:
            del self.fields["photos"]  # later photos are added on the activity's page
        else:
            self.fields["photos"].widget.attrs["accept"] = "image/*"
            if not self.is_bound and not self.initial.get("date"):
                self.initial["date"] = timezone.localdate()

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
            from tongxin.pairing.services.activities import activity_photos_add, activity_recorded

            activity_photos_add(activity=saved, images=self.cleaned_data.get("photos") or [])
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
    """A county override's pair: the enterprise and village are ids the picker found; each
    is accepted only among the candidates the picker searches (``override_candidates``),
    so an id of another county or of a non-participant is a form error."""

    enterprise = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    village = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    reason = reason_field()

    def __init__(self, *args: Any, campaign: Campaign, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign, self.user = campaign, user

    def _candidate(self, side: str, message: Any) -> int:
        from tongxin.pairing.services.review import override_candidates

        value = self.cleaned_data[side]
        if not override_candidates(self.campaign, self.user, side).filter(pk=value).exists():
            raise forms.ValidationError(message, code="not_a_candidate")
        return int(value)

    def clean_enterprise(self) -> int:
        return self._candidate("enterprise", _("Choose an enterprise taking part in this campaign."))

    def clean_village(self) -> int:
        return self._candidate("village", _("Choose a village taking part in this campaign."))


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


class LateFilterForm(forms.Form):
    """The late list's filters: one overdue period of the campaign, one township the
    person sees in the campaign's county (choices and accepted values alike)."""

    period = forms.TypedChoiceField(label=_("period"), required=False, coerce=date.fromisoformat, empty_value=None)
    township: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("township"), required=False)

    def __init__(self, *args: Any, campaign: Campaign, user: Any, due: list[date], **kwargs: Any) -> None:
        from tongxin.core.scope import VIEW, restrict
        from tongxin.regions.models import Township

        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        period.choices = [("", _("all periods"))] + [(p.isoformat(), p.strftime("%Y-%m")) for p in reversed(due)]  # type: ignore[attr-defined]
        township = self.fields["township"]
        township.queryset = restrict(Township.objects.filter(county=campaign.county_id), user, VIEW).order_by("code")  # type: ignore[attr-defined]
        township.empty_label = _("all townships")  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def chosen(self) -> list[tuple[str, str]]:
        """The filters applied, as (label, value) for the export's filter line."""
        data = self.cleaned_data if self.is_valid() else {}
        result = []
        if data.get("period"):
            result.append((str(self.fields["period"].label), data["period"].strftime("%Y-%m")))
        if data.get("township"):
            result.append((str(self.fields["township"].label), data["township"].name))
        return result


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

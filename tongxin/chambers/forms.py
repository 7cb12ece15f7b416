from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.models import User
from tongxin.chambers.choices import MemberStatus
from tongxin.chambers.models import (
    Application,
    BoardPost,
    Chamber,
    MemberActivity,
    Membership,
    MembershipLevel,
    Officer,
    RightsCase,
)
from tongxin.core.forms import NaturalKeyChoiceField, ScopedModelForm
from tongxin.enterprises.models import Enterprise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHAMBER_FIELDS = ["name", "kind", "county", "parent", "township", "industry", "origin", "uscc", "registered_on"]
CHAMBER_FIELDS += ["address", "phone"]
MEMBERSHIP_FIELDS = ["chamber", "kind", "enterprise", "name", "work_unit", "level"]


class ChamberForm(ScopedModelForm):
    class Meta:
        model = Chamber
        fields = CHAMBER_FIELDS
        widgets = {"registered_on": DATE}


class OfficerForm(ScopedModelForm):
    class Meta:
        model = Officer
        fields = ["chamber", "name", "position", "enterprise", "term_start", "term_end"]
        widgets = {"term_start": DATE, "term_end": DATE}


class MembershipLevelForm(ScopedModelForm):
    class Meta:
        model = MembershipLevel
        fields = ["chamber", "name", "rank", "yearly_dues"]


class MembershipForm(ScopedModelForm):
    """A member entered by staff (an applicant approved on paper is entered as an
    application instead); the status moves only through the lifecycle steps."""

    class Meta:
        model = Membership
        fields = MEMBERSHIP_FIELDS


class MembershipImportForm(ScopedModelForm):
    """One row of a chamber's member roster, matched by certificate number: the chamber and
    level by name, the enterprise by its credit code or name. A new row is a current member
    since the date given (today when empty); an existing member keeps their status (the
    lifecycle moves only through its steps)."""

    require_version = False

    chamber = NaturalKeyChoiceField(queryset=Chamber.objects.all(), label=_("chamber of commerce"), keys=("name",))
    enterprise = NaturalKeyChoiceField(
        queryset=Enterprise.objects.all(), label=_("enterprise"), keys=("uscc", "name"), required=False
    )
    level = NaturalKeyChoiceField(queryset=MembershipLevel.objects.all(), label=_("membership level"), keys=("name",))
    number = forms.CharField(label=_("certificate number"), max_length=32)
    joined_on = forms.DateField(label=_("member since"), required=False)

    class Meta:
        model = Membership
        fields = MEMBERSHIP_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial.setdefault("number", self.instance.number)
            self.initial.setdefault("joined_on", self.instance.joined_on)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        chamber, level = data.get("chamber"), data.get("level")
        if chamber is not None and level is not None and level.chamber_id != chamber.pk:
            # The same level name in another chamber: take this chamber's.
            same = MembershipLevel.objects.filter(chamber=chamber, name=level.name).first()
            if same is None:
                self.add_error("level", _("The level belongs to another chamber."))
            else:
                data["level"] = same
                self.instance.level = same
        return data

    def _post_clean(self) -> None:
        self.instance.number = self.cleaned_data.get("number") or self.instance.number
        if self.instance.pk is None:
            since = self.cleaned_data.get("joined_on") or timezone.localdate()
            self.instance.status = MemberStatus.CURRENT
            self.instance.joined_on = self.instance.status_since = since
        super()._post_clean()  # type: ignore[misc]

    def import_example(self) -> dict[str, Any]:
        return {"number": "330122-01-0001", "name": "", "work_unit": "", "joined_on": "2024-05-01"}


class ApplicationForm(ScopedModelForm):
    class Meta:
        model = Application
        fields = ["chamber", "kind", "enterprise", "name", "work_unit", "level", "statement", "documents"]

    def save(self, commit: bool = True) -> Any:
        if self.instance.pk is None and getattr(self.user, "pk", None) is not None:
            self.instance.submitted_by = self.user
        return super().save(commit=commit)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=MemberStatus.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=10, decimal_places=2, min_value=0)
    on = forms.DateField(label=_("Paid on"), widget=DATE)
    receipt = forms.CharField(label=_("Receipt number"), max_length=40, required=False)


class RaiseDuesForm(forms.Form):
    chamber = forms.ModelChoiceField(queryset=Chamber.objects.none(), label=_("Chamber of commerce"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


# The chamber is the member's (set from the membership).
CASE_FIELDS = ["membership", "kind", "title", "description", "amount", "counterpart"]


class RightsCaseForm(ScopedModelForm):
    """A case raised by a member (their enterprise's memberships are their choices) or
    entered by staff; the steps after that are the case page's buttons."""

    class Meta:
        model = RightsCase
        fields = CASE_FIELDS


class HandlerForm(forms.Form):
    handler = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Handler"))


class AcknowledgeForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=1000, required=False)


class ReferForm(forms.Form):
    department = forms.CharField(label=_("Department"), max_length=100)
    text = forms.CharField(label=_("Note"), max_length=1000, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Handling note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class FinishForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=500)
    recovered = forms.DecimalField(
        label=_("Amount recovered (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    resolved = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Resolved")), ("0", _("Closed without resolution"))],
        coerce=lambda value: value == "1",
        initial="1",
    )


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"), choices=[(str(n), str(n)) for n in range(5, 0, -1)], coerce=int
    )
    text = forms.CharField(label=_("Comment"), max_length=300, required=False)


class MemberActivityForm(ScopedModelForm):
    class Meta:
        model = MemberActivity
        fields = ["chamber", "kind", "title", "held_on", "place", "capacity", "signup_until", "description"]
        widgets = {"held_on": DATE, "signup_until": DATE}


class BoardPostForm(ScopedModelForm):
    """A post of a member (the chamber is the member's)."""

    class Meta:
        model = BoardPost
        fields = ["membership", "side", "topic", "title", "text", "tags", "valid_until", "closed"]
        widgets = {"valid_until": DATE, "tags": forms.CheckboxSelectMultiple}


class SignUpForm(forms.Form):
    membership = forms.ModelChoiceField(queryset=Membership.objects.none(), label=_("Member"))


class FeedbackForm(forms.Form):
    signup = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    rating = forms.TypedChoiceField(label=_("Rating"), choices=[(str(n), str(n)) for n in range(5, 0, -1)], coerce=int)
    feedback = forms.CharField(label=_("Feedback"), max_length=500, required=False)

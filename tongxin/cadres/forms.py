from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.choices import ReserveStage
from tongxin.cadres.models import Body, Person, Post, StaffingRule
from tongxin.cadres.privacy import keep_if_masked, masked
from tongxin.cadres.services.access import PURPOSE_MAX
from tongxin.core.forms import NaturalKeyChoiceField, ScopedModelForm
from tongxin.regions.models import County

PERSON_FIELDS = [
    "code",
    "name",
    "gender",
    "birth_date",
    "education",
    "expertise",
    "work_unit",
    "post",
    "rank",
    "affiliation",
    "npc_level",
    "cppcc_level",
    "status",
    "left_on",
    "county",
    "resident_id",
    "mobile",
]
IDENTIFIERS = ("resident_id", "mobile")


class MaskedIdentifiersMixin:
    """The form shows ID number and mobile masked; sending the masked value back keeps the
    stored one (a full value is never put into a page by editing it)."""

    instance: Any
    cleaned_data: dict[str, Any]
    is_bound: bool

    def mask_initial(self) -> None:
        if self.instance.pk is not None and not self.is_bound:
            for name in IDENTIFIERS:
                initial: dict[str, Any] = getattr(self, "initial")  # noqa: B009  (the form's)
                initial[name] = masked(name, getattr(self.instance, name))

    def clean_resident_id(self) -> Any:
        current = Person.objects.filter(pk=self.instance.pk).values_list("resident_id", flat=True).first()
        return keep_if_masked("resident_id", self.cleaned_data.get("resident_id"), current)

    def clean_mobile(self) -> Any:
        current = Person.objects.filter(pk=self.instance.pk).values_list("mobile", flat=True).first()
        return keep_if_masked("mobile", self.cleaned_data.get("mobile"), current) or ""


class PersonForm(MaskedIdentifiersMixin, ScopedModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mask_initial()


class PersonImportForm(ScopedModelForm):
    """One row of a roster; matched by file number."""

    require_version = False

    county = NaturalKeyChoiceField(queryset=County.objects.all(), label=_("county"))

    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def import_example(self) -> dict[str, Any]:
        """The example row of the import template."""
        return {
            "code": "330122-0001",
            "name": _("Wang Fang"),
            "birth_date": "1985-03-01",
            "expertise": _("Agronomy"),
            "work_unit": _("County agriculture bureau"),
            "post": _("Deputy director"),
            "resident_id": "",
            "mobile": "13800000000",
        }


class ExportPurposeForm(forms.Form):
    """The purpose an export of cadre files is made for (logged with it)."""

    purpose = forms.CharField(
        label=_("Purpose of this export"),
        max_length=PURPOSE_MAX,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    unmask = forms.BooleanField(
        label=_("Full ID numbers and mobiles (logged)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class BodyForm(ScopedModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "county", "township", "area"]


class PostForm(ScopedModelForm):
    class Meta:
        model = Post
        fields = ["body", "title", "role", "rank", "person", "other_holder", "start", "term_end"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "term_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class StaffingRuleForm(ScopedModelForm):
    class Meta:
        model = StaffingRule
        fields = ["name", "county", "body_kind", "mode", "minimum", "post_role", "source_document", "source_date"]
        widgets = {"source_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class StageForm(forms.Form):
    """The next step of a person in the reserve pipeline."""

    stage = forms.ChoiceField(
        label=_("stage"), choices=ReserveStage.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    note = forms.CharField(
        label=_("note"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    reason = forms.CharField(
        label=_("reason"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

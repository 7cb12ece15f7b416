from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.core.forms import ScopedModelForm
from tongxin.selection.models import (
    Category,
    Criterion,
    Deputy,
    Juror,
    Nomination,
    Objection,
    Recommendation,
    Selection,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SelectionForm(ScopedModelForm):
    class Meta:
        model = Selection
        fields = [
            "name",
            "year",
            "county",
            "description",
            "places",
            "max_per_industry",
            "min_from_townships",
            "jury_weight",
            "public_weight",
            "publicity_days",
        ]


class CategoryForm(ScopedModelForm):
    class Meta:
        model = Category
        fields = ["selection", "name"]


class CriterionForm(ScopedModelForm):
    class Meta:
        model = Criterion
        fields = ["selection", "kind", "name", "weight", "max_points"]


class JurorForm(ScopedModelForm):
    class Meta:
        model = Juror
        fields = ["selection", "user", "title"]


class DeputyForm(ScopedModelForm):
    class Meta:
        model = Deputy
        fields = ["name", "council", "level", "delegation", "county"]


class NominationForm(ScopedModelForm):
    class Meta:
        model = Nomination
        fields = [
            "selection",
            "category",
            "name",
            "post",
            "township",
            "enterprise",
            "industry",
            "channel",
            "nominator",
            "deeds",
            "revenue",
            "jobs",
            "taxes",
            "photo",
        ]
        widgets = {"photo": forms.ClearableFileInput(attrs={"accept": "image/*"})}


class RecommendationForm(ScopedModelForm):
    class Meta:
        model = Recommendation
        fields = ["nomination", "deputy", "date", "text"]
        widgets = {"date": DATE}


class ObjectionForm(ScopedModelForm):
    class Meta:
        model = Objection
        fields = ["nomination", "received", "text"]
        widgets = {"received": DATE}


# --- workflow forms (not model forms: the services judge them) ----------------------------


class CheckForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    met = forms.BooleanField(label=_("met"), required=False)
    evidence = forms.CharField(label=_("evidence"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    upheld = forms.BooleanField(label=_("upheld: take the candidate off the short list"), required=False)


class MarksForm(forms.Form):
    """One field per scoring criterion, 0 to its maximum."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（{criterion.weight}）",
                min_value=0,
                max_value=criterion.max_points,
                max_digits=5,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
            )

    def points(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "class": "form-control"}),
    )
    altcha = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "form-control"}
        ),
    )

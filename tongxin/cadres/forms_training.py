"""Forms of training (courses, enrolments, recommendations) and friend-making (leading
cadres, pairs, contacts). Ledger forms are on :class:`ScopedModelForm`; the workflow
forms feed the services of :mod:`tongxin.cadres.services.training`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.choices import COLLEGES
from tongxin.cadres.models import Course, FriendContact, FriendPair, LeadingCadre, Person, Recommendation
from tongxin.cadres.models.training import CERTIFICATE_EXTENSIONS, validate_certificate_size
from tongxin.cadres.services.training import ACTIVE, NOT_TRAINED_DEFAULT_YEARS, NOT_TRAINED_MAX_YEARS
from tongxin.core.forms import ScopedModelForm
from tongxin.core.scope import VIEW, restrict

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _text() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control"})


def _date_widgets(*names: str) -> dict[str, Any]:
    return {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in names}


class CourseForm(ScopedModelForm):
    class Meta:
        model = Course
        fields = ["name", "kind", "organiser", "county", "start", "end", "hours", "place"]
        widgets = _date_widgets("start", "end")


class RecommendationForm(ScopedModelForm):
    class Meta:
        model = Recommendation
        fields = ["person", "college", "date", "recommended_by", "outcome", "note"]
        widgets = _date_widgets("date")


class LeadingCadreForm(ScopedModelForm):
    class Meta:
        model = LeadingCadre
        fields = ["name", "post", "unit", "county", "active"]


class FriendPairForm(ScopedModelForm):
    class Meta:
        model = FriendPair
        fields = ["leader", "person", "frequency", "since", "ended"]
        widgets = _date_widgets("since", "ended")


class FriendContactForm(ScopedModelForm):
    # A pair is named by its leader and person: read along (one query for the choices).
    pair = forms.ModelChoiceField(queryset=FriendPair.objects.select_related("leader", "person"), label=_("pair"))

    class Meta:
        model = FriendContact
        fields = ["pair", "date", "form", "topics", "concerns", "follow_up", "follow_up_owner", "follow_up_done"]
        widgets = {**_date_widgets("date"), "concerns": forms.Textarea(attrs={"rows": 3})}


class EnrolForm(forms.Form):
    """Enrol a person of the course's county (serving or reserve, not enrolled yet)."""

    person = forms.ModelChoiceField(
        label=_("person"), queryset=Person.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, user: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(county_id=course.county_id, status__in=ACTIVE).exclude(enrolments__course=course)
        field: Any = self.fields["person"]
        field.queryset = restrict(people, user, VIEW).order_by("code", "pk")


class AttendForm(forms.Form):
    hours = forms.DecimalField(
        label=_("hours attended"),
        min_value=Decimal("0"),
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )


class CompleteForm(forms.Form):
    on = forms.DateField(label=_("completed on"), widget=DATE)
    certificate_number = forms.CharField(label=_("certificate number"), max_length=50, required=False, widget=_text())
    certificate_date = forms.DateField(label=_("certificate date"), required=False, widget=DATE)
    certificate_file = forms.FileField(
        label=_("certificate file"),
        required=False,
        validators=[FileExtensionValidator(list(CERTIFICATE_EXTENSIONS)), validate_certificate_size],
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class RecommendForm(forms.Form):
    college = forms.ChoiceField(
        label=_("college"),
        choices=[(c.value, c.label) for c in COLLEGES],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    on = forms.DateField(label=_("date"), widget=DATE)
    recommended_by = forms.CharField(label=_("recommended by"), max_length=100, widget=_text())
    note = forms.CharField(label=_("note"), max_length=300, required=False, widget=_text())


class YearsForm(forms.Form):
    """``?years=N`` of the "not trained" list (default 3)."""

    years = forms.IntegerField(
        label=_("not trained in the last … years"),
        min_value=1,
        max_value=NOT_TRAINED_MAX_YEARS,
        required=False,
        initial=NOT_TRAINED_DEFAULT_YEARS,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class YearForm(forms.Form):
    """``?year=YYYY`` of the hours page (default this year)."""

    year = forms.IntegerField(
        label=_("year"),
        min_value=1950,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

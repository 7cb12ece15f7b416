from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.choices import (
    AccessKind,
    Affiliation,
    BodyKind,
    Education,
    Gender,
    PersonStatus,
    PostRole,
    RankLevel,
)
from tongxin.cadres.models import AccessLog, Body, Person, Post, StaffingRule
from tongxin.core.filtersets import ScopedFilterSet
from tongxin.regions.models import County


class PersonFilterSet(ScopedFilterSet):
    county = django_filters.ModelMultipleChoiceFilter(queryset=County.objects.all(), label=_("county"))
    affiliation = django_filters.MultipleChoiceFilter(choices=Affiliation.choices, label=_("affiliation"))
    status = django_filters.MultipleChoiceFilter(choices=PersonStatus.choices, label=_("status"))
    rank = django_filters.MultipleChoiceFilter(choices=RankLevel.choices, label=_("rank level"))
    education = django_filters.MultipleChoiceFilter(choices=Education.choices, label=_("education"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("gender"))
    born_after = django_filters.DateFilter(field_name="birth_date", lookup_expr="gte", label=_("born on or after"))
    review_due = django_filters.BooleanFilter(method="filter_review_due", label=_("yearly review due"))

    class Meta:
        model = Person
        fields = ["county", "affiliation", "status", "rank", "education", "gender"]
        # Never the ID number or the mobile: a search must not confirm an identifier.
        search_fields = ["name", "code", "work_unit", "expertise"]

    def filter_review_due(self, queryset: Any, name: str, value: Any) -> Any:
        from tongxin.cadres.services.reviews import reviews_due

        if value is None:
            return queryset
        due = reviews_due(queryset.model.objects.all(), timezone.localdate()).values("pk")
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)


class AccessLogFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=AccessKind.choices, label=_("kind"))
    # Readers by name (cadre officers may not list the accounts): the user name as logged.
    reader = django_filters.CharFilter(
        field_name="user_name", lookup_expr="icontains", label=_("reader"), max_length=150
    )
    user = django_filters.NumberFilter(field_name="user_id", label=_("reader (account number)"), min_value=1)
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(),
        label=_("person"),
        widget=forms.NumberInput(attrs={"min": 1, "placeholder": _("No.")}),
    )
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("from"))
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("until"))

    class Meta:
        model = AccessLog
        fields = ["kind", "reader", "user", "person"]
        search_fields = ["user_name", "person__name", "purpose"]


class BodyFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=BodyKind.choices, label=_("kind"))

    class Meta:
        model = Body
        fields = ["kind"]
        search_fields = ["name", "area"]


class PostFilterSet(ScopedFilterSet):
    body = django_filters.ModelChoiceFilter(queryset=Body.objects.all(), label=_("body"))
    role = django_filters.MultipleChoiceFilter(choices=PostRole.choices, label=_("role"))
    vacant = django_filters.BooleanFilter(method="filter_vacant", label=_("vacant"))

    class Meta:
        model = Post
        fields = ["body", "role"]
        search_fields = ["title", "body__name"]

    def filter_vacant(self, queryset: Any, name: str, value: Any) -> Any:
        if value is None:
            return queryset
        empty = Q(person__isnull=True, other_holder="")
        return queryset.filter(empty) if value else queryset.exclude(empty)


class StaffingRuleFilterSet(ScopedFilterSet):
    body_kind = django_filters.MultipleChoiceFilter(choices=BodyKind.choices, label=_("kind of body"))

    class Meta:
        model = StaffingRule
        fields = ["body_kind"]
        search_fields = ["name", "source_document"]

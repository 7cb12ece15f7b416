"""Filters of the training and friend-making ledgers."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.choices import (
    ContactForm,
    ContactFrequency,
    CourseKind,
    EnrolmentStatus,
    RecommendationOutcome,
)
from tongxin.cadres.models import Course, Enrolment, FriendContact, FriendPair, LeadingCadre, Recommendation
from tongxin.core.filtersets import ScopedFilterSet


class CourseFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=CourseKind.choices, label=_("kind"))
    since = django_filters.DateFilter(field_name="start", lookup_expr="gte", label=_("starts on or after"))
    until = django_filters.DateFilter(field_name="start", lookup_expr="lte", label=_("starts on or before"))

    class Meta:
        model = Course
        fields = ["kind"]
        search_fields = ["name", "organiser", "place"]


class EnrolmentFilterSet(ScopedFilterSet):
    course = django_filters.ModelChoiceFilter(queryset=Course.objects.all(), label=_("course"))
    status = django_filters.MultipleChoiceFilter(choices=EnrolmentStatus.choices, label=_("status"))

    class Meta:
        model = Enrolment
        fields = ["course", "status"]
        search_fields = ["person__name", "course__name", "certificate_number"]


class RecommendationFilterSet(ScopedFilterSet):
    outcome = django_filters.MultipleChoiceFilter(choices=RecommendationOutcome.choices, label=_("outcome"))

    class Meta:
        model = Recommendation
        fields = ["outcome"]
        search_fields = ["person__name", "recommended_by"]


class LeadingCadreFilterSet(ScopedFilterSet):
    active = django_filters.BooleanFilter(label=_("in office"))

    class Meta:
        model = LeadingCadre
        fields = ["active"]
        search_fields = ["name", "post", "unit"]


class FriendPairFilterSet(ScopedFilterSet):
    leader = django_filters.ModelChoiceFilter(queryset=LeadingCadre.objects.all(), label=_("leading cadre"))
    frequency = django_filters.MultipleChoiceFilter(choices=ContactFrequency.choices, label=_("contact at least"))

    class Meta:
        model = FriendPair
        fields = ["leader", "frequency"]
        search_fields = ["leader__name", "person__name"]


class FriendContactFilterSet(ScopedFilterSet):
    pair = django_filters.ModelChoiceFilter(
        queryset=FriendPair.objects.select_related("leader", "person"), label=_("pair")
    )
    form = django_filters.MultipleChoiceFilter(choices=ContactForm.choices, label=_("form"))
    follow_up_done = django_filters.BooleanFilter(label=_("follow-up done"))
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = FriendContact
        fields = ["pair", "form", "follow_up_done"]
        search_fields = ["topics", "pair__leader__name", "pair__person__name", "follow_up_owner"]

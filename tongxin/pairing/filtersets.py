import django_filters
from django.utils.translation import gettext_lazy as _

from tongxin.core.filtersets import ScopedFilterSet
from tongxin.pairing.choices import FIT_POINTS, ActivityHead, Mode, PairStatus, ReportStatus, Stage, SupportKind
from tongxin.pairing.models import (
    Activity,
    Campaign,
    Decision,
    GroupMember,
    JointMeeting,
    LeadingGroup,
    LiaisonAppointment,
    Pair,
    Report,
    Support,
)
from tongxin.regions.models import Township


def pair_filter() -> django_filters.ModelChoiceFilter:
    """Choose a pair; its label needs the enterprise and village, fetched in the same query."""
    return django_filters.ModelChoiceFilter(
        queryset=Pair.objects.select_related("enterprise", "village"), label=_("pair")
    )


class LeadingGroupFilterSet(ScopedFilterSet):
    class Meta:
        model = LeadingGroup
        fields = ["township"]
        search_fields = ["name"]


class GroupMemberFilterSet(ScopedFilterSet):
    class Meta:
        model = GroupMember
        fields = ["group", "role"]
        search_fields = ["name", "post", "department"]


class JointMeetingFilterSet(ScopedFilterSet):
    class Meta:
        model = JointMeeting
        fields = ["group"]
        search_fields = ["title", "minutes"]


class DecisionFilterSet(ScopedFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    class Meta:
        model = Decision
        fields = ["done"]
        search_fields = ["text", "owner"]

    def filter_overdue(self, queryset, name, value):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        today = timezone.localdate()
        return (
            queryset.filter(done=False, due_date__lt=today)
            if value
            else queryset.exclude(done=False, due_date__lt=today)
        )


class CampaignFilterSet(ScopedFilterSet):
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("stage"))

    class Meta:
        model = Campaign
        fields = ["year", "stage"]
        search_fields = ["name"]


class PairFilterSet(ScopedFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PairStatus.choices, label=_("status"))
    township = django_filters.ModelMultipleChoiceFilter(queryset=Township.objects.all(), label=_("township"))
    mode = django_filters.MultipleChoiceFilter(
        field_name="plan__mode", choices=Mode.choices, label=_("cooperation mode")
    )

    class Meta:
        model = Pair
        fields = ["campaign", "status", "origin", "township"]
        search_fields = ["enterprise__name", "village__name"]


class LiaisonAppointmentFilterSet(ScopedFilterSet):
    term_end_after = django_filters.DateFilter(field_name="term_end", lookup_expr="gte", label=_("term ends from"))
    term_end_before = django_filters.DateFilter(field_name="term_end", lookup_expr="lte", label=_("term ends by"))

    class Meta:
        model = LiaisonAppointment
        fields = ["campaign"]
        search_fields = ["liaison__full_name", "liaison__username"]


class ActivityFilterSet(ScopedFilterSet):
    pair = pair_filter()
    head = django_filters.MultipleChoiceFilter(choices=ActivityHead.choices, label=_("head"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))

    class Meta:
        model = Activity
        fields = ["pair", "head", "confirmed_by_village"]
        search_fields = ["title", "description", "pair__enterprise__name", "pair__village__name"]


class SupportFilterSet(ScopedFilterSet):
    pair = pair_filter()
    kind = django_filters.MultipleChoiceFilter(choices=SupportKind.choices, label=_("kind"))

    class Meta:
        model = Support
        fields = ["pair", "kind"]
        search_fields = ["description"]


class ReportFilterSet(ScopedFilterSet):
    pair = pair_filter()
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("status"))
    township = django_filters.ModelMultipleChoiceFilter(
        field_name="pair__township", queryset=Township.objects.all(), label=_("township")
    )

    class Meta:
        model = Report
        fields = ["pair", "period", "status", "township"]
        search_fields = ["narrative", "pair__enterprise__name", "pair__village__name"]


class RunProposalFilterSet(ScopedFilterSet):
    """The proposals of one match run: township, status, fit score range (on the 0–100
    scale people read; stored on 0–1) and text (enterprise or village)."""

    status = django_filters.MultipleChoiceFilter(choices=PairStatus.choices, label=_("status"))
    township = django_filters.ModelMultipleChoiceFilter(queryset=Township.objects.all(), label=_("township"))
    score_min = django_filters.NumberFilter(
        field_name="fit_score", method="filter_from", label=_("fit from (0–100)"), min_value=0, max_value=100
    )
    score_max = django_filters.NumberFilter(
        field_name="fit_score", method="filter_to", label=_("fit up to (0–100)"), min_value=0, max_value=100
    )

    class Meta:
        model = Pair
        fields = ["status", "township"]
        search_fields = ["enterprise__name", "village__name"]

    def filter_from(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(fit_score__gte=float(value) / FIT_POINTS)

    def filter_to(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(fit_score__lte=float(value) / FIT_POINTS)

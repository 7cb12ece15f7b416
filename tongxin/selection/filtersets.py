import django_filters
from django.utils.translation import gettext_lazy as _

from tongxin.core.filtersets import ScopedFilterSet
from tongxin.enterprises.choices import Industry
from tongxin.selection.choices import Channel, Council, CouncilLevel, CriterionKind, NominationStatus, Stage
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


class SelectionFilterSet(ScopedFilterSet):
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("stage"))

    class Meta:
        model = Selection
        fields = ["stage", "year"]
        search_fields = ["name"]


class _BySelection(ScopedFilterSet):
    selection = django_filters.ModelChoiceFilter(queryset=Selection.objects.all(), label=_("selection"))


class CategoryFilterSet(_BySelection):
    class Meta:
        model = Category
        fields = ["selection"]
        search_fields = ["name"]


class CriterionFilterSet(_BySelection):
    kind = django_filters.ChoiceFilter(choices=CriterionKind.choices, label=_("kind"))

    class Meta:
        model = Criterion
        fields = ["selection", "kind"]
        search_fields = ["name"]


class JurorFilterSet(_BySelection):
    class Meta:
        model = Juror
        fields = ["selection"]
        search_fields = ["user__full_name", "title"]


class DeputyFilterSet(ScopedFilterSet):
    council = django_filters.ChoiceFilter(choices=Council.choices, label=_("body"))
    level = django_filters.MultipleChoiceFilter(choices=CouncilLevel.choices, label=_("level"))

    class Meta:
        model = Deputy
        fields = ["council", "level"]
        search_fields = ["name", "delegation"]


class NominationFilterSet(_BySelection):
    status = django_filters.MultipleChoiceFilter(choices=NominationStatus.choices, label=_("status"))
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, label=_("channel"))
    industry = django_filters.MultipleChoiceFilter(choices=Industry.choices, label=_("industry"))

    class Meta:
        model = Nomination
        fields = ["selection", "status", "channel", "industry"]
        search_fields = ["name", "nominator", "enterprise__name"]


class RecommendationFilterSet(ScopedFilterSet):
    deputy__council = django_filters.ChoiceFilter(choices=Council.choices, label=_("body"))

    class Meta:
        model = Recommendation
        fields = ["deputy__council"]
        search_fields = ["nomination__name", "deputy__name"]


class ObjectionFilterSet(ScopedFilterSet):
    answered = django_filters.BooleanFilter(
        field_name="answered_at", lookup_expr="isnull", exclude=True, label=_("answered")
    )

    class Meta:
        model = Objection
        fields = ["answered"]
        search_fields = ["nomination__name", "text"]

import django_filters
from django.utils.translation import gettext_lazy as _

from tongxin.core.filtersets import ADVANTAGE, NEED, ScopedFilterSet, capability_filter
from tongxin.regions.choices import TownshipKind, UrbanRural, VillageKind
from tongxin.regions.models import Township, Village


class TownshipFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=TownshipKind.choices, label=_("kind"))

    class Meta:
        model = Township
        fields = ["kind"]
        search_fields = ["name", "code"]


class VillageFilterSet(ScopedFilterSet):
    township = django_filters.ModelMultipleChoiceFilter(queryset=Township.objects.all(), label=_("township"))
    kind = django_filters.MultipleChoiceFilter(choices=VillageKind.choices, label=_("kind"))
    urban_rural = django_filters.MultipleChoiceFilter(choices=UrbanRural.choices, label=_("urban–rural code"))
    needs = capability_filter(NEED, _("weak links / needs"))
    advantages = capability_filter(ADVANTAGE, _("development advantages"))
    population_min = django_filters.NumberFilter(field_name="population", lookup_expr="gte", label=_("population ≥"))
    income_max = django_filters.NumberFilter(
        field_name="per_capita_income", lookup_expr="lte", label=_("per-capita income ≤")
    )

    class Meta:
        model = Village
        fields = ["township", "kind", "urban_rural", "needs", "advantages"]
        search_fields = ["name", "code", "industries"]

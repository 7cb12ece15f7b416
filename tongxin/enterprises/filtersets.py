import django_filters
from django.utils.translation import gettext_lazy as _

from tongxin.core.filtersets import NEED, ScopedFilterSet, capability_filter
from tongxin.enterprises.choices import Industry, Size
from tongxin.enterprises.models import Enterprise
from tongxin.regions.models import Township


class EnterpriseFilterSet(ScopedFilterSet):
    township = django_filters.ModelMultipleChoiceFilter(queryset=Township.objects.all(), label=_("township"))
    industry = django_filters.MultipleChoiceFilter(choices=Industry.choices, label=_("industry"))
    size = django_filters.MultipleChoiceFilter(choices=Size.choices, label=_("size"))
    offers = capability_filter(NEED, _("can offer"))
    has_party_org = django_filters.BooleanFilter(label=_("has a party organisation"))
    employees_min = django_filters.NumberFilter(field_name="employees", lookup_expr="gte", label=_("employees ≥"))

    class Meta:
        model = Enterprise
        fields = ["township", "industry", "size", "offers", "has_party_org"]
        search_fields = ["name", "uscc", "contact_name"]

import django_filters
from django.utils.translation import gettext_lazy as _

from tongxin.core.filtersets import ScopedFilterSet
from tongxin.regions.models import Township
from tongxin.surveys.choices import SurveyKind
from tongxin.surveys.models import Survey


class SurveyFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SurveyKind.choices, label=_("method"))
    township = django_filters.ModelMultipleChoiceFilter(queryset=Township.objects.all(), label=_("township"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))
    subject = django_filters.ChoiceFilter(
        choices=[("village", _("Villages")), ("enterprise", _("Enterprises"))],
        method="filter_subject",
        label=_("subject"),
    )

    class Meta:
        model = Survey
        fields = ["kind", "township", "village", "enterprise"]
        search_fields = ["findings", "surveyors", "village__name", "enterprise__name"]

    def filter_subject(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(**{f"{value}__isnull": False})

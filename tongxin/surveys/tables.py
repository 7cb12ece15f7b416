import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.core.tables import ScopedTable
from tongxin.surveys.models import Survey


class SurveyTable(ScopedTable):
    date = tables.DateColumn(linkify=True, format="Y-m-d")
    subject = tables.Column(verbose_name=_("subject"), accessor="subject", orderable=False)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")

    class Meta(ScopedTable.Meta):
        model = Survey
        fields = ("date", "kind", "subject", "township", "surveyors", "findings")

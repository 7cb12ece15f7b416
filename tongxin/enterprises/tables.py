import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.core import units
from tongxin.core.tables import CapabilityColumn, QuantityColumn, ScopedTable
from tongxin.enterprises.models import Enterprise


class EnterpriseTable(ScopedTable):
    name = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")
    offers = CapabilityColumn(verbose_name=_("can offer"))
    has_party_org = tables.BooleanColumn(verbose_name=_("has a party organisation"))
    revenue = QuantityColumn(number_format=units.MONEY)

    class Meta(ScopedTable.Meta):
        model = Enterprise
        fields = (
            "uscc",
            "name",
            "township",
            "industry",
            "size",
            "employees",
            "revenue",
            "has_party_org",
            "offers",
            "contact_name",
            "contact_mobile",
        )

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.core import units
from tongxin.core.tables import CapabilityColumn, QuantityColumn, ScopedTable
from tongxin.regions.models import Township, Village


class TownshipTable(ScopedTable):
    name = tables.Column(linkify=True)
    village_count = QuantityColumn(_("villages"), orderable=True)

    class Meta(ScopedTable.Meta):
        model = Township
        fields = ("code", "name", "kind", "village_count", "latitude", "longitude")


class VillageTable(ScopedTable):
    name = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")
    needs = CapabilityColumn(verbose_name=_("weak links / needs"))
    advantages = CapabilityColumn(verbose_name=_("development advantages"))
    population = QuantityColumn(_("population"), unit=units.PERSONS)
    per_capita_income = QuantityColumn(number_format=units.MONEY)
    collective_income = QuantityColumn(number_format=units.MONEY)

    class Meta(ScopedTable.Meta):
        model = Village
        fields = (
            "code",
            "name",
            "township",
            "kind",
            "urban_rural",
            "population",
            "households",
            "area_km2",
            "per_capita_income",
            "collective_income",
            "industries",
            "needs",
            "advantages",
            "party_secretary",
            "party_members",
        )

from django.db.models import Count

from tongxin.core.ledgers import Ledger, register
from tongxin.regions.filtersets import TownshipFilterSet, VillageFilterSet
from tongxin.regions.forms import TownshipForm, VillageForm, VillageImportForm
from tongxin.regions.models import Township, Village
from tongxin.regions.tables import TownshipTable, VillageTable

townships = register(
    Ledger(
        model=Township,
        filterset=TownshipFilterSet,
        table=TownshipTable,
        form=TownshipForm,
        select_related=("county",),
        annotate=lambda qs: qs.annotate(village_count=Count("villages")),
        search_fields=("name", "code"),
        icon="map",
    )
)
villages = register(
    Ledger(
        model=Village,
        filterset=VillageFilterSet,
        table=VillageTable,
        form=VillageForm,
        import_form=VillageImportForm,
        key_field="code",
        select_related=("township",),
        prefetch_related=("needs", "advantages"),
        search_fields=("name", "code"),
        icon="home",
    )
)

from tongxin.core.ledgers import Ledger, register
from tongxin.enterprises.filtersets import EnterpriseFilterSet
from tongxin.enterprises.forms import EnterpriseForm, EnterpriseImportForm
from tongxin.enterprises.models import Enterprise
from tongxin.enterprises.tables import EnterpriseTable

enterprises = register(
    Ledger(
        model=Enterprise,
        filterset=EnterpriseFilterSet,
        table=EnterpriseTable,
        form=EnterpriseForm,
        import_form=EnterpriseImportForm,
        key_field="uscc",
        select_related=("township",),
        prefetch_related=("offers",),
        search_fields=("name", "uscc"),
        icon="building-factory",
    )
)

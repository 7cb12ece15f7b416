from tongxin.cadres.filtersets import AccessLogFilterSet, PersonFilterSet
from tongxin.cadres.forms import PersonForm, PersonImportForm
from tongxin.cadres.models import AccessLog, Person
from tongxin.cadres.tables import AccessLogTable, PersonTable
from tongxin.core.ledgers import Ledger, register

people = register(
    Ledger(
        model=Person,
        filterset=PersonFilterSet,
        table=PersonTable,
        form=PersonForm,
        import_form=PersonImportForm,
        key_field="code",
        select_related=("county",),
        # Not in the site-wide search: a person's file is opened from this ledger only,
        # where the read is logged.
        search_fields=(),
        icon="id-badge-2",
        group="cadres",
    )
)

access_log = register(
    Ledger(
        model=AccessLog,
        filterset=AccessLogFilterSet,
        table=AccessLogTable,
        select_related=("person",),
        icon="eye-check",
        group="cadres",
    )
)

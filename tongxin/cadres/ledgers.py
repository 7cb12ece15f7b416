from tongxin.cadres.filtersets import (
    AccessLogFilterSet,
    BodyFilterSet,
    PersonFilterSet,
    PostFilterSet,
    StaffingRuleFilterSet,
)
from tongxin.cadres.forms import BodyForm, PersonForm, PersonImportForm, PostForm, StaffingRuleForm
from tongxin.cadres.models import AccessLog, Body, Person, Post, StaffingRule
from tongxin.cadres.tables import AccessLogTable, BodyTable, PersonTable, PostTable, StaffingRuleTable
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

bodies = register(
    Ledger(
        model=Body,
        filterset=BodyFilterSet,
        table=BodyTable,
        form=BodyForm,
        select_related=("county", "township"),
        search_fields=(),
        icon="building-community",
        group="cadres",
    )
)

posts = register(
    Ledger(
        model=Post,
        filterset=PostFilterSet,
        table=PostTable,
        form=PostForm,
        select_related=("body", "person"),
        search_fields=(),
        icon="armchair",
        group="cadres",
    )
)

rules = register(
    Ledger(
        model=StaffingRule,
        filterset=StaffingRuleFilterSet,
        table=StaffingRuleTable,
        form=StaffingRuleForm,
        search_fields=(),
        icon="scale",
        group="cadres",
    )
)

from tongxin.cadres import ledgers_training  # noqa: E402, F401  (training and friend-making)

from tongxin.chambers.filtersets import (
    ApplicationFilterSet,
    BoardPostFilterSet,
    ChamberFilterSet,
    DuesFilterSet,
    MemberActivityFilterSet,
    MembershipFilterSet,
    MembershipLevelFilterSet,
    OfficerFilterSet,
    RightsCaseFilterSet,
)
from tongxin.chambers.forms import (
    ApplicationForm,
    BoardPostForm,
    ChamberForm,
    MemberActivityForm,
    MembershipForm,
    MembershipImportForm,
    MembershipLevelForm,
    OfficerForm,
    RightsCaseForm,
)
from tongxin.chambers.models import (
    Application,
    BoardPost,
    Chamber,
    Dues,
    MemberActivity,
    Membership,
    MembershipLevel,
    Officer,
    RightsCase,
)
from tongxin.chambers.tables import (
    ApplicationTable,
    BoardPostTable,
    ChamberTable,
    DuesTable,
    MemberActivityTable,
    MembershipLevelTable,
    MembershipTable,
    OfficerTable,
    RightsCaseTable,
)
from tongxin.core.ledgers import Ledger, register

chambers = register(
    Ledger(
        model=Chamber,
        filterset=ChamberFilterSet,
        table=ChamberTable,
        form=ChamberForm,
        key_field="uscc",
        select_related=("county", "parent", "township"),
        search_fields=("name", "uscc"),
        icon="building-bank",
        group="chambers",
    )
)

officers = register(
    Ledger(
        model=Officer,
        filterset=OfficerFilterSet,
        table=OfficerTable,
        form=OfficerForm,
        select_related=("chamber", "enterprise"),
        icon="user-star",
        group="chambers",
    )
)

levels = register(
    Ledger(
        model=MembershipLevel,
        filterset=MembershipLevelFilterSet,
        table=MembershipLevelTable,
        form=MembershipLevelForm,
        select_related=("chamber",),
        icon="stairs",
        group="chambers",
    )
)

memberships = register(
    Ledger(
        model=Membership,
        filterset=MembershipFilterSet,
        table=MembershipTable,
        form=MembershipForm,
        import_form=MembershipImportForm,
        key_field="number",
        select_related=("chamber", "enterprise", "level"),
        search_fields=("name", "enterprise__name", "number"),
        icon="users-group",
        group="chambers",
    )
)

applications = register(
    Ledger(
        model=Application,
        filterset=ApplicationFilterSet,
        table=ApplicationTable,
        form=ApplicationForm,
        select_related=("chamber", "enterprise", "level"),
        icon="file-plus",
        group="chambers",
    )
)

dues = register(
    Ledger(
        model=Dues,
        filterset=DuesFilterSet,
        table=DuesTable,
        select_related=("membership__chamber", "membership__enterprise"),
        icon="coin-yuan",
        group="chambers",
    )
)

cases = register(
    Ledger(
        model=RightsCase,
        filterset=RightsCaseFilterSet,
        table=RightsCaseTable,
        form=RightsCaseForm,
        select_related=("chamber", "membership__enterprise"),
        # Not in the site-wide search: case details are for the member, the chamber and the county.
        search_fields=(),
        icon="shield-check",
        group="chambers",
    )
)

activities = register(
    Ledger(
        model=MemberActivity,
        filterset=MemberActivityFilterSet,
        table=MemberActivityTable,
        form=MemberActivityForm,
        select_related=("chamber",),
        search_fields=("title",),
        icon="calendar-event",
        group="chambers",
    )
)

board = register(
    Ledger(
        model=BoardPost,
        filterset=BoardPostFilterSet,
        table=BoardPostTable,
        form=BoardPostForm,
        select_related=("chamber", "membership__enterprise"),
        search_fields=("title",),
        icon="arrows-exchange",
        group="chambers",
    )
)

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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
from tongxin.core.tables import ScopedTable

CHAMBER = {"verbose_name": _("chamber of commerce"), "accessor": "chamber__name", "order_by": "chamber__name"}


class ChamberTable(ScopedTable):
    name = tables.Column(linkify=True)
    parent = tables.Column(verbose_name=_("parent chamber"), accessor="parent__name", order_by="parent__name")
    county = tables.Column(verbose_name=_("county"), accessor="county__name", order_by="county__code")
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")

    class Meta(ScopedTable.Meta):
        model = Chamber
        fields = ("name", "kind", "parent", "county", "township", "industry", "origin", "uscc", "registered_on")


class OfficerTable(ScopedTable):
    name = tables.Column(linkify=True)
    chamber = tables.Column(**CHAMBER)
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="enterprise__name")

    class Meta(ScopedTable.Meta):
        model = Officer
        fields = ("chamber", "position", "name", "enterprise", "term_start", "term_end")


class MembershipLevelTable(ScopedTable):
    name = tables.Column(linkify=True)
    chamber = tables.Column(**CHAMBER)

    class Meta(ScopedTable.Meta):
        model = MembershipLevel
        fields = ("chamber", "rank", "name", "yearly_dues")


class MembershipTable(ScopedTable):
    member = tables.Column(
        verbose_name=_("member"), accessor="member_name", linkify=True, order_by=("enterprise__name", "name")
    )
    chamber = tables.Column(**CHAMBER)
    level = tables.Column(verbose_name=_("membership level"), accessor="level__name", order_by="level__rank")

    class Meta(ScopedTable.Meta):
        model = Membership
        fields = ("member", "chamber", "kind", "level", "status", "joined_on", "status_since", "number")


class ApplicationTable(ScopedTable):
    applicant = tables.Column(
        verbose_name=_("applicant"), accessor="pk", linkify=True, order_by=("enterprise__name", "name")
    )
    chamber = tables.Column(**CHAMBER)
    level = tables.Column(verbose_name=_("level applied for"), accessor="level__name", order_by="level__rank")

    class Meta(ScopedTable.Meta):
        model = Application
        fields = ("applicant", "chamber", "kind", "level", "status", "submitted_on", "decided_on", "reason")

    def render_applicant(self, record: Application) -> str:
        return record.enterprise.name if record.enterprise is not None else record.name

    def value_applicant(self, record: Application) -> str:
        return self.render_applicant(record)


class DuesTable(ScopedTable):
    membership = tables.Column(
        verbose_name=_("membership"), accessor="membership__member_name", linkify=True, order_by="membership__name"
    )
    chamber = tables.Column(
        **{**CHAMBER, "accessor": "membership__chamber__name", "order_by": "membership__chamber__name"}
    )

    class Meta(ScopedTable.Meta):
        model = Dues
        fields = ("membership", "chamber", "year", "amount", "due_on", "paid_on", "paid_amount", "receipt")


class RightsCaseTable(ScopedTable):
    title = tables.Column(linkify=True)
    chamber = tables.Column(**CHAMBER)
    member = tables.Column(verbose_name=_("member"), accessor="membership__member_name", order_by="membership__name")

    class Meta(ScopedTable.Meta):
        model = RightsCase
        fields = (
            "title",
            "chamber",
            "member",
            "kind",
            "status",
            "received_on",
            "acknowledge_due",
            "resolve_due",
            "finished_on",
            "amount",
            "recovered",
            "satisfaction",
        )


class MemberActivityTable(ScopedTable):
    title = tables.Column(linkify=True)
    chamber = tables.Column(**CHAMBER)

    class Meta(ScopedTable.Meta):
        model = MemberActivity
        fields = ("title", "chamber", "kind", "held_on", "place", "capacity", "signup_until")


class BoardPostTable(ScopedTable):
    title = tables.Column(linkify=True)
    chamber = tables.Column(**CHAMBER)
    member = tables.Column(verbose_name=_("member"), accessor="membership__member_name", order_by="membership__name")

    class Meta(ScopedTable.Meta):
        model = BoardPost
        fields = ("title", "chamber", "member", "side", "topic", "valid_until", "closed")

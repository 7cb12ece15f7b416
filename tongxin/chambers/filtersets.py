import django_filters
from django.utils.translation import gettext_lazy as _

from tongxin.chambers.choices import (
    ActivityKind,
    ApplicationStatus,
    CaseKind,
    CaseStatus,
    ChamberKind,
    MemberKind,
    MemberStatus,
    OfficerPosition,
    PostSide,
    PostTopic,
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
from tongxin.core.filtersets import ScopedFilterSet
from tongxin.enterprises.choices import Industry


class ChamberFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ChamberKind.choices, label=_("kind"))
    parent = django_filters.ModelChoiceFilter(queryset=Chamber.objects.all(), label=_("parent chamber"))

    class Meta:
        model = Chamber
        fields = ["kind", "parent"]
        search_fields = ["name", "uscc", "origin"]


class OfficerFilterSet(ScopedFilterSet):
    chamber = django_filters.ModelChoiceFilter(queryset=Chamber.objects.all(), label=_("chamber of commerce"))
    position = django_filters.MultipleChoiceFilter(choices=OfficerPosition.choices, label=_("position"))
    term_end_after = django_filters.DateFilter(
        field_name="term_end", lookup_expr="gte", label=_("term ends on or after")
    )

    class Meta:
        model = Officer
        fields = ["chamber", "position"]
        search_fields = ["name", "enterprise__name"]


class MembershipLevelFilterSet(ScopedFilterSet):
    chamber = django_filters.ModelChoiceFilter(queryset=Chamber.objects.all(), label=_("chamber of commerce"))

    class Meta:
        model = MembershipLevel
        fields = ["chamber"]
        search_fields = ["name"]


class MembershipFilterSet(ScopedFilterSet):
    chamber = django_filters.ModelChoiceFilter(queryset=Chamber.objects.all(), label=_("chamber of commerce"))
    kind = django_filters.ChoiceFilter(choices=MemberKind.choices, label=_("kind of member"))
    status = django_filters.MultipleChoiceFilter(choices=MemberStatus.choices, label=_("status"))
    industry = django_filters.MultipleChoiceFilter(
        field_name="enterprise__industry", choices=Industry.choices, label=_("industry")
    )
    joined_after = django_filters.DateFilter(
        field_name="joined_on", lookup_expr="gte", label=_("member since on or after")
    )

    class Meta:
        model = Membership
        fields = ["chamber", "kind", "status"]
        search_fields = ["name", "enterprise__name", "number"]


class ApplicationFilterSet(ScopedFilterSet):
    chamber = django_filters.ModelChoiceFilter(queryset=Chamber.objects.all(), label=_("chamber of commerce"))
    status = django_filters.MultipleChoiceFilter(choices=ApplicationStatus.choices, label=_("status"))

    class Meta:
        model = Application
        fields = ["chamber", "status"]
        search_fields = ["name", "enterprise__name"]


class DuesFilterSet(ScopedFilterSet):
    chamber = django_filters.ModelChoiceFilter(
        field_name="membership__chamber", queryset=Chamber.objects.all(), label=_("chamber of commerce")
    )
    year = django_filters.NumberFilter(label=_("year"))
    state = django_filters.ChoiceFilter(
        method="filter_state",
        label=_("payment"),
        choices=[("paid", _("Paid")), ("due", _("Due")), ("overdue", _("Overdue"))],
    )

    class Meta:
        model = Dues
        fields = ["chamber", "year"]
        search_fields = ["membership__name", "membership__enterprise__name", "receipt"]

    def filter_state(self, queryset, name, value):  # type: ignore[no-untyped-def]
        from tongxin.chambers.services.dues import unpaid_q

        if value == "paid":
            return queryset.filter(paid_on__isnull=False)
        if value in ("due", "overdue"):
            return queryset.filter(unpaid_q(overdue=value == "overdue"))
        return queryset


class RightsCaseFilterSet(ScopedFilterSet):
    chamber = django_filters.ModelChoiceFilter(queryset=Chamber.objects.all(), label=_("chamber of commerce"))
    kind = django_filters.MultipleChoiceFilter(choices=CaseKind.choices, label=_("kind of case"))
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices, label=_("status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    class Meta:
        model = RightsCase
        fields = ["chamber", "kind", "status"]
        search_fields = ["title", "counterpart"]

    def filter_overdue(self, queryset, name, value):  # type: ignore[no-untyped-def]
        from tongxin.chambers.services.sla import overdue_q

        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


class MemberActivityFilterSet(ScopedFilterSet):
    chamber = django_filters.ModelChoiceFilter(queryset=Chamber.objects.all(), label=_("chamber of commerce"))
    kind = django_filters.MultipleChoiceFilter(choices=ActivityKind.choices, label=_("kind of activity"))
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("held on or after"))

    class Meta:
        model = MemberActivity
        fields = ["chamber", "kind"]
        search_fields = ["title", "place"]


class BoardPostFilterSet(ScopedFilterSet):
    chamber = django_filters.ModelChoiceFilter(queryset=Chamber.objects.all(), label=_("chamber of commerce"))
    side = django_filters.ChoiceFilter(choices=PostSide.choices, label=_("need or offer"))
    topic = django_filters.MultipleChoiceFilter(choices=PostTopic.choices, label=_("topic"))
    closed = django_filters.BooleanFilter(label=_("closed"))

    class Meta:
        model = BoardPost
        fields = ["chamber", "side", "topic", "closed"]
        search_fields = ["title", "text"]

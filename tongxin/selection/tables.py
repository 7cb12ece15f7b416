import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.core.tables import ScopedTable
from tongxin.selection.models import (
    Category,
    Criterion,
    Deputy,
    Juror,
    Nomination,
    Objection,
    Recommendation,
    Selection,
)


class SelectionTable(ScopedTable):
    name = tables.Column(linkify=True)
    county = tables.Column(verbose_name=_("county"), accessor="county__name", order_by="county__code")

    class Meta(ScopedTable.Meta):
        model = Selection
        fields = ("name", "year", "county", "stage", "places", "jury_weight", "public_weight")


class _SelectionPartTable(ScopedTable):
    selection = tables.Column(verbose_name=_("selection"), accessor="selection__name", order_by="selection__name")


class CategoryTable(_SelectionPartTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Category
        fields = ("selection", "name")


class CriterionTable(_SelectionPartTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Criterion
        fields = ("selection", "kind", "name", "weight", "max_points")


class JurorTable(_SelectionPartTable):
    user = tables.Column(verbose_name=_("person"), accessor="user__full_name", linkify=True, order_by="user__full_name")

    class Meta(ScopedTable.Meta):
        model = Juror
        fields = ("selection", "user", "title")


class DeputyTable(ScopedTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Deputy
        fields = ("name", "council", "level", "delegation")


class NominationTable(_SelectionPartTable):
    name = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")

    class Meta(ScopedTable.Meta):
        model = Nomination
        fields = (
            "selection",
            "ballot",
            "name",
            "township",
            "industry",
            "channel",
            "nominator",
            "status",
            "votes",
            "final_score",
            "rank",
            "outcome",
        )


class RecommendationTable(ScopedTable):
    nomination = tables.Column(verbose_name=_("nomination"), accessor="nomination__name", linkify=False)
    deputy = tables.Column(verbose_name=_("deputy or member"), accessor="deputy__name")
    date = tables.DateColumn(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Recommendation
        fields = ("date", "nomination", "deputy")


class ObjectionTable(ScopedTable):
    nomination = tables.Column(verbose_name=_("nomination"), accessor="nomination__name")
    received = tables.DateColumn(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Objection
        fields = ("received", "nomination", "text", "upheld", "answered_at")

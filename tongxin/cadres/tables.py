from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.forms import PERSON_FIELDS
from tongxin.cadres.models import AccessLog, Body, Person, Post, StaffingRule
from tongxin.cadres.privacy import masked
from tongxin.core.tables import ScopedTable


class MaskedColumn(tables.Column):  # type: ignore[misc]
    """An identifier shown masked, unless the table was made ``unmasked`` (an export by a
    person holding the unmask right who asked for it, which is logged)."""

    def render(self, value: Any, bound_column: Any, table: Any) -> Any:
        if getattr(table, "unmasked", False):
            return value
        return masked(bound_column.name, value)


def opened_link(record: Any, table: Any) -> str:
    """A file's link; from a searched list it says so (``?via=search``), and opening it is
    logged as a search hit opened."""
    request = getattr(table, "request", None)
    searched = request is not None and str(request.GET.get("q", "")).strip()
    return str(record.get_absolute_url()) + ("?via=search" if searched else "")


class PersonTable(ScopedTable):
    name = tables.Column(linkify=opened_link)
    county = tables.Column(verbose_name=_("county"), accessor="county__name", order_by="county__code")
    resident_id = MaskedColumn(verbose_name=_("resident ID number"))
    mobile = MaskedColumn(verbose_name=_("mobile number"))

    class Meta(ScopedTable.Meta):
        model = Person
        fields = tuple(PERSON_FIELDS)

    def __init__(self, *args: Any, unmasked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unmasked = unmasked


class AccessLogTable(ScopedTable):
    time = tables.DateTimeColumn(linkify=True)
    person = tables.Column(verbose_name=_("person"), accessor="person__name")

    class Meta(ScopedTable.Meta):
        model = AccessLog
        fields = ("time", "user_name", "kind", "person", "count", "purpose")


class BodyTable(ScopedTable):
    name = tables.Column(linkify=True)
    county = tables.Column(verbose_name=_("county"), accessor="county__name", order_by="county__code")
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")

    class Meta(ScopedTable.Meta):
        model = Body
        fields = ("name", "kind", "county", "township", "area")


class PostTable(ScopedTable):
    title = tables.Column(linkify=True)
    body = tables.Column(verbose_name=_("body"), accessor="body__name", order_by="body__name")
    person = tables.Column(verbose_name=_("non-party holder"), accessor="person__name")

    class Meta(ScopedTable.Meta):
        model = Post
        fields = ("body", "title", "role", "rank", "person", "other_holder", "start", "term_end")


class StaffingRuleTable(ScopedTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = StaffingRule
        fields = ("name", "body_kind", "mode", "minimum", "post_role", "source_document", "source_date")

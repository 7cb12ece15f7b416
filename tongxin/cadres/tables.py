from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.models import AccessLog, Person
from tongxin.cadres.privacy import masked
from tongxin.core.tables import ScopedTable


class MaskedColumn(tables.Column):  # type: ignore[misc]
    """An identifier shown masked, unless the table was made ``unmasked`` (an export by a
    person holding the unmask right who asked for it, which is logged)."""

    def render(self, value: Any, bound_column: Any, table: Any) -> Any:
        if getattr(table, "unmasked", False):
            return value
        return masked(bound_column.name, value)


class PersonTable(ScopedTable):
    name = tables.Column(linkify=True)
    county = tables.Column(verbose_name=_("county"), accessor="county__name", order_by="county__code")
    resident_id = MaskedColumn(verbose_name=_("resident ID number"))
    mobile = MaskedColumn(verbose_name=_("mobile number"))

    class Meta(ScopedTable.Meta):
        model = Person
        fields = (
            "code",
            "name",
            "gender",
            "birth_date",
            "education",
            "expertise",
            "work_unit",
            "post",
            "rank",
            "affiliation",
            "npc_level",
            "cppcc_level",
            "status",
            "county",
            "resident_id",
            "mobile",
        )

    def __init__(self, *args: Any, unmasked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unmasked = unmasked


class AccessLogTable(ScopedTable):
    time = tables.DateTimeColumn(linkify=True)
    person = tables.Column(verbose_name=_("person"), accessor="person__name")

    class Meta(ScopedTable.Meta):
        model = AccessLog
        fields = ("time", "user_name", "kind", "person", "count", "purpose")

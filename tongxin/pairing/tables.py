from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.core import units
from tongxin.core.scope import can
from tongxin.core.tables import NumberColumn, QuantityColumn, ScopedTable
from tongxin.pairing.choices import FIT_POINTS, ReportStatus
from tongxin.pairing.models import (
    Activity,
    Campaign,
    Decision,
    GroupMember,
    JointMeeting,
    LeadingGroup,
    LiaisonAppointment,
    Pair,
    Report,
    Support,
)


class LeadingGroupTable(ScopedTable):
    name = tables.Column(linkify=True)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", default="—")

    class Meta(ScopedTable.Meta):
        model = LeadingGroup
        fields = ("name", "township", "established")


class GroupMemberTable(ScopedTable):
    name = tables.Column(linkify=True)
    group = tables.Column(verbose_name=_("leading group"), accessor="group__name")

    class Meta(ScopedTable.Meta):
        model = GroupMember
        fields = ("name", "post", "role", "department", "group")


class JointMeetingTable(ScopedTable):
    title = tables.Column(linkify=True)
    group = tables.Column(verbose_name=_("leading group"), accessor="group__name")

    class Meta(ScopedTable.Meta):
        model = JointMeeting
        fields = ("date", "title", "group", "departments")


class DecisionTable(ScopedTable):
    text = tables.Column(linkify=True)
    meeting = tables.Column(verbose_name=_("meeting"), accessor="meeting__title")

    class Meta(ScopedTable.Meta):
        model = Decision
        fields = ("text", "owner", "due_date", "done", "meeting")


class CampaignTable(ScopedTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Campaign
        fields = ("name", "year", "start", "end", "stage", "report_frequency")


class FitPointsColumn(NumberColumn):
    """A fit score stored on 0–1, shown and exported on the 0–100 scale (one decimal)."""

    def render(self, value: Any) -> str:
        return f"{value * FIT_POINTS:.1f}"

    def value(self, value: Any) -> Any:
        return None if value is None else round(value * FIT_POINTS, 1)


class PairTable(ScopedTable):
    id = tables.Column(verbose_name=_("No."), linkify=True)
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="enterprise__name")
    village = tables.Column(verbose_name=_("village"), accessor="village__name")
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by="township__code")
    fit_score = FitPointsColumn(verbose_name=_("fit (0–100)"))

    class Meta(ScopedTable.Meta):
        model = Pair
        fields = ("id", "enterprise", "village", "township", "status", "origin", "fit_score", "start_date")


class LiaisonAppointmentTable(ScopedTable):
    liaison = tables.Column(verbose_name=_("liaison officer"), linkify=True)
    campaign = tables.Column(verbose_name=_("campaign"), accessor="campaign__name")
    pairs = tables.ManyToManyColumn(verbose_name=_("pairs"), separator="；", orderable=False)

    class Meta(ScopedTable.Meta):
        model = LiaisonAppointment
        fields = ("liaison", "campaign", "term_start", "term_end", "pairs")


class ActivityTable(ScopedTable):
    title = tables.Column(linkify=True)
    pair = tables.Column(verbose_name=_("pair"), accessor="pair")
    amount = QuantityColumn(number_format=units.MONEY)

    class Meta(ScopedTable.Meta):
        model = Activity
        fields = ("date", "head", "title", "pair", "participants", "amount", "confirmed_by_village")


class SupportTable(ScopedTable):
    description = tables.Column(linkify=True)
    pair = tables.Column(verbose_name=_("pair"), accessor="pair")
    amount = QuantityColumn(number_format=units.MONEY)

    class Meta(ScopedTable.Meta):
        model = Support
        fields = ("date", "kind", "description", "amount", "pair")


class SelectColumn(tables.CheckBoxColumn):  # type: ignore[misc]
    """A box to tick a submitted report for the bulk acceptance (none on other rows);
    never exported."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("accessor", "pk")
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault(
            "attrs",
            {
                "input": {"form": REPORT_BULK_FORM, "class": "form-check-input"},
                "th__input": {"data-select-all": REPORT_BULK_FORM, "class": "form-check-input"},
            },
        )
        super().__init__(**kwargs)

    def render(self, value: Any, bound_column: Any, record: Any) -> Any:
        if record.status != ReportStatus.SUBMITTED:
            return ""
        return super().render(value, bound_column, record)


REPORT_BULK_FORM = "report-bulk"


class ReportTable(ScopedTable):
    reports = SelectColumn(verbose_name=_("select"), orderable=False)
    period = tables.DateColumn(format="Y-m", linkify=True)
    pair = tables.Column(verbose_name=_("pair"), accessor="pair")
    township = tables.Column(verbose_name=_("township"), accessor="pair__township__name")
    investment = QuantityColumn(number_format=units.MONEY)

    class Meta(ScopedTable.Meta):
        model = Report
        fields = ("period", "pair", "township", "status", "due_date", "submitted_at", "investment", "jobs")
        sequence = ("reports", "...")
        template_name = "pairing/_report_table.html"

    def before_render(self, request: Any) -> None:
        """The boxes and the bulk button only for someone who may accept reports."""
        self.bulk_accept = request is not None and can(request.user, Report, "accept")
        if not self.bulk_accept:
            self.columns.hide("reports")

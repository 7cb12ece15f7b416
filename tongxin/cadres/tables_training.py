"""Tables (and exports) of the training and friend-making ledgers."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.models import Course, Enrolment, FriendContact, FriendPair, LeadingCadre, Recommendation
from tongxin.core.tables import ScopedTable


class CourseTable(ScopedTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = Course
        fields = ("name", "kind", "organiser", "start", "end", "hours", "place")


class EnrolmentTable(ScopedTable):
    person = tables.Column(
        verbose_name=_("person"), accessor="person__name", linkify=lambda record: record.get_absolute_url()
    )
    course = tables.Column(verbose_name=_("course"), accessor="course__name", order_by="course__start")

    class Meta(ScopedTable.Meta):
        model = Enrolment
        fields = (
            "person",
            "course",
            "status",
            "hours_attended",
            "completed_on",
            "certificate_number",
            "certificate_date",
        )


class RecommendationTable(ScopedTable):
    person = tables.Column(
        verbose_name=_("person"), accessor="person__name", linkify=lambda record: record.get_absolute_url()
    )

    class Meta(ScopedTable.Meta):
        model = Recommendation
        fields = ("person", "college", "date", "recommended_by", "outcome", "note")


class LeadingCadreTable(ScopedTable):
    name = tables.Column(linkify=True)

    class Meta(ScopedTable.Meta):
        model = LeadingCadre
        fields = ("name", "post", "unit", "active")


class FriendPairTable(ScopedTable):
    leader = tables.Column(
        verbose_name=_("leading cadre"), accessor="leader__name", linkify=lambda record: record.get_absolute_url()
    )
    person = tables.Column(verbose_name=_("non-party friend"), accessor="person__name")

    class Meta(ScopedTable.Meta):
        model = FriendPair
        fields = ("leader", "person", "frequency", "since", "ended")


class FriendContactTable(ScopedTable):
    date = tables.DateColumn(linkify=True)
    leader = tables.Column(verbose_name=_("leading cadre"), accessor="pair__leader__name")
    person = tables.Column(verbose_name=_("non-party friend"), accessor="pair__person__name")

    class Meta(ScopedTable.Meta):
        model = FriendContact
        fields = ("date", "leader", "person", "form", "topics", "follow_up", "follow_up_owner", "follow_up_done")

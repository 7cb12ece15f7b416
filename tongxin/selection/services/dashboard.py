"""The committee's dashboard of a selection: counts only (no voter, no number)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncHour

from tongxin.selection.choices import Channel, NominationStatus
from tongxin.selection.models import Anomaly, Juror, Mark, Recusal, Selection, Vote


@dataclass(frozen=True)
class JurorProgress:
    juror: Juror
    scored: int
    recused: int
    due: int

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.due) if self.due else 100


def by_channel(selection: Selection) -> list[tuple[str, int]]:
    counts = Counter(
        dict(
            selection.nominations.values_list("channel").annotate(n=Count("pk")).order_by().values_list("channel", "n")
        )
    )
    return [(str(label), counts.get(value, 0)) for value, label in Channel.choices]


def by_category(selection: Selection) -> list[tuple[str, int]]:
    rows = selection.nominations.values("category__name").annotate(n=Count("pk")).order_by("category__name")
    return [(row["category__name"] or "—", row["n"]) for row in rows]


def by_status(selection: Selection) -> list[tuple[str, int]]:
    counts = dict(
        selection.nominations.values_list("status").annotate(n=Count("pk")).order_by().values_list("status", "n")
    )
    return [(str(label), counts.get(value, 0)) for value, label in NominationStatus.choices]


def jury_progress(selection: Selection) -> list[JurorProgress]:
    shortlisted = selection.nominations.filter(status=NominationStatus.SHORTLISTED).count()
    scored = dict(
        Mark.objects.filter(juror__selection=selection)
        .values("juror_id")
        .annotate(n=Count("nomination_id", distinct=True))
        .order_by()
        .values_list("juror_id", "n")
    )
    recused = dict(
        Recusal.objects.filter(juror__selection=selection)
        .values("juror_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("juror_id", "n")
    )
    return [
        JurorProgress(juror, scored.get(juror.pk, 0), recused.get(juror.pk, 0), shortlisted - recused.get(juror.pk, 0))
        for juror in selection.jurors.select_related("user").order_by("pk")
    ]


def votes_over_time(selection: Selection) -> list[tuple[Any, int]]:
    """Votes per hour (local time)."""
    rows = (
        Vote.objects.filter(selection=selection)
        .annotate(hour=TruncHour("created"))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by("hour")
    )
    return [(row["hour"], row["n"]) for row in rows]


def anomalies(selection: Selection) -> list[Anomaly]:
    return list(
        Anomaly.objects.filter(selection=selection).select_related("nomination").order_by("-window_start")[:100]
    )

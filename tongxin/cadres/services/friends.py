"""Making friends (交友): which pairs are overdue, per leading cadre and for the county.

A pair is overdue when its last contact (or, before any, the day it was paired) is older
than its frequency allows (:mod:`tongxin.cadres.friendship`, pure); the database asks the
same question per frequency (:func:`overdue_q`), so the lists, the counts and the inbox
agree with the pure rule — and the tests check both against hand-computed dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tongxin.cadres import friendship
from tongxin.cadres.choices import FREQUENCY_MONTHS
from tongxin.cadres.models import FriendContact, FriendPair, LeadingCadre
from tongxin.core.scope import VIEW, restrict


def current_q(today: date) -> Q:
    """Pairs still running on ``today``."""
    return Q(ended__isnull=True) | Q(ended__gte=today)


def with_last_contact(pairs: QuerySet[FriendPair]) -> QuerySet[FriendPair]:
    """``last_contact`` (None before any) and ``reference`` (the last contact, else the
    day the pair started): what the frequency is counted from."""
    latest = FriendContact.objects.filter(pair=OuterRef("pk")).order_by("-date").values("date")[:1]
    return pairs.annotate(last_contact=Subquery(latest)).annotate(reference=Coalesce(F("last_contact"), F("since")))


def overdue_q(today: date) -> Q:
    """On a queryset from :func:`with_last_contact`: the running pairs overdue on ``today``."""
    by_frequency = Q()
    for frequency, months in FREQUENCY_MONTHS.items():
        by_frequency |= Q(frequency=frequency, reference__lt=friendship.cutoff(today, months))
    return current_q(today) & by_frequency


def overdue_pairs(*, user: Any, today: date, roles: Any = None) -> QuerySet[FriendPair]:
    """The running pairs the user sees that are overdue on ``today``."""
    pairs = restrict(FriendPair.objects.all(), user, VIEW, roles=roles)
    return with_last_contact(pairs).filter(overdue_q(today))


def overdue_summary(*, user: Any, today: date, roles: Any = None) -> tuple[int, date | None]:
    """How many pairs are overdue and the earliest day one of them was due (one query)."""
    pairs = overdue_pairs(user=user, today=today, roles=roles)
    found = pairs.order_by().aggregate(
        n=Count("pk"),
        **{f"m{months}": Min("reference", filter=Q(frequency=f)) for f, months in FREQUENCY_MONTHS.items()},
    )
    dues = [
        friendship.due_date(found[f"m{months}"], months)
        for months in FREQUENCY_MONTHS.values()
        if found[f"m{months}"] is not None
    ]
    return found["n"] or 0, min(dues) if dues else None


@dataclass(frozen=True)
class PairState:
    """A pair as the views show it: its last contact, when the next is due, overdue or not."""

    pair: FriendPair
    last_contact: date | None
    due: date
    overdue: bool
    contacts_this_year: int


def pair_states(pairs: QuerySet[FriendPair], today: date) -> list[PairState]:
    """Each pair with its due date and overdue flag (pure rule), in one query."""
    rows = (
        with_last_contact(pairs)
        .annotate(this_year=Count("contacts", filter=Q(contacts__date__year=today.year)))
        .select_related("leader", "person")
    )
    states = []
    for pair in rows:
        months = FREQUENCY_MONTHS[pair.frequency]  # type: ignore[index]
        running = pair.ended is None or pair.ended >= today
        states.append(
            PairState(
                pair,
                pair.last_contact,  # type: ignore[attr-defined]
                friendship.due_date(pair.reference, months),  # type: ignore[attr-defined]
                running and friendship.is_overdue(pair.reference, months, today),  # type: ignore[attr-defined]
                pair.this_year,
            )
        )
    return states


@dataclass(frozen=True)
class LeaderRow:
    leader: LeadingCadre
    pairs: int
    overdue: int
    contacts_this_year: int


@dataclass(frozen=True)
class CountyView:
    pairs: int
    overdue: int
    contacts_this_year: int
    leaders: list[LeaderRow]


def county_view(*, user: Any, today: date) -> CountyView:
    """The friend-making of the user's counties: running pairs, overdue pairs and contacts
    this year, in total and per leading cadre (three queries)."""
    leaders = restrict(LeadingCadre.objects.all(), user, VIEW).order_by("name", "pk")
    pairs = restrict(FriendPair.objects.filter(current_q(today)), user, VIEW)
    per_leader = dict(pairs.order_by().values_list("leader_id").annotate(n=Count("pk")))
    late = dict(overdue_pairs(user=user, today=today).order_by().values_list("leader_id").annotate(n=Count("pk")))
    contacts = restrict(FriendContact.objects.filter(date__year=today.year), user, VIEW)
    per_leader_contacts = dict(contacts.order_by().values_list("pair__leader_id").annotate(n=Count("pk")))
    rows = [
        LeaderRow(leader, per_leader.get(leader.pk, 0), late.get(leader.pk, 0), per_leader_contacts.get(leader.pk, 0))
        for leader in leaders
    ]
    return CountyView(
        pairs=sum(per_leader.values()),
        overdue=sum(late.values()),
        contacts_this_year=sum(per_leader_contacts.values()),
        leaders=rows,
    )

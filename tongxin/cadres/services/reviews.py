"""The yearly review of the reserve pool ("dynamic management", 动态管理): a reserve
person is due for review when neither a review nor a step of the pipeline was recorded
for them within the last year (``REVIEW_DAYS``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, DateField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.cadres.choices import PersonStatus
from tongxin.cadres.models import Person, ReserveReview, StageRecord
from tongxin.cadres.models.people import ADVANCE
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, require, restrict

REVIEW_DAYS = 365


def _latest(model: Any) -> Subquery:
    rows = model.objects.filter(person=OuterRef("pk")).order_by("-date").values("date")[:1]
    return Subquery(rows, output_field=DateField())


def with_last_review(people: QuerySet[Person]) -> QuerySet[Person]:
    """``last_review``: the latest review or pipeline step of each person (None: never)."""
    review, stage = _latest(ReserveReview), _latest(StageRecord)
    return people.annotate(last_review=Greatest(Coalesce(review, stage), Coalesce(stage, review)))


def reviews_due(people: QuerySet[Person], today: date) -> QuerySet[Person]:
    """The reserve people of ``people`` not reviewed within ``REVIEW_DAYS`` days."""
    cutoff = today - timedelta(days=REVIEW_DAYS)
    reserve = with_last_review(people.filter(status=PersonStatus.RESERVE))
    return reserve.filter(Q(last_review__isnull=True) | Q(last_review__lt=cutoff))


def reviews_due_count(*, user: Any, today: date, roles: frozenset[str] | None = None) -> tuple[int, date | None]:
    """How many reserve people the user sees wait for their yearly review, and since when
    the longest waiting is due (a year after their last review; one query)."""
    people = restrict(Person.objects.all(), user, VIEW, roles=roles)
    found = reviews_due(people, today).order_by().aggregate(n=Count("pk"), oldest=Min("last_review"))
    oldest = found["oldest"]
    return found["n"] or 0, (oldest + timedelta(days=REVIEW_DAYS) if oldest else None)


@transaction.atomic
def reserve_review(*, user: Any, person: Person, on: date, note: str = "") -> ReserveReview:
    """Record the yearly review of a reserve person (the ``advance`` right, like a step of
    the pipeline): only for someone in the reserve, never in the future."""
    require(user, person, ADVANCE)
    if person.status != PersonStatus.RESERVE:
        raise WorkflowError(_("Only people in the reserve are reviewed."), "person")
    if on > timezone.localdate():
        raise WorkflowError(_("A review cannot be dated in the future."), "date")
    review = ReserveReview(person=person, date=on, note=note.strip())
    review.full_clean()
    review.save()
    return review

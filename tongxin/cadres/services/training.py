"""Training (培养): enrolling people in courses, recording attendance and completion, and
recommending people to a socialist college — each a service that checks the policy and
the rules, audited (every save is change-logged with its author); plus the numbers the
pages, the compliance candidates and the reserve pipeline read: hours per person and
year, and who was not trained in the last N years."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import DecimalField, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tongxin.cadres.choices import EnrolmentStatus, PersonStatus
from tongxin.cadres.compliance import add_months
from tongxin.cadres.models import Course, Enrolment, Person, Recommendation
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import ADD, CHANGE, VIEW, require, restrict
from tongxin.core.services import ensure_in_scope

#: People on the files who are expected to train (not retired, not left).
ACTIVE = (PersonStatus.SERVING, PersonStatus.RESERVE)
NOT_TRAINED_DEFAULT_YEARS = 3
NOT_TRAINED_MAX_YEARS = 50
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=7, decimal_places=1))


M = TypeVar("M", bound=models.Model)


def _saved(instance: M, user: Any, action: str) -> M:
    instance.full_clean()
    instance.save()
    ensure_in_scope(instance=instance, user=user, action=action)
    return instance


@transaction.atomic
def enrolment_enrol(*, user: Any, course: Course, person: Person) -> Enrolment:
    """Enrol ``person`` in ``course``: both visible to the user, the person on the files of
    the course's county and not retired or gone, not enrolled already."""
    require(user, course, VIEW)
    require(user, person, VIEW)
    if person.status not in ACTIVE:
        raise WorkflowError(_("Only serving and reserve cadres are enrolled."), "person")
    if Enrolment.objects.filter(course=course, person=person).exists():
        raise WorkflowError(_("This person is already enrolled in the course."), "person")
    return _saved(Enrolment(course=course, person=person), user, ADD)


def _changeable(user: Any, enrolment: Enrolment) -> Enrolment:
    require(user, enrolment, CHANGE)
    locked: Enrolment = Enrolment.objects.select_for_update().select_related("course", "person").get(pk=enrolment.pk)
    if locked.status == EnrolmentStatus.WITHDRAWN:
        raise WorkflowError(_("The person withdrew from this course."), "status")
    return locked


@transaction.atomic
def enrolment_attend(*, user: Any, enrolment: Enrolment, hours: Decimal) -> Enrolment:
    """Record the hours ``enrolment``'s person attended (0 to the course's hours)."""
    locked = _changeable(user, enrolment)
    if hours < 0 or hours > locked.course.hours:
        raise WorkflowError(
            _("Hours attended are between 0 and the course's %(hours)s.") % {"hours": locked.course.hours}, "hours"
        )
    locked.hours_attended = hours
    return _saved(locked, user, CHANGE)


@transaction.atomic
def enrolment_complete(
    *,
    user: Any,
    enrolment: Enrolment,
    on: date,
    certificate_number: str = "",
    certificate_date: date | None = None,
    certificate_file: UploadedFile[Any] | None = None,
) -> Enrolment:
    """Mark the course completed on ``on`` (not before it starts), with the certificate if
    one was given (number, date, file); the hours attended default to the course's."""
    locked = _changeable(user, enrolment)
    if locked.status == EnrolmentStatus.COMPLETED:
        raise WorkflowError(_("The course is already completed."), "status")
    if on < locked.course.start:
        raise WorkflowError(_("A course is completed after it starts."), "on")
    if certificate_date is not None and certificate_date < locked.course.start:
        raise WorkflowError(_("A certificate is dated after the course starts."), "certificate_date")
    number = " ".join(certificate_number.split())
    if (certificate_date or certificate_file) and not number:
        raise WorkflowError(_("Give the certificate number."), "certificate_number")
    locked.status = EnrolmentStatus.COMPLETED
    locked.completed_on = on
    if locked.hours_attended is None:
        locked.hours_attended = locked.course.hours
    locked.certificate_number = number
    locked.certificate_date = certificate_date
    if certificate_file is not None:
        locked.certificate_file = certificate_file
    return _saved(locked, user, CHANGE)


@transaction.atomic
def person_recommend(
    *, user: Any, person: Person, college: str, on: date, recommended_by: str, note: str = ""
) -> Recommendation:
    """Record that ``person`` was recommended to ``college`` on ``on`` by ``recommended_by``
    (the outcome is pending until it is known)."""
    require(user, person, VIEW)
    by = " ".join(recommended_by.split())
    if not by:
        raise WorkflowError(_("Say who recommended the person."), "recommended_by")
    recommendation = Recommendation(person=person, college=college, date=on, recommended_by=by, note=note.strip())
    return _saved(recommendation, user, ADD)


# -- numbers --------------------------------------------------------------------------------

#: Hours that count: those attended in enrolments the person did not withdraw from.
COUNTED = ~Q(status=EnrolmentStatus.WITHDRAWN) & Q(hours_attended__isnull=False)


def hours_in_year(people: QuerySet[Person], year: int) -> QuerySet[Person]:
    """``people`` with ``hours``: the hours they attended in courses ending in ``year``
    (withdrawn enrolments do not count; one query)."""
    counted = Q(enrolments__hours_attended__isnull=False, enrolments__course__end__year=year) & ~Q(
        enrolments__status=EnrolmentStatus.WITHDRAWN
    )
    return people.annotate(hours=Coalesce(Sum("enrolments__hours_attended", filter=counted), ZERO))


def person_hours_by_year(person: Person) -> list[tuple[int, Decimal]]:
    """(year, hours) of one person, latest year first (years with hours only)."""
    rows = (
        Enrolment.objects.filter(COUNTED, person=person)
        .values_list("course__end__year")
        .annotate(total=Sum("hours_attended"))
        .order_by("-course__end__year")
    )
    return [(year, total) for year, total in rows]


def not_trained(*, user: Any, years: int, today: date) -> QuerySet[Person]:
    """Serving and reserve people the user sees who completed no course that ended within
    the last ``years`` years (on or after ``today`` minus ``years``); ``last_trained``: the
    end of their latest completed course, if any."""
    since = add_months(today, -12 * years)
    completed = Q(enrolments__status=EnrolmentStatus.COMPLETED)
    recent = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED, course__end__gte=since)
    people = restrict(Person.objects.filter(status__in=ACTIVE), user, VIEW)
    found: QuerySet[Person] = (
        people.exclude(pk__in=recent.values("person_id"))
        .annotate(last_trained=Max("enrolments__course__end", filter=completed))
        .select_related("county")
        .order_by("code", "pk")
    )
    return found


def training_years() -> int:
    """The years of training the compliance candidates' score counts
    (``TONGXIN["CADRE_TRAINING_YEARS"]``, default 3)."""
    return int(getattr(settings, "TONGXIN", {}).get("CADRE_TRAINING_YEARS", NOT_TRAINED_DEFAULT_YEARS))


def recent_hours(person_ids: list[int], today: date) -> dict[int, float]:
    """Hours attended per person in courses ending within the last ``training_years()``
    years (one query), for the pure candidate score."""
    since = add_months(today, -12 * training_years())
    rows = (
        Enrolment.objects.filter(COUNTED, person_id__in=person_ids, course__end__gte=since, course__end__lte=today)
        .values_list("person_id")
        .annotate(total=Sum("hours_attended"))
        .order_by()
    )
    return {person_id: float(total) for person_id, total in rows}


def completed_course(person: Person, on: date) -> Enrolment | None:
    """The latest course ``person`` completed on or before ``on`` (the reserve pipeline's
    "trained" stage rests on it)."""
    return (
        Enrolment.objects.filter(person=person, status=EnrolmentStatus.COMPLETED, completed_on__lte=on)
        .select_related("course")
        .order_by("-completed_on", "-pk")
        .first()
    )

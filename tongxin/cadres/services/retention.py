"""Retention of cadre files (PIPL): the files of people who left are anonymised after
``TONGXIN["CADRE_RETENTION_YEARS"]`` years (default 5), by ``manage.py
anonymise_departed`` (scheduled daily, see ``tongxin.cadres.tasks``).

Anonymising keeps what the structure statistics count — gender, birth year, education,
field of expertise, affiliation, rank, status, council levels, the years of the posts
held and of the reserve stages — and removes the rest: name, file number, ID number,
mobile, work unit and post, the exact birth date, the free text of the posts held, the
reserve stages and the reviews. Each file's anonymisation is a change record (source
"command"), and every earlier change record of the file and its rows is stripped of the
removed values (they would otherwise survive in the history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from tongxin.cadres.choices import PersonStatus
from tongxin.cadres.models import (
    Enrolment,
    FriendContact,
    Person,
    PostHistory,
    Recommendation,
    ReserveReview,
    StageRecord,
)
from tongxin.core.models import ObjectChange

#: What anonymised text fields hold.
ANONYMOUS = "***"
#: What the change log shows instead of a removed value.
REMOVED = "(removed)"
DEFAULT_YEARS = 5

#: The personal fields of a file removed by anonymising, and what they become.
PERSON_CLEARED: dict[str, Any] = {
    "name": ANONYMOUS,
    "resident_id": None,
    "mobile": "",
    "work_unit": "",
    "post": "",
}
#: Free text of the rows that belong to a file (model → fields), cleared. Other apps'
#: rows about a person (training, contacts) are added here.
ROW_TEXT: dict[type[Any], tuple[str, ...]] = {
    PostHistory: ("work_unit", "post"),
    StageRecord: ("note", "reason"),
    ReserveReview: ("note",),
    # Training and making friends: what was said and written about the person.
    Enrolment: ("certificate_number",),
    Recommendation: ("note", "recommended_by"),
    FriendContact: ("topics", "concerns", "follow_up", "follow_up_owner"),
}
#: How the rows of ``ROW_TEXT`` name their person (``person`` unless said here).
ROW_PERSON: dict[type[Any], str] = {FriendContact: "pair__person"}
#: Date fields of those rows kept to the year only (start of the year; an end, its end).
ROW_DATES: dict[type[Any], dict[str, str]] = {
    PostHistory: {"start": "first", "end": "last"},
    StageRecord: {"date": "first"},
    ReserveReview: {"date": "first"},
    Recommendation: {"date": "first"},
    FriendContact: {"date": "first"},
}


def retention_years() -> int:
    """``TONGXIN["CADRE_RETENTION_YEARS"]`` (default 5): how long a departed person's file
    is kept in full."""
    return int(getattr(settings, "TONGXIN", {}).get("CADRE_RETENTION_YEARS", DEFAULT_YEARS))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def due_for_anonymisation(today: date | None = None, years: int | None = None) -> QuerySet[Person]:
    """People who left, not yet anonymised, whose leaving date (else the last change of
    their file) is ``years`` or more before ``today``."""
    today = today or timezone.localdate()
    cutoff = _years_before(today, retention_years() if years is None else years)
    dated = Q(left_on__isnull=False, left_on__lte=cutoff)
    undated = Q(left_on__isnull=True, changed_on__lte=cutoff)
    left: QuerySet[Person] = (
        Person.objects.filter(status=PersonStatus.LEFT, anonymised_on__isnull=True)
        .annotate(changed_on=TruncDate("last_updated"))
        .filter(dated | undated)
        .order_by("pk")
    )
    return left


def _year_date(value: date | None, how: str) -> date | None:
    if value is None:
        return None
    return date(value.year, 1, 1) if how == "first" else date(value.year, 12, 31)


def _scrub(data: dict[str, Any] | None, fields: tuple[str, ...]) -> dict[str, Any] | None:
    if not data:
        return data
    return {k: (REMOVED if k in fields and v not in (None, "", REMOVED) else v) for k, v in data.items()}


def _scrub_log(model: type[Any], pks: list[int], fields: tuple[str, ...], after: int) -> None:
    """Strip ``fields`` from the change records of these rows, and their names: every
    "before", and every "after" but those of the records written by this anonymisation
    (primary key above ``after``), which hold the anonymous values."""
    if not pks:
        return
    kind = ContentType.objects.get_for_model(model, for_concrete_model=False)
    for change in ObjectChange.objects.filter(changed_object_type=kind, changed_object_id__in=pks).order_by("pk"):
        change.prechange_data = _scrub(change.prechange_data, fields)
        if change.pk <= after:
            change.postchange_data = _scrub(change.postchange_data, fields)
        change.object_repr = ANONYMOUS
        change.save(update_fields=["prechange_data", "postchange_data", "object_repr"])


@transaction.atomic
def person_anonymise(*, person: Person, today: date | None = None) -> Person:
    """Anonymise one file and its rows (each save a change record), then strip the
    removed values from the history of the file and its rows. Idempotent: an anonymised
    file is left alone."""
    today = today or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_on is not None:
        return person
    mark = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rows: dict[type[Any], list[int]] = {}
    for model, texts in ROW_TEXT.items():
        rows[model] = []
        for row in model.objects.filter(**{ROW_PERSON.get(model, "person"): person}).order_by("pk"):
            for name in texts:
                setattr(row, name, "")
            if isinstance(row, Enrolment) and row.certificate_file:
                row.certificate_file.delete(save=False)  # the scanned certificate names the person
            for name, how in ROW_DATES.get(model, {}).items():
                setattr(row, name, _year_date(getattr(row, name), how))
            row.save()
            rows[model].append(row.pk)
    for name, value in PERSON_CLEARED.items():
        setattr(person, name, value)
    person.code = f"anon-{person.pk}"
    person.birth_date = date(person.birth_date.year, 1, 1)
    person.left_on = _year_date(person.left_on, "first")
    person.anonymised_on = today
    person.save()
    _scrub_log(Person, [person.pk], ("code", "birth_date", "left_on", *PERSON_CLEARED), mark)
    for model, texts in ROW_TEXT.items():
        _scrub_log(model, rows[model], (*texts, *ROW_DATES.get(model, {})), mark)
    return person


@dataclass(frozen=True)
class RetentionRun:
    """What one run did: the cutoff, how many files were due and how many anonymised."""

    years: int
    cutoff: date
    due: int
    anonymised: int


def people_anonymise(*, today: date | None = None, years: int | None = None, dry_run: bool = False) -> RetentionRun:
    """Anonymise every file due (each in its own transaction, so a failure keeps the
    ones done); ``dry_run`` only counts them."""
    today = today or timezone.localdate()
    years = retention_years() if years is None else years
    if years < 1:
        raise ValueError("The retention period is at least one year.")
    due = list(due_for_anonymisation(today, years))
    done = 0
    if not dry_run:
        for person in due:
            person_anonymise(person=person, today=today)
            done += 1
    return RetentionRun(years=years, cutoff=_years_before(today, years), due=len(due), anonymised=done)

"""Reads of personal files, logged (PIPL): page and API views, exports, unmasking."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tongxin.cadres.choices import AccessKind
from tongxin.cadres.models import AccessLog, Person
from tongxin.cadres.models.people import UNMASK
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, require

PURPOSE_MAX = 200


def _entry(
    user: Any, kind: str, county_id: int, *, person: Person | None = None, count: int = 1, purpose: str = ""
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        user_name=user.get_username(),
        county_id=county_id,
        kind=kind,
        person=person,
        count=count,
        purpose=purpose,
    )


@transaction.atomic
def person_view_log(*, user: Any, person: Person, kind: str = AccessKind.PAGE) -> AccessLog:
    """Record that ``user`` read ``person``'s file (a page or an API detail)."""
    require(user, person, VIEW)
    return _entry(user, kind, person.county_id, person=person)


@transaction.atomic
def people_list_log(*, user: Any, people: list[Person], kind: str = AccessKind.API_LIST) -> list[AccessLog]:
    """Record that ``user`` was sent the files of ``people`` in a list (an API page): one
    row per county with how many (none for an empty page)."""
    counts = Counter(p.county_id for p in people)
    return [_entry(user, kind, county_id, count=count) for county_id, count in sorted(counts.items())]


@transaction.atomic
def person_unmask(*, user: Any, person: Person) -> dict[str, str]:
    """The full ID number and mobile of ``person`` for a user holding the unmask right;
    logged. 404 out of scope, 403 without the right."""
    require(user, person, UNMASK)
    _entry(user, AccessKind.UNMASK, person.county_id, person=person)
    return {"resident_id": person.resident_id or "", "mobile": person.mobile}


def clean_purpose(purpose: str) -> str:
    """The stated purpose of an export: required, one line, at most 200 characters."""
    text = " ".join((purpose or "").split())
    if not text:
        raise WorkflowError(_("State the purpose of this export."), "purpose")
    if len(text) > PURPOSE_MAX:
        raise WorkflowError(_("The purpose is at most %(max)d characters.") % {"max": PURPOSE_MAX}, "purpose")
    return text


@transaction.atomic
def people_export_log(*, user: Any, people: QuerySet[Person], purpose: str, unmasked: bool = False) -> list[AccessLog]:
    """Record an export of ``people`` (already restricted to the user's export scope): one
    row per county with how many files and the purpose; one more per county when the
    identifiers were exported in full."""
    text = clean_purpose(purpose)
    counts = Counter(people.values_list("county_id", flat=True))
    entries = []
    for county_id, count in sorted(counts.items()):
        entries.append(_entry(user, AccessKind.EXPORT, county_id, count=count, purpose=text))
        if unmasked:
            entries.append(_entry(user, AccessKind.UNMASK, county_id, count=count, purpose=text))
    return entries

"""A person's own data on request (PIPL, the right of access): everything the files hold
on one person, as a workbook, produced by a cadre officer and logged with the purpose."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tongxin.cadres.choices import AccessKind
from tongxin.cadres.models import AccessLog, Enrolment, FriendContact, Person, Recommendation
from tongxin.cadres.models.people import UNMASK
from tongxin.cadres.services.access import _entry, clean_purpose
from tongxin.core.scope import EXPORT, require
from tongxin.core.workbooks import escape_cell, sheet_title


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return escape_cell(str(value))


def _label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _display(obj: Any, name: str) -> Any:
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    return str(value) if hasattr(value, "_meta") else value


def _rows(model: Any, objects: Sequence[Any], names: Sequence[str]) -> list[list[Any]]:
    return [[_label(model, n) for n in names], *([_display(o, n) for n in names] for o in objects)]


def subject_sheets(person: Person) -> dict[str, list[list[Any]]]:
    """Every sheet of the file: the profile (in full: it is the person's own), the posts
    held, the leadership posts, the reserve stages and reviews, training, recommendations
    and friend-making contacts, and who read the file."""
    from tongxin.cadres.forms import PERSON_FIELDS

    profile_names = [*PERSON_FIELDS, "anonymised_on", "created", "last_updated"]
    profile = [[_("Field"), _("Value")], *([_label(Person, n), _display(person, n)] for n in profile_names)]
    return {
        str(_("Profile")): profile,
        str(_("Posts held")): _rows(
            person.posts.model,
            list(person.posts.order_by("start", "pk")),
            ("work_unit", "post", "rank", "start", "end"),
        ),
        str(_("Leadership posts")): _rows(
            person.held_posts.model,
            list(person.held_posts.select_related("body").order_by("start", "pk")),
            ("body", "title", "role", "rank", "start", "term_end"),
        ),
        str(_("Reserve stages")): _rows(
            person.stages.model, list(person.stages.order_by("date", "pk")), ("stage", "date", "note", "reason")
        ),
        str(_("Reserve reviews")): _rows(
            person.reviews.model, list(person.reviews.order_by("date", "pk")), ("date", "note")
        ),
        str(_("Training")): _rows(
            Enrolment,
            list(Enrolment.objects.filter(person=person).select_related("course").order_by("course__start", "pk")),
            ("course", "status", "hours_attended", "completed_on", "certificate_number", "certificate_date"),
        ),
        str(_("Recommendations to a college")): _rows(
            Recommendation,
            list(Recommendation.objects.filter(person=person).order_by("date", "pk")),
            ("college", "date", "recommended_by", "outcome", "note"),
        ),
        str(_("Friend-making contacts")): _rows(
            FriendContact,
            list(FriendContact.objects.filter(pair__person=person).select_related("pair").order_by("date", "pk")),
            ("pair", "date", "form", "topics", "concerns", "follow_up", "follow_up_owner"),
        ),
        str(_("Access log")): _rows(
            AccessLog,
            list(AccessLog.objects.filter(person=person).order_by("time", "pk")),
            ("time", "user_name", "kind", "purpose"),
        ),
    }


def workbook_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = sheet_title(title)
        for row in rows:
            sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def person_data_export(*, user: Any, person: Person, purpose: str) -> bytes:
    """The workbook of everything held on ``person``, for the person who asked for it:
    the export and unmask rights (404 out of scope, 403 without them), the purpose
    required; logged as a personal-data export with the purpose before it is made."""
    require(user, person, EXPORT)
    require(user, person, UNMASK)
    text = clean_purpose(purpose)
    _entry(user, AccessKind.SUBJECT, person.county_id, person=person, purpose=text)
    return workbook_bytes(subject_sheets(person))

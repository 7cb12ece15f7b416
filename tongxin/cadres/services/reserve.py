"""The reserve pipeline: found → inspected → pool → trained → appointed, or removed with
a reason; dated, in order, and the person's status follows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.cadres.choices import PIPELINE, PersonStatus, ReserveStage
from tongxin.cadres.models import Person, StageRecord
from tongxin.cadres.models.people import ADVANCE
from tongxin.cadres.services.training import completed_course
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import require

STATUS_AFTER = {
    ReserveStage.POOL: PersonStatus.RESERVE,
    ReserveStage.TRAINED: PersonStatus.RESERVE,
    ReserveStage.APPOINTED: PersonStatus.SERVING,
}


def current_stage(person: Person) -> str | None:
    last = person.stages.order_by("-date", "-pk").values_list("stage", flat=True).first()
    return last


def next_stages(current: str | None) -> list[str]:
    """The stages that may follow ``current`` (none after appointment or removal)."""
    if current is None:
        return [ReserveStage.FOUND]
    if current in (ReserveStage.APPOINTED, ReserveStage.REMOVED):
        return []
    index = PIPELINE.index(ReserveStage(current))
    return [PIPELINE[index + 1], ReserveStage.REMOVED]


def young_age_limit() -> int:
    """The age up to which a person counts as a young cadre (``TONGXIN["CADRE_YOUNG_AGE"]``,
    default 35)."""
    return int(getattr(settings, "TONGXIN", {}).get("CADRE_YOUNG_AGE", 35))


def is_young(person: Person, today: date) -> bool:
    return person.age(today) <= young_age_limit()


@transaction.atomic
def reserve_advance(
    *, user: Any, person: Person, stage: str, on: date, note: str = "", reason: str = ""
) -> StageRecord:
    """Move ``person`` to ``stage`` on ``on``: only the next stage (or removal, with a
    reason), never before the last one; "trained" only once the person has completed a
    course by then (its name is the note, unless one is given); the status follows (pool,
    trained → reserve; appointed → serving)."""
    require(user, person, ADVANCE)
    person = Person.objects.select_for_update().get(pk=person.pk)
    current = current_stage(person)
    if stage not in next_stages(current):
        raise WorkflowError(_("This step does not follow the person's current stage."), "stage")
    if stage == ReserveStage.REMOVED and not reason.strip():
        raise WorkflowError(_("Give the reason for removing the person from the reserve."), "reason")
    last = person.stages.order_by("-date").values_list("date", flat=True).first()
    if last is not None and on < last:
        raise WorkflowError(_("A stage cannot be dated before the previous one."), "date")
    if stage == ReserveStage.TRAINED:
        course = completed_course(person, on)
        if course is None:
            raise WorkflowError(_("The person has completed no course by that date."), "stage")
        note = note.strip() or str(course.course)
    record = StageRecord(person=person, stage=stage, date=on, note=note.strip(), reason=reason.strip())
    record.full_clean()
    record.save()
    status = STATUS_AFTER.get(ReserveStage(stage))
    if status is not None and person.status != status:
        person.status = status
        person.save(update_fields=["status"])  # change-logged like every write
    return record

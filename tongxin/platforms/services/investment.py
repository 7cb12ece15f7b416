"""Workflows and reads of platform 3 (investment and talent through the associations):
moving a project along the pipeline (the pure table of :mod:`tongxin.platforms.pipeline`),
stale projects, the funnel and the conversion by origin and by association."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import require, restrict
from tongxin.platforms import pipeline
from tongxin.platforms.choices import LeadStage
from tongxin.platforms.models import InvestmentLead, LeadStep
from tongxin.platforms.models.investment import ADVANCE

NOTE_MAX = 300


def stale_days() -> int:
    """Days without a step after which an open project is stale
    (``TONGXIN["PLATFORM_STALE_DAYS"]``, default 30)."""
    return int(getattr(settings, "TONGXIN", {}).get("PLATFORM_STALE_DAYS", 30))


def open_q() -> Q:
    return ~Q(stage__in=pipeline.FINAL)


def stale_q(today: date, days: int | None = None) -> Q:
    """Open projects (neither producing nor lost) with no step in the last ``days``."""
    limit = today - timedelta(days=stale_days() if days is None else days)
    return open_q() & Q(stage_on__lt=limit)


def is_stale(lead: InvestmentLead, today: date) -> bool:
    """:func:`stale_q` for one project in hand."""
    return lead.stage not in pipeline.FINAL and lead.stage_on < today - timedelta(days=stale_days())


def stale_leads(queryset: QuerySet[InvestmentLead], user: Any, today: date, roles: frozenset[str] | None = None) -> Any:
    """The stale projects ``user`` may move along (the inbox's item)."""
    return restrict(queryset, user, ADVANCE, roles=roles).filter(stale_q(today))


@transaction.atomic
def lead_advance(
    *, user: Any, lead: InvestmentLead, stage: str, on: date, note: str = "", reason: str = ""
) -> LeadStep:
    """Move ``lead`` to ``stage`` on ``on``: only the next stage, or lost with a reason,
    never dated before the last step nor in the future (``pipeline.TRANSITIONS``). 404 out
    of scope, 403 without the ``advance`` right."""
    require(user, lead, ADVANCE)
    lead = InvestmentLead.objects.select_for_update().get(pk=lead.pk)
    if not pipeline.may_move(lead.stage, stage):
        raise WorkflowError(_("This step does not follow the project's current stage."), "stage")
    reason = (reason or "").strip()
    if stage == LeadStage.LOST and not reason:
        raise WorkflowError(_("Give the reason the project was lost."), "reason")
    if on < lead.stage_on:
        raise WorkflowError(_("A step cannot be dated before the previous one."), "date")
    note = (note or "").strip()
    if len(note) > NOTE_MAX or len(reason) > NOTE_MAX:
        raise WorkflowError(_("A note is at most %(max)d characters.") % {"max": NOTE_MAX}, "note")
    step = LeadStep(lead=lead, stage=stage, date=on, note=note or reason)
    step.full_clean()
    step.save()
    lead.stage = stage
    lead.stage_on = on
    if stage == LeadStage.LOST:
        lead.lost_reason = reason
    lead.save(update_fields=["stage", "stage_on", "lost_reason"])  # change-logged
    return step


def histories(leads: QuerySet[InvestmentLead]) -> dict[int, list[str]]:
    """Per project, the stages it went through, starting as a lead (two queries)."""
    found: dict[int, list[str]] = {lead_id: [LeadStage.LEAD] for lead_id in leads.values_list("pk", flat=True)}
    steps = LeadStep.objects.filter(lead__in=leads.values("pk")).order_by("date", "pk")
    for lead_id, stage in steps.values_list("lead", "stage"):
        if lead_id in found:
            found[lead_id].append(stage)
    return found

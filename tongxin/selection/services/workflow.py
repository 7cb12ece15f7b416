"""The workflow of a selection, in typed services (the pages, the API and the demo call
these; the rules live here only).

Timeline: preparation → nomination → recommendation → qualification review → short-list
publicity (objections received and answered) → jury scoring and public vote → result
publicity → published. ``selection_advance`` takes one step at a time and checks what the
next stage needs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import require
from tongxin.selection import scoring
from tongxin.selection.choices import STAGES, CriterionKind, NominationStatus, Stage
from tongxin.selection.models import (
    ADVANCE,
    ANSWER,
    QUALIFY,
    SCORE,
    Criterion,
    CriterionCheck,
    Juror,
    Mark,
    Nomination,
    Objection,
    Recusal,
    Selection,
)
from tongxin.selection.services.voting import votes_per_candidate

NOMINATING = (Stage.NOMINATION, Stage.RECOMMENDATION)


def next_stage(selection: Selection) -> Stage | None:
    index = STAGES.index(Stage(selection.stage))
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


def _refuse(message: str, code: str) -> WorkflowError:
    return WorkflowError(message, code)


def _ready_for(selection: Selection, to: Stage) -> None:
    """What a stage needs before it starts (WorkflowError with the reason otherwise)."""
    nominations = selection.nominations.exclude(status=NominationStatus.WITHDRAWN)
    if to == Stage.NOMINATION and not selection.criteria.filter(kind=CriterionKind.ELIGIBILITY).exists():
        raise _refuse(_("Declare the eligibility criteria before nominations open."), "criteria")
    if to == Stage.PUBLICITY:
        if nominations.filter(status=NominationStatus.SUBMITTED).exists():
            raise _refuse(_("Qualify or reject every nomination before the publicity."), "unreviewed")
        if not nominations.filter(status=NominationStatus.QUALIFIED).exists():
            raise _refuse(_("No nomination qualified."), "empty")
    if to == Stage.VOTING:
        if Objection.objects.filter(nomination__selection=selection, answered_at__isnull=True).exists():
            raise _refuse(_("Answer every objection before the vote."), "objections")
        if not selection.criteria.filter(kind=CriterionKind.SCORING).exists():
            raise _refuse(_("Declare the scoring criteria before the jury scores."), "criteria")
        if not selection.jurors.exists():
            raise _refuse(_("Appoint the jury before the vote."), "jury")


@transaction.atomic
def selection_advance(*, user: Any, selection: Selection, to: str) -> Selection:
    """Move ``selection`` to ``to``, the next stage only. Entering the publicity puts the
    qualified nominations on the short list with ballot numbers; entering the result
    publicity computes the results (``selection_tally``)."""
    require(user, selection, ADVANCE)
    selection = Selection.objects.select_for_update().get(pk=selection.pk)
    following = next_stage(selection)
    if following is None or to != following:
        raise _refuse(_("A selection moves one stage at a time, to the next one."), "stage")
    _ready_for(selection, following)
    if following == Stage.PUBLICITY:
        _shortlist(selection)
    if following == Stage.RESULT_PUBLICITY:
        _tally(selection)
    selection.stage = following
    selection.stage_since = timezone.now()
    selection.save(update_fields=["stage", "stage_since"])
    return selection


def _shortlist(selection: Selection) -> None:
    """Qualified nominations become candidates, numbered in name order (the ballot)."""
    qualified = list(selection.nominations.filter(status=NominationStatus.QUALIFIED).order_by("name", "pk"))
    for number, nomination in enumerate(qualified, start=1):
        nomination.status = NominationStatus.SHORTLISTED
        nomination.ballot = number
        nomination.save(update_fields=["status", "ballot"])


@transaction.atomic
def nomination_check(
    *, user: Any, nomination: Nomination, criterion: Criterion, met: bool, evidence: str
) -> CriterionCheck:
    """Record one eligibility criterion checked for a nomination, with the evidence."""
    require(user, nomination, QUALIFY)
    nomination = _fresh(nomination)
    if nomination.selection.stage != Stage.QUALIFICATION:
        raise _refuse(_("Criteria are checked during the qualification review."), "stage")
    if criterion.selection_id != nomination.selection_id or criterion.kind != CriterionKind.ELIGIBILITY:
        raise _refuse(_("This is not an eligibility criterion of the selection."), "criterion")
    if not evidence.strip():
        raise _refuse(_("Give the evidence for the check."), "evidence")
    check = CriterionCheck.objects.filter(nomination=nomination, criterion=criterion).first()
    if check is None:
        check = CriterionCheck(nomination=nomination, criterion=criterion)
    check.met, check.evidence, check.checked_by = met, evidence.strip(), user
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def nomination_qualify(*, user: Any, nomination: Nomination) -> Nomination:
    """Qualify a nomination: every eligibility criterion checked and met."""
    require(user, nomination, QUALIFY)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _reviewable(nomination)
    criteria = set(nomination.selection.criteria.filter(kind=CriterionKind.ELIGIBILITY).values_list("pk", flat=True))
    met = set(nomination.checks.filter(met=True).values_list("criterion_id", flat=True))
    if criteria - met:
        raise _refuse(_("Every eligibility criterion must be checked and met."), "unchecked")
    nomination.status = NominationStatus.QUALIFIED
    nomination.rejection_reason = ""
    nomination.save(update_fields=["status", "rejection_reason"])
    return nomination


@transaction.atomic
def nomination_reject(*, user: Any, nomination: Nomination, reason: str) -> Nomination:
    """Reject a nomination with the reason its nominee sees."""
    require(user, nomination, QUALIFY)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _reviewable(nomination)
    if not reason.strip():
        raise _refuse(_("Give the reason the nominee will read."), "reason")
    nomination.status = NominationStatus.REJECTED
    nomination.rejection_reason = reason.strip()[:300]
    nomination.save(update_fields=["status", "rejection_reason"])
    return nomination


def _fresh(nomination: Nomination) -> Nomination:
    """The nomination and its selection as they are now (the caller's may be stale)."""
    fresh: Nomination = Nomination.objects.select_related("selection").get(pk=nomination.pk)
    return fresh


def _reviewable(nomination: Nomination) -> None:
    if nomination.selection.stage != Stage.QUALIFICATION:
        raise _refuse(_("Nominations are qualified during the qualification review."), "stage")
    if nomination.status not in (NominationStatus.SUBMITTED, NominationStatus.QUALIFIED, NominationStatus.REJECTED):
        raise _refuse(_("This nomination can no longer be reviewed."), "status")


@transaction.atomic
def objection_answer(*, user: Any, objection: Objection, answer: str, upheld: bool) -> Objection:
    """Answer an objection of the publicity; an upheld one takes the candidate off the
    short list (status rejected, with the answer as the reason)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    nomination = _fresh(objection.nomination)
    require(user, nomination, ANSWER)
    if nomination.selection.stage != Stage.PUBLICITY:
        raise _refuse(_("Objections are answered during the publicity."), "stage")
    if objection.answered_at is not None:
        raise _refuse(_("This objection is already answered."), "answered")
    if not answer.strip():
        raise _refuse(_("Write the answer."), "answer")
    objection.answer, objection.upheld = answer.strip(), upheld
    objection.answered_by, objection.answered_at = user, timezone.now()
    objection.save()
    if upheld:
        nomination.status = NominationStatus.REJECTED
        nomination.rejection_reason = answer.strip()[:300]
        nomination.ballot = None
        nomination.save(update_fields=["status", "rejection_reason", "ballot"])
    return objection


def juror_of(user: Any, selection: Selection) -> Juror | None:
    if getattr(user, "pk", None) is None:
        return None
    return Juror.objects.filter(selection=selection, user_id=user.pk).first()


def _jury_step(user: Any, nomination: Nomination) -> Juror:
    require(user, nomination, SCORE)
    nomination = _fresh(nomination)
    selection = nomination.selection
    juror = juror_of(user, selection)
    if juror is None:
        raise _refuse(_("Only the jury scores candidates."), "juror")
    if selection.stage != Stage.VOTING:
        raise _refuse(_("The jury scores during the scoring stage."), "stage")
    if nomination.status != NominationStatus.SHORTLISTED:
        raise _refuse(_("This candidate is not on the short list."), "candidate")
    return juror


@transaction.atomic
def marks_record(*, user: Any, nomination: Nomination, points: dict[int, Decimal]) -> list[Mark]:
    """A juror's points for a candidate, one per scoring criterion (each 0 to its maximum).
    Refused when the juror declared a conflict with the candidate."""
    juror = _jury_step(user, nomination)
    if Recusal.objects.filter(juror=juror, nomination=nomination).exists():
        raise _refuse(_("You declared a conflict of interest with this candidate."), "recused")
    criteria = {c.pk: c for c in nomination.selection.criteria.filter(kind=CriterionKind.SCORING)}
    if set(points) != set(criteria):
        raise _refuse(_("Give points for every scoring criterion."), "incomplete")
    saved = []
    for pk, value in points.items():
        criterion = criteria[pk]
        if value < 0 or value > criterion.max_points:
            raise _refuse(
                _("Points for %(criterion)s are 0 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_points},
                "points",
            )
        mark = Mark.objects.filter(juror=juror, nomination=nomination, criterion=criterion).first()
        if mark is None:
            mark = Mark(juror=juror, nomination=nomination, criterion=criterion)
        mark.points = value
        mark.save()
        saved.append(mark)
    return saved


@transaction.atomic
def conflict_declare(*, user: Any, nomination: Nomination, reason: str) -> Recusal:
    """A juror declares a conflict of interest: their marks for the candidate are removed
    and they are recused (the candidate's jury score is rescaled over the others)."""
    juror = _jury_step(user, nomination)
    if not reason.strip():
        raise _refuse(_("Say what the conflict of interest is."), "reason")
    recusal, _created = Recusal.objects.get_or_create(
        juror=juror, nomination=nomination, defaults={"reason": reason.strip()[:300]}
    )
    for mark in Mark.objects.filter(juror=juror, nomination=nomination):
        mark.delete()  # change-logged, one by one
    return recusal


def tally_inputs(
    selection: Selection,
) -> tuple[list[scoring.Candidate], list[scoring.Criterion], list[scoring.Mark], scoring.Rules, list[tuple[int, int]]]:
    """The engine's inputs read from the database."""
    votes = votes_per_candidate(selection)
    candidates = [
        scoring.Candidate(
            id=n.pk, ballot=n.ballot or 0, industry=n.industry, from_township=n.from_township, votes=votes.get(n.pk, 0)
        )
        for n in selection.nominations.filter(status=NominationStatus.SHORTLISTED).select_related("township")
    ]
    criteria = [
        scoring.Criterion(str(c.pk), float(c.weight), float(c.max_points))
        for c in selection.criteria.filter(kind=CriterionKind.SCORING)
    ]
    marks = [
        scoring.Mark(juror, candidate, str(criterion), float(points))
        for juror, candidate, criterion, points in Mark.objects.filter(juror__selection=selection).values_list(
            "juror_id", "nomination_id", "criterion_id", "points"
        )
    ]
    recusals = list(Recusal.objects.filter(juror__selection=selection).values_list("juror_id", "nomination_id"))
    rules = scoring.Rules(
        places=selection.places,
        jury_weight=float(selection.jury_weight),
        public_weight=float(selection.public_weight),
        max_per_industry=selection.max_per_industry,
        min_from_townships=selection.min_from_townships,
    )
    return candidates, criteria, marks, rules, recusals


def compute(selection: Selection) -> scoring.Tally:
    candidates, criteria, marks, rules, recusals = tally_inputs(selection)
    return scoring.tally(candidates, criteria, marks, rules, recusals)


def _two(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _tally(selection: Selection) -> scoring.Tally:
    """Compute and store every candidate's result and its parts."""
    result = compute(selection)
    by_id = {n.pk: n for n in selection.nominations.filter(status=NominationStatus.SHORTLISTED)}
    for row in result.results:
        nomination = by_id[row.candidate]
        nomination.votes = row.votes
        nomination.jury_score = _two(row.jury)
        nomination.public_score = _two(row.public)
        nomination.final_score = _two(row.final)
        nomination.rank = row.rank
        nomination.outcome = row.outcome.value
        nomination.tie_break = row.tie_break.value if row.tie_break else ""
        nomination.jurors_scored = row.jurors
        nomination.jurors_recused = row.recused
        nomination.save()
    selection.tallied_at = timezone.now()
    selection.save(update_fields=["tallied_at"])
    return result

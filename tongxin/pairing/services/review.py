"""Organisational examination and approval: township review, county decision, overrides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tongxin.core.scope import allowed, can, require, restrict
from tongxin.inbox.choices import NotificationKind
from tongxin.pairing.choices import STAGE_ORDER, EventKind, Origin, PairStatus, Stage
from tongxin.pairing.models import Campaign, LiaisonAppointment, Pair
from tongxin.pairing.models.pairs import holds_liaison_hat
from tongxin.pairing.services import notices
from tongxin.pairing.services.campaigns import Verdict, event, require_stage
from tongxin.pairing.services.errors import PairingError
from tongxin.pairing.services.selection import build_fit_model, latest_run, market_from_inputs

ACTIVE = (PairStatus.PROPOSED, PairStatus.TOWNSHIP_APPROVED, PairStatus.RETURNED, PairStatus.APPROVED)


def _lock(pair: Pair, user: Any, action: str) -> Pair:
    """The pair, locked for the transition, if ``user`` may take ``action`` on it (else 404/403)."""
    locked = Pair.objects.select_for_update().select_related("campaign").get(pk=pair.pk)
    require(user, locked, action)
    return locked


def _require_status(pair: Pair, *statuses: str) -> None:
    if pair.status not in statuses:
        raise PairingError(
            _("Not possible while the pair is “%(status)s”.") % {"status": pair.get_status_display()}, "status"
        )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PairingError(_("Give a reason."), "reason")
    return reason


def _not_own(pair: Pair, user: Any) -> None:
    """Separation of duties: nobody reviews or decides on a proposal they made (ran the
    matching that proposed it, or added it by override)."""
    if pair.proposed_by_id is not None and pair.proposed_by_id == user.pk:
        raise PairingError(_("Nobody approves their own entry."), "own_entry")


@dataclass(frozen=True)
class ReviewStep:
    """One step of the review of a proposal, as data: the policy action it takes, the
    campaign stages and pair statuses it starts from, and who may not take it
    (separation of duties: the proposer; for the county's approval also whoever gave the
    township's). The service checks one pair with :meth:`check`; the inbox and the bulk
    actions find the pairs waiting for a person with :meth:`waiting` — one rule, not two.
    """

    action: str
    statuses: tuple[str, ...]
    stages: tuple[str, ...] = (Stage.REVIEW,)
    not_own: bool = True
    not_township_reviewer: bool = False

    def check(self, pair: Pair, user: Any) -> None:
        """Refuse (:class:`PairingError`) when this step is not possible on ``pair`` for ``user``."""
        require_stage(pair.campaign, *self.stages)
        _require_status(pair, *self.statuses)
        if self.not_own:
            _not_own(pair, user)
        if self.not_township_reviewer and pair.township_approved_by_id == user.pk:
            raise PairingError(
                _("The township's approval and the county's approval are given by different people."),
                "same_reviewer",
            )

    def waiting(self, queryset: Any, user: Any, *, roles: frozenset[str] | None = None) -> Any:
        """The pairs of ``queryset`` on which ``user`` (with the hats of ``roles``, or all
        of them) may take this step now."""
        pairs = restrict(queryset, user, self.action, roles=roles).filter(
            status__in=self.statuses, campaign__stage__in=self.stages
        )
        if self.not_own:
            pairs = pairs.exclude(proposed_by=user.pk)
        if self.not_township_reviewer:
            pairs = pairs.exclude(township_approved_by=user.pk)
        return pairs


# The steps of the review, each used by its service, the inbox and the bulk actions.
TOWNSHIP_APPROVAL = ReviewStep("review", (PairStatus.PROPOSED,))
TOWNSHIP_RETURN = ReviewStep("return", (PairStatus.PROPOSED,))
COUNTY_APPROVAL = ReviewStep("approve", (PairStatus.TOWNSHIP_APPROVED,), not_township_reviewer=True)
COUNTY_REJECTION = ReviewStep("reject", (PairStatus.TOWNSHIP_APPROVED, PairStatus.RETURNED))
OVERRIDE_DROP = ReviewStep(
    "override", (PairStatus.PROPOSED, PairStatus.TOWNSHIP_APPROVED, PairStatus.RETURNED), not_own=False
)
REOPENING = ReviewStep("reopen", (PairStatus.APPROVED,), stages=(Stage.REVIEW, Stage.APPROVED), not_own=False)
# The review steps by policy action (the buttons of the review queue and the pair page).
STEPS = {
    step.action: step
    for step in (TOWNSHIP_APPROVAL, TOWNSHIP_RETURN, COUNTY_APPROVAL, COUNTY_REJECTION, OVERRIDE_DROP, REOPENING)
}


def waiting_for(queryset: Any, user: Any) -> Any:
    """The pairs of ``queryset`` waiting for a step of ``user`` — the same as the inbox:
    proposals for their township's review, township-approved ones for their county's
    approval, returned ones for their county's decision."""
    returned = COUNTY_REJECTION.waiting(queryset, user).filter(status=PairStatus.RETURNED)
    return queryset.filter(
        Q(pk__in=TOWNSHIP_APPROVAL.waiting(queryset, user).values("pk"))
        | Q(pk__in=COUNTY_APPROVAL.waiting(queryset, user).values("pk"))
        | Q(pk__in=returned.values("pk"))
    )


# The step a pending proposal waits for, by its status (as in the inbox).
AWAITED: dict[str, ReviewStep] = {
    PairStatus.PROPOSED: TOWNSHIP_APPROVAL,
    PairStatus.TOWNSHIP_APPROVED: COUNTY_APPROVAL,
    PairStatus.RETURNED: COUNTY_REJECTION,
}


def next_step(pair: Pair, user: Any = None) -> str:
    """What the pair waits for, in words — shown where a person has no button to press.
    With ``user``: first what keeps that person from the step (separation of duties),
    read from the pair without a query."""
    pending = tuple(AWAITED)
    if pair.status in pending and pair.campaign.stage != Stage.REVIEW:
        if STAGE_ORDER.index(pair.campaign.stage) < STAGE_ORDER.index(Stage.REVIEW):
            return _("Review opens when the county moves the campaign to review.")
        return _("The review of this campaign is over.")
    # Only for a person whose hats would otherwise take the step the pair waits for.
    if user is not None and pair.status in pending and can(user, Pair, AWAITED[pair.status].action):
        if pair.proposed_by_id is not None and pair.proposed_by_id == user.pk:
            return _("You proposed this pair: others review it.")
        if pair.status == PairStatus.TOWNSHIP_APPROVED and pair.township_approved_by_id == user.pk:
            return _("You gave the township's approval: someone else gives the county's.")
    texts: dict[str, str] = {
        PairStatus.PROPOSED: _("Waiting for the township's review."),
        PairStatus.TOWNSHIP_APPROVED: _("Waiting for the county's approval."),
        PairStatus.RETURNED: _("Returned by the township: waiting for the county's decision."),
        PairStatus.APPROVED: _("Approved: locked; only the county administrator can reopen it."),
    }
    return str(texts.get(pair.status, pair.get_status_display()))


def can_take(step: ReviewStep, pair: Pair, user: Any) -> Verdict:
    """Whether ``user`` may take ``step`` on ``pair`` now — the policy, then the step's own
    check, exactly as its service does — and if not, why not or what comes next."""
    if not allowed(user, pair, step.action):
        return Verdict(False, next_step(pair, user))
    try:
        step.check(pair, user)
    except PairingError as exc:
        return Verdict(False, str(exc.message))
    return Verdict(True)


def last_reasons(pairs: Any) -> dict[int, Any]:
    """The latest return or rejection of each pair of ``pairs`` (one query), by pair id."""
    from tongxin.pairing.models import CampaignEvent

    found: dict[int, Any] = {}
    events = CampaignEvent.objects.filter(pair__in=pairs, kind__in=(EventKind.RETURNED, EventKind.REJECTED)).order_by(
        "pair_id", "-time", "-pk"
    )
    for row in events.only("pair_id", "kind", "reason", "time"):
        if row.pair_id is not None:
            found.setdefault(row.pair_id, row)
    return found


def _set_status(pair: Pair, user: Any, status: str, kind: str, reason: str = "", **data: Any) -> Pair:
    before = pair.status
    pair.status = status
    pair.full_clean(exclude=["township"])
    pair.save()
    event(campaign=pair.campaign, kind=kind, actor=user, pair=pair, reason=reason, before=before, after=status, **data)
    return pair


@transaction.atomic
def pair_township_approve(*, pair: Pair, user: Any) -> Pair:
    """First review: the township approves a proposal in its township."""
    pair = _lock(pair, user, TOWNSHIP_APPROVAL.action)
    TOWNSHIP_APPROVAL.check(pair, user)
    pair.township_approved_by = user
    pair = _set_status(pair, user, PairStatus.TOWNSHIP_APPROVED, EventKind.TOWNSHIP_APPROVED)
    notices.proposal_step_waiting(
        pair=pair, user=user, kind=NotificationKind.PROPOSAL_AWAITING_APPROVAL, step=COUNTY_APPROVAL
    )
    return pair


@transaction.atomic
def pair_return(*, pair: Pair, user: Any, reason: str) -> Pair:
    """First review: the township returns a proposal with a reason."""
    pair = _lock(pair, user, TOWNSHIP_RETURN.action)
    TOWNSHIP_RETURN.check(pair, user)
    reason = _require_reason(reason)
    pair = _set_status(pair, user, PairStatus.RETURNED, EventKind.RETURNED, reason)
    notices.proposal_step_waiting(
        pair=pair, user=user, kind=NotificationKind.PROPOSAL_RETURNED, step=COUNTY_REJECTION, reason=reason
    )
    return pair


@transaction.atomic
def pair_approve(*, pair: Pair, user: Any) -> Pair:
    """County approval of a proposal the township approved. Approved pairs are locked.

    Separation of duties: not by the person who proposed it, nor by the person who gave
    the township's approval.
    """
    pair = _lock(pair, user, COUNTY_APPROVAL.action)
    COUNTY_APPROVAL.check(pair, user)
    if pair.start_date is None:
        pair.start_date = pair.campaign.start
    return _set_status(pair, user, PairStatus.APPROVED, EventKind.APPROVED)


@transaction.atomic
def pair_reject(*, pair: Pair, user: Any, reason: str) -> Pair:
    """County rejection of a proposal (after township approval or return)."""
    pair = _lock(pair, user, COUNTY_REJECTION.action)
    COUNTY_REJECTION.check(pair, user)
    return _set_status(pair, user, PairStatus.REJECTED, EventKind.REJECTED, _require_reason(reason))


@transaction.atomic
def pair_reopen(*, pair: Pair, user: Any, reason: str) -> Pair:
    """The county administrator reopens an approved (locked) pair for a new decision."""
    pair = _lock(pair, user, REOPENING.action)
    REOPENING.check(pair, user)
    reason = _require_reason(reason)
    campaign = Campaign.objects.select_for_update().get(pk=pair.campaign_id)
    if campaign.stage == Stage.APPROVED:
        campaign.stage = Stage.REVIEW
        campaign.save()
        event(campaign=campaign, kind=EventKind.STAGE_CHANGED, actor=user, before=Stage.APPROVED, after=Stage.REVIEW)
    pair.campaign = campaign
    return _set_status(pair, user, PairStatus.TOWNSHIP_APPROVED, EventKind.REOPENED, reason)


def override_warnings(
    campaign: Campaign, *, add: tuple[int, int] | None = None, drop: tuple[int, int] | None = None
) -> list[tuple[Any, Any]]:
    """Blocking pairs the matching would have after adding or dropping one pair.

    Based on the latest run's rankings; returns (enterprise, village) objects.
    """
    run = latest_run(campaign)
    if run is None:
        return []
    market = market_from_inputs(run.inputs)
    current = set(campaign.pairs.filter(status__in=ACTIVE).values_list("enterprise_id", "village_id"))
    if add is not None:
        current.add(add)
    if drop is not None:
        current.discard(drop)
    known_e, known_v = set(market.enterprises), set(market.villages)
    pairs = [(e, v) for e, v in current if e in known_e and v in known_v]
    blocking = market.check(pairs).blocking_pairs
    from tongxin.enterprises.models import Enterprise
    from tongxin.regions.models import Village

    enterprises = Enterprise.objects.in_bulk([e for e, _v in blocking])
    villages = Village.objects.in_bulk([v for _e, v in blocking])
    return [(enterprises[e], villages[v]) for e, v in blocking]


OVERRIDE_SIDES = ("enterprise", "village")
OVERRIDE_RESULTS = 20


def override_candidates(campaign: Campaign, user: Any, side: str) -> Any:
    """The enterprises or villages (``side``) a county override may pair in ``campaign``
    for ``user``: the campaign's participants of that side that the user may see. The
    picker searches these, and the submitted id is validated against them."""
    from tongxin.enterprises.models import Enterprise
    from tongxin.regions.models import Village

    model: Any = Enterprise if side == "enterprise" else Village
    ids = campaign.participants.filter(**{f"{side}__isnull": False}).values(f"{side}_id")
    return restrict(model.objects.filter(pk__in=ids), user, "view")


def override_search(campaign: Campaign, user: Any, side: str, q: str) -> list[Any]:
    """At most :data:`OVERRIDE_RESULTS` candidates whose name, code or township contains
    ``q`` (nothing for an empty search: the picker never lists the whole county)."""
    q = (q or "").strip()[:50]
    if not q:
        return []
    code = "uscc" if side == "enterprise" else "code"
    matches = Q(name__icontains=q) | Q(**{f"{code}__icontains": q}) | Q(township__name__icontains=q)
    rows = override_candidates(campaign, user, side).filter(matches).select_related("township")
    return list(rows.only("pk", "name", code, "township__name").order_by("name", "pk")[:OVERRIDE_RESULTS])


@transaction.atomic
def pair_override_add(*, campaign: Campaign, user: Any, enterprise_id: int, village_id: int, reason: str) -> Pair:
    """County override: add a pair the matching did not make (it still goes through review)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(user, campaign, "override")
    require_stage(campaign, Stage.REVIEW)
    reason = _require_reason(reason)
    if campaign.pairs.filter(enterprise_id=enterprise_id, village_id=village_id).exists():
        raise PairingError(_("This enterprise and village are already paired in this campaign."), "exists")
    if (
        not campaign.participants.filter(enterprise_id=enterprise_id).exists()
        or not campaign.participants.filter(village_id=village_id).exists()
    ):
        raise PairingError(_("Both must take part in the campaign."), "unknown")
    blocking = override_warnings(campaign, add=(enterprise_id, village_id))
    fit = build_fit_model(campaign).score(village_id, enterprise_id)
    pair = Pair(
        campaign=campaign,
        enterprise_id=enterprise_id,
        village_id=village_id,
        origin=Origin.MANUAL,
        proposed_by=user,
        reason=reason,
        fit_score=round(fit.score.total, 4),
    )
    pair.full_clean(exclude=["township"])
    pair.save()
    event(
        campaign=campaign,
        kind=EventKind.OVERRIDE_ADDED,
        actor=user,
        pair=pair,
        reason=reason,
        blocking=[[e.pk, v.pk] for e, v in blocking],
    )
    return pair


@transaction.atomic
def pair_override_drop(*, pair: Pair, user: Any, reason: str) -> Pair:
    """County override: drop a proposal, with a reason."""
    pair = _lock(pair, user, OVERRIDE_DROP.action)
    OVERRIDE_DROP.check(pair, user)
    reason = _require_reason(reason)
    blocking = override_warnings(pair.campaign, drop=(pair.enterprise_id, pair.village_id))
    return _set_status(
        pair,
        user,
        PairStatus.DROPPED,
        EventKind.OVERRIDE_DROPPED,
        reason,
        blocking=[[e.pk, v.pk] for e, v in blocking],
    )


@transaction.atomic
def liaison_appoint(
    *, campaign: Campaign, user: Any, liaison: Any, pairs: Sequence[Pair], term_start: date, term_end: date
) -> LiaisonAppointment:
    """Appoint a liaison officer to approved pairs of the campaign for a term.

    Everything links within one county and campaign: the officer holds a liaison hat of
    the campaign's county and the pairs are approved pairs of this campaign.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(user, campaign, "appoint")
    if liaison is None or not holds_liaison_hat(liaison.pk, campaign.county_id):
        raise PairingError(_("Only a liaison officer of this county can be appointed."), "role")
    if term_end <= term_start:
        raise PairingError(_("The term must end after it starts."), "term")
    ids = {p.pk for p in pairs}
    pairs = list(Pair.objects.filter(pk__in=ids, campaign=campaign, status=PairStatus.APPROVED))
    if not ids or len(pairs) != len(ids):
        raise PairingError(_("Choose approved pairs of this campaign."), "pairs")
    appointment = LiaisonAppointment(campaign=campaign, liaison=liaison, term_start=term_start, term_end=term_end)
    appointment.full_clean()
    appointment.save()
    appointment.pairs.set(pairs)
    for pair in pairs:
        event(campaign=campaign, kind=EventKind.LIAISON_APPOINTED, actor=user, pair=pair, liaison=liaison.pk)
    notices.liaison_appointed(appointment=appointment, user=user, pairs=len(pairs))
    return appointment

"""Campaign stages: forward one step at a time, with guards and an event per change."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxin.core import identifiers
from tongxin.core.exceptions import StaleObjectError
from tongxin.core.scope import allowed, require
from tongxin.enterprises.models import Enterprise
from tongxin.pairing.choices import STAGE_ORDER, EventKind, PairStatus, Side, Stage
from tongxin.pairing.models import Campaign, CampaignEvent, MatchRun, Pair, Participant, Preference
from tongxin.pairing.services.errors import PairingError
from tongxin.regions.models import Village


def event(
    *, campaign: Campaign, kind: str, actor: Any, pair: Pair | None = None, reason: str = "", **data: Any
) -> CampaignEvent:
    """Record one domain event (shown on the campaign's and the pair's timeline)."""
    return CampaignEvent.objects.create(campaign=campaign, pair=pair, kind=kind, actor=actor, reason=reason, data=data)


def require_version(instance: Any, version: int | None) -> None:
    """Refuse (409) when the row is no longer at the ``version`` the user started from.

    ``None`` means the caller is not an edit path (a command, the demo loader).
    """
    if version is not None and version != instance.version:
        raise StaleObjectError


# Rankings are entered while selection is open (``preferences_set``, the inbox).
RANKING_STAGE = Stage.SELECTION


def require_stage(campaign: Campaign, *stages: str) -> None:
    if campaign.stage not in stages:
        raise PairingError(
            _("Not possible in the stage “%(stage)s”.") % {"stage": campaign.get_stage_display()}, "stage"
        )


def _open_selection(campaign: Campaign) -> None:
    """Enrol every enterprise and every administrative village of the county."""
    existing_e = set(campaign.participants.filter(side=Side.ENTERPRISE).values_list("enterprise_id", flat=True))
    existing_v = set(campaign.participants.filter(side=Side.VILLAGE).values_list("village_id", flat=True))
    rows = [
        Participant(
            campaign=campaign,
            side=Side.ENTERPRISE,
            enterprise=e,
            township_id=e.township_id,
            capacity=campaign.enterprise_capacity,
        )
        for e in Enterprise.objects.filter(township__county=campaign.county).only("pk", "township_id", "name")
        if e.pk not in existing_e
    ]
    rows += [
        Participant(
            campaign=campaign,
            side=Side.VILLAGE,
            village=v,
            township_id=v.township_id,
            capacity=campaign.village_capacity,
        )
        for v in Village.objects.filter(township__county=campaign.county).only("pk", "township_id", "code", "name")
        if v.pk not in existing_v and identifiers.is_pairable_village_code(v.code)
    ]
    for row in rows:  # saved one by one so each enrolment is in the change log
        row.save()


def _guard(campaign: Campaign, target: str) -> None:
    if campaign.stage == Stage.MATCHING:
        from tongxin.pairing.services.selection import run_under_way

        if run_under_way(campaign) is not None:
            raise PairingError(_("A matching run is under way: wait until it has finished."), "running")
    if target == Stage.MATCHING and not Preference.objects.filter(participant__campaign=campaign).exists():
        raise PairingError(_("Nobody has ranked yet."), "no_rankings")
    if target == Stage.REVIEW and not campaign.match_runs.filter(status=MatchRun.Status.DONE).exists():
        raise PairingError(_("Run the matching first."), "no_match_run")
    if target == Stage.APPROVED:
        pending = campaign.pairs.filter(
            status__in=[PairStatus.PROPOSED, PairStatus.TOWNSHIP_APPROVED, PairStatus.RETURNED]
        ).count()
        if pending:
            raise PairingError(
                _("%(n)d proposals still wait for a decision.") % {"n": pending},
                "pending",
            )


class Verdict(NamedTuple):
    """Whether a person may take a step now and, when not, why not or what comes next
    (shown on the page instead of the button). Unpacks as ``ok, reason``."""

    ok: bool
    reason: str = ""


# What entering each stage does: the confirmation names it before the step is taken.
STAGE_EFFECTS: dict[str, Any] = {
    Stage.SELECTION: gettext_lazy(
        "Every enterprise and administrative village of the county is enrolled and their contacts are asked to rank."
    ),
    Stage.MATCHING: gettext_lazy("Rankings can no longer be changed; the county runs the matching."),
    Stage.REVIEW: gettext_lazy(
        "The proposals of the matching go to the townships for review; the matching can no longer be run."
    ),
    Stage.APPROVED: gettext_lazy("The approved pairs are settled: letters and liaison officers follow."),
    Stage.RUNNING: gettext_lazy("The pairs start their work: activities, support and progress reports."),
    Stage.CLOSED: gettext_lazy(
        "The campaign ends and cannot be moved back to an earlier stage. This cannot be undone."
    ),
}
# What someone who may not move the campaign is told comes next.
STAGE_WAITING: dict[str, Any] = {
    Stage.SELECTION: gettext_lazy("Selection opens when the county moves the campaign to selection."),
    Stage.MATCHING: gettext_lazy("Selection closes when the county moves the campaign to matching."),
    Stage.REVIEW: gettext_lazy("Review opens when the county has run the matching and moves the campaign to review."),
    Stage.APPROVED: gettext_lazy("The campaign is approved when the county has decided on every proposal."),
    Stage.RUNNING: gettext_lazy("The pairs start their work when the county moves the campaign to running."),
    Stage.CLOSED: gettext_lazy("The county administrator closes the campaign at its end."),
}


def next_stage(campaign: Campaign) -> str | None:
    """The stage after the campaign's current one, or None once it is closed."""
    index = STAGE_ORDER.index(campaign.stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def _advance_action(to: str) -> str:
    return "close" if to == Stage.CLOSED else "advance"


def can_advance(user: Any, campaign: Campaign) -> Verdict:
    """Whether ``user`` may move ``campaign`` to its next stage now — the same checks as
    :func:`campaign_advance` (policy action, then the stage's guard) — and if not, why not
    or what comes next. The campaign page shows the button only when this says yes."""
    to = next_stage(campaign)
    if to is None:
        return Verdict(False, _("The campaign is closed."))
    if not allowed(user, campaign, _advance_action(to)):
        return Verdict(False, str(STAGE_WAITING[to]))
    try:
        _guard(campaign, to)
    except PairingError as exc:
        return Verdict(False, str(exc.message))
    return Verdict(True)


def _require_confirm_name(campaign: Campaign, confirm_name: str | None) -> None:
    """Closing cannot be undone: the person types the campaign's name to confirm it."""
    given = (confirm_name or "").strip()
    if not given:
        raise PairingError(_("To close the campaign, type its name to confirm."), "confirm_name")
    if given != campaign.name.strip():
        raise PairingError(
            _("The name typed is not the campaign's name (“%(name)s”): the campaign stays open.")
            % {"name": campaign.name},
            "confirm_name",
        )


@transaction.atomic
def campaign_advance(*, campaign: Campaign, user: Any, to: str, confirm_name: str | None = None) -> Campaign:
    """Move ``campaign`` to the next stage ``to``; no stage can be skipped.

    Closing (the last step) is the administrator's ("close") and cannot be undone: it
    needs ``confirm_name``, the campaign's name typed by the person. The other steps need
    "advance".
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(user, campaign, _advance_action(to))
    if to not in STAGE_ORDER or to != next_stage(campaign):
        raise PairingError(_("Stages go forward one at a time."), "skip")
    if to == Stage.CLOSED:
        _require_confirm_name(campaign, confirm_name)
    _guard(campaign, to)
    if to == Stage.SELECTION:
        _open_selection(campaign)
    if to == Stage.RUNNING:
        for pair in campaign.pairs.filter(status=PairStatus.APPROVED, start_date__isnull=True):
            pair.start_date = campaign.start
            pair.save()
    before = campaign.stage
    campaign.stage = to
    campaign.save()
    event(campaign=campaign, kind=EventKind.STAGE_CHANGED, actor=user, before=before, after=to)
    _notify_stage(campaign, user)
    return campaign


def _notify_stage(campaign: Campaign, user: Any) -> None:
    """What entering a stage puts in people's inboxes: rankings to enter (selection),
    proposals to review (review)."""
    from tongxin.pairing.services import notices

    if campaign.stage == RANKING_STAGE:
        notices.ranking_opened(campaign=campaign, user=user)
    elif campaign.stage == Stage.REVIEW:
        from tongxin.pairing.services.review import TOWNSHIP_APPROVAL

        notices.review_opened(campaign=campaign, user=user, step=TOWNSHIP_APPROVAL)

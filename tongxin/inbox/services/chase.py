"""催报: call for the missing progress reports of a township, recorded and notified."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.accounts.choices import Role
from tongxin.core.scope import ADD, VIEW, require, restrict
from tongxin.core.services import ensure_in_scope
from tongxin.inbox.choices import NotificationKind
from tongxin.inbox.models import ReportChase
from tongxin.inbox.services.notifications import Note, notify, people_who_may
from tongxin.pairing.models import Campaign, Pair
from tongxin.pairing.models.running import RUNNING_STAGES
from tongxin.pairing.services.bulk import BulkResult, clean_ids, each
from tongxin.pairing.services.campaigns import require_stage
from tongxin.pairing.services.errors import PairingError
from tongxin.pairing.services.reports import late_and_missing
from tongxin.regions.models import Township

NAMES_IN_TEXT = 5


@transaction.atomic
def reports_chase(*, campaign: Campaign, township: Township, user: Any, today: date | None = None) -> ReportChase:
    """Call for every report of ``township`` in ``campaign`` that is past its due date and
    still missing: record who, when and which pairs and reports (a :class:`ReportChase`),
    and notify the liaison officers appointed to those pairs, each once.

    County staff may call for any township of the county, township staff for their own
    ("remind" on the campaign, then adding the record is judged against its policy).
    """
    require(user, campaign, "remind")
    require_stage(campaign, *RUNNING_STAGES)
    today = today or timezone.localdate()
    pairs = restrict(Pair.objects.filter(campaign=campaign, township=township), user, VIEW)
    missing = [
        row for row in late_and_missing(campaign=campaign, pairs=pairs, today=today) if row["state"] == "missing"
    ]
    if not missing:
        raise PairingError(_("No report is missing in %(township)s.") % {"township": township.name}, "nothing_missing")
    pair_ids = sorted({row["pair"].pk for row in missing})
    liaisons = people_who_may(Pair.objects.filter(pk__in=pair_ids), VIEW, roles={Role.LIAISON})
    by_person: dict[int, list[Pair]] = defaultdict(list)
    names = {row["pair"].pk: row["pair"] for row in missing}
    for pair_id in pair_ids:
        for person in sorted(liaisons.get(pair_id, ())):
            if person != user.pk:
                by_person[person].append(names[pair_id])
    chase = ReportChase(
        campaign=campaign,
        township=township,
        called_by=user,
        notified=len(by_person),
        items=[
            {
                "pair": row["pair"].pk,
                "period": row["period"].isoformat(),
                "due": row["due"].isoformat(),
                "report": row["report_id"],
            }
            for row in missing
        ],
    )
    chase.save()
    ensure_in_scope(instance=chase, user=user, action=ADD)  # a township's staff: their township only
    chase.pairs.set(pair_ids)
    counts: dict[int, int] = defaultdict(int)
    for row in missing:
        counts[row["pair"].pk] += 1
    link = reverse("pairing:campaign_late", args=[campaign.pk])
    notify(
        Note(
            person,
            NotificationKind.REPORTS_CALLED_FOR,
            {
                "actor": user,
                "campaign": campaign,
                "count": sum(counts[p.pk] for p in own),
                "pairs": "、".join(str(p) for p in own[:NAMES_IN_TEXT]) + ("…" if len(own) > NAMES_IN_TEXT else ""),
            },
            link,
        )
        for person, own in sorted(by_person.items())
    )
    return chase


def reports_chase_townships(*, campaign: Campaign, user: Any, ids: Iterable[Any]) -> BulkResult:
    """:func:`reports_chase` for each township of ``ids`` (those the person sees in the
    campaign's county; any other is refused as not found), each in a savepoint. Someone
    who may not call for reports in this campaign at all is refused outright (403)."""
    require(user, campaign, "remind")
    wanted = clean_ids(ids)
    townships = restrict(Township.objects.filter(county=campaign.county_id, pk__in=wanted), user, VIEW).in_bulk()
    return each(wanted, townships, lambda township: reports_chase(campaign=campaign, township=township, user=user))


def last_chases(campaign: Campaign, user: Any) -> dict[int, ReportChase]:
    """The latest call for reports per township of the campaign, among those the person sees."""
    latest: dict[int, ReportChase] = {}
    chases = restrict(ReportChase.objects.filter(campaign=campaign), user, VIEW).select_related("called_by")
    for chase in chases.order_by("township_id", "-created", "-pk"):
        latest.setdefault(chase.township_id, chase)
    return latest

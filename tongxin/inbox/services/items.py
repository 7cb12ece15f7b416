"""What waits for a person: one section per role they hold, each item a count, the oldest
date and a link to the page that does it.

Every count is a query through ``restrict(…, roles=…)`` of the access policy (only the
hats of that role) and the predicates the workflow services themselves use
(:class:`~tongxin.pairing.services.review.ReviewStep`, ``reviews_waiting``,
``fixes_waiting``, ``confirmations_waiting``, ``missing_q`` …) — never a second copy of
a rule. The number of queries depends only on the roles a person holds (at most one per
item, plus one for the running campaigns), never on how many rows, campaigns or periods
there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.accounts.roles import hats
from tongxin.cadres.services.friends import overdue_summary
from tongxin.cadres.services.reviews import reviews_due_count
from tongxin.core.formatting import join_list
from tongxin.core.scope import CHANGE, VIEW, restrict
from tongxin.pairing.choices import PairStatus, ReportStatus, Stage
from tongxin.pairing.models import Activity, Campaign, LiaisonAppointment, Pair, Participant, Report
from tongxin.pairing.models.running import RUNNING_STAGES
from tongxin.pairing.services.activities import confirmations_waiting
from tongxin.pairing.services.campaigns import RANKING_STAGE
from tongxin.pairing.services.mine import TO_FILE
from tongxin.pairing.services.notices import review_url
from tongxin.pairing.services.reports import (
    current_periods,
    fixes_waiting,
    missing_q,
    overdue_periods,
    reviews_waiting,
)
from tongxin.pairing.services.review import COUNTY_APPROVAL, COUNTY_REJECTION, TOWNSHIP_APPROVAL
from tongxin.platforms.models import InvestmentLead, Proposal
from tongxin.platforms.services.investment import stale_leads
from tongxin.platforms.services.research import overdue_answers

TERM_WARNING_DAYS = 30
# Stages in which a liaison officer's term still matters.
TERM_STAGES = (Stage.APPROVED, Stage.RUNNING)

SINCE = _("waiting since")
DUE = _("due")
ENDS = _("ends")


@dataclass(frozen=True)
class Item:
    """One kind of work waiting: how many, since when (or due when), where to do it."""

    key: str
    label: Any  # translated when shown (lazy), in the reader's language
    count: int
    oldest: date | datetime | None
    url: str
    date_label: Any = SINCE
    campaign: str = ""


@dataclass(frozen=True)
class Section:
    """What waits for one role the person holds (all their hats of that role)."""

    role: str
    label: str
    items: list[Item] = field(default_factory=list)


@dataclass
class _Ask:
    """One inbox being computed: the person, today, and what items share."""

    user: Any
    today: date
    _running: list[Campaign] | None = None

    def running(self) -> list[Campaign]:
        """The running campaigns the person sees (one query, shared by the items)."""
        if self._running is None:
            campaigns = Campaign.objects.filter(stage__in=RUNNING_STAGES).order_by("start", "pk")
            self._running = list(restrict(campaigns, self.user, VIEW))
        return self._running


ItemsOf = Callable[[_Ask, frozenset[str]], Iterable[Item]]


def _per_campaign(queryset: Any, oldest: str = "last_updated", **more: Any) -> Any:
    """Count, oldest date (and ``more``) per campaign, in one query."""
    return (
        queryset.order_by()
        .values("campaign", "campaign__name")
        .annotate(n=Count("pk"), oldest=Min(oldest), **more)
        .order_by("campaign")
    )


def _review(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Township staff: proposals of their township waiting for the township's review."""
    rows = _per_campaign(TOWNSHIP_APPROVAL.waiting(Pair.objects.all(), ask.user, roles=roles))
    return _items(rows, "review", _("Proposals to review"), lambda r: review_url(r["campaign"], PairStatus.PROPOSED))


def _approve(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """County: proposals the township approved, waiting for the county's approval."""
    rows = _per_campaign(COUNTY_APPROVAL.waiting(Pair.objects.all(), ask.user, roles=roles))
    return _items(
        rows, "approve", _("Proposals to approve"), lambda r: review_url(r["campaign"], PairStatus.TOWNSHIP_APPROVED)
    )


def _decide(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """County: proposals the township returned, waiting for a decision (reject or drop)."""
    waiting = COUNTY_REJECTION.waiting(Pair.objects.all(), ask.user, roles=roles).filter(status=PairStatus.RETURNED)
    return _items(
        _per_campaign(waiting),
        "decide",
        _("Returned proposals to decide"),
        lambda r: review_url(r["campaign"], PairStatus.RETURNED),
    )


def _rank(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Contacts: rankings not yet entered while selection is open."""
    open_ = restrict(Participant.objects.all(), ask.user, "rank", roles=roles).filter(
        campaign__stage=RANKING_STAGE, ranked_at__isnull=True
    )
    rows = _per_campaign(open_, "created", first=Min("pk"))
    return _items(
        rows,
        "rank",
        _("Rankings to submit"),
        lambda r: reverse("pairing:campaign_rank", args=[r["campaign"], r["first"]]),
    )


def _items(rows: Any, key: str, label: Any, url: Callable[[dict[str, Any]], str], **extra: Any) -> list[Item]:
    return [
        Item(key, label, row["n"], row["oldest"], url(row), campaign=row["campaign__name"], **extra)
        for row in rows
        if row["n"]
    ]


def _total(queryset: Any, oldest: str) -> tuple[int, Any]:
    found = queryset.order_by().aggregate(n=Count("pk"), oldest=Min(oldest))
    return found["n"], found["oldest"]


def _list_url(name: str, **query: Any) -> str:
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _confirm(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Village contacts: activities of their village's pairs waiting for confirmation."""
    n, oldest = _total(confirmations_waiting(Activity.objects.all(), ask.user, roles=roles), "created")
    url = _list_url("pairing:activity_list", confirmed_by_village="false")
    return [Item("confirm", _("Activities to confirm"), n, oldest, url)] if n else []


def _accept(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Township and county staff: submitted reports they may accept (not their own)."""
    n, oldest = _total(reviews_waiting(Report.objects.all(), ask.user, "accept", roles=roles), "submitted_at")
    url = _list_url("pairing:report_list", status=ReportStatus.SUBMITTED)
    return [Item("accept", _("Reports to accept"), n, oldest, url)] if n else []


def _fix(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Those who file reports: returned reports to correct and submit again."""
    n, oldest = _total(fixes_waiting(Report.objects.all(), ask.user, roles=roles), "last_updated")
    url = _list_url("pairing:report_list", status=ReportStatus.RETURNED)
    return [Item("fix", _("Returned reports to fix"), n, oldest, url)] if n else []


def _missing(
    ask: _Ask, roles: frozenset[str], branches: list[tuple[Campaign, date, date]], also: tuple[str, ...] = ()
) -> dict[int, tuple[int, date]]:
    """Per campaign: how many (pair, period) of ``branches`` (campaign, period, due date)
    miss their report, and the earliest due date among them. One query."""
    if not branches:
        return {}
    pairs = restrict(Pair.objects.all(), ask.user, VIEW, roles=roles)
    counts = pairs.order_by().aggregate(
        **{f"b{i}": Count("pk", filter=missing_q(c, period, also=also)) for i, (c, period, _due) in enumerate(branches)}
    )
    result: dict[int, tuple[int, date]] = {}
    for i, (campaign, _period, due) in enumerate(branches):
        n = counts[f"b{i}"] or 0
        if n:
            have, oldest = result.get(campaign.pk, (0, due))
            result[campaign.pk] = (have + n, min(oldest, due))
    return result


def _to_file(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Those who file reports: the reports of the period being reported now (over, not
    yet due) not submitted yet (returned ones are counted as "to fix")."""
    branches = [(c, period, due) for c in ask.running() for period, due in current_periods(c, ask.today)]
    found = _missing(ask, roles, branches, also=(ReportStatus.RETURNED,))
    names = {c.pk: c.name for c in ask.running()}
    return [
        Item(
            "file",
            _("Reports to file"),
            n,
            due,
            _list_url("pairing:my_pairs", campaign=pk, report=TO_FILE),
            date_label=DUE,
            campaign=names[pk],
        )
        for pk, (n, due) in found.items()
    ]


def _overdue(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Reports past their due date and still missing: the filer's own, or the township's
    or county's to chase (the late page, with 催报)."""
    branches = [(c, period, due) for c in ask.running() for period, due in overdue_periods(c, ask.today)]
    found = _missing(ask, roles, branches)
    names = {c.pk: c.name for c in ask.running()}
    return [
        Item(
            "overdue",
            _("Overdue reports"),
            n,
            due,
            reverse("pairing:campaign_late", args=[pk]),
            date_label=DUE,
            campaign=names[pk],
        )
        for pk, (n, due) in found.items()
    ]


def _terms(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """County: liaison officers' terms ending within the next 30 days."""
    until = ask.today + timedelta(days=TERM_WARNING_DAYS)
    ending = restrict(LiaisonAppointment.objects.all(), ask.user, CHANGE, roles=roles).filter(
        term_end__gte=ask.today, term_end__lte=until, campaign__stage__in=TERM_STAGES
    )
    n, oldest = _total(ending, "term_end")
    url = _list_url(
        "pairing:liaisonappointment_list", term_end_after=ask.today.isoformat(), term_end_before=until.isoformat()
    )
    label = _("Liaison terms ending within 30 days")
    return [Item("terms", label, n, oldest, url, date_label=ENDS)] if n else []


def _friends(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Cadre officers: friend-making pairs of their county overdue for a contact."""
    n, due = overdue_summary(user=ask.user, today=ask.today, roles=roles)
    label = _("Friend-making pairs overdue for a contact")
    return [Item("friends", label, n, due, reverse("cadres:friends_overdue"), date_label=DUE)] if n else []


def _reserve_reviews(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """Cadre officers: reserve people not reviewed within a year (dynamic management)."""
    n, oldest = reviews_due_count(user=ask.user, today=ask.today, roles=roles)
    url = _list_url("cadres:person_list", status="reserve", review_due="true")
    return [Item("reserve_review", _("Reserve cadres to review"), n, oldest, url)] if n else []


def _overdue_answers(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """County: proposals (参政议政) whose department's answer is past its due date."""
    n, oldest = _total(overdue_answers(Proposal.objects.all(), ask.user, ask.today, roles=roles), "due_on")
    url = _list_url("platforms:proposal_list", overdue="true")
    return [Item("answers", _("Overdue answers to proposals"), n, oldest, url, date_label=DUE)] if n else []


def _stale_leads(ask: _Ask, roles: frozenset[str]) -> list[Item]:
    """County and association staff: investment projects with no step for too long."""
    n, oldest = _total(stale_leads(InvestmentLead.objects.all(), ask.user, ask.today, roles=roles), "stage_on")
    url = _list_url("platforms:investmentlead_list", stale="true")
    return [Item("stale", _("Stale investment projects"), n, oldest, url, date_label=SINCE)] if n else []


COUNTY_ITEMS: tuple[ItemsOf, ...] = (_approve, _decide, _accept, _overdue, _terms, _overdue_answers, _stale_leads)
FILER_ITEMS: tuple[ItemsOf, ...] = (_to_file, _fix, _overdue)
ROLE_ITEMS: dict[str, tuple[ItemsOf, ...]] = {
    Role.COUNTY_ADMIN: COUNTY_ITEMS,
    Role.COUNTY_STAFF: COUNTY_ITEMS,
    Role.TOWNSHIP_STAFF: (_review, _accept, _overdue),
    Role.LIAISON: FILER_ITEMS,
    Role.ENTERPRISE_CONTACT: (_rank, *FILER_ITEMS),
    Role.VILLAGE_CONTACT: (_rank, _confirm),
    Role.CADRE_OFFICER: (_friends, _reserve_reviews),
    Role.ASSOCIATION_STAFF: (_stale_leads,),
}


#: Items other apps add for a role (``register_items``, from their ``ready()``), after the
#: role's own.
EXTRA_ITEMS: dict[str, list[ItemsOf]] = {}


def register_items(role: str, *computes: ItemsOf) -> None:
    EXTRA_ITEMS.setdefault(role, []).extend(computes)


def inbox(user: Any, today: date | None = None) -> list[Section]:
    """One section per role the person holds that has work, in the order of their hats;
    items with nothing waiting are left out (a section with none is left out too)."""
    ask = _Ask(user, today or timezone.localdate())
    nodes: dict[str, list[str]] = {}
    for hat in hats(user):
        nodes.setdefault(hat.role, [])
        if hat.node_name and hat.node_name not in nodes[hat.role]:
            nodes[hat.role].append(hat.node_name)
    sections = []
    for role, names in nodes.items():
        roles = frozenset({role})
        computes = (*ROLE_ITEMS.get(role, ()), *EXTRA_ITEMS.get(role, ()))
        items = [item for compute in computes for item in compute(ask, roles) if item.count]
        if items:
            label = str(Role(role).label) + (" · " + join_list(names) if names else "")
            sections.append(Section(role, label, items))
    return sections


def waiting_total(sections: Iterable[Section]) -> int:
    return sum(item.count for section in sections for item in section.items)


__all__ = ["Item", "Section", "inbox", "register_items", "waiting_total"]

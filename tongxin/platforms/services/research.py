"""Workflows and reads of platform 1 (research and proposals): the official answer, the
implementation progress, overdue answers, who of the non-party people took part and each
person's performance record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from tongxin.cadres.choices import AccessKind
from tongxin.cadres.models import Person
from tongxin.cadres.services.access import person_view_log
from tongxin.core.exceptions import WorkflowError
from tongxin.core.scope import VIEW, allowed, can, require, restrict
from tongxin.platforms.choices import GROUP_ROLES, IMPLEMENTED_STATES, AnswerState
from tongxin.platforms.models import Participation, Proposal, ResearchReport
from tongxin.platforms.models.research import ANSWER

ANSWER_TEXT_MAX = 5000


def unanswered_q() -> Q:
    return Q(answer_state="")


def overdue_q(today: date) -> Q:
    """Proposals whose answer is past its due date and not given yet."""
    return unanswered_q() & Q(due_on__lt=today)


def is_overdue(proposal: Proposal, today: date) -> bool:
    """:func:`overdue_q` for one proposal in hand."""
    return not proposal.answered and proposal.due_on < today


def with_progress(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Proposals with ``progress_done``: the highest percentage of their milestones done
    (None when none is done), as an annotation (no query per row)."""
    return queryset.annotate(progress_done=Max("milestones__progress", filter=Q(milestones__done_on__isnull=False)))


def progress_of(proposal: Proposal) -> int | None:
    """The implementation progress of one proposal (None: not implemented or nothing done)."""
    if not proposal.implemented:
        return None
    done = proposal.milestones.filter(done_on__isnull=False).aggregate(p=Max("progress"))["p"]
    return int(done or 0)


@transaction.atomic
def proposal_answer(*, user: Any, proposal: Proposal, state: str, on: date, text: str = "") -> Proposal:
    """Record the department's official answer: adopted, partly adopted, explained or not
    adopted, dated on or after the submission. An answer is given once (a proposal already
    answered is refused). 404 out of scope, 403 without the ``answer`` right."""
    require(user, proposal, ANSWER)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.answered:
        raise WorkflowError(_("This proposal is already answered."), "answered")
    if state not in AnswerState.values:
        raise WorkflowError(_("Choose adopted, partly adopted, explained or not adopted."), "state")
    if on < proposal.submitted_on:
        raise WorkflowError(_("An answer cannot be dated before the proposal was submitted."), "date")
    text = (text or "").strip()
    if len(text) > ANSWER_TEXT_MAX:
        raise WorkflowError(_("The answer is at most %(max)d characters.") % {"max": ANSWER_TEXT_MAX}, "text")
    proposal.answer_state = state
    proposal.answered_on = on
    proposal.answer_text = text
    proposal.full_clean()
    proposal.save(update_fields=["answer_state", "answered_on", "answer_text"])  # change-logged
    return proposal


def overdue_answers(queryset: QuerySet[Proposal], user: Any, today: date, roles: frozenset[str] | None = None) -> Any:
    """The proposals ``user`` may answer whose answer is overdue (the inbox's item)."""
    return restrict(queryset, user, ANSWER, roles=roles).filter(overdue_q(today))


# --- people ---------------------------------------------------------------------------


def people_shown(user: Any, people: set[int]) -> set[int]:
    """Of the person ids ``people``, those ``user`` may read under the cadres policy (one
    query): only their names are shown on a platform page."""
    if not people:
        return set()
    return set(restrict(Person.objects.filter(pk__in=people), user, VIEW).values_list("pk", flat=True))


def readable_people(user: Any) -> set[int]:
    """The ids of every file ``user`` may read (one query; none for most people)."""
    if not can(user, Person, VIEW):
        return set()
    return set(restrict(Person.objects.all(), user, VIEW).values_list("pk", flat=True))


@dataclass(frozen=True)
class Member:
    """One participant as a page shows them: the name only when the reader may read the
    person's file, else nothing but the role."""

    role: str
    role_label: str
    name: str | None
    person_id: int | None


def members_of(user: Any, rows: QuerySet[Participation]) -> list[Member]:
    """The participants of a topic or proposal. The participations are read without the
    reader's scope (counted for everyone), the names only where the reader may read the
    file (the cadres policy): a county staff member learns how many took part, not who."""
    found = list(rows.select_related("person").order_by("role", "pk"))
    shown = people_shown(user, {row.person_id for row in found})
    return [
        Member(
            row.role,
            row.get_role_display(),
            row.person.name if row.person_id in shown else None,
            row.person_id if row.person_id in shown else None,
        )
        for row in found
    ]


def participation_view_log(*, user: Any, participation: Participation) -> None:
    """Opening a participation shows a person's file data: logged like the file's page."""
    if allowed(user, participation.person, VIEW):
        person_view_log(user=user, person=participation.person, kind=AccessKind.PAGE)


@dataclass(frozen=True)
class Performance:
    """One person's record on the platform: topics, reports of their topics, proposals
    named on, answered, adopted (fully or partly), and the adoption rate."""

    person: Person
    topics: int
    reports: int
    proposals: int
    answered: int
    adopted: int

    @property
    def adoption(self) -> float | None:
        return round(100 * self.adopted / self.answered, 1) if self.answered else None


def performance(*, user: Any, year: int | None = None) -> list[Performance]:
    """The performance record of every person whose file ``user`` may read and who took
    part in anything (of ``year``); three queries, whatever the number of people."""
    people = restrict(Person.objects.all(), user, VIEW)
    parts = Participation.objects.filter(person__in=people)
    if year is not None:
        parts = parts.filter(Q(topic__year=year) | Q(proposal__submitted_on__year=year))
    topic_of: dict[int, set[int]] = {}
    proposal_of: dict[int, set[int]] = {}
    for person_id, role, topic_id, proposal_id in parts.values_list("person_id", "role", "topic_id", "proposal_id"):
        if role in GROUP_ROLES:
            topic_of.setdefault(person_id, set()).add(topic_id)
        else:
            proposal_of.setdefault(person_id, set()).add(proposal_id)
    topic_ids = {t for ids in topic_of.values() for t in ids}
    proposal_ids = {p for ids in proposal_of.values() for p in ids}
    reports = dict(
        ResearchReport.objects.filter(topic__in=topic_ids)
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
        .values_list("topic", "n")
    )
    states = dict(Proposal.objects.filter(pk__in=proposal_ids).values_list("pk", "answer_state"))
    rows = []
    for person in people.filter(pk__in={*topic_of, *proposal_of}).order_by("code"):
        topics = topic_of.get(person.pk, set())
        proposals = proposal_of.get(person.pk, set())
        answered = [p for p in proposals if states.get(p)]
        rows.append(
            Performance(
                person=person,
                topics=len(topics),
                reports=sum(reports.get(t, 0) for t in topics),
                proposals=len(proposals),
                answered=len(answered),
                adopted=sum(1 for p in answered if states[p] in IMPLEMENTED_STATES),
            )
        )
    return rows


__all__ = [
    "Member",
    "Performance",
    "is_overdue",
    "members_of",
    "overdue_answers",
    "overdue_q",
    "participation_view_log",
    "people_shown",
    "performance",
    "progress_of",
    "proposal_answer",
    "readable_people",
    "with_progress",
]

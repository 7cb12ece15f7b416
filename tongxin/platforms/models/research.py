"""Platform 1, research and proposals (参政议政): annual research topics and their reports,
proposals submitted to departments with their official answers, leaders' instructions
and implementation milestones, and who of the non-party people took part.

A person is never copied here: :class:`Participation` links a file of the cadres app
(``cadres.Person``), and only those who may read that file (the county's cadre officers)
see it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ALL, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.platforms.choices import (
    GROUP_ROLES,
    IMPLEMENTED_STATES,
    AnswerState,
    ParticipationRole,
    TopicStatus,
)

ANSWER = "answer"  # record a department's official answer (services.research.proposal_answer)
_TOWNSHIP_READS: dict[str, frozenset[str]] = {Role.TOWNSHIP_STAFF: frozenset({VIEW, EXPORT})}
#: County administrators and staff keep the platform; township staff read the rows of their
#: township; cadre officers read topics and proposals (to record who took part);
#: province and prefecture staff supervise (read).
RESEARCH_PERMISSIONS = RolePermissions.of(
    {Role.COUNTY_ADMIN: ALL, Role.COUNTY_STAFF: ALL, Role.CADRE_OFFICER: {VIEW}, **_TOWNSHIP_READS}
)
PROPOSAL_PERMISSIONS = RolePermissions.of(
    {
        Role.COUNTY_ADMIN: ALL | {ANSWER},
        Role.COUNTY_STAFF: ALL | {ANSWER},
        Role.CADRE_OFFICER: {VIEW},
        **_TOWNSHIP_READS,
    }
)
DETAIL_PERMISSIONS = RolePermissions.of({Role.COUNTY_ADMIN: ALL, Role.COUNTY_STAFF: ALL, **_TOWNSHIP_READS})
#: Who took part links a person's file: the county's cadre officers only, like the file.
PARTICIPATION_PERMISSIONS = RolePermissions.of({Role.CADRE_OFFICER: ALL}, supervised=False)


class ResearchTopic(ScopedModel):
    """A research topic of one year on a hot or difficult issue of the county (or of one
    of its townships), studied by a research group."""

    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="research_topics"
    )
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="research_topics",
        help_text=_("When the topic concerns one township"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    issue = models.TextField(_("issue studied"), blank=True)
    organiser = models.CharField(
        _("organised by"), max_length=100, help_text=_("The unit that organises the research and records it")
    )
    status = models.CharField(_("status"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.PLANNED)

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", township="township", placement=("county", "township"))
    permissions: ClassVar[RolePermissions] = RESEARCH_PERMISSIONS

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["county", "-year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="platforms_topic_year",
                violation_error_message=_("Enter a year between 2000 and 2100."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("platforms:researchtopic_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        _same_county(self.township, self.county_id, "township")


def _same_county(township: Any, county_id: int | None, field: str) -> None:
    if township is not None and county_id is not None and township.county_id != county_id:
        raise ValidationError({field: _("The township is not in this county.")})


class ResearchReport(ScopedModel):
    """A report a research group wrote on its topic."""

    topic = models.ForeignKey(ResearchTopic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="topic__county", township="topic__township", placement=("topic",))
    permissions: ClassVar[RolePermissions] = DETAIL_PERMISSIONS

    class Meta:
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
        ordering = ["topic", "-date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("platforms:researchreport_detail", args=[self.pk])


class Proposal(ScopedModel):
    """A proposal (建议) submitted to a department, answered by a due date; the answer's
    state is recorded by :func:`~tongxin.platforms.services.research.proposal_answer`."""

    code = models.CharField(
        _("proposal number"), max_length=20, unique=True, help_text=_("The county's number, e.g. 330122-2026-001")
    )
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="proposals"
    )
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("When the proposal concerns one township"),
    )
    topic = models.ForeignKey(
        ResearchTopic,
        verbose_name=_("research topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    department = models.CharField(_("department"), max_length=100, help_text=_("The department that answers"))
    submitted_on = models.DateField(_("submitted on"))
    due_on = models.DateField(_("answer due"))
    answer_state = models.CharField(
        _("answer"), max_length=16, choices=AnswerState.choices, blank=True, default="", editable=False
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    answer_text = models.TextField(_("answer text"), blank=True, editable=False)

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", township="township", placement=("county", "township"))
    permissions: ClassVar[RolePermissions] = PROPOSAL_PERMISSIONS

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["county", "-submitted_on", "code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("submitted_on")),
                name="platforms_proposal_due_after_submitted",
                violation_error_message=_("The answer is due after the proposal is submitted."),
            ),
            models.CheckConstraint(
                condition=models.Q(answer_state="", answered_on__isnull=True)
                | (~models.Q(answer_state="") & models.Q(answered_on__isnull=False)),
                name="platforms_proposal_answer_dated",
                violation_error_message=_("An answer has a state and a date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("platforms:proposal_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        _same_county(self.township, self.county_id, "township")
        if self.topic is not None and self.county_id is not None and self.topic.county_id != self.county_id:
            raise ValidationError({"topic": _("The topic is not of this county.")})

    @property
    def answered(self) -> bool:
        return bool(self.answer_state)

    @property
    def implemented(self) -> bool:
        """Whether the answer leads to implementation (adopted or partly adopted)."""
        return self.answer_state in IMPLEMENTED_STATES


class Instruction(ScopedModel):
    """A leader's written instruction (领导批示) on a proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="instructions"
    )
    leader = models.CharField(_("leader"), max_length=100, help_text=_("Post and name, e.g. county head"))
    date = models.DateField(_("date"))
    text = models.TextField(_("instruction"))

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="proposal__county", township="proposal__township", placement=("proposal",)
    )
    permissions: ClassVar[RolePermissions] = DETAIL_PERMISSIONS

    class Meta:
        verbose_name = _("instruction by a leader")
        verbose_name_plural = _("instructions by leaders")
        ordering = ["proposal", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.leader} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("platforms:instruction_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.proposal_id is not None and self.date and self.date < self.proposal.submitted_on:
            raise ValidationError({"date": _("An instruction cannot be dated before the proposal was submitted.")})


class Milestone(ScopedModel):
    """A step of implementing an adopted (or partly adopted) proposal, with the progress it
    stands for when done (like Decidim's accountability: the proposal's progress is the
    highest percentage of its milestones done)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    planned_on = models.DateField(_("planned for"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress when done (%)"), default=100)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="proposal__county", township="proposal__township", placement=("proposal",)
    )
    permissions: ClassVar[RolePermissions] = DETAIL_PERMISSIONS

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["proposal", "planned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="platforms_milestone_progress",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("platforms:milestone_detail", args=[self.pk])

    def clean(self) -> None:
        """Only an adopted or partly adopted proposal is implemented; a milestone is done
        after the proposal was answered."""
        super().clean()
        if self.proposal_id is None:
            return
        proposal = self.proposal
        if not proposal.implemented:
            raise ValidationError(
                {"proposal": _("Only an adopted or partly adopted proposal has implementation milestones.")}
            )
        if self.done_on is not None and proposal.answered_on is not None and self.done_on < proposal.answered_on:
            raise ValidationError({"done_on": _("A milestone cannot be done before the proposal was answered.")})


class Participation(ScopedModel):
    """A non-party person's part in a research topic (group leader or member) or in a
    proposal (proposer or co-proposer). The person is the file of the cadres app; only the
    county's cadre officers, who keep the files, see and record these rows."""

    person = models.ForeignKey(
        "cadres.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipationRole.choices)
    topic = models.ForeignKey(
        ResearchTopic,
        verbose_name=_("research topic"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
    )

    scope: ClassVar[ScopePaths] = ScopePaths(county="person__county", placement=("person",))
    permissions: ClassVar[RolePermissions] = PARTICIPATION_PERMISSIONS

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["person", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__isnull=False, proposal__isnull=True)
                | models.Q(topic__isnull=True, proposal__isnull=False),
                name="platforms_participation_one_subject",
                violation_error_message=_("A participation is in one topic or one proposal."),
            ),
            models.UniqueConstraint(
                fields=["person", "topic"],
                name="platforms_participation_topic_once",
                violation_error_message=_("This person is already in this topic's group."),
            ),
            models.UniqueConstraint(
                fields=["person", "proposal"],
                name="platforms_participation_proposal_once",
                violation_error_message=_("This person is already named on this proposal."),
            ),
        ]

    def __str__(self) -> str:
        subject = self.topic if self.topic_id is not None else self.proposal
        return f"{self.get_role_display()} · {subject}"

    def get_absolute_url(self) -> str:
        return reverse("platforms:participation_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        in_topic = self.role in GROUP_ROLES
        if in_topic and self.topic_id is None:
            raise ValidationError({"topic": _("A research group role is taken in a topic.")})
        if not in_topic and self.proposal_id is None:
            raise ValidationError({"proposal": _("A proposer is named on a proposal.")})
        subject = self.topic if in_topic else self.proposal
        if self.person_id is not None and subject is not None and subject.county_id != self.person.county_id:
            raise ValidationError({"person": _("The person's file is not of the county of this topic or proposal.")})

"""Selections (评选): "Top Ten" campaigns with nominations, recommendations by deputies and
members, a qualification review, a jury and a public vote.

Who sees what is declared here, per model (``scope`` and ``permissions``); jurors (the
``reviewer`` role) see the rows of the selections they sit on the jury of, through the
``reviewer`` path (``…__jurors__user``), and their own marks and recusals only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ADD, ALL, CHANGE, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.enterprises.choices import Industry
from tongxin.selection.choices import (
    Channel,
    Council,
    CouncilLevel,
    CriterionKind,
    NominationStatus,
    Outcome,
    Stage,
    TieBreak,
)

# Workflow actions.
ADVANCE = "advance"  # move a selection to its next stage
QUALIFY = "qualify"  # check criteria, qualify or reject a nomination
ANSWER = "answer"  # answer an objection during the publicity
SCORE = "score"  # a juror marks a candidate or declares a conflict
COUNTY = (Role.COUNTY_ADMIN, Role.COUNTY_STAFF)

SELECTION_PERMISSIONS = RolePermissions.of(
    {
        **{role: ALL | {ADVANCE} for role in COUNTY},
        Role.TOWNSHIP_STAFF: {VIEW},
        Role.REVIEWER: {VIEW, SCORE},
    }
)
#: Parts of a selection the committee sets up (categories, criteria, jurors).
SETUP_PERMISSIONS = RolePermissions.of(
    {**dict.fromkeys(COUNTY, ALL), Role.TOWNSHIP_STAFF: {VIEW}, Role.REVIEWER: {VIEW}}
)
NOMINATION_PERMISSIONS = RolePermissions.of(
    {
        **{role: ALL | {QUALIFY, ANSWER} for role in COUNTY},
        Role.TOWNSHIP_STAFF: {VIEW, ADD, CHANGE, EXPORT},
        Role.ENTERPRISE_CONTACT: {VIEW},
        Role.REVIEWER: {VIEW, SCORE},
    }
)
RECORD_PERMISSIONS = RolePermissions.of(
    {
        **dict.fromkeys(COUNTY, ALL),
        Role.TOWNSHIP_STAFF: {VIEW, ADD, CHANGE, EXPORT},
        Role.REVIEWER: {VIEW},
    }
)
#: Written by the services only (qualification checks, objections' answers).
COMMITTEE_PERMISSIONS = RolePermissions.of({**dict.fromkeys(COUNTY, ALL), Role.REVIEWER: {VIEW}})
#: A juror's marks and recusals: the juror's own; the committee reads them.
JUROR_OWN_PERMISSIONS = RolePermissions.of({**{role: {VIEW, EXPORT} for role in COUNTY}, Role.REVIEWER: {VIEW}})
DEPUTY_PERMISSIONS = RolePermissions.of({**dict.fromkeys(COUNTY, ALL), Role.TOWNSHIP_STAFF: {VIEW}})
ANOMALY_PERMISSIONS = RolePermissions.of({role: {VIEW, EXPORT} for role in COUNTY})

#: Township staff see their county's selections (they nominate); jurors the selections
#: they sit on the jury of.
SELECTION_SCOPE = ScopePaths(
    county="county", township="county__townships", reviewer="jurors__user", many=True, placement=("county",)
)


class Selection(ScopedModel):
    """A selection campaign of a county ("2027 十大创业之星"): places, quotas, weights and
    its stage on the timeline. Stages change only through ``selection_advance``."""

    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="selections"
    )
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=10)
    max_per_industry = models.PositiveSmallIntegerField(
        _("at most per industry"), null=True, blank=True, help_text=_("Empty: no limit")
    )
    min_from_townships = models.PositiveSmallIntegerField(
        _("at least from towns and townships"), default=0, help_text=_("Candidates working in a town or township")
    )
    jury_weight = models.PositiveSmallIntegerField(_("jury weight (%)"), default=50)
    public_weight = models.PositiveSmallIntegerField(_("public weight (%)"), default=50)
    publicity_days = models.PositiveSmallIntegerField(_("publicity days"), default=7)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PREPARATION, editable=False
    )
    stage_since = models.DateTimeField(_("in this stage since"), null=True, blank=True, editable=False)
    tallied_at = models.DateTimeField(_("results computed"), null=True, blank=True, editable=False)

    scope: ClassVar[ScopePaths] = SELECTION_SCOPE
    permissions: ClassVar[RolePermissions] = SELECTION_PERMISSIONS

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        ordering = ["-year", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jury_weight__lte=100) & models.Q(public_weight__lte=100),
                name="selection_weights_percent",
                violation_error_message=_("A weight is a percentage, at most 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(places__gte=1),
                name="selection_places_positive",
                violation_error_message=_("A selection has at least one place."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selection:selection_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        jury, public = self.jury_weight, self.public_weight
        if jury is not None and public is not None and jury + public != 100:
            raise ValidationError({"public_weight": _("The jury and public weights add up to 100.")})
        if self.places and self.min_from_townships and self.min_from_townships > self.places:
            raise ValidationError({"min_from_townships": _("The township quota cannot exceed the places.")})

    @property
    def is_public(self) -> bool:
        from tongxin.selection.choices import PUBLIC_STAGES

        return self.stage in PUBLIC_STAGES


class _SelectionPart(ScopedModel):
    selection = models.ForeignKey(Selection, verbose_name=_("selection"), on_delete=models.CASCADE)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="selection__county",
        township="selection__county__townships",
        reviewer="selection__jurors__user",
        many=True,
        placement=("selection",),
    )
    permissions: ClassVar[RolePermissions] = SETUP_PERMISSIONS

    class Meta:
        abstract = True


class Category(_SelectionPart):
    """A category of a selection (e.g. "young entrepreneurs"), for grouping nominations."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["selection", "name", "pk"]
        default_related_name = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selection:category_detail", args=[self.pk])


class Criterion(_SelectionPart):
    """An eligibility criterion (checked in the qualification review) or a scoring
    criterion (weighted, marked by each juror up to its maximum)."""

    kind = models.CharField(_("kind"), max_length=12, choices=CriterionKind.choices)
    name = models.CharField(_("name"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), default=0, help_text=_("Scoring criteria only"))
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=10)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["selection", "kind", "pk"]
        default_related_name = "criteria"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selection:criterion_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.kind == CriterionKind.SCORING and not self.weight:
            raise ValidationError({"weight": _("A scoring criterion needs a weight.")})
        if not self.max_points:
            raise ValidationError({"max_points": _("The maximum is at least one point.")})


class Juror(_SelectionPart):
    """A member of a selection's jury: a person holding the reviewer role in the county."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="jury_seats"
    )
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("E.g. vice-chair of the chamber"))

    scope: ClassVar[ScopePaths] = ScopePaths(county="selection__county", reviewer="user", placement=("selection",))

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["selection", "pk"]
        default_related_name = "jurors"
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "user"],
                name="selection_juror_once",
                violation_error_message=_("This person already sits on the jury."),
            )
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def get_absolute_url(self) -> str:
        return reverse("selection:juror_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.user_id is None or self.selection_id is None:
            return
        from tongxin.accounts.models import RoleAssignment
        from tongxin.accounts.roles import active_assignments_q

        holds = RoleAssignment.objects.filter(
            active_assignments_q(), user_id=self.user_id, role=Role.REVIEWER, county_id=self.selection.county_id
        ).exists()
        if not holds:
            raise ValidationError({"user": _("A juror holds the reviewer role in the selection's county.")})


class Deputy(ScopedModel):
    """A deputy to a people's congress or a member of a CPPCC committee (the registry)."""

    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="deputies"
    )
    name = models.CharField(_("name"), max_length=50)
    council = models.CharField(_("body"), max_length=8, choices=Council.choices)
    level = models.CharField(_("level"), max_length=12, choices=CouncilLevel.choices)
    delegation = models.CharField(_("delegation or sector"), max_length=100, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="county", township="county__townships", many=True, placement=("county",)
    )
    permissions: ClassVar[RolePermissions] = DEPUTY_PERMISSIONS

    class Meta:
        verbose_name = _("deputy or member")
        verbose_name_plural = _("deputies and members")
        ordering = ["county", "council", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_council_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("selection:deputy_detail", args=[self.pk])


class Nomination(ScopedModel):
    """A nominee of a selection: who nominated them (channel and organisation), deeds,
    figures and a photo; the qualification result and, after the tally, the result's parts."""

    selection = models.ForeignKey(
        Selection, verbose_name=_("selection"), on_delete=models.CASCADE, related_name="nominations"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nominee"), max_length=50)
    post = models.CharField(_("post"), max_length=100, blank=True, help_text=_("E.g. chair of the board"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="nominations"
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    nominator = models.CharField(_("nominated by"), max_length=100, help_text=_("The nominating organisation"))
    deeds = models.TextField(_("deeds"))
    revenue = models.DecimalField(_("revenue (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)
    taxes = models.DecimalField(_("taxes paid (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="selection/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED, editable=False
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True, editable=False)
    ballot = models.PositiveSmallIntegerField(_("ballot number"), null=True, blank=True, editable=False)
    # The tally's parts (written by ``selection_tally``).
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True, editable=False)
    jury_score = models.DecimalField(
        _("jury score"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    public_score = models.DecimalField(
        _("public score"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    final_score = models.DecimalField(
        _("final score"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True, editable=False)
    tie_break = models.CharField(_("tie broken by"), max_length=8, choices=TieBreak.choices, blank=True, editable=False)
    jurors_scored = models.PositiveSmallIntegerField(_("jurors who scored"), null=True, blank=True, editable=False)
    jurors_recused = models.PositiveSmallIntegerField(_("jurors recused"), null=True, blank=True, editable=False)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="selection__county",
        township="township",
        enterprise="enterprise",
        reviewer="selection__jurors__user",
        many=True,
        placement=("selection", "township"),
    )
    permissions: ClassVar[RolePermissions] = NOMINATION_PERMISSIONS

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["selection", "ballot", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "ballot"],
                name="selection_nomination_ballot_once",
                violation_error_message=_("This ballot number is taken."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selection:nomination_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        selection = self.selection if self.selection_id else None
        if selection is not None and self.township_id and self.township.county_id != selection.county_id:
            errors["township"] = _("The township is not in the selection's county.")
        enterprise = self.enterprise if self.enterprise_id else None
        if enterprise is not None and self.township_id and enterprise.township_id != self.township_id:
            errors["enterprise"] = _("The enterprise is not in this township.")
        category = self.category if self.category_id else None
        if category is not None and category.selection_id != self.selection_id:
            errors["category"] = _("The category belongs to another selection.")
        if errors:
            raise ValidationError(errors)

    @property
    def from_township(self) -> bool:
        """Works in a town or township (not a city sub-district), for the township quota."""
        from tongxin.regions.choices import TownshipKind

        return self.township.kind != TownshipKind.STREET


class _NominationPart(ScopedModel):
    nomination = models.ForeignKey(Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="nomination__selection__county",
        township="nomination__township",
        reviewer="nomination__selection__jurors__user",
        many=True,
        placement=("nomination",),
    )
    permissions: ClassVar[RolePermissions] = RECORD_PERMISSIONS

    class Meta:
        abstract = True


class Recommendation(_NominationPart):
    """A deputy's or member's recommendation of a nominee, shown on the nomination."""

    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy or member"), on_delete=models.PROTECT)
    text = models.TextField(_("recommendation"))
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["nomination", "date", "pk"]
        default_related_name = "recommendations"
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "deputy"],
                name="selection_recommendation_once",
                violation_error_message=_("This deputy or member already recommended the nominee."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy.name} → {self.nomination.name}"

    def get_absolute_url(self) -> str:
        return reverse("selection:recommendation_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.deputy_id and self.nomination_id and self.deputy.county_id != self.nomination.selection.county_id:
            raise ValidationError({"deputy": _("The deputy or member is not on the selection's county registry.")})


class CriterionCheck(_NominationPart):
    """One eligibility criterion checked for one nomination, with the evidence."""

    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+")
    met = models.BooleanField(_("met"))
    evidence = models.CharField(_("evidence"), max_length=300)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )

    permissions: ClassVar[RolePermissions] = COMMITTEE_PERMISSIONS

    class Meta:
        verbose_name = _("criterion check")
        verbose_name_plural = _("criterion checks")
        ordering = ["nomination", "criterion", "pk"]
        default_related_name = "checks"
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "criterion"],
                name="selection_check_once",
                violation_error_message=_("This criterion is already checked."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomination.name} · {self.criterion.name}"


class Objection(_NominationPart):
    """An objection received during the short-list publicity, and the committee's answer."""

    received = models.DateField(_("received"))
    text = models.TextField(_("objection"))
    answer = models.TextField(_("answer"), blank=True, editable=False)
    upheld = models.BooleanField(_("upheld"), default=False, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)

    permissions: ClassVar[RolePermissions] = COMMITTEE_PERMISSIONS

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["nomination", "received", "pk"]
        default_related_name = "objections"

    def __str__(self) -> str:
        return f"{self.nomination.name} · {self.received}"

    def get_absolute_url(self) -> str:
        return reverse("selection:objection_detail", args=[self.pk])


class _JurorPart(ScopedModel):
    juror = models.ForeignKey(Juror, verbose_name=_("juror"), on_delete=models.CASCADE)
    nomination = models.ForeignKey(Nomination, verbose_name=_("candidate"), on_delete=models.CASCADE)

    scope: ClassVar[ScopePaths] = ScopePaths(county="juror__selection__county", reviewer="juror__user")
    permissions: ClassVar[RolePermissions] = JUROR_OWN_PERMISSIONS

    class Meta:
        abstract = True


class Mark(_JurorPart):
    """The points one juror gave one candidate on one scoring criterion."""

    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        ordering = ["juror", "nomination", "criterion", "pk"]
        default_related_name = "marks"
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "nomination", "criterion"],
                name="selection_mark_once",
                violation_error_message=_("This criterion is already marked."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.juror} · {self.nomination.name} · {self.points}"


class Recusal(_JurorPart):
    """A juror's declared conflict of interest with a candidate: no marks for them."""

    reason = models.CharField(_("conflict of interest"), max_length=300)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        ordering = ["juror", "nomination", "pk"]
        default_related_name = "recusals"
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "nomination"],
                name="selection_recusal_once",
                violation_error_message=_("This conflict is already declared."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.juror} · {self.nomination.name}"


# --- the public vote: not change-logged (a vote is secret; the rows are counted) ---------


class Voter(models.Model):
    """A person who proved a mobile number for a selection: only its keyed hash is kept.

    ``ballots`` counts the votes cast; a vote takes one with a conditional update, so a
    voter never casts more than the places, whatever runs in parallel."""

    selection = models.ForeignKey(Selection, verbose_name=_("selection"), on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64)
    ballots = models.PositiveSmallIntegerField(_("votes cast"), default=0)
    verified_at = models.DateTimeField(_("verified"), auto_now_add=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "phone_hash"],
                name="selection_voter_once",
                violation_error_message=_("This number is already verified."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.selection_id} · {self.phone_hash[:8]}"


class PhoneCode(models.Model):
    """A one-time code sent to a number (kept as keyed hashes), valid for a few minutes."""

    selection = models.ForeignKey(Selection, verbose_name=_("selection"), on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, db_index=True)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    address_hash = models.CharField(_("address (keyed hash)"), max_length=64, db_index=True)
    created = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    expires = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]} · {self.created}"


class Vote(models.Model):
    """One voter's vote for one candidate: once per candidate (a database constraint)."""

    selection = models.ForeignKey(Selection, verbose_name=_("selection"), on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(Voter, verbose_name=_("voter"), on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="public_votes"
    )
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    address_hash = models.CharField(_("address (keyed hash)"), max_length=64)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        # The per-address limit counts an address's votes of the last hour.
        indexes = [models.Index(fields=["address_hash", "created"], name="selection_vote_address_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["voter", "nomination"],
                name="selection_vote_once_per_candidate",
                violation_error_message=_("You already voted for this candidate."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.nomination_id}"


class Anomaly(models.Model):
    """A burst of votes for a candidate, flagged for the committee by the velocity watch."""

    selection = models.ForeignKey(Selection, verbose_name=_("selection"), on_delete=models.CASCADE, related_name="+")
    nomination = models.ForeignKey(Nomination, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField(_("window start"))
    votes = models.PositiveIntegerField(_("votes in the window"))
    expected = models.PositiveIntegerField(_("threshold"))
    addresses = models.PositiveIntegerField(_("distinct addresses"), default=0)
    flagged_at = models.DateTimeField(_("flagged"), auto_now_add=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="selection__county")
    permissions: ClassVar[RolePermissions] = ANOMALY_PERMISSIONS

    class Meta:
        verbose_name = _("vote anomaly")
        verbose_name_plural = _("vote anomalies")
        ordering = ["-window_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "window_start"],
                name="selection_anomaly_once_per_window",
                violation_error_message=_("This window is already flagged."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id} · {self.window_start}"

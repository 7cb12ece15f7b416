"""Pairing campaigns, who takes part, their rankings and the matching runs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.exceptions import WorkflowError
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ADD, ALL, CHANGE, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.pairing.choices import EventKind, Frequency, PairStatus, Side, Stage

READ_ONLY = frozenset({VIEW, EXPORT})

#: A document number prefix is one word: no spaces, and none of the brackets that frame
#: the year (〔2027〕) or that a wrong number would use instead.
validate_document_prefix = RegexValidator(
    r"[\s〔〕\[\]【】()（）]",
    inverse_match=True,
    message=_("A document number prefix is one word without spaces or brackets, such as 桐庐县联发."),
    code="document_prefix",
)
# Workflow actions on a campaign: move it a stage on, close it, run the matching, add a
# pair by county override, appoint liaison officers.
COUNTY_STEERING = frozenset({"advance", "match", "override", "appoint"})


PREFIXES_DIFFER = _("Letters of responsibility and letters of appointment need different document number prefixes.")


class Campaign(ScopedModel):
    """A pairing campaign such as "2027 村企共建" of one county.

    Everyone in the county sees the campaign itself; what they see inside it is scoped by
    the models below.
    """

    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    report_frequency = models.CharField(
        _("report frequency"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("reports due (days after the period)"), default=10, validators=[MaxValueValidator(90)]
    )
    enterprise_capacity = models.PositiveSmallIntegerField(_("default villages per enterprise"), default=1)
    village_capacity = models.PositiveSmallIntegerField(_("default enterprises per village"), default=1)
    proposing = models.CharField(_("proposing side"), max_length=16, choices=Side.choices, default=Side.ENTERPRISE)
    # Each kind of letter has its own prefix (机关代字): the two kinds are numbered apart, so
    # one prefix for both would give two letters the same document number.
    letter_prefix = models.CharField(
        _("document number prefix of letters of responsibility"),
        max_length=20,
        default="统建",
        validators=[validate_document_prefix],
    )
    appointment_prefix = models.CharField(
        _("document number prefix of letters of appointment"),
        max_length=20,
        default="统聘",
        db_default="统聘",
        validators=[validate_document_prefix],
    )
    issuer = models.CharField(_("issuing body"), max_length=100, default="村企共建工作领导小组办公室")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.PREPARING, editable=False)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="county",
        township="county__townships",
        village="county__townships__villages",
        enterprise="county__townships__enterprises",
        liaison="appointments__liaison",
        many=True,
    )
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            # A campaign with any record of work cannot be deleted (its pairs, events,
            # runs and letters protect it): it is closed instead, by the administrator.
            Role.COUNTY_ADMIN: ALL | COUNTY_STEERING | {"close"},
            Role.COUNTY_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}) | COUNTY_STEERING,
            Role.TOWNSHIP_STAFF: READ_ONLY,
            Role.VILLAGE_CONTACT: frozenset({VIEW}),
            Role.ENTERPRISE_CONTACT: frozenset({VIEW}),
            Role.LIAISON: frozenset({VIEW}),
        }
    )

    class Meta:
        verbose_name = _("pairing campaign")
        verbose_name_plural = _("pairing campaigns")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="campaign_end_after_start",
                violation_error_message=_("The campaign must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(letter_prefix=models.F("appointment_prefix")),
                name="campaign_letter_prefixes_differ",
                violation_error_message=PREFIXES_DIFFER,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pairing:campaign_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The campaign must end after it starts.")
        if self.letter_prefix and self.letter_prefix == self.appointment_prefix:
            errors["appointment_prefix"] = PREFIXES_DIFFER
        if errors:
            raise ValidationError(errors)


class AppendOnlyError(WorkflowError):
    """An attempt to change or delete a row of an append-only record."""


class CampaignEventQuerySet(models.QuerySet["CampaignEvent"]):
    """Events are written once: bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_("Events are never changed."), "append_only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("Events are never deleted."), "append_only")


class CampaignEvent(models.Model):
    """A typed domain event of a campaign or one of its pairs (the timeline).

    Append-only: a saved event is never changed or deleted, and the campaign and pair it
    belongs to are protected by it.
    """

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="events")
    pair = models.ForeignKey(
        "pairing.Pair", verbose_name=_("pair"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,  # an event is never changed, so its actor stays
        null=True,
        blank=True,
        related_name="+",
    )
    time = models.DateTimeField(_("time"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = CampaignEventQuerySet.as_manager()

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="campaign__county",
        township="pair__township",
        village="pair__village",
        enterprise="pair__enterprise",
        liaison="pair__appointments__liaison",
        many=True,
    )
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            Role.COUNTY_ADMIN: READ_ONLY,
            Role.COUNTY_STAFF: READ_ONLY,
            Role.TOWNSHIP_STAFF: READ_ONLY,
            Role.LIAISON: frozenset({VIEW}),
            Role.ENTERPRISE_CONTACT: frozenset({VIEW}),
            Role.VILLAGE_CONTACT: frozenset({VIEW}),
        }
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["time", "pk"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.time:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("Events are never changed."), "append_only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_("Events are never deleted."), "append_only")

    def _state_label(self, key: str) -> str:
        value = self.data.get(key) if isinstance(self.data, dict) else None
        if not value:
            return ""
        choices = Stage if self.kind == EventKind.STAGE_CHANGED else PairStatus
        return str(dict(choices.choices).get(value, value))

    @property
    def before_label(self) -> str:
        """The stage (or pair status) before this event, by its label, never its code."""
        return self._state_label("before")

    @property
    def after_label(self) -> str:
        """The stage (or pair status) this event moved to, by its label, never its code."""
        return self._state_label("after")


class Participant(ScopedModel):
    """An enterprise or a village taking part in a campaign, with its capacity."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="participants"
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    village = models.ForeignKey(
        "regions.Village", verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1, validators=[MaxValueValidator(20)])
    ranked_at = models.DateTimeField(_("ranking saved"), null=True, blank=True)
    ranked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ranked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    on_behalf = models.BooleanField(_("entered on their behalf"), default=False)
    ranking = models.JSONField(_("ranking"), default=list, blank=True, help_text=_("Partner ids, best first"))

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="campaign__county", township="township", village="village", enterprise="enterprise"
    )
    # "rank": enter the participant's ranking — the contact for their own organisation,
    # county or township staff on its behalf. Who may view a participant may also know
    # its ranking (the "why (not) this pair" page asks exactly this).
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            Role.COUNTY_ADMIN: READ_ONLY | {"rank"},
            Role.COUNTY_STAFF: READ_ONLY | {"rank"},
            Role.TOWNSHIP_STAFF: READ_ONLY | {"rank"},
            Role.VILLAGE_CONTACT: frozenset({VIEW, "rank"}),
            Role.ENTERPRISE_CONTACT: frozenset({VIEW, "rank"}),
        }
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["campaign", "side", "township", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"],
                name="participant_enterprise_once",
                condition=models.Q(enterprise__isnull=False),
                violation_error_message=_("The enterprise already takes part in this campaign."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "village"],
                name="participant_village_once",
                condition=models.Q(village__isnull=False),
                violation_error_message=_("The village already takes part in this campaign."),
            ),
            models.CheckConstraint(
                condition=(models.Q(side="enterprise", enterprise__isnull=False, village__isnull=True))
                | (models.Q(side="village", village__isnull=False, enterprise__isnull=True)),
                name="participant_one_side",
                violation_error_message=_("A participant is one enterprise or one village."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.enterprise or self.village)

    @property
    def party(self) -> object:
        return self.enterprise or self.village


class Preference(models.Model):
    """One entry of a participant's ranking: ``rank`` 1 is the most wanted partner.

    Rows are written only by :func:`tongxin.pairing.services.preferences_set`, which
    replaces a participant's whole list in one transaction and audits it on the
    participant.
    """

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="preferences"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    village = models.ForeignKey("regions.Village", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["participant", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "rank"], name="preference_rank_once"),
            models.UniqueConstraint(fields=["participant", "enterprise", "village"], name="preference_partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.enterprise or self.village}"


class MatchRun(ScopedModel):
    """One run of the matching engine: inputs, parameters, timing and result, reproducible.

    A run is started by :func:`tongxin.pairing.services.match_run_start` (waiting) and
    carried out by a background task (running, then finished or failed); its progress
    while it runs is kept in the cache (see ``progress_key``). A row written without a
    status (a seeded or imported record) is a finished run.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        """The steps of a run, in order, as its progress bar names them."""

        LOADING = "loading", _("Loading rankings")
        SOLVING = "solving", _("Solving")
        WRITING = "writing", _("Writing proposals")
        EXPLAINING = "explaining", _("Explaining the unmatched")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="match_runs"
    )
    proposing = models.CharField(_("proposing side"), max_length=16, choices=Side.choices)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0, help_text=_("Solving only"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DONE, editable=False)
    started = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    finished = models.DateTimeField(_("finished"), null=True, blank=True, editable=False)
    timings = models.JSONField(
        _("timings (ms)"), default=dict, blank=True, editable=False, help_text=_("Milliseconds per step")
    )
    error = models.TextField(_("error"), blank=True, editable=False)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="campaign__county", township="campaign__county__townships", many=True
    )
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {Role.COUNTY_ADMIN: ALL, Role.COUNTY_STAFF: ALL, Role.TOWNSHIP_STAFF: READ_ONLY}
    )

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:matchrun_detail", args=[self.pk])

    @property
    def active(self) -> bool:
        """Waiting or running."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def progress_key(self) -> str:
        return f"match-run-progress-{self.pk}"


class UnmatchedParty(models.Model):
    """A party a match run left without a partner, and why not its first choice.

    Written once by the run (the run page reads these instead of solving again):
    ``explanation`` explains the pair (party, first choice) as
    :func:`tongxin.pairing.services.selection.explanation_data` stores it, empty when the
    party ranked nobody. ``side`` says which of ``enterprise`` and ``village`` is the
    party; the other is its first choice. Seen by whoever may see the run, within their
    area: ``township`` is the party's.
    """

    run = models.ForeignKey(MatchRun, verbose_name=_("match run"), on_delete=models.CASCADE, related_name="unmatched")
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    village = models.ForeignKey(
        "regions.Village", verbose_name=_("village"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), on_delete=models.CASCADE, related_name="+"
    )
    explanation = models.JSONField(_("why not the first choice"), default=dict, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="run__campaign__county", township="township")
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            Role.COUNTY_ADMIN: frozenset({VIEW}),
            Role.COUNTY_STAFF: frozenset({VIEW}),
            Role.TOWNSHIP_STAFF: frozenset({VIEW}),
        }
    )

    class Meta:
        verbose_name = _("unmatched party")
        verbose_name_plural = _("unmatched parties")
        ordering = ["run", "side", "pk"]

    def __str__(self) -> str:
        return str(self.enterprise if self.side == Side.ENTERPRISE else self.village)

    @property
    def party(self) -> Any:
        return self.enterprise if self.side == Side.ENTERPRISE else self.village

    @property
    def first_choice(self) -> Any:
        return self.village if self.side == Side.ENTERPRISE else self.enterprise

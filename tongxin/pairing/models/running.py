"""Running the pairs: plans with targets, activities, support and progress reports."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.exceptions import WorkflowError
from tongxin.core.models import ChangeLoggedModel, ScopedModel
from tongxin.core.scope import ADD, ALL, CHANGE, EXPORT, READ, VIEW, RolePermissions, ScopePaths
from tongxin.pairing.choices import ActivityHead, Mode, PairStatus, ReminderKind, ReportStatus, Stage, SupportKind

# Scope of everything that hangs off a pair.
VIA_PAIR = ScopePaths(
    county="pair__campaign__county",
    township="pair__township",
    village="pair__village",
    enterprise="pair__enterprise",
    liaison="pair__appointments__liaison",
    many=True,
    # Records of a pair stay with that pair: nobody moves them to another.
    placement=("pair",),
    moved_by=frozenset(),
)
# Liaison officers and the two parties record the running of their pairs.
RUNNING_PERMISSIONS = RolePermissions.of(
    {
        Role.COUNTY_ADMIN: ALL,
        Role.COUNTY_STAFF: ALL,
        Role.TOWNSHIP_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        Role.LIAISON: frozenset({VIEW, ADD, CHANGE}),
        Role.ENTERPRISE_CONTACT: frozenset({VIEW, ADD, CHANGE}),
        Role.VILLAGE_CONTACT: frozenset({VIEW, ADD, CHANGE}),
    }
)
# The village confirms that an activity of its pair took place (its own pairs only, by
# the village scope path); the enterprise cannot.
ACTIVITY_PERMISSIONS = RUNNING_PERMISSIONS.with_grants(**{Role.VILLAGE_CONTACT: {"confirm"}})
# Everyone who records a pair's running may submit its report; township and county staff
# accept or return it (never one they created or submitted).
REPORT_PERMISSIONS = RUNNING_PERMISSIONS.with_grants(
    **{
        Role.COUNTY_ADMIN: {"submit", "accept", "return"},
        Role.COUNTY_STAFF: {"submit", "accept", "return"},
        Role.TOWNSHIP_STAFF: {"submit", "accept", "return"},
        Role.LIAISON: {"submit"},
        Role.ENTERPRISE_CONTACT: {"submit"},
        Role.VILLAGE_CONTACT: {"submit"},
    }
)
# Plans are agreed once a pair is approved (they go into its letter of responsibility);
# activities, support and reports are recorded while the campaign runs.
PLAN_STAGES = (Stage.APPROVED, Stage.RUNNING)
RUNNING_STAGES = (Stage.RUNNING,)
# Records (activities, support, reports) are kept for pairs in this status only.
RUNNING_PAIR_STATUS = PairStatus.APPROVED


def running_pair_q(prefix: str = "") -> models.Q:
    """Pairs (through ``prefix``, e.g. ``"pair__"``) whose records may be written now: the
    rule of :func:`require_running_pair`, for many rows at once."""
    return models.Q(**{f"{prefix}status": RUNNING_PAIR_STATUS, f"{prefix}campaign__stage__in": RUNNING_STAGES})


def require_running_pair(pair_id: int | None, stages: tuple[str, ...] = RUNNING_STAGES) -> None:
    """Refuse (non-field ``ValidationError``) a record of a pair that is not an approved
    pair of a campaign in one of ``stages``: not on proposals, rejected or dropped pairs,
    closed pairs or campaigns that do not run."""
    if pair_id is None:
        return
    from tongxin.pairing.models.pairs import Pair

    status, stage = Pair.objects.filter(pk=pair_id).values_list("status", "campaign__stage").get()
    if status != RUNNING_PAIR_STATUS:
        raise ValidationError(_("Only approved pairs have plans, activities, support and reports."), code="pair_status")
    if stage not in stages:
        raise ValidationError(
            _("Not possible in the campaign stage “%(stage)s”.") % {"stage": Stage(stage).label}, code="stage"
        )


def _user_fk(label: Any) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


def money(label: Any) -> models.DecimalField[Any, Any]:
    """An amount in 10,000 yuan (万元) with one decimal, never negative."""
    return models.DecimalField(label, max_digits=12, decimal_places=1, default=0, validators=[MinValueValidator(0)])


class PairPlan(ScopedModel):
    """The long-term plan of a pair: targets and the cooperation mode."""

    pair = models.OneToOneField("pairing.Pair", verbose_name=_("pair"), on_delete=models.PROTECT, related_name="plan")
    mode = models.CharField(_("cooperation mode"), max_length=16, choices=Mode.choices)
    mode_notes = models.CharField(_("mode notes"), max_length=200, blank=True)
    investment = money(_("investment target (10,000 yuan)"))
    projects = models.PositiveIntegerField(_("projects target"), default=0)
    jobs = models.PositiveIntegerField(_("jobs for villagers target"), default=0)
    farmer_income = money(_("farmers' income increase target (10,000 yuan)"))
    collective_income = money(_("collective income increase target (10,000 yuan)"))

    scope: ClassVar[ScopePaths] = VIA_PAIR
    permissions: ClassVar[RolePermissions] = RUNNING_PERMISSIONS

    class Meta:
        verbose_name = _("pair plan")
        verbose_name_plural = _("pair plans")
        ordering = ["pair"]

    def __str__(self) -> str:
        return f"{self.pair} · {self.get_mode_display()}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:pair_detail", args=[self.pair_id])

    def clean(self) -> None:
        super().clean()
        require_running_pair(self.pair_id, PLAN_STAGES)


class Activity(ScopedModel):
    """An activity of a pair under the four-in-one heads, or a meeting, donation, project."""

    pair = models.ForeignKey(
        "pairing.Pair", verbose_name=_("pair"), on_delete=models.PROTECT, related_name="activities"
    )
    head = models.CharField(_("head"), max_length=16, choices=ActivityHead.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    amount = money(_("amount (10,000 yuan)"))
    description = models.TextField(_("description"), blank=True)
    # Set only by the service ``activity_confirm`` (the village of the pair), never by a form.
    confirmed_by_village = models.BooleanField(_("confirmed by the village"), default=False, editable=False)
    confirmed_by = _user_fk(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    created_by = _user_fk(_("recorded by"))

    scope: ClassVar[ScopePaths] = VIA_PAIR
    permissions: ClassVar[RolePermissions] = ACTIVITY_PERMISSIONS

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        # The list's order: its first page is read from the index, not sorted from all rows.
        indexes = [models.Index(fields=["-date", "-id"], name="activity_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:activity_detail", args=[self.pk])

    @property
    def was_confirmed(self) -> bool:
        """Confirmed as loaded from the database (a confirmed activity is locked)."""
        return bool((self._loaded_values or {}).get("confirmed_by_village"))

    def clean(self) -> None:
        super().clean()
        if self.was_confirmed:
            raise ValidationError(_("The village has confirmed this activity; it can no longer be changed."))
        require_running_pair(self.pair_id)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.was_confirmed:
            raise models.ProtectedError(str(_("A confirmed activity is never deleted.")), {self})
        return super().delete(*args, **kwargs)


def validate_photo_size(file: Any) -> None:
    if file.size > 5 * 1024 * 1024:
        raise ValidationError(_("A photo may be at most 5 MB."))


class ActivityPhoto(ChangeLoggedModel):
    """A photo of an activity (images only, at most 5 MB)."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="activities/%Y/%m/", validators=[validate_photo_size])
    caption = models.CharField(_("caption"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class Support(ScopedModel):
    """Human, financial or material support given to a pair."""

    pair = models.ForeignKey("pairing.Pair", verbose_name=_("pair"), on_delete=models.PROTECT, related_name="supports")
    kind = models.CharField(_("kind"), max_length=16, choices=SupportKind.choices)
    date = models.DateField(_("date"))
    amount = money(_("value (10,000 yuan)"))
    description = models.CharField(_("description"), max_length=300)

    scope: ClassVar[ScopePaths] = VIA_PAIR
    permissions: ClassVar[RolePermissions] = RUNNING_PERMISSIONS

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["-date", "-id"], name="support_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:support_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        require_running_pair(self.pair_id)


class Report(ScopedModel):
    """A progress report of one pair for one period (one per pair and period).

    draft → submitted → accepted (locked: never changed or deleted) or returned (editable
    again). Whoever created or submitted it cannot accept or return it.
    """

    pair = models.ForeignKey("pairing.Pair", verbose_name=_("pair"), on_delete=models.PROTECT, related_name="reports")
    period = models.DateField(_("period"), help_text=_("First day of the month or quarter"))
    due_date = models.DateField(_("due date"), editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    investment = money(_("investment (10,000 yuan)"))
    projects = models.PositiveIntegerField(_("projects"), default=0)
    jobs = models.PositiveIntegerField(_("jobs for villagers"), default=0)
    farmer_income = money(_("farmers' income increase (10,000 yuan)"))
    collective_income = money(_("collective income increase (10,000 yuan)"))
    narrative = models.TextField(_("progress"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    created_by = _user_fk(_("created by"))

    scope: ClassVar[ScopePaths] = VIA_PAIR
    permissions: ClassVar[RolePermissions] = REPORT_PERMISSIONS

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        # By the pair's number, not the pair's own ordering (campaign, township, village and
        # enterprise names: four joins and a sort of every report in scope); the index
        # serves the list's first page and a period's reports (500,000 rows in a province).
        ordering = ["-period", "pair_id"]
        indexes = [models.Index(fields=["-period", "pair"], name="report_period_pair_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "period"],
                name="report_once_per_period",
                violation_error_message=_("This pair already has a report for this period."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pair} · {self.period:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:report_detail", args=[self.pk])

    @property
    def was_accepted(self) -> bool:
        """Accepted as stored in the database (an accepted report is locked)."""
        stored = getattr(self, "_stored_status", None) or (self._loaded_values or {}).get("status")
        return stored == ReportStatus.ACCEPTED

    def clean(self) -> None:
        super().clean()
        if self.was_accepted:
            raise ValidationError(_("An accepted report is locked."), code="locked")
        require_running_pair(self.pair_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.was_accepted:
            raise WorkflowError(_("An accepted report is locked."), "locked")
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.was_accepted:
            raise models.ProtectedError(str(_("An accepted report is never deleted.")), {self})
        return super().delete(*args, **kwargs)

    @property
    def on_time(self) -> bool:
        from django.utils import timezone

        return self.submitted_at is not None and timezone.localdate(self.submitted_at) <= self.due_date


class ReminderSent(models.Model):
    """One reminder sent to one person about one pair's report for one period.

    The unique constraint makes the reminder run idempotent: a second run for the same
    period sends nothing that was already sent.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices, default=ReminderKind.REPORT_DUE)
    pair = models.ForeignKey("pairing.Pair", verbose_name=_("pair"), on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("period"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="pair__campaign__county", township="pair__township")
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {Role.COUNTY_ADMIN: READ, Role.COUNTY_STAFF: READ, Role.TOWNSHIP_STAFF: READ}
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "pair", "period", "recipient"],
                name="reminder_once",
                violation_error_message=_("This reminder was already sent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.pair_id} · {self.period:%Y-%m} → {self.email}"


class ReportingTally(models.Model):
    """Reporting of one township of one campaign for one period, pre-aggregated.

    ``expected`` approved (or closed) pairs active in the period, ``submitted`` of their
    reports submitted or accepted, ``on_time`` of those submitted by the due date — the
    numbers of :func:`tongxin.pairing.services.reports.reporting_summary`, kept per
    (campaign, township, period) so that a province's completeness and timeliness over
    every county and period is read from a few thousand rows instead of half a million
    reports. Derived data, never edited: :mod:`tongxin.pairing.services.tally` refreshes a
    township's cells whenever a report, a pair or the campaign changes in a way that moves
    them (in the same transaction), and rebuilds everything after a bulk load.

    Read by those who see whole townships (county and township staff, and the province
    and prefecture as supervisors); the others' numbers are counted from their pairs.
    """

    campaign = models.ForeignKey(
        "pairing.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+"
    )
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.DateField(_("period"))
    expected = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)

    scope: ClassVar[ScopePaths] = ScopePaths(county="campaign__county", township="township")
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {Role.COUNTY_ADMIN: READ, Role.COUNTY_STAFF: READ, Role.TOWNSHIP_STAFF: READ}
    )

    class Meta:
        ordering = ["campaign", "township", "period"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "township", "period"], name="reporting_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.township_id} · {self.period:%Y-%m}"

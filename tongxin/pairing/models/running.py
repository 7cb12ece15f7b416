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
from tongxin.core.models import ChangeLoggedModel, ScopedModel
from tongxin.core.scope import ADD, ALL, CHANGE, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.pairing.choices import ActivityHead, Mode, ReportStatus, SupportKind

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


def money(label: Any) -> models.DecimalField[Any, Any]:
    """An amount in 10,000 yuan (万元) with one decimal, never negative."""
    return models.DecimalField(label, max_digits=12, decimal_places=1, default=0, validators=[MinValueValidator(0)])


class PairPlan(ScopedModel):
    """The long-term plan of a pair: targets and the cooperation mode."""

    pair = models.OneToOneField("pairing.Pair", verbose_name=_("pair"), on_delete=models.CASCADE, related_name="plan")
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


class Activity(ScopedModel):
    """An activity of a pair under the four-in-one heads, or a meeting, donation, project."""

    pair = models.ForeignKey(
        "pairing.Pair", verbose_name=_("pair"), on_delete=models.CASCADE, related_name="activities"
    )
    head = models.CharField(_("head"), max_length=16, choices=ActivityHead.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    amount = money(_("amount (10,000 yuan)"))
    description = models.TextField(_("description"), blank=True)
    confirmed_by_village = models.BooleanField(_("confirmed by the village"), default=False)

    scope: ClassVar[ScopePaths] = VIA_PAIR
    permissions: ClassVar[RolePermissions] = RUNNING_PERMISSIONS

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:activity_detail", args=[self.pk])


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

    pair = models.ForeignKey("pairing.Pair", verbose_name=_("pair"), on_delete=models.CASCADE, related_name="supports")
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

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:support_detail", args=[self.pk])


class Report(ScopedModel):
    """A progress report of one pair for one period (one per pair and period).

    draft → submitted → accepted (locked) or returned (editable again).
    """

    pair = models.ForeignKey("pairing.Pair", verbose_name=_("pair"), on_delete=models.CASCADE, related_name="reports")
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

    scope: ClassVar[ScopePaths] = VIA_PAIR
    permissions: ClassVar[RolePermissions] = RUNNING_PERMISSIONS

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period", "pair"]
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
    def on_time(self) -> bool:
        from django.utils import timezone

        return self.submitted_at is not None and timezone.localdate(self.submitted_at) <= self.due_date

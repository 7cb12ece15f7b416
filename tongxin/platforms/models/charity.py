"""Platform 2, religious and ethnic organisations serving society: registered
organisations and venues, their charity and public-welfare activities, and events
(harmonious temple fairs, policy-publicity sessions on the Regulations on Religious
Affairs).

**Organisation-level only.** No model of this module links to a person, and no person
record anywhere carries a religion or an ethnicity (``tests/test_charity.py`` enforces
both).
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ALL, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.platforms.choices import CharityKind, EventKind, OrganisationKind

#: County administrators and staff keep the platform; township staff read their
#: township's rows; province and prefecture staff supervise (read).
CHARITY_PERMISSIONS = RolePermissions.of(
    {Role.COUNTY_ADMIN: ALL, Role.COUNTY_STAFF: ALL, Role.TOWNSHIP_STAFF: {VIEW, EXPORT}}
)


class Organisation(ScopedModel):
    """A registered religious venue, religious group or ethnic association of a county."""

    name = models.CharField(_("name"), max_length=100)
    registration_number = models.CharField(
        _("registration number"), max_length=40, unique=True, help_text=_("As on the registration certificate")
    )
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="organisations"
    )
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", township="township", placement=("county", "township"))
    permissions: ClassVar[RolePermissions] = CHARITY_PERMISSIONS

    class Meta:
        verbose_name = _("registered organisation")
        verbose_name_plural = _("registered organisations")
        ordering = ["county", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platforms:organisation_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.township is not None and self.county_id is not None and self.township.county_id != self.county_id:
            raise ValidationError({"township": _("The township is not in this county.")})


class CharityActivity(ScopedModel):
    """A charity or public-welfare activity of one organisation: what, when, how much was
    given and how many people benefited (a number: beneficiaries are never named)."""

    code = models.CharField(
        _("activity number"), max_length=30, unique=True, help_text=_("The county's number, e.g. 330122-CS-0001")
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CharityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    village = models.ForeignKey(
        "regions.Village",
        verbose_name=_("village served"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="charity_activities",
    )

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="organisation__county", township="organisation__township", placement=("organisation",)
    )
    permissions: ClassVar[RolePermissions] = CHARITY_PERMISSIONS

    class Meta:
        verbose_name = _("charity activity")
        verbose_name_plural = _("charity activities")
        ordering = ["-date", "code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="platforms_charity_amount",
                violation_error_message=_("The amount cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("platforms:charityactivity_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.village is None or self.organisation_id is None:
            return
        if self.village.township.county_id != self.organisation.county_id:
            raise ValidationError({"village": _("The village is not in the organisation's county.")})


class CharityEvent(ScopedModel):
    """A harmonious temple fair or a policy-publicity session held by an organisation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="organisation__county", township="organisation__township", placement=("organisation",)
    )
    permissions: ClassVar[RolePermissions] = CHARITY_PERMISSIONS

    class Meta:
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("platforms:charityevent_detail", args=[self.pk])

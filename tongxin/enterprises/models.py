"""The enterprise ledger."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core import identifiers
from tongxin.core.choices import CapabilityKind
from tongxin.core.fields import latitude_field, longitude_field, run_identifier
from tongxin.core.models import ScopedModel
from tongxin.core.scope import VIEW, RolePermissions, ScopePaths
from tongxin.enterprises.choices import Industry, Size


class Enterprise(ScopedModel):
    """A private enterprise (or co-operative) of the county, with what it can offer."""

    name = models.CharField(_("name"), max_length=100)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        help_text=_("18 characters (GB 32100); leave empty if not yet known"),
    )
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, default=Size.SMALL)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    revenue = models.DecimalField(
        _("annual revenue (10,000 yuan)"),
        max_digits=12,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    has_party_org = models.BooleanField(_("has a party organisation"), default=False)
    offers = models.ManyToManyField(
        "core.Capability",
        verbose_name=_("can offer"),
        blank=True,
        related_name="enterprises_offering",
        limit_choices_to={"kind": CapabilityKind.NEED},
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="township__county",
        township="township",
        enterprise="pk",
        # A chamber's staff see the enterprises of its county: members and those to win.
        chamber="township__county__chambers__ancestry__ancestor",
        many=True,
        placement=("township",),
    )
    # The portal's editors read the county's enterprises: the entrepreneur stories they write
    # name them.
    permissions: ClassVar[RolePermissions] = RolePermissions.ledger(**{Role.CHAMBER_STAFF: {VIEW}, Role.EDITOR: {VIEW}})

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uscc__isnull=True) | models.Q(uscc__length=18),
                name="enterprise_uscc_length",
                violation_error_message=_("A unified social credit code has 18 characters."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.uscc == "":
            self.uscc = None
        if self.uscc:
            self.uscc = run_identifier(
                identifiers.validate_uscc, self.uscc, _("Unified social credit code"), field_name="uscc"
            )
        if self.contact_mobile:
            self.contact_mobile = run_identifier(
                identifiers.validate_mobile, self.contact_mobile, _("Contact mobile"), field_name="contact_mobile"
            )

    def save(self, *args: object, **kwargs: object) -> None:
        if self.uscc == "":
            self.uscc = None
        super().save(*args, **kwargs)

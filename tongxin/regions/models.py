"""The administrative tree (county → township → village) and the village ledger."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core import identifiers
from tongxin.core.choices import CapabilityKind
from tongxin.core.fields import latitude_field, longitude_field, run_identifier
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ALL, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.regions.choices import TownshipKind, UrbanRural, VillageKind

_TOWNSHIP_KINDS = {
    "street": TownshipKind.STREET,
    "town": TownshipKind.TOWN,
    "township": TownshipKind.TOWNSHIP,
    "similar": TownshipKind.SIMILAR,
}


class County(ScopedModel):
    """A county (or county-level city or district): the root of one deployment's tree."""

    code = models.CharField(_("division code"), max_length=6, unique=True, help_text=_("6-digit GB/T 2260 code"))
    name = models.CharField(_("name"), max_length=50)
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional data for trying Tongxin out"))
    latitude = latitude_field()
    longitude = longitude_field()

    scope: ClassVar[ScopePaths] = ScopePaths(county="pk")
    permissions: ClassVar[RolePermissions] = RolePermissions(
        {Role.COUNTY_ADMIN: frozenset({VIEW, "change", EXPORT}), Role.COUNTY_STAFF: frozenset({VIEW, EXPORT})}
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.code = run_identifier(identifiers.validate_county_code, self.code, _("Division code"), field_name="code")


class Township(ScopedModel):
    """A township, town or sub-district (乡镇/街道) of a county."""

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="townships")
    code = models.CharField(_("division code"), max_length=12, unique=True, help_text=_("12-digit statistical code"))
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=TownshipKind.choices, editable=False)
    latitude = latitude_field()
    longitude = longitude_field()

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", township="pk")
    permissions: ClassVar[RolePermissions] = RolePermissions(
        {
            Role.COUNTY_ADMIN: ALL,
            Role.COUNTY_STAFF: frozenset({VIEW, EXPORT}),
            Role.TOWNSHIP_STAFF: frozenset({VIEW, EXPORT}),
        }
    )

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__length=12),
                name="township_code_length",
                violation_error_message=_("A township code has 12 digits."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:township_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.county_id is not None and self.code:
            self.code = run_identifier(
                identifiers.validate_division_code,
                self.code,
                _("Division code"),
                field_name="code",
                level="township",
                parent=self.county.code,
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = _TOWNSHIP_KINDS.get(identifiers.township_kind(self.code), TownshipKind.SIMILAR)
        super().save(*args, **kwargs)


class Village(ScopedModel):
    """An administrative village or community, with its ledger profile (台账)."""

    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="villages"
    )
    code = models.CharField(_("division code"), max_length=12, unique=True, help_text=_("12-digit statistical code"))
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=VillageKind.choices, editable=False)
    urban_rural = models.CharField(
        _("urban–rural code"), max_length=3, choices=UrbanRural.choices, default=UrbanRural.VILLAGE
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    per_capita_income = models.PositiveIntegerField(_("per-capita income (yuan/year)"), default=0)
    collective_income = models.PositiveIntegerField(_("collective income (yuan/year)"), default=0)
    industries = models.CharField(_("main industries"), max_length=200, blank=True)
    advantages = models.ManyToManyField(
        "core.Capability",
        verbose_name=_("development advantages"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": CapabilityKind.ADVANTAGE},
    )
    needs = models.ManyToManyField(
        "core.Capability",
        verbose_name=_("weak links / needs"),
        blank=True,
        related_name="villages_needing",
        limit_choices_to={"kind": CapabilityKind.NEED},
    )
    latitude = latitude_field()
    longitude = longitude_field()
    party_secretary = models.CharField(_("party branch secretary"), max_length=50, blank=True)
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    party_notes = models.CharField(_("party branch notes"), max_length=200, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="township__county", township="township", village="pk")

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__length=12),
                name="village_code_length",
                violation_error_message=_("A village code has 12 digits."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:village_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.township_id is not None and self.code:
            self.code = run_identifier(
                identifiers.validate_division_code,
                self.code,
                _("Division code"),
                field_name="code",
                level="village",
                parent=self.township.code,
            )
        if self.households and self.population and self.households > self.population:
            raise ValidationError({"households": _("There cannot be more households than people.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = identifiers.village_kind(self.code)
        super().save(*args, **kwargs)

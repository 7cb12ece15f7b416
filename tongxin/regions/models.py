"""The administrative tree (county → township → village) and the village ledger."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
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
from tongxin.regions.choices import DivisionLevel, TownshipKind, UrbanRural, VillageKind

_TOWNSHIP_KINDS = {
    "street": TownshipKind.STREET,
    "town": TownshipKind.TOWN,
    "township": TownshipKind.TOWNSHIP,
    "similar": TownshipKind.SIMILAR,
}


def withdrawn_field() -> models.BooleanField[Any, Any]:
    return models.BooleanField(
        _("withdrawn"), default=False, help_text=_("No longer in the official division table; kept for the record")
    )


_TREE_READ = frozenset({VIEW, EXPORT})


class Province(ScopedModel):
    """A province-level division (省、自治区、直辖市): the top of the tree."""

    code = models.CharField(_("division code"), max_length=2, unique=True, help_text=_("2-digit code"))
    name = models.CharField(_("name"), max_length=50)
    is_demo = models.BooleanField(_("demo data"), default=False)
    withdrawn = withdrawn_field()

    scope: ClassVar[ScopePaths] = ScopePaths(county=None, province="pk")
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {Role.PROVINCE_ADMIN: _TREE_READ, Role.PROVINCE_STAFF: _TREE_READ}, supervised=False
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    #: The fields ``__str__`` reads: a filter's choices load only these.
    choice_label_fields: ClassVar[tuple[str, ...]] = ("name",)

    def __str__(self) -> str:
        return self.name


class Prefecture(ScopedModel):
    """A prefecture-level division (地级市、地区、自治州、盟) of a province."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="prefectures"
    )
    code = models.CharField(_("division code"), max_length=4, unique=True, help_text=_("4-digit code"))
    name = models.CharField(_("name"), max_length=50)
    withdrawn = withdrawn_field()

    scope: ClassVar[ScopePaths] = ScopePaths(county=None, province="province", prefecture="pk")
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {Role.PREFECTURE_ADMIN: _TREE_READ, Role.PREFECTURE_STAFF: _TREE_READ}
    )

    class Meta:
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")
        ordering = ["code"]

    #: The fields ``__str__`` reads: a filter's choices load only these.
    choice_label_fields: ClassVar[tuple[str, ...]] = ("name",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.province_id is None and self.code:
            self.province = Province.objects.get(code=self.code[:2])
        super().save(*args, **kwargs)


def tree_parents(code6: str, *, create: bool = True) -> tuple[Province, Prefecture]:
    """The province and prefecture of a county code, created (named by their code) if
    missing — ``manage.py load_divisions`` gives them their official names."""
    province = Province.objects.filter(code=code6[:2]).first()
    if province is None:
        province = Province.objects.create(
            code=code6[:2], name=identifiers.MAINLAND_PROVINCES.get(code6[:2], code6[:2] + "0000")
        )
    prefecture = Prefecture.objects.filter(code=code6[:4]).first()
    if prefecture is None:
        prefecture = Prefecture.objects.create(province=province, code=code6[:4], name=code6[:4] + "00")
    return province, prefecture


class County(ScopedModel):
    """A county (or county-level city or district) of a prefecture.

    ``province`` is kept beside ``prefecture`` (always the prefecture's province) so that
    a province's scope is one indexed column away from every row.
    """

    prefecture = models.ForeignKey(
        Prefecture, verbose_name=_("prefecture"), on_delete=models.PROTECT, related_name="counties"
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, editable=False, related_name="counties"
    )
    code = models.CharField(_("division code"), max_length=6, unique=True, help_text=_("6-digit GB/T 2260 code"))
    name = models.CharField(_("name"), max_length=50)
    is_demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional data for trying Tongxin out"))
    withdrawn = withdrawn_field()
    latitude = latitude_field()
    longitude = longitude_field()

    scope: ClassVar[ScopePaths] = ScopePaths(county="pk", placement=("prefecture",), moved_by=frozenset({"province"}))
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            Role.COUNTY_ADMIN: frozenset({VIEW, "change", EXPORT}),
            Role.COUNTY_STAFF: frozenset({VIEW, EXPORT}),
            # To file a cadre under their county.
            Role.CADRE_OFFICER: frozenset({VIEW}),
            # To place an article of the portal in their county.
            Role.EDITOR: frozenset({VIEW}),
            Role.PUBLISHER: frozenset({VIEW}),
        }
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    #: The fields ``__str__`` reads: a filter's choices load only these.
    choice_label_fields: ClassVar[tuple[str, ...]] = ("name",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.code = run_identifier(identifiers.validate_county_code, self.code, _("Division code"), field_name="code")
        if self.prefecture_id is not None and not self.code.startswith(self.prefecture.code):
            raise ValidationError({"code": _("The code must start with the prefecture's code.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.prefecture_id is None and self.code:
            self.prefecture = tree_parents(self.code)[1]
        self.province_id = self.prefecture.province_id
        super().save(*args, **kwargs)


class Township(ScopedModel):
    """A township, town or sub-district (乡镇/街道) of a county."""

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="townships")
    code = models.CharField(_("division code"), max_length=12, unique=True, help_text=_("12-digit statistical code"))
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=TownshipKind.choices, editable=False)
    withdrawn = withdrawn_field()
    latitude = latitude_field()
    longitude = longitude_field()

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", township="pk", placement=("county",))
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            Role.COUNTY_ADMIN: ALL,
            Role.COUNTY_STAFF: frozenset({VIEW, EXPORT}),
            Role.TOWNSHIP_STAFF: frozenset({VIEW, EXPORT}),
            # To place a township team of the cadre files.
            Role.CADRE_OFFICER: frozenset({VIEW}),
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

    #: The fields ``__str__`` reads: a filter's choices load only these.
    choice_label_fields: ClassVar[tuple[str, ...]] = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:township_detail", args=[self.pk])

    @classmethod
    def import_read_ahead(cls, codes: Iterable[str]) -> AbstractContextManager[None]:
        """What an import's rows would ask for one by one, read once per chunk (the
        official table's rows for the chunk's codes)."""
        return official_codes_read_ahead(codes)

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
            if _code_changed(self):
                check_official_code(self.code, self.county, _("Division code"))

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
    withdrawn = withdrawn_field()
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

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="township__county", township="township", village="pk", placement=("township",)
    )

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

    #: The fields ``__str__`` reads: a filter's choices load only these.
    choice_label_fields: ClassVar[tuple[str, ...]] = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:village_detail", args=[self.pk])

    @classmethod
    def import_read_ahead(cls, codes: Iterable[str]) -> AbstractContextManager[None]:
        """What an import's rows would ask for one by one, read once per chunk (the
        official table's rows for the chunk's codes)."""
        return official_codes_read_ahead(codes)

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
            if _code_changed(self):
                check_official_code(self.code, self.township.county, _("Division code"))
        if self.households and self.population and self.households > self.population:
            raise ValidationError({"households": _("There cannot be more households than people.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = identifiers.village_kind(self.code)
        super().save(*args, **kwargs)


class Division(models.Model):
    """One row of the official division table as last loaded by ``manage.py load_divisions``.

    Reference data, not a ledger: the tree rows (Province … Village) carry the names people
    edit; this table says which codes officially exist. Codes that disappear from a later
    table stay, marked withdrawn.
    """

    code = models.CharField(
        _("division code"), max_length=12, unique=True, help_text=_("2, 4, 6 or 12 digits, by level")
    )
    level = models.CharField(_("level"), max_length=16, choices=DivisionLevel.choices)
    name = models.CharField(_("name"), max_length=100)
    withdrawn = withdrawn_field()
    loaded = models.DateField(_("loaded on"), help_text=_("The day a load created this row or last changed it"))

    class Meta:
        verbose_name = _("official division")
        verbose_name_plural = _("official divisions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level=DivisionLevel.PROVINCE, code__length=2)
                    | models.Q(level=DivisionLevel.PREFECTURE, code__length=4)
                    | models.Q(level=DivisionLevel.COUNTY, code__length=6)
                    | models.Q(level__in=[DivisionLevel.TOWNSHIP, DivisionLevel.VILLAGE], code__length=12)
                ),
                name="division_code_length",
                violation_error_message=_("The code's length does not match its level."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


#: Official codes read ahead by :func:`official_codes_read_ahead`: the codes asked for, and
#: what the table holds of them and of every county (code → withdrawn).
_read_ahead: ContextVar[tuple[frozenset[str], dict[str, bool]] | None] = ContextVar("official_codes", default=None)


@contextmanager
def official_codes_read_ahead(codes: Iterable[str]) -> Iterator[None]:
    """Answer :func:`check_official_code` for ``codes`` from one query instead of one per
    code (an import checks a chunk of rows at once); other codes are still asked for."""
    asked = frozenset(code for code in codes if code)
    found = dict(
        Division.objects.filter(models.Q(code__in=asked) | models.Q(level=DivisionLevel.COUNTY)).values_list(
            "code", "withdrawn"
        )
    )
    token = _read_ahead.set((asked, found))
    try:
        yield
    finally:
        _read_ahead.reset(token)


def check_official_code(code: str, county: County, label: Any) -> None:
    """Refuse a township or village code the loaded official table does not hold.

    Only counties whose divisions were loaded are checked (the county's own Division row
    marks it: every load writes it); demo counties and hand-typed counties without a
    loaded table are not. One query, or none inside :func:`official_codes_read_ahead`
    for a code read ahead. Raises a ValidationError on ``code`` with the error code
    ``unknown``.
    """
    if county.is_demo or not code:
        return
    ahead = _read_ahead.get()
    if ahead is not None and code in ahead[0]:
        found = ahead[1]
    else:
        found = dict(Division.objects.filter(code__in=[code, county.code]).values_list("code", "withdrawn"))
    if code in found:
        if not found[code]:
            return
        message = _("%(label)s: %(code)s has been withdrawn from the official division table.")
    elif county.code in found:
        message = _("%(label)s: %(code)s is not in the official division table loaded for %(county)s.")
    else:
        return
    raise ValidationError(
        {"code": ValidationError(message, code="unknown", params={"label": label, "code": code, "county": county})}
    )


def _code_changed(instance: Township | Village) -> bool:
    """A new row, or an existing row whose code is being changed."""
    return instance._state.adding or (instance._loaded_values or {}).get("code") != instance.code

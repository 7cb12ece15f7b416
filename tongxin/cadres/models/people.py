"""Non-party cadres and representatives (党外干部 / 党外代表人士) and their posts."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.cadres.choices import Affiliation, CouncilLevel, Education, Gender, PersonStatus, RankLevel
from tongxin.cadres.privacy import MASKS
from tongxin.core import identifiers
from tongxin.core.fields import run_identifier
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ALL, RolePermissions, ScopePaths

UNMASK = "unmask"
ADVANCE = "advance"  # move a person through the reserve pipeline
#: Only the county's cadre officers (UFWD, organisation department) see a person; nobody
#: else, not even supervisors above the county. ``unmask`` shows full ID numbers and mobiles.
PERSON_PERMISSIONS = RolePermissions.of({Role.CADRE_OFFICER: ALL | {UNMASK, ADVANCE}}, supervised=False)
POST_PERMISSIONS = RolePermissions.of({Role.CADRE_OFFICER: ALL}, supervised=False)


class Person(ScopedModel):
    """A non-party cadre or representative of a county: the file the cadre officers keep.

    By design there is no ethnicity and no religion field. The resident ID number and the
    mobile are optional, validated, and masked wherever they are shown or logged.
    """

    code = models.CharField(
        _("file number"), max_length=20, unique=True, help_text=_("The county's number of this file, e.g. 330122-0001")
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    education = models.CharField(_("education"), max_length=16, choices=Education.choices)
    expertise = models.CharField(_("field of expertise"), max_length=100, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    rank = models.CharField(_("rank level"), max_length=16, choices=RankLevel.choices, default=RankLevel.NONE)
    affiliation = models.CharField(_("affiliation"), max_length=12, choices=Affiliation.choices)
    npc_level = models.CharField(
        _("people's congress member"), max_length=12, choices=CouncilLevel.choices, blank=True, default=""
    )
    cppcc_level = models.CharField(
        _("CPPCC member"), max_length=12, choices=CouncilLevel.choices, blank=True, default=""
    )
    status = models.CharField(_("status"), max_length=8, choices=PersonStatus.choices, default=PersonStatus.SERVING)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="cadres"
    )
    resident_id = models.CharField(
        _("resident ID number"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Optional; must agree with the birth date and gender"),
    )
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    left_on = models.DateField(
        _("left on"),
        null=True,
        blank=True,
        help_text=_("For a person who left: when (the retention period runs from it)"),
    )
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", placement=("county",))
    permissions: ClassVar[RolePermissions] = PERSON_PERMISSIONS
    #: The change log keeps these masked, never in full.
    log_masks: ClassVar[dict[str, Any]] = MASKS

    class Meta:
        verbose_name = _("non-party cadre")
        verbose_name_plural = _("non-party cadres")
        ordering = ["code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resident_id__isnull=True) | models.Q(resident_id__length=18),
                name="cadres_person_resident_id_length",
                violation_error_message=_("A resident ID number has 18 characters."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:person_detail", args=[self.pk])

    def clean(self) -> None:
        """Identifiers validated and normalised; an ID number must agree with the birth
        date and gender (on every path: form, API, import, admin, service)."""
        super().clean()
        if self.resident_id == "":
            self.resident_id = None
        if self.resident_id:
            self.resident_id = run_identifier(
                identifiers.validate_resident_id, self.resident_id, _("Resident ID number"), field_name="resident_id"
            )
            errors: dict[str, Any] = {}
            if self.birth_date and identifiers.resident_id_birth_date(self.resident_id) != self.birth_date:
                errors["birth_date"] = _("The birth date does not agree with the resident ID number.")
            if self.gender and identifiers.resident_id_gender(self.resident_id) != self.gender:
                errors["gender"] = _("The gender does not agree with the resident ID number.")
            if errors:
                raise ValidationError(errors)
        if self.mobile:
            self.mobile = run_identifier(
                identifiers.validate_mobile, self.mobile, _("Mobile number"), field_name="mobile"
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.resident_id == "":
            self.resident_id = None
        super().save(*args, **kwargs)

    def age(self, on: date) -> int:
        """Whole years of age on ``on``."""
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class PostHistory(ScopedModel):
    """One dated post a person held (work unit, post, rank), for the file's history."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="posts")
    work_unit = models.CharField(_("work unit"), max_length=100)
    post = models.CharField(_("post"), max_length=100)
    rank = models.CharField(_("rank level"), max_length=16, choices=RankLevel.choices, default=RankLevel.NONE)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="person__county", placement=("person",))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        ordering = ["person", "-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="cadres_post_history_dates",
                violation_error_message=_("A post ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_unit} {self.post}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

"""Platform 4, non-party intellectuals serve development: intellectuals (a profile of a
file of the cadres app, never a second copy of the person), "five to the countryside"
activities, village service requests matched to volunteers, and science and technology
innovation projects pairing intellectuals with enterprises.

A profile names a person: its name is shown only to readers of the file (the cadres
policy); its ``__str__`` never carries the name.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ADD, ALL, CHANGE, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.platforms.choices import ProjectStatus, RequestStatus, ServiceField

MATCH = "match"  # propose a volunteer for a request (services.intellectuals.request_match)
ACCEPT = "accept"  # record that the volunteer accepted (services.intellectuals.request_accept)
#: The county reads the profiles (names only to the keepers of the files); the cadre
#: officers, who keep the files, create and change them.
PROFILE_PERMISSIONS = RolePermissions.of(
    {
        Role.CADRE_OFFICER: ALL,
        Role.COUNTY_ADMIN: {VIEW, EXPORT},
        Role.COUNTY_STAFF: {VIEW, EXPORT},
        Role.TOWNSHIP_STAFF: {VIEW},
    }
)
ACTIVITY_PERMISSIONS = RolePermissions.of(
    {Role.COUNTY_ADMIN: ALL, Role.COUNTY_STAFF: ALL, Role.TOWNSHIP_STAFF: {VIEW, ADD, CHANGE, EXPORT}}
)
#: Villages ask for a service; the county proposes a volunteer and records acceptance;
#: township staff follow their township's requests.
REQUEST_PERMISSIONS = RolePermissions.of(
    {
        Role.COUNTY_ADMIN: ALL | {MATCH, ACCEPT},
        Role.COUNTY_STAFF: ALL | {MATCH, ACCEPT},
        Role.TOWNSHIP_STAFF: {VIEW, ADD, CHANGE, EXPORT},
        Role.VILLAGE_CONTACT: {VIEW, ADD},
    }
)
PROJECT_PERMISSIONS = RolePermissions.of(
    {
        Role.COUNTY_ADMIN: ALL,
        Role.COUNTY_STAFF: ALL,
        Role.TOWNSHIP_STAFF: {VIEW, EXPORT},
        Role.ENTERPRISE_CONTACT: {VIEW},
    }
)


class Intellectual(ScopedModel):
    """A non-party intellectual's profile: the file of the cadres app it belongs to, the
    field they serve in, their unit and where they are based; whether they volunteer."""

    person = models.OneToOneField(
        "cadres.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="intellectual"
    )
    field = models.CharField(_("field"), max_length=12, choices=ServiceField.choices)
    speciality = models.CharField(_("speciality"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=100)
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("based in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intellectuals",
        help_text=_("Where they are based (for the distance to a village)"),
    )
    volunteer = models.BooleanField(_("volunteers"), default=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="person__county", township="township", placement=("person",))
    permissions: ClassVar[RolePermissions] = PROFILE_PERMISSIONS

    class Meta:
        verbose_name = _("intellectual")
        verbose_name_plural = _("intellectuals")
        ordering = ["field", "unit", "pk"]

    def __str__(self) -> str:
        # Never the person's name: the profile is seen by more people than the file.
        return f"{self.get_field_display()} · {self.unit} · {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("platforms:intellectual_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.township is None or self.person_id is None:
            return
        if self.township.county_id != self.person.county_id:
            raise ValidationError({"township": _("The township is not in the person's county.")})


class CountrysideActivity(ScopedModel):
    """A "five to the countryside" activity: what it brought, when, to which villages, by
    which volunteers and to how many people."""

    code = models.CharField(
        _("activity number"), max_length=30, unique=True, help_text=_("The county's number, e.g. 330122-XX-0001")
    )
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="countryside_activities"
    )
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="countryside_activities",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ServiceField.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    villages = models.ManyToManyField(
        "regions.Village", verbose_name=_("villages served"), blank=True, related_name="countryside_activities"
    )
    volunteers = models.ManyToManyField(
        Intellectual, verbose_name=_("volunteers"), blank=True, related_name="activities"
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", township="township", placement=("county", "township"))
    permissions: ClassVar[RolePermissions] = ACTIVITY_PERMISSIONS

    class Meta:
        verbose_name = _("countryside activity")
        verbose_name_plural = _("countryside activities")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("platforms:countrysideactivity_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.township is not None and self.county_id is not None and self.township.county_id != self.county_id:
            raise ValidationError({"township": _("The township is not in this county.")})


class ServiceRequest(ScopedModel):
    """A village asks for a service ("a health day", "a law class"); the county proposes a
    volunteer ranked by the fit engine and records their acceptance."""

    village = models.ForeignKey(
        "regions.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="service_requests"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ServiceField.choices)
    title = models.CharField(_("request"), max_length=200)
    wanted_on = models.DateField(_("wanted on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN, editable=False
    )
    volunteer = models.ForeignKey(
        Intellectual,
        verbose_name=_("volunteer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="requests",
    )
    score = models.FloatField(_("fit score"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="village__township__county", township="village__township", village="village", placement=("village",)
    )
    permissions: ClassVar[RolePermissions] = REQUEST_PERMISSIONS

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("platforms:servicerequest_detail", args=[self.pk])


class InnovationProject(ScopedModel):
    """A science and technology innovation project pairing intellectuals with an
    enterprise: the problem, milestones, outcomes (patents, new products, output value)
    and status."""

    code = models.CharField(
        _("project number"), max_length=30, unique=True, help_text=_("The county's number, e.g. 330122-KC-0001")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="innovations"
    )
    title = models.CharField(_("project"), max_length=200)
    problem = models.TextField(_("problem"))
    intellectuals = models.ManyToManyField(
        Intellectual, verbose_name=_("intellectuals"), blank=True, related_name="innovations"
    )
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    milestones = models.TextField(_("milestones"), blank=True, help_text=_("One per line: date and step"))
    patents = models.PositiveIntegerField(_("patents"), default=0)
    new_products = models.PositiveIntegerField(_("new products"), default=0)
    output_value = models.DecimalField(_("new output value (10,000 yuan)"), max_digits=12, decimal_places=2, default=0)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="enterprise__township__county",
        township="enterprise__township",
        enterprise="enterprise",
        placement=("enterprise",),
    )
    permissions: ClassVar[RolePermissions] = PROJECT_PERMISSIONS

    class Meta:
        verbose_name = _("innovation project")
        verbose_name_plural = _("innovation projects")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(output_value__gte=0),
                name="platforms_innovation_output",
                violation_error_message=_("The output value cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("platforms:innovationproject_detail", args=[self.pk])

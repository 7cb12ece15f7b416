"""Platform 3, investment and talent through the associations (台联, 侨联, 海联 …):
associations, their contacts abroad and in Hong Kong, Macao and Taiwan (minimal data),
promotion events and visits, the project pipeline with its dated steps, and the talents
introduced.

Association staff (``association_staff``, bound to one association) keep their own
association's rows; the county keeps every association of the county.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ALL, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.platforms.choices import AssociationKind, Currency, LeadStage, Origin, PromotionKind

ADVANCE = "advance"  # move a project a step along the pipeline (services.investment.lead_advance)
_ASSOCIATION_WORK = {VIEW, "add", "change", EXPORT, "import"}
ASSOCIATION_PERMISSIONS = RolePermissions.of(
    {Role.COUNTY_ADMIN: ALL, Role.COUNTY_STAFF: ALL, Role.ASSOCIATION_STAFF: {VIEW}}
)
#: The county keeps everything; association staff their association's contacts, events,
#: projects and talents; township staff read the projects that would land in their
#: township; province and prefecture staff supervise (read).
WORK_PERMISSIONS = RolePermissions.of(
    {Role.COUNTY_ADMIN: ALL, Role.COUNTY_STAFF: ALL, Role.ASSOCIATION_STAFF: _ASSOCIATION_WORK}
)
LEAD_PERMISSIONS = RolePermissions.of(
    {
        Role.COUNTY_ADMIN: ALL | {ADVANCE},
        Role.COUNTY_STAFF: ALL | {ADVANCE},
        Role.ASSOCIATION_STAFF: _ASSOCIATION_WORK | {ADVANCE},
        Role.TOWNSHIP_STAFF: {VIEW, EXPORT},
    }
)
_BY_ASSOCIATION = ScopePaths(county="association__county", association="association", placement=("association",))


class Association(ScopedModel):
    """A county's Taiwan compatriots' association, returned overseas Chinese federation,
    overseas friendship association or another such association."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=AssociationKind.choices)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="associations"
    )

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", association="pk", placement=("county",))
    permissions: ClassVar[RolePermissions] = ASSOCIATION_PERMISSIONS

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["county", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platforms:association_detail", args=[self.pk])


class Contact(ScopedModel):
    """A contact of an association abroad or in Hong Kong, Macao or Taiwan: minimal data
    (no identity numbers, no addresses)."""

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    place = models.CharField(_("place"), max_length=100, help_text=_("Country or region and city"))
    field = models.CharField(_("field"), max_length=100, blank=True)
    relationship = models.CharField(
        _("relationship"), max_length=200, blank=True, help_text=_("How the association knows them")
    )

    scope: ClassVar[ScopePaths] = _BY_ASSOCIATION
    permissions: ClassVar[RolePermissions] = WORK_PERMISSIONS

    class Meta:
        verbose_name = _("overseas contact")
        verbose_name_plural = _("overseas contacts")
        ordering = ["association", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platforms:contact_detail", args=[self.pk])


class PromotionEvent(ScopedModel):
    """A promotion event, a visit abroad or a visit received by an association."""

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="promotions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PromotionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope: ClassVar[ScopePaths] = _BY_ASSOCIATION
    permissions: ClassVar[RolePermissions] = WORK_PERMISSIONS

    class Meta:
        verbose_name = _("promotion event or visit")
        verbose_name_plural = _("promotion events and visits")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("platforms:promotionevent_detail", args=[self.pk])


class InvestmentLead(ScopedModel):
    """An investment project brought by an association: where it comes from, the industry,
    planned and actual investment with its currency, who is responsible, and its stage
    (moved only by :func:`~tongxin.platforms.services.investment.lead_advance`)."""

    code = models.CharField(
        _("project number"), max_length=30, unique=True, help_text=_("The county's number, e.g. 330122-ZS-0001")
    )
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="leads"
    )
    title = models.CharField(_("project"), max_length=200)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    investor = models.CharField(_("investor"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    planned_investment = models.DecimalField(
        _("planned investment (10,000)"), max_digits=14, decimal_places=2, default=0
    )
    actual_investment = models.DecimalField(_("actual investment (10,000)"), max_digits=14, decimal_places=2, default=0)
    responsible_unit = models.CharField(_("responsible unit"), max_length=100)
    owner = models.CharField(_("responsible person"), max_length=50, help_text=_("Post and name"))
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_leads",
        help_text=_("Where the project would land"),
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=LeadStage.choices, default=LeadStage.LEAD, editable=False
    )
    stage_on = models.DateField(_("last step on"), default=timezone.localdate, editable=False)
    lost_reason = models.CharField(_("reason lost"), max_length=300, blank=True, editable=False)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="association__county",
        township="township",
        association="association",
        placement=("association", "township"),
    )
    permissions: ClassVar[RolePermissions] = LEAD_PERMISSIONS

    class Meta:
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        ordering = ["association", "-stage_on", "code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_investment__gte=0) & models.Q(actual_investment__gte=0),
                name="platforms_lead_amounts",
                violation_error_message=_("Investment cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("platforms:investmentlead_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.township is None or self.association_id is None:
            return
        if self.township.county_id != self.association.county_id:
            raise ValidationError({"township": _("The township is not in the association's county.")})


class LeadStep(ScopedModel):
    """One dated step of a project along the pipeline (written by the service)."""

    lead = models.ForeignKey(InvestmentLead, verbose_name=_("project"), on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=12, choices=LeadStage.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="lead__association__county",
        township="lead__township",
        association="lead__association",
        placement=("lead",),
    )
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            Role.COUNTY_ADMIN: {VIEW, EXPORT},
            Role.COUNTY_STAFF: {VIEW, EXPORT},
            Role.ASSOCIATION_STAFF: {VIEW, EXPORT},
            Role.TOWNSHIP_STAFF: {VIEW, EXPORT},
        }
    )

    class Meta:
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")
        ordering = ["lead", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.date}"

    def get_absolute_url(self) -> str:
        return self.lead.get_absolute_url()


class Talent(ScopedModel):
    """A talent introduced through an association (minimal data)."""

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="talents"
    )
    name = models.CharField(_("name"), max_length=100)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    field = models.CharField(_("field"), max_length=100)
    unit = models.CharField(_("work unit in the county"), max_length=100, blank=True)
    introduced_on = models.DateField(_("introduced on"))

    scope: ClassVar[ScopePaths] = _BY_ASSOCIATION
    permissions: ClassVar[RolePermissions] = WORK_PERMISSIONS

    class Meta:
        verbose_name = _("talent introduced")
        verbose_name_plural = _("talents introduced")
        ordering = ["association", "-introduced_on", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platforms:talent_detail", args=[self.pk])

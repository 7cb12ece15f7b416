"""Chambers of commerce (商会): the hierarchy, officers, members, applications and dues.

The county Federation of Industry and Commerce (工商联) is the general chamber of its county;
township, industry and from-elsewhere chambers stand under it (or under another chamber).
A chamber's staff (the ``chamber_staff`` role) see their chamber and its sub-chambers:
every row reaches them through ``chamber__ancestry__ancestor`` (:class:`ChamberAncestry`
holds, for each chamber, itself and each of its ancestors).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.chambers.choices import (
    ActivityKind,
    ApplicationStatus,
    CaseKind,
    CaseStatus,
    CaseStep,
    ChamberKind,
    MemberKind,
    MemberStatus,
    OfficerPosition,
    PostSide,
    PostTopic,
)
from tongxin.core import identifiers
from tongxin.core.fields import run_identifier
from tongxin.core.models import ChangeLoggedModel, ScopedModel
from tongxin.core.scope import ADD, ALL, CHANGE, DELETE, EXPORT, IMPORT, VIEW, RolePermissions, ScopePaths
from tongxin.enterprises.choices import Industry

#: A chamber registers with civil affairs (民政, authority 5) as a social group (type 1).
SOCIAL_GROUP_PREFIX = "51"

COUNTY_ROLES = (Role.COUNTY_ADMIN, Role.COUNTY_STAFF)


def chamber_paths(chamber: str, *, enterprise: str | None = None, placement: tuple[str, ...] = ()) -> ScopePaths:
    """The paths of a row of one chamber: the county (FIC: county staff), the chamber and
    its ancestors (chamber staff), and the member enterprise when the row has one."""
    prefix = "" if chamber == "pk" else f"{chamber}__"
    return ScopePaths(
        county=f"{prefix}county",
        chamber=f"{prefix}ancestry__ancestor",
        enterprise=enterprise,
        many=True,
        placement=placement,
    )


CHAMBER_PERMISSIONS = RolePermissions.of(
    {
        **dict.fromkeys(COUNTY_ROLES, ALL),
        Role.CHAMBER_STAFF: {VIEW, ADD, CHANGE, EXPORT},
        # Contacts see their own township's chamber: where they may apply online.
        Role.ENTERPRISE_CONTACT: {VIEW},
    }
)
#: The chamber's own records (officers, levels): the county and the chamber's staff.
KEPT_BY_CHAMBER = RolePermissions.of(
    {**dict.fromkeys(COUNTY_ROLES, ALL), Role.CHAMBER_STAFF: {VIEW, ADD, CHANGE, EXPORT, IMPORT}}
)
TRANSITION, CERTIFY = "transition", "certify"
MEMBERSHIP_PERMISSIONS = RolePermissions.of(
    {
        **{role: ALL | {TRANSITION, CERTIFY} for role in COUNTY_ROLES},
        Role.CHAMBER_STAFF: {VIEW, ADD, CHANGE, EXPORT, IMPORT, TRANSITION, CERTIFY},
        Role.ENTERPRISE_CONTACT: {VIEW, CERTIFY},
    }
)
REVIEW, RETURN, APPROVE = "review", "return", "approve"
APPLICATION_PERMISSIONS = RolePermissions.of(
    {
        **{role: ALL | {REVIEW, RETURN, APPROVE} for role in COUNTY_ROLES},
        Role.CHAMBER_STAFF: {VIEW, ADD, CHANGE, EXPORT, REVIEW, RETURN, APPROVE},
        Role.ENTERPRISE_CONTACT: {VIEW, ADD},
    }
)
PAY = "pay"
DUES_PERMISSIONS = RolePermissions.of(
    {
        **{role: ALL | {PAY} for role in COUNTY_ROLES},
        Role.CHAMBER_STAFF: {VIEW, ADD, CHANGE, EXPORT, PAY},
        Role.ENTERPRISE_CONTACT: {VIEW},
    }
)


def enterprise_elsewhere(row: Any) -> bool:
    """Whether the row's enterprise lies outside its chamber's county."""
    if row.enterprise_id is None or row.chamber_id is None:
        return False
    return bool(row.enterprise.township.county_id != row.chamber.county_id)


class Chamber(ScopedModel):
    """A chamber of commerce of a county, in the hierarchy under the county FIC."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ChamberKind.choices)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="chambers"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent chamber"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Empty only for the county federation of industry and commerce"),
    )
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chambers",
        help_text=_("For a township chamber"),
    )
    industry = models.CharField(
        _("industry"), max_length=1, choices=Industry.choices, blank=True, help_text=_("For an industry chamber")
    )
    origin = models.CharField(
        _("place of origin"), max_length=50, blank=True, help_text=_("For a chamber of people from elsewhere")
    )
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Registered as a social organisation: begins with 51; leave empty if not registered yet"),
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="county",
        chamber="ancestry__ancestor",
        enterprise="township__enterprises",
        many=True,
        placement=("county", "parent", "township"),
    )
    permissions: ClassVar[RolePermissions] = CHAMBER_PERMISSIONS

    class Meta:
        verbose_name = _("chamber of commerce")
        verbose_name_plural = _("chambers of commerce")
        ordering = ["county", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county"],
                condition=models.Q(kind=ChamberKind.GENERAL),
                name="chambers_one_general_per_county",
                violation_error_message=_("A county has one federation of industry and commerce."),
            ),
            models.CheckConstraint(
                condition=models.Q(uscc__isnull=True) | models.Q(uscc__length=18),
                name="chambers_uscc_length",
                violation_error_message=_("A unified social credit code has 18 characters."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chambers:chamber_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.uscc == "":
            self.uscc = None
        if self.uscc:
            self.uscc = run_identifier(
                identifiers.validate_uscc, self.uscc, _("Unified social credit code"), field_name="uscc"
            )
            if not self.uscc.startswith(SOCIAL_GROUP_PREFIX):
                raise ValidationError(
                    {
                        "uscc": _(
                            "A chamber of commerce is registered with civil affairs as a social group: "
                            "its code begins with 51."
                        )
                    }
                )
        self._clean_place()

    def _clean_place(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == ChamberKind.GENERAL:
            if self.parent_id is not None:
                errors["parent"] = _("The county federation of industry and commerce stands under no chamber.")
        elif self.parent_id is None:
            errors["parent"] = _("Choose the chamber this one stands under.")
        else:
            parent = self.parent
            if parent is not None and parent.county_id != self.county_id:
                errors["parent"] = _("The parent chamber is in another county.")
            elif self.pk is not None and parent is not None and self.pk in parent.lineage_ids():
                errors["parent"] = _("A chamber cannot stand under itself or one of its sub-chambers.")
        if self.kind == ChamberKind.TOWNSHIP:
            if self.township_id is None:
                errors["township"] = _("Choose the township of a township chamber.")
            elif self.township is not None and self.township.county_id != self.county_id:
                errors["township"] = _("The township is not in the chamber's county.")
        if self.kind == ChamberKind.INDUSTRY and not self.industry:
            errors["industry"] = _("Choose the industry of an industry chamber.")
        if self.kind == ChamberKind.ELSEWHERE and not self.origin:
            errors["origin"] = _("Name the place the members come from.")
        if errors:
            raise ValidationError(errors)

    def lineage_ids(self) -> list[int]:
        """This chamber's id and its ancestors' ids, nearest first (walks the parents)."""
        ids: list[int] = []
        node: Chamber | None = self
        while node is not None and node.pk is not None and node.pk not in ids:
            ids.append(node.pk)
            node = node.parent
        return ids

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_parent = (
            None
            if self._state.adding
            else Chamber._base_manager.filter(pk=self.pk).values_list("parent_id", flat=True).first()
        )
        super().save(*args, **kwargs)
        if old_parent != self.parent_id or not ChamberAncestry.objects.filter(chamber=self).exists():
            rebuild_ancestry(self)


class ChamberAncestry(models.Model):
    """One (chamber, ancestor) pair of the hierarchy, the chamber itself included: what
    lets a chamber's staff see the rows of its sub-chambers in one filter. Derived from
    ``Chamber.parent``, never edited."""

    chamber = models.ForeignKey(
        Chamber, verbose_name=_("chamber of commerce"), on_delete=models.CASCADE, related_name="ancestry"
    )
    ancestor = models.ForeignKey(Chamber, verbose_name=_("ancestor"), on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)

    class Meta:
        verbose_name = _("chamber ancestry")
        verbose_name_plural = _("chamber ancestries")
        constraints = [models.UniqueConstraint(fields=["chamber", "ancestor"], name="chambers_ancestry_unique")]

    def __str__(self) -> str:
        return f"{self.chamber_id} ⊂ {self.ancestor_id}"


def rebuild_ancestry(chamber: Chamber) -> None:
    """Rewrite the ancestry rows of ``chamber`` and of every chamber under it."""
    pending = [chamber]
    while pending:
        node = pending.pop()
        ChamberAncestry.objects.filter(chamber=node).delete()
        lineage = Chamber.objects.get(pk=node.pk).lineage_ids()
        ChamberAncestry.objects.bulk_create(
            ChamberAncestry(chamber_id=node.pk, ancestor_id=ancestor, depth=depth)
            for depth, ancestor in enumerate(lineage)
        )
        pending.extend(Chamber.objects.filter(parent=node))


class Officer(ScopedModel):
    """An officer of a chamber for one term: president, vice president, secretary-general
    or council member, with the member enterprise they come from."""

    chamber = models.ForeignKey(
        Chamber, verbose_name=_("chamber of commerce"), on_delete=models.CASCADE, related_name="officers"
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=20, choices=OfficerPosition.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chamber_offices",
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))

    scope: ClassVar[ScopePaths] = chamber_paths("chamber", placement=("chamber",))
    permissions: ClassVar[RolePermissions] = KEPT_BY_CHAMBER

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["chamber", "position", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")),
                name="chambers_officer_term_order",
                violation_error_message=_("A term cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.chamber} · {self.get_position_display()} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("chambers:officer_detail", args=[self.pk])

    @property
    def in_office(self) -> bool:
        return self.term_start <= timezone.localdate() <= self.term_end

    def clean(self) -> None:
        super().clean()
        if enterprise_elsewhere(self):
            raise ValidationError({"enterprise": _("The enterprise is not in the chamber's county.")})


class MembershipLevel(ScopedModel):
    """A level of membership of one chamber (member, council member unit, vice president
    unit …) with its yearly dues."""

    chamber = models.ForeignKey(
        Chamber, verbose_name=_("chamber of commerce"), on_delete=models.CASCADE, related_name="levels"
    )
    name = models.CharField(_("name"), max_length=50)
    rank = models.PositiveSmallIntegerField(_("rank"), default=1, help_text=_("1 is the first level"))
    yearly_dues = models.DecimalField(
        _("yearly dues (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    # Contacts see the levels of their township's chamber: what they may apply for.
    scope: ClassVar[ScopePaths] = chamber_paths(
        "chamber", enterprise="chamber__township__enterprises", placement=("chamber",)
    )
    permissions: ClassVar[RolePermissions] = KEPT_BY_CHAMBER.with_grants(**{Role.ENTERPRISE_CONTACT: {VIEW}})

    class Meta:
        verbose_name = _("membership level")
        verbose_name_plural = _("membership levels")
        ordering = ["chamber", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["chamber", "name"],
                name="chambers_level_unique_name",
                violation_error_message=_("The chamber has a level of this name already."),
            ),
            models.CheckConstraint(
                condition=models.Q(yearly_dues__gte=0),
                name="chambers_level_dues_positive",
                violation_error_message=_("Dues cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chamber} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("chambers:membershiplevel_detail", args=[self.pk])


class Membership(ScopedModel):
    """A member of one chamber: an enterprise of the ledger or an individual entrepreneur.

    The status moves only through :func:`tongxin.chambers.services.members.membership_transition`
    (applied → current → grace → lapsed → resigned / expelled), each step dated in
    :class:`MembershipEvent`. A member may belong to several chambers.
    """

    chamber = models.ForeignKey(
        Chamber, verbose_name=_("chamber of commerce"), on_delete=models.PROTECT, related_name="memberships"
    )
    kind = models.CharField(
        _("kind of member"), max_length=16, choices=MemberKind.choices, default=MemberKind.ENTERPRISE
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    name = models.CharField(
        _("member's name"), max_length=100, blank=True, help_text=_("For an individual member (an entrepreneur)")
    )
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    level = models.ForeignKey(
        MembershipLevel, verbose_name=_("membership level"), on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.APPLIED, editable=False
    )
    joined_on = models.DateField(_("member since"), null=True, blank=True, editable=False)
    status_since = models.DateField(_("status since"), default=timezone.localdate, editable=False)
    number = models.CharField(
        _("certificate number"), max_length=32, unique=True, null=True, blank=True, editable=False
    )

    scope: ClassVar[ScopePaths] = chamber_paths("chamber", enterprise="enterprise", placement=("chamber",))
    permissions: ClassVar[RolePermissions] = MEMBERSHIP_PERMISSIONS

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["chamber", "-joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["chamber", "enterprise"],
                condition=models.Q(enterprise__isnull=False),
                name="chambers_member_once",
                violation_error_message=_("This enterprise is a member of this chamber already."),
            ),
            models.CheckConstraint(
                condition=(models.Q(kind=MemberKind.ENTERPRISE, enterprise__isnull=False))
                | (models.Q(kind=MemberKind.INDIVIDUAL, enterprise__isnull=True) & ~models.Q(name="")),
                name="chambers_member_who",
                violation_error_message=_(
                    "An enterprise member names an enterprise; an individual member has a name and no enterprise."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name} · {self.chamber}"

    @property
    def member_name(self) -> str:
        return self.enterprise.name if self.enterprise_id is not None and self.enterprise else self.name

    def get_absolute_url(self) -> str:
        return reverse("chambers:membership_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.kind == MemberKind.ENTERPRISE and self.enterprise_id is None:
            errors["enterprise"] = _("Choose the member enterprise.")
        if self.kind == MemberKind.INDIVIDUAL:
            if self.enterprise_id is not None:
                errors["enterprise"] = _("An individual member names no enterprise.")
            if not self.name:
                errors["name"] = _("Enter the member's name.")
        if enterprise_elsewhere(self):
            errors["enterprise"] = _("The enterprise is not in the chamber's county.")
        if self.level_id is not None and self.chamber_id is not None and self.level.chamber_id != self.chamber_id:
            errors["level"] = _("The level belongs to another chamber.")
        if errors:
            raise ValidationError(errors)


class MembershipEvent(ChangeLoggedModel):
    """One dated step of a membership's lifecycle (its history), with who took it."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="events"
    )
    on = models.DateField(_("date"))
    status_from = models.CharField(_("from"), max_length=16, choices=MemberStatus.choices, blank=True)
    status_to = models.CharField(_("to"), max_length=16, choices=MemberStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["membership", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_status_to_display()}"


class Application(ScopedModel):
    """An application for membership: online by an enterprise contact or entered by staff
    from a paper form; reviewed by the chamber, approved by its council (a different
    person records each), or returned with reasons."""

    chamber = models.ForeignKey(
        Chamber, verbose_name=_("chamber of commerce"), on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(
        _("kind of member"), max_length=16, choices=MemberKind.choices, default=MemberKind.ENTERPRISE
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chamber_applications",
    )
    name = models.CharField(
        _("applicant's name"), max_length=100, blank=True, help_text=_("For an individual applicant")
    )
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    level = models.ForeignKey(
        MembershipLevel,
        verbose_name=_("level applied for"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    statement = models.TextField(_("statement"), max_length=2000, blank=True)
    documents = models.CharField(
        _("documents"), max_length=300, blank=True, help_text=_("The documents handed in, such as the licence copy")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        editable=False,
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    reason = models.CharField(_("reason for returning"), max_length=300, blank=True, editable=False)
    membership = models.OneToOneField(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="application",
    )

    scope: ClassVar[ScopePaths] = chamber_paths("chamber", enterprise="enterprise", placement=("chamber",))
    permissions: ClassVar[RolePermissions] = APPLICATION_PERMISSIONS

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_on", "-pk"]

    def __str__(self) -> str:
        who = self.enterprise.name if self.enterprise_id is not None and self.enterprise else self.name
        return f"{who} → {self.chamber}"

    def get_absolute_url(self) -> str:
        return reverse("chambers:application_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.kind == MemberKind.ENTERPRISE and self.enterprise_id is None:
            errors["enterprise"] = _("Choose the applying enterprise.")
        if self.kind == MemberKind.INDIVIDUAL and not self.name:
            errors["name"] = _("Enter the applicant's name.")
        if self.kind == MemberKind.INDIVIDUAL and self.enterprise_id is not None:
            errors["enterprise"] = _("An individual applicant names no enterprise.")
        if enterprise_elsewhere(self):
            errors["enterprise"] = _("The enterprise is not in the chamber's county.")
        if self.level_id is not None and self.chamber_id is not None and self.level.chamber_id != self.chamber_id:
            errors["level"] = _("The level belongs to another chamber.")
        if errors:
            raise ValidationError(errors)


class Dues(ScopedModel):
    """One year's dues of a membership: the amount of its level, the due date, and the
    payment when it is recorded (:func:`tongxin.chambers.services.dues.dues_pay`)."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.PROTECT, related_name="dues"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    due_on = models.DateField(_("due on"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    paid_amount = models.DecimalField(
        _("paid (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True, editable=False
    )
    receipt = models.CharField(_("receipt number"), max_length=40, blank=True, editable=False)

    scope: ClassVar[ScopePaths] = chamber_paths(
        "membership__chamber", enterprise="membership__enterprise", placement=("membership",)
    )
    permissions: ClassVar[RolePermissions] = DUES_PERMISSIONS

    class Meta:
        verbose_name = _("dues")
        verbose_name_plural = _("dues")
        ordering = ["-year", "membership", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year"],
                name="chambers_dues_once_a_year",
                violation_error_message=_("This member's dues of this year are recorded already."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="chambers_dues_amount_positive",
                violation_error_message=_("Dues cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("chambers:dues_detail", args=[self.pk])

    @property
    def paid(self) -> bool:
        return self.paid_on is not None

    def overdue(self, today: date | None = None) -> bool:
        return self.paid_on is None and self.due_on < (today or timezone.localdate())


TRIAGE, ASSIGN, HANDLE, REOPEN, RATE = "triage", "assign", "handle", "reopen", "rate"
CASE_STAFF_ACTIONS = {VIEW, ADD, CHANGE, EXPORT, TRIAGE, ASSIGN, HANDLE, REOPEN}
#: Case details: the member (enterprise contact), the chamber's staff and the county FIC
#: only (the handler is one of the chamber's or the county's staff). Not the supervisors.
CASE_PERMISSIONS = RolePermissions.of(
    {
        **dict.fromkeys(COUNTY_ROLES, CASE_STAFF_ACTIONS),
        Role.CHAMBER_STAFF: CASE_STAFF_ACTIONS,
        Role.ENTERPRISE_CONTACT: {VIEW, ADD, RATE, REOPEN},
    },
    supervised=False,
)


class RightsCase(ScopedModel):
    """A rights-protection case (维权) a member raises, with its service levels in working
    days (acknowledge, resolve) and its outcome. Its steps are services
    (:mod:`tongxin.chambers.services.cases`), each kept in the timeline (:class:`CaseNote`)."""

    # The member's chamber, set from the membership (blank: not chosen in forms).
    chamber = models.ForeignKey(
        Chamber, verbose_name=_("chamber of commerce"), on_delete=models.PROTECT, related_name="cases", blank=True
    )
    membership = models.ForeignKey(Membership, verbose_name=_("member"), on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("kind of case"), max_length=16, choices=CaseKind.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=4000)
    amount = models.DecimalField(
        _("amount at stake (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    counterpart = models.CharField(_("counterpart"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.RECEIVED, editable=False
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate, editable=False)
    acknowledge_due = models.DateField(_("acknowledge by"), null=True, editable=False)
    resolve_due = models.DateField(_("resolve by"), null=True, editable=False)
    due_estimated = models.BooleanField(
        _("due dates estimated"),
        default=False,
        editable=False,
        help_text=_("A day counted lies beyond the official calendar: counted by weekends only"),
    )
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True, editable=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    referred_to = models.CharField(_("referred to"), max_length=100, blank=True, editable=False)
    finished_on = models.DateField(_("resolved or closed on"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True, editable=False)
    recovered = models.DecimalField(
        _("amount recovered (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True, editable=False)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0, editable=False)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True, editable=False)

    scope: ClassVar[ScopePaths] = chamber_paths(
        "chamber", enterprise="membership__enterprise", placement=("chamber", "membership")
    )
    permissions: ClassVar[RolePermissions] = CASE_PERMISSIONS

    class Meta:
        verbose_name = _("rights-protection case")
        verbose_name_plural = _("rights-protection cases")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="chambers_case_amount_positive",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True) | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="chambers_case_satisfaction_range",
                violation_error_message=_("Satisfaction is rated from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("chambers:rightscase_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.membership_id is not None:  # a case belongs to the member's chamber
            self.chamber_id = self.membership.chamber_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        if self.membership_id is not None:
            self.chamber_id = self.membership.chamber_id
        if adding and self.acknowledge_due is None:
            from tongxin.chambers.services.sla import set_due_dates

            set_due_dates(self)
        super().save(*args, **kwargs)
        if adding:  # the first entry of the timeline, by whoever is writing (page, API, import)
            from tongxin.core.context import current

            context = current()
            user = context.get_user() if context is not None else None
            CaseNote(case=self, step=CaseStep.RAISED, on=self.received_on, by=user).save()


class CaseNote(ChangeLoggedModel):
    """One entry of a case's timeline: a step, a handling note, a referral, a rating."""

    case = models.ForeignKey(RightsCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes")
    step = models.CharField(_("step"), max_length=16, choices=CaseStep.choices)
    on = models.DateField(_("date"), default=timezone.localdate)
    text = models.CharField(_("text"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["case", "created", "pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_step_display()}"


SIGN_UP, ATTEND = "sign_up", "attend"
ACTIVITY_PERMISSIONS = RolePermissions.of(
    {
        **{role: ALL | {SIGN_UP, ATTEND} for role in COUNTY_ROLES},
        Role.CHAMBER_STAFF: {VIEW, ADD, CHANGE, DELETE, EXPORT, SIGN_UP, ATTEND},
        Role.ENTERPRISE_CONTACT: {VIEW, SIGN_UP},
    }
)


class MemberActivity(ScopedModel):
    """An activity a chamber holds for its members (a policy briefing, training, business
    matching, a visit, ideological guidance), with sign-up, attendance and feedback
    (:class:`ActivitySignup`). Members see the activities of the chambers they belong to."""

    chamber = models.ForeignKey(
        Chamber, verbose_name=_("chamber of commerce"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind of activity"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("places"), default=0, help_text=_("0: no limit"))
    signup_until = models.DateField(_("sign up until"), null=True, blank=True, help_text=_("Empty: the day before"))
    description = models.TextField(_("description"), max_length=2000, blank=True)

    scope: ClassVar[ScopePaths] = chamber_paths(
        "chamber", enterprise="chamber__memberships__enterprise", placement=("chamber",)
    )
    permissions: ClassVar[RolePermissions] = ACTIVITY_PERMISSIONS

    class Meta:
        verbose_name = _("member activity")
        verbose_name_plural = _("member activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signup_until__isnull=True) | models.Q(signup_until__lte=models.F("held_on")),
                name="chambers_activity_signup_before",
                violation_error_message=_("Sign-up closes on or before the day of the activity."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("chambers:memberactivity_detail", args=[self.pk])

    @property
    def last_signup_day(self) -> date:
        return self.signup_until or (self.held_on - timedelta(days=1))


class ActivitySignup(ChangeLoggedModel):
    """A member signed up for an activity: whether they came, and their feedback."""

    activity = models.ForeignKey(
        MemberActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="signups"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.CASCADE, related_name="signups"
    )
    signed_up_on = models.DateField(_("signed up on"), default=timezone.localdate)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    feedback = models.CharField(_("feedback"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "membership"],
                name="chambers_signup_once",
                violation_error_message=_("This member has signed up already."),
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="chambers_signup_rating_range",
                violation_error_message=_("Feedback is rated from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.membership}"


BOARD_PERMISSIONS = RolePermissions.of(
    {
        **dict.fromkeys(COUNTY_ROLES, ALL),
        Role.CHAMBER_STAFF: {VIEW, ADD, CHANGE, DELETE, EXPORT},
        Role.ENTERPRISE_CONTACT: {VIEW, ADD},
    }
)


class BoardPost(ScopedModel):
    """A need or an offer a member posts on their chamber's board (supply, purchase,
    financing, jobs), tagged with the vocabulary of needs, so that members find each
    other (:mod:`tongxin.chambers.services.board` scores the matches). The members of the
    chamber see its posts."""

    chamber = models.ForeignKey(
        Chamber,
        verbose_name=_("chamber of commerce"),
        on_delete=models.PROTECT,
        related_name="posts",
        editable=False,
        blank=True,
    )
    membership = models.ForeignKey(Membership, verbose_name=_("member"), on_delete=models.PROTECT, related_name="posts")
    side = models.CharField(_("need or offer"), max_length=8, choices=PostSide.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=PostTopic.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    tags = models.ManyToManyField(
        "core.Capability",
        verbose_name=_("what it is about"),
        blank=True,
        related_name="board_posts",
        limit_choices_to={"kind": "need"},
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)

    scope: ClassVar[ScopePaths] = chamber_paths(
        "chamber", enterprise="chamber__memberships__enterprise", placement=("membership",)
    )
    permissions: ClassVar[RolePermissions] = BOARD_PERMISSIONS

    class Meta:
        verbose_name = _("board post")
        verbose_name_plural = _("board posts")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("chambers:boardpost_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.membership_id is not None:  # a post is on its member's chamber's board
            self.chamber_id = self.membership.chamber_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.membership_id is not None:
            self.chamber_id = self.membership.chamber_id
        super().save(*args, **kwargs)

"""People, their role assignments (hats) and the security log of sign-ins."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import ADMIN_ROLES, Level, Role, SecurityEventKind
from tongxin.accounts.roles import ROLES
from tongxin.core.identifiers import IdentifierError, validate_mobile
from tongxin.core.models import CheckedInputMixin, ScopedModel
from tongxin.core.scope import ADD, CHANGE, EXPORT, VIEW, RolePermissions, ScopePaths

_MANAGE = frozenset({VIEW, ADD, CHANGE, EXPORT})
_READ = frozenset({VIEW, EXPORT})
# Administrators manage the people and assignments of their node; staff read them.
PEOPLE_PERMISSIONS = RolePermissions.of(
    {
        Role.PROVINCE_ADMIN: _MANAGE,
        Role.PREFECTURE_ADMIN: _MANAGE,
        Role.COUNTY_ADMIN: _MANAGE,
        Role.COUNTY_STAFF: _READ,
    },
    supervised=False,
).with_grants(**{Role.PROVINCE_STAFF: _READ, Role.PREFECTURE_STAFF: _READ})


class User(CheckedInputMixin, AbstractUser):
    """A person who signs in. What they may see and do comes from their assignments.

    ``province`` and ``county`` say which administration manages the account (the county
    for county-level people and below, only the province for province-level people); they
    grant nothing by themselves.
    """

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    province = models.ForeignKey(
        "regions.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = UserManager()  # type: ignore[misc]

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", province="province", prefecture="county__prefecture")
    permissions: ClassVar[RolePermissions] = PEOPLE_PERMISSIONS

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.mobile:
            try:
                self.mobile = validate_mobile(self.mobile)
            except IdentifierError:
                raise ValidationError(
                    {"mobile": _("Enter a mainland mobile number of 11 digits, such as 138 0013 8000.")}
                ) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        county = self.county
        if county is not None:
            self.province_id = county.province_id
        super().save(*args, **kwargs)


def _node(level: str) -> models.ForeignKey[Any, Any]:
    targets = {
        Level.ENTERPRISE: "enterprises.Enterprise",
        Level.CHAMBER: "chambers.Chamber",
        Level.ASSOCIATION: "platforms.Association",
    }
    target = targets.get(Level(level), f"regions.{level.capitalize()}")
    return models.ForeignKey(
        target, verbose_name=Level(level).label, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )


class RoleAssignment(ScopedModel):
    """One hat of a person: a role bound to one node of the tree or one organisation,
    valid for a period, granted by someone. Revoked assignments are kept for the record.

    Only the field of the role's binding level is chosen; the ancestors (township →
    county → prefecture → province) are filled in on save so that every scope question is
    one column away.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    province = _node(Level.PROVINCE)
    prefecture = _node(Level.PREFECTURE)
    county = _node(Level.COUNTY)
    township = _node(Level.TOWNSHIP)
    village = _node(Level.VILLAGE)
    enterprise = _node(Level.ENTERPRISE)
    chamber = _node(Level.CHAMBER)
    association = _node(Level.ASSOCIATION)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Leave empty for no end date"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="county", township="township", province="province", prefecture="prefecture"
    )
    permissions: ClassVar[RolePermissions] = PEOPLE_PERMISSIONS.with_grants(
        **{role: {"revoke"} for role in ADMIN_ROLES}
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role", "pk"]
        indexes = [models.Index(fields=["user", "revoked"], name="assignment_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="assignment_period_order",
                violation_error_message=_("An assignment cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.node_label}"

    @property
    def binding(self) -> str:
        return ROLES[self.role].binding

    @property
    def node(self) -> Any:
        return getattr(self, self.binding) if self.role in ROLES else None

    @property
    def node_label(self) -> str:
        node = self.node
        return str(node) if node is not None else ""

    @property
    def active(self) -> bool:
        today = timezone.localdate()
        return self.revoked is None and self.valid_from <= today and (self.valid_to is None or self.valid_to >= today)

    def clean(self) -> None:
        super().clean()
        if self.role not in ROLES:
            return
        binding = self.binding
        if getattr(self, f"{binding}_id") is None:
            raise ValidationError(
                {binding: _("This role is bound to one %(level)s.") % {"level": Level(binding).label}}
            )
        below = [level for level in (*Level.values,) if level != binding and self._is_below(level, binding)]
        for level in below:
            if getattr(self, f"{level}_id") is not None:
                raise ValidationError({level: _("Choose only the %(level)s.") % {"level": Level(binding).label}})

    @staticmethod
    def _is_below(level: str, binding: str) -> bool:
        order = list(Level.values)
        # Organisations of a county (a chamber, an association) sit beside its townships:
        # only the county is derived from them.
        organisations = (Level.CHAMBER, Level.ASSOCIATION)
        if binding == Level.ENTERPRISE:
            return level in (Level.VILLAGE, *organisations)
        if binding in organisations:
            return level in (Level.TOWNSHIP, Level.VILLAGE, Level.ENTERPRISE, *organisations)
        if level in (Level.ENTERPRISE, *organisations):
            return True
        return order.index(level) > order.index(binding)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_ancestors()
        super().save(*args, **kwargs)

    def fill_ancestors(self) -> None:
        """Fill in the ancestors of the bound node (derived, never chosen)."""
        if self.enterprise_id is not None:
            self.township_id = self.enterprise.township_id
        if self.chamber_id is not None:
            self.county_id = self.chamber.county_id
        if self.association_id is not None:
            self.county_id = self.association.county_id
        if self.village_id is not None:
            self.township_id = self.village.township_id
        if self.township_id is not None:
            self.county_id = self.township.county_id
        if self.county_id is not None:
            self.prefecture_id = self.county.prefecture_id
        if self.prefecture_id is not None:
            self.province_id = self.prefecture.province_id


class SecurityEvent(models.Model):
    """A sign-in, sign-out, failed sign-in or lock-out (append-only)."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, null=True, blank=True
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-time", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Security events are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Security events are never deleted."))

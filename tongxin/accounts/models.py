"""Users, each with one role bound to one node of the tree or one organisation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import COUNTY_ROLES, Role
from tongxin.core.fields import field_label
from tongxin.core.identifiers import IdentifierError, validate_mobile


class User(AbstractUser):
    """A person who signs in. The binding fields say which part of the tree they see.

    County roles, liaison officers and reviewers are bound to a county; township staff to a
    township; village contacts to a village; enterprise contacts to an enterprise. The
    county is always filled in (derived from the lower binding) so county-wide queries
    need no join.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.COUNTY_STAFF)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    village = models.ForeignKey(
        "regions.Village", verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.mobile:
            try:
                self.mobile = validate_mobile(self.mobile)
            except IdentifierError:
                errors["mobile"] = _("Enter a mainland mobile number of 11 digits, such as 138 0013 8000.")
        needed = {
            Role.TOWNSHIP_STAFF: "township",
            Role.VILLAGE_CONTACT: "village",
            Role.ENTERPRISE_CONTACT: "enterprise",
        }.get(Role(self.role))
        if needed and getattr(self, f"{needed}_id") is None:
            errors[needed] = _("This role must be bound to one %(node)s.") % {"node": field_label(type(self), needed)}
        if (
            self.role in COUNTY_ROLES | {Role.LIAISON, Role.REVIEWER}
            and self.county_id is None
            and not self.is_superuser
        ):
            errors["county"] = _("This role must be bound to a county.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.county_id = self.derived_county_id() or self.county_id
        super().save(*args, **kwargs)

    def derived_county_id(self) -> int | None:
        if self.village is not None:
            return int(self.village.township.county_id)
        if self.township is not None:
            return int(self.township.county_id)
        if self.enterprise is not None:
            return int(self.enterprise.township.county_id)
        return None

    @property
    def scope_label(self) -> str:
        node = self.enterprise or self.village or self.township or self.county
        return str(node) if node is not None else ""

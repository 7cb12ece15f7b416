"""The access log of personal files (PIPL): every read of a person's file is recorded."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.cadres.choices import AccessKind
from tongxin.core.scope import EXPORT, VIEW, RolePermissions, ScopePaths


class AccessLog(models.Model):
    """One read of cadre files: who, when, which person (or how many, for an export),
    what kind of read and, for exports, the stated purpose. Written only by
    :mod:`tongxin.cadres.services.access`; never changed or deleted through the product."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    user_name = models.CharField(_("user name"), max_length=150)
    county = models.ForeignKey("regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=AccessKind.choices)
    person = models.ForeignKey(
        "cadres.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_log",
    )
    count = models.PositiveIntegerField(_("people"), default=1)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="county")
    permissions: ClassVar[RolePermissions] = RolePermissions.of({Role.CADRE_OFFICER: {VIEW, EXPORT}}, supervised=False)

    class Meta:
        verbose_name = _("access to cadre files")
        verbose_name_plural = _("access log of cadre files")
        ordering = ["-time", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_name} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:accesslog_detail", args=[self.pk])

"""The yearly review of a person in the reserve pool ("dynamic management", 动态管理)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.models.people import POST_PERMISSIONS
from tongxin.core.models import ScopedModel
from tongxin.core.scope import RolePermissions, ScopePaths


class ReserveReview(ScopedModel):
    """One review of a reserve person: when, and the assessment (written by
    :func:`tongxin.cadres.services.reviews.reserve_review`). A reserve person not reviewed
    (nor moved along the pipeline) within a year waits in the cadre officers' inbox."""

    person = models.ForeignKey(
        "cadres.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="reviews"
    )
    date = models.DateField(_("date"))
    note = models.CharField(_("assessment"), max_length=300, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="person__county", placement=("person",))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("reserve review")
        verbose_name_plural = _("reserve reviews")
        ordering = ["person", "-date", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.date}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

"""The reserve pipeline of a person (后备干部): dated stages."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.choices import ReserveStage
from tongxin.cadres.models.people import POST_PERMISSIONS
from tongxin.core.models import ScopedModel
from tongxin.core.scope import RolePermissions, ScopePaths


class StageRecord(ScopedModel):
    """One dated step of a person through the reserve pipeline (written by
    :func:`tongxin.cadres.services.reserve.reserve_advance`)."""

    person = models.ForeignKey(
        "cadres.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=ReserveStage.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Visitors, assessment, course …"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="person__county", placement=("person",))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("reserve stage")
        verbose_name_plural = _("reserve stages")
        ordering = ["person", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.date}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

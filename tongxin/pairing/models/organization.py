"""Leading groups (领导小组), their members, joint meetings and decisions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.core.models import ScopedModel
from tongxin.core.scope import ScopePaths
from tongxin.pairing.choices import GroupRole


class LeadingGroup(ScopedModel):
    """The county's or a township's leading group for the pairing work."""

    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="leading_groups"
    )
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leading_groups",
        help_text=_("Empty for the county's leading group"),
    )
    name = models.CharField(_("name"), max_length=100)
    established = models.DateField(_("established"), null=True, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", township="township")

    class Meta:
        verbose_name = _("leading group")
        verbose_name_plural = _("leading groups")
        ordering = ["county", "township", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pairing:leadinggroup_detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.township_id is not None:
            self.county_id = self.township.county_id  # type: ignore[union-attr]
        super().save(*args, **kwargs)


class GroupMember(ScopedModel):
    """A member of a leading group with their post."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("leading group"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100, help_text=_("e.g. county party secretary, head of the UFWD"))
    role = models.CharField(_("role in the group"), max_length=16, choices=GroupRole.choices, default=GroupRole.MEMBER)
    department = models.CharField(_("department"), max_length=100, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="group__county", township="group__township")

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"

    def get_absolute_url(self) -> str:
        return reverse("pairing:groupmember_detail", args=[self.pk])


class JointMeeting(ScopedModel):
    """A joint meeting of departments held by a leading group, with its minutes."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("leading group"), on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    departments = models.CharField(_("departments present"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="group__county", township="group__township")

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:jointmeeting_detail", args=[self.pk])


class Decision(ScopedModel):
    """A decision taken at a meeting, with an owner and a due date."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.CharField(_("decision"), max_length=300)
    owner = models.CharField(_("owner"), max_length=100)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)

    scope: ClassVar[ScopePaths] = ScopePaths(county="meeting__group__county", township="meeting__group__township")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("pairing:decision_detail", args=[self.pk])

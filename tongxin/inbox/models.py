"""Notifications, the e-mail preference, the digest record and the record of 催报.

A notification belongs to one person: every role sees only its own
(``ScopePaths(owner="recipient")``), so another person's notification is 404 on every path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ADD, CHANGE, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.inbox.choices import TEXTS, Digest, NotificationKind

# Everyone reads and marks their own notifications (and sets their own preference).
OWN_ONLY = ScopePaths(county=None, owner="recipient")
OWN_PERMISSIONS = RolePermissions.of({role: frozenset({VIEW, CHANGE}) for role in Role.values}, supervised=False)


class _Blank(dict[str, Any]):
    """Arguments of a sentence; one that is missing reads as empty, never as an error."""

    def __missing__(self, key: str) -> str:
        return ""


def render_text(kind: str, args: Mapping[str, Any]) -> str:
    """The sentence of ``kind`` with ``args``, in the active language."""
    template = TEXTS.get(kind)  # type: ignore[call-overload]
    if template is None:
        return str(NotificationKind(kind).label) if kind in NotificationKind.values else kind
    return gettext(str(template)) % _Blank({key: value for key, value in args.items() if isinstance(key, str)})


class Notification(ScopedModel):
    """Something that landed in one person's inbox: what (``kind`` and its ``args``), where
    to do it (``link``, a path of this site), when, and whether it was read.

    Written by the workflow services in the transaction of the step that caused it; the
    recipient marks it read by opening it, or all at once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    args = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    scope: ClassVar[ScopePaths] = OWN_ONLY
    permissions: ClassVar[RolePermissions] = OWN_PERMISSIONS

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created"], name="notification_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:100]

    def get_absolute_url(self) -> str:
        return reverse("inbox:notification_open", args=[self.pk])

    @property
    def text(self) -> str:
        return render_text(self.kind, self.args or {})

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(ScopedModel):
    """Which notifications a person also receives by e-mail (none, or a daily digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_digest = models.CharField(_("e-mail"), max_length=16, choices=Digest.choices, default=Digest.NONE)

    scope: ClassVar[ScopePaths] = ScopePaths(county=None, owner="user")
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {role: frozenset({VIEW, ADD, CHANGE}) for role in Role.values}, supervised=False
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_email_digest_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inbox:preferences")


class DigestSent(models.Model):
    """One daily digest e-mailed to one person (at most one per person and day).

    Recorded before the message leaves, in the same transaction: running the digest twice
    on one day sends it once; a failed send records nothing, so the next run tries again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    email = models.EmailField(_("e-mail address"))
    count = models.PositiveIntegerField(_("notifications"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county=None, owner="user")
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {role: frozenset({VIEW}) for role in Role.values}, supervised=False
    )

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ["-day", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                name="digest_once_a_day",
                violation_error_message=_("This person already had today's digest."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} → {self.email}"


class ReportChase(ScopedModel):
    """催报: someone called for the missing progress reports of one township of a
    campaign — who (``called_by``), when (``created``), which pairs and reports (``items``:
    pair, period, due date and report, none when the report was never started) and how
    many people were notified (the liaison officers appointed to those pairs)."""

    campaign = models.ForeignKey(
        "pairing.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    pairs = models.ManyToManyField("pairing.Pair", verbose_name=_("pairs"), related_name="chases")
    items = models.JSONField(_("missing reports"), default=list, blank=True, editable=False)
    notified = models.PositiveIntegerField(_("people notified"), default=0, editable=False)

    scope: ClassVar[ScopePaths] = ScopePaths(county="campaign__county", township="township")
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            Role.COUNTY_ADMIN: frozenset({VIEW, ADD, EXPORT}),
            Role.COUNTY_STAFF: frozenset({VIEW, ADD, EXPORT}),
            Role.TOWNSHIP_STAFF: frozenset({VIEW, ADD, EXPORT}),
        }
    )

    class Meta:
        verbose_name = _("call for missing reports")
        verbose_name_plural = _("calls for missing reports")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.township} · {self.created:%Y-%m-%d %H:%M}" if self.created else str(self.township)

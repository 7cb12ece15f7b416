"""Making friends (交友): leading cadres of the county — party members in the leadership
bodies, not on the non-party files — each paired with non-party people, with a target
frequency of contact and a log of the contacts."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.choices import ContactForm, ContactFrequency
from tongxin.cadres.models.people import POST_PERMISSIONS
from tongxin.core.models import ScopedModel
from tongxin.core.scope import RolePermissions, ScopePaths


class LeadingCadre(ScopedModel):
    """A leading cadre of the county (a party member in a leadership body) who makes
    friends with non-party people. Not a non-party file: name, post and unit only."""

    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="leading_cadres"
    )
    active = models.BooleanField(_("in office"), default=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", placement=("county",))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("leading cadre")
        verbose_name_plural = _("leading cadres")
        ordering = ["county", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"

    def get_absolute_url(self) -> str:
        return reverse("cadres:leadingcadre_detail", args=[self.pk])


class FriendPair(ScopedModel):
    """A leading cadre and a non-party person they keep in touch with, at least as often
    as ``frequency``; overdue when the last contact (or the start) is older than that."""

    leader = models.ForeignKey(
        LeadingCadre, verbose_name=_("leading cadre"), on_delete=models.PROTECT, related_name="pairs"
    )
    person = models.ForeignKey(
        "cadres.Person", verbose_name=_("non-party friend"), on_delete=models.CASCADE, related_name="friend_pairs"
    )
    frequency = models.CharField(
        _("contact at least"), max_length=12, choices=ContactFrequency.choices, default=ContactFrequency.QUARTERLY
    )
    since = models.DateField(_("paired since"))
    ended = models.DateField(_("ended"), null=True, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="leader__county", placement=("leader", "person"))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("friend-making pair")
        verbose_name_plural = _("friend-making pairs")
        ordering = ["leader", "person", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "person"],
                name="cadres_friend_pair_once",
                violation_error_message=_("This leading cadre is already paired with this person."),
            ),
            models.CheckConstraint(
                condition=models.Q(ended__isnull=True) | models.Q(ended__gte=models.F("since")),
                name="cadres_friend_pair_dates",
                violation_error_message=_("A pair ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader.name} · {self.person.name}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:friendpair_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.leader_id is not None and self.person_id is not None and self.leader.county_id != self.person.county_id:
            raise ValidationError({"person": _("The person is not on the files of the leading cadre's county.")})


class FriendContact(ScopedModel):
    """One contact of a pair: when, how, what was talked about, the concerns raised and
    the follow-up (who owns it, whether it is done)."""

    pair = models.ForeignKey(FriendPair, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"))
    form = models.CharField(_("form"), max_length=8, choices=ContactForm.choices, default=ContactForm.TALK)
    topics = models.CharField(_("topics"), max_length=300)
    concerns = models.TextField(_("concerns raised"), max_length=2000, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)
    follow_up_owner = models.CharField(_("follow-up owner"), max_length=50, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)

    scope: ClassVar[ScopePaths] = ScopePaths(county="pair__leader__county", placement=("pair",))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("friend-making contact")
        verbose_name_plural = _("friend-making contacts")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pair", "-date"], name="cadres_contact_pair_date_idx")]

    def __str__(self) -> str:
        return f"{self.pair} · {self.date:%Y-%m-%d}" if self.date else str(self.pair)

    def get_absolute_url(self) -> str:
        return reverse("cadres:friendcontact_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.follow_up and not self.follow_up_owner:
            errors["follow_up_owner"] = _("Name who owns the follow-up.")
        if self.follow_up_done and not self.follow_up:
            errors["follow_up_done"] = _("There is no follow-up to be done.")
        pair = self.pair if self.pair_id is not None else None
        if pair is not None and self.date is not None:
            if self.date < pair.since:
                errors["date"] = _("A contact is dated on or after the pair started.")
            elif pair.ended is not None and self.date > pair.ended:
                errors["date"] = _("The pair had ended by then.")
            elif self.date > timezone.localdate():
                errors["date"] = _("A contact cannot be dated in the future.")
        if errors:
            raise ValidationError(errors)

"""Leadership bodies, their posts and the staffing rules declared as data."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.cadres.choices import BodyKind, PostRole, RankLevel, RuleMode
from tongxin.core.models import ScopedModel
from tongxin.core.scope import ALL, RolePermissions, ScopePaths

COUNT = "count"
#: Cadre officers keep bodies and posts; township staff may only count their township's
#: bodies (how many posts, how many held by non-party people) — never see who holds them.
BODY_PERMISSIONS = RolePermissions.of(
    {Role.CADRE_OFFICER: ALL | {COUNT}, Role.TOWNSHIP_STAFF: {COUNT}}, supervised=False
)
OFFICER_ONLY = RolePermissions.of({Role.CADRE_OFFICER: ALL}, supervised=False)


class Body(ScopedModel):
    """A leadership body of a county (or of one of its townships) with posts."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="cadre_bodies"
    )
    township = models.ForeignKey(
        "regions.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre_bodies",
        help_text=_("For a township team; empty for a county body"),
    )
    area = models.CharField(
        _("field of work"), max_length=100, blank=True, help_text=_("Matched against candidates' expertise")
    )

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", township="township", placement=("county", "township"))
    permissions: ClassVar[RolePermissions] = BODY_PERMISSIONS

    class Meta:
        verbose_name = _("leadership body")
        verbose_name_plural = _("leadership bodies")
        ordering = ["county", "kind", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:body_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.township is not None and self.county_id is not None and self.township.county_id != self.county_id:
            raise ValidationError({"township": _("The township is not in the body's county.")})


class Post(ScopedModel):
    """A post in a body, with its holder: a non-party person of the files, or the name of
    another holder (a party member), or nobody (vacant)."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(_("title"), max_length=100)
    role = models.CharField(_("role"), max_length=16, choices=PostRole.choices, default=PostRole.MEMBER)
    rank = models.CharField(_("rank level"), max_length=16, choices=RankLevel.choices, default=RankLevel.SECTION)
    person = models.ForeignKey(
        "cadres.Person",
        verbose_name=_("non-party holder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_posts",
    )
    other_holder = models.CharField(
        _("other holder"), max_length=50, blank=True, help_text=_("A holder who is not in the non-party files")
    )
    start = models.DateField(_("from"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="body__county", placement=("body",))
    permissions: ClassVar[RolePermissions] = OFFICER_ONLY

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["body", "role", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) | models.Q(other_holder=""),
                name="cadres_post_one_holder",
                violation_error_message=_("A post has one holder: a person of the files or another holder."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:post_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.person is not None and self.body_id is not None and self.person.county_id != self.body.county_id:
            raise ValidationError({"person": _("The holder is not on the files of the body's county.")})


class StaffingRule(ScopedModel):
    """A staffing rule of a county, with the document it comes from."""

    name = models.CharField(_("name"), max_length=200)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="staffing_rules"
    )
    body_kind = models.CharField(_("kind of body"), max_length=16, choices=BodyKind.choices)
    mode = models.CharField(_("rule"), max_length=8, choices=RuleMode.choices, default=RuleMode.EACH)
    minimum = models.PositiveSmallIntegerField(_("at least"), default=1)
    post_role = models.CharField(
        _("of posts of role"), max_length=16, choices=PostRole.choices, blank=True, help_text=_("Empty: any post")
    )
    source_document = models.CharField(_("source document"), max_length=200)
    source_date = models.DateField(_("document date"))

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", placement=("county",))
    permissions: ClassVar[RolePermissions] = OFFICER_ONLY

    class Meta:
        verbose_name = _("staffing rule")
        verbose_name_plural = _("staffing rules")
        ordering = ["county", "body_kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__gte=1),
                name="cadres_rule_minimum",
                violation_error_message=_("A rule asks for at least one."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:staffingrule_detail", args=[self.pk])

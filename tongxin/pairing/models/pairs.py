"""Proposals and pairs, liaison appointments and letters."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.choices import Role
from tongxin.core.models import ChangeLoggedModel, ScopedModel
from tongxin.core.scope import ALL, EXPORT, VIEW, RolePermissions, ScopePaths
from tongxin.pairing.choices import PAIR_STATUSES, LetterKind, Origin, PairStatus


def holds_liaison_hat(user_id: int | None, county_id: int | None) -> bool:
    """Whether the person holds an active liaison officer hat of ``county_id``."""
    from tongxin.accounts.models import RoleAssignment
    from tongxin.accounts.roles import active_assignments_q

    if user_id is None or county_id is None:
        return False
    return RoleAssignment.objects.filter(
        active_assignments_q(), user_id=user_id, role=Role.LIAISON, county_id=county_id
    ).exists()


def liaison_choices() -> models.Q:
    """People holding an active liaison officer hat."""
    from tongxin.accounts.models import RoleAssignment
    from tongxin.accounts.roles import active_assignments_q

    liaisons = RoleAssignment.objects.filter(active_assignments_q(), role=Role.LIAISON).values("user_id")
    return models.Q(pk__in=liaisons)


class PairQuerySet(models.QuerySet["Pair"]):
    def proposals(self) -> PairQuerySet:
        return self.exclude(status__in=PAIR_STATUSES)

    def pairs(self) -> PairQuerySet:
        return self.filter(status__in=PAIR_STATUSES)


# Workflow actions on a pair: the township's first review ("review" approves, "return"
# sends back), the county's decision ("approve", "reject", "override" drops a proposal),
# issuing its letter of responsibility, and reopening an approved pair.
TOWNSHIP_REVIEW = frozenset({"review", "return"})
COUNTY_DECISION = TOWNSHIP_REVIEW | {"approve", "reject", "override", "issue_letter"}
PAIR_PERMISSIONS = RolePermissions.of(
    {
        # No change or delete: status moves only through the services, and proposals are
        # dropped, rejected or superseded and pairs closed, all on the record.
        Role.COUNTY_ADMIN: frozenset({VIEW, EXPORT}) | COUNTY_DECISION | {"reopen"},
        Role.COUNTY_STAFF: frozenset({VIEW, EXPORT}) | COUNTY_DECISION,
        Role.TOWNSHIP_STAFF: frozenset({VIEW, EXPORT}) | TOWNSHIP_REVIEW,
        Role.VILLAGE_CONTACT: frozenset({VIEW}),
        Role.ENTERPRISE_CONTACT: frozenset({VIEW}),
        Role.LIAISON: frozenset({VIEW}),
    }
)


class Pair(ScopedModel):
    """An enterprise–village pair of a campaign, from proposal to approved pair.

    Status changes only through the services in :mod:`tongxin.pairing.services`, which
    check the guards (stage, who may act, nobody approves their own entry) and write a
    :class:`CampaignEvent` for the timeline. Approved pairs are locked.
    """

    campaign = models.ForeignKey(
        "pairing.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="pairs"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="pairs"
    )
    village = models.ForeignKey(
        "regions.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="pairs"
    )
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), on_delete=models.PROTECT, editable=False, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PairStatus.choices, default=PairStatus.PROPOSED, editable=False
    )
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.MATCHED, editable=False
    )
    match_run = models.ForeignKey(
        "pairing.MatchRun",
        verbose_name=_("match run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="pairs",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    township_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved for the township by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reason = models.TextField(_("override reason"), blank=True)
    fit_score = models.FloatField(_("fit score"), null=True, blank=True, editable=False)
    fit_parts = models.JSONField(_("fit score parts"), default=dict, blank=True, editable=False)
    explanation = models.JSONField(_("why matched"), default=dict, blank=True, editable=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = PairQuerySet.as_manager()  # type: ignore[assignment,misc]

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="campaign__county",
        township="township",
        village="village",
        enterprise="enterprise",
        liaison="appointments__liaison",
        many=True,
    )
    permissions: ClassVar[RolePermissions] = PAIR_PERMISSIONS

    class Meta:
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        # Newest campaign first, then by township, village and enterprise — by their numbers,
        # which the index serves (ordering by the related rows' own orderings joins four
        # tables and sorts every pair in scope: 30,000 in a province).
        ordering = ["-campaign_id", "township_id", "village_id", "enterprise_id"]
        indexes = [
            models.Index(fields=["-campaign", "township", "village", "enterprise"], name="pair_list_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise", "village"],
                name="pair_once_per_campaign",
                violation_error_message=_("This enterprise and village are already paired in this campaign."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} — {self.village}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:pair_detail", args=[self.pk])

    @property
    def locked(self) -> bool:
        return self.status in PAIR_STATUSES

    def clean(self) -> None:
        super().clean()
        if self.campaign_id is None:
            return
        county_id = self.campaign.county_id
        if self.enterprise_id is not None and self.enterprise.township.county_id != county_id:
            raise ValidationError(_("The enterprise is not in the campaign's county."), code="county")
        if self.village_id is not None and self.village.township.county_id != county_id:
            raise ValidationError(_("The village is not in the campaign's county."), code="county")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.village_id is not None:
            self.township_id = self.village.township_id
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise models.ProtectedError(
            str(_("Pairs are never deleted: proposals are dropped, rejected or superseded, pairs closed.")), {self}
        )


class LiaisonAppointment(ScopedModel):
    """A liaison officer (联络员) appointed to one or more pairs for a term."""

    campaign = models.ForeignKey(
        "pairing.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="appointments"
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        on_delete=models.PROTECT,
        related_name="appointments",
        limit_choices_to=liaison_choices,
    )
    pairs = models.ManyToManyField(Pair, verbose_name=_("pairs"), related_name="appointments")
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="campaign__county", township="pairs__township", liaison="liaison", many=True
    )
    permissions: ClassVar[RolePermissions] = RolePermissions.of(
        {
            Role.COUNTY_ADMIN: ALL | {"issue_letter"},
            Role.COUNTY_STAFF: ALL | {"issue_letter"},
            Role.TOWNSHIP_STAFF: frozenset({VIEW, EXPORT}),
            Role.LIAISON: frozenset({VIEW}),
        }
    )

    class Meta:
        verbose_name = _("liaison appointment")
        verbose_name_plural = _("liaison appointments")
        ordering = ["campaign", "liaison"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gt=models.F("term_start")),
                name="appointment_term_order",
                violation_error_message=_("The term must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.liaison} · {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("pairing:liaisonappointment_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if (
            self.campaign_id is not None
            and self.liaison_id is not None
            and not holds_liaison_hat(self.liaison_id, self.campaign.county_id)
        ):
            raise ValidationError(_("Only a liaison officer of this county can be appointed."), code="liaison")


class LetterQuerySet(models.QuerySet["Letter"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise models.ProtectedError(str(_("Letters are never deleted.")), set(self))


class Letter(ChangeLoggedModel):
    """A numbered letter (责任书 or 聘书) with its stored PDF.

    Numbers run without gaps per campaign, kind and year; a letter is never renumbered
    nor deleted, and a pair or an appointment has at most one letter of each kind.
    Access follows its pair or appointment.
    """

    campaign = models.ForeignKey(
        "pairing.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LetterKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    doc_number = models.CharField(_("document number"), max_length=50)
    pair = models.ForeignKey(
        Pair, verbose_name=_("pair"), on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    appointment = models.ForeignKey(
        LiaisonAppointment,
        verbose_name=_("appointment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    pdf = models.BinaryField(_("PDF"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["campaign", "kind", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "year", "number"],
                name="letter_number_once",
                violation_error_message=_("This letter number is already used."),
            ),
            models.UniqueConstraint(
                fields=["pair", "kind"],
                condition=models.Q(pair__isnull=False),
                name="letter_once_per_pair",
                violation_error_message=_("This pair already has this letter."),
            ),
            models.UniqueConstraint(
                fields=["appointment", "kind"],
                condition=models.Q(appointment__isnull=False),
                name="letter_once_per_appointment",
                violation_error_message=_("This appointment already has this letter."),
            ),
        ]

    def __str__(self) -> str:
        return self.doc_number

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise models.ProtectedError(str(_("Letters are never deleted.")), {self})

    @property
    def file_name(self) -> str:
        """The PDF's download name: its document number (桐庐县联发〔2027〕12号.pdf)."""
        return f"{self.doc_number}.pdf"

    @property
    def ascii_file_name(self) -> str:
        """The download name for clients that read only an ASCII name (appointment-2027-12.pdf)."""
        return f"{self.kind}-{self.year}-{self.number}.pdf"

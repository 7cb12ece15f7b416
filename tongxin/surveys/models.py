"""Survey records: the dated history behind each village and enterprise profile."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.core.models import ScopedModel
from tongxin.core.scope import ScopePaths
from tongxin.surveys.choices import SurveyKind

# The keys of Survey.figures and the profile field each one records.
FIGURE_FIELDS: dict[str, tuple[str, str]] = {
    "population": ("regions.Village", "population"),
    "households": ("regions.Village", "households"),
    "per_capita_income_yuan": ("regions.Village", "per_capita_income"),
    "collective_income_yuan": ("regions.Village", "collective_income"),
    "party_members": ("regions.Village", "party_members"),
    "employees": ("enterprises.Enterprise", "employees"),
    "revenue_10k_yuan": ("enterprises.Enterprise", "revenue"),
    "has_party_org": ("enterprises.Enterprise", "has_party_org"),
}


def _figure_labels() -> dict[str, str]:
    """Figure key -> the profile field's label in the active language (never cached across
    requests: the language may differ)."""
    from django.apps import apps
    from django.utils.text import capfirst

    return {
        key: str(capfirst(apps.get_model(model)._meta.get_field(name).verbose_name))
        for key, (model, name) in FIGURE_FIELDS.items()
    }


class Survey(ScopedModel):
    """One survey of a village or an enterprise (exactly one of them).

    ``figures`` keeps the profile numbers as found on that day, so the ledger can show how
    the profile changed over time. ``township`` and ``county`` are derived from the subject
    so scoping needs no conditional join.
    """

    kind = models.CharField(_("method"), max_length=16, choices=SurveyKind.choices)
    date = models.DateField(_("date"))
    village = models.ForeignKey(
        "regions.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveys",
    )
    township = models.ForeignKey(
        "regions.Township", verbose_name=_("township"), on_delete=models.PROTECT, editable=False, related_name="+"
    )
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, editable=False, related_name="+"
    )
    surveyors = models.CharField(_("surveyors"), max_length=200)
    findings = models.TextField(_("findings"))
    figures = models.JSONField(_("figures on that day"), default=dict, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(
        county="county", township="township", village="village", enterprise="enterprise"
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(village__isnull=False) & models.Q(enterprise__isnull=True))
                | (models.Q(village__isnull=True) & models.Q(enterprise__isnull=False)),
                name="survey_one_subject",
                violation_error_message=_("A survey is of exactly one village or one enterprise."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.date:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey_detail", args=[self.pk])

    @property
    def subject(self) -> Any:
        return self.village if self.village_id is not None else self.enterprise

    def figure_items(self) -> list[tuple[str, str]]:
        """The figures as (label, value) in people's words: the profile field's label,
        numbers with thousands separators, yes/no; a key no profile field knows keeps its name."""
        from tongxin.core.history import figure_text

        labels = _figure_labels()
        data = self.figures if isinstance(self.figures, dict) else {}
        return [(labels.get(str(key), str(key)), figure_text(value)) for key, value in data.items()]

    def clean(self) -> None:
        super().clean()
        if (self.village_id is None) == (self.enterprise_id is None):
            raise ValidationError(_("Choose either a village or an enterprise."))

    def save(self, *args: Any, **kwargs: Any) -> None:
        subject = self.subject
        if subject is not None:
            self.township_id = subject.township_id
            self.county_id = subject.township.county_id
        super().save(*args, **kwargs)

"""Training (培养): courses, the people enrolled in them, and recommendations to a
socialist college. Kept by the county's cadre officers only, like the files."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.cadres.choices import COLLEGES, CourseKind, EnrolmentStatus, RecommendationOutcome
from tongxin.cadres.models.people import POST_PERMISSIONS
from tongxin.core.models import ScopedModel
from tongxin.core.scope import RolePermissions, ScopePaths

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CERTIFICATE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


def validate_certificate_size(file: Any) -> None:
    if file is not None and getattr(file, "size", 0) > CERTIFICATE_MAX_BYTES:
        raise ValidationError(_("A certificate file is at most 5 MB."), code="file_size")


def hours_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0"))], **kwargs
    )


class Course(ScopedModel):
    """A training course non-party cadres of a county attend: at a socialist college
    (province, city, county), a local class or online."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    organiser = models.CharField(_("organiser"), max_length=100)
    county = models.ForeignKey(
        "regions.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="cadre_courses"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    hours = hours_field(_("hours"))
    place = models.CharField(_("place"), max_length=100, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="county", placement=("county",))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-start", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="cadres_course_dates",
                violation_error_message=_("A course ends on or after the day it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0),
                name="cadres_course_hours",
                violation_error_message=_("A course has some hours."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cadres:course_detail", args=[self.pk])


class Enrolment(ScopedModel):
    """A person enrolled in a course: the hours attended, completion and the certificate.
    Written by the services of :mod:`tongxin.cadres.services.training`."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(
        "cadres.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    hours_attended = hours_field(_("hours attended"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    certificate_file = models.FileField(
        _("certificate file"),
        upload_to="cadres/certificates/%Y/",
        blank=True,
        validators=[FileExtensionValidator(list(CERTIFICATE_EXTENSIONS)), validate_certificate_size],
    )

    scope: ClassVar[ScopePaths] = ScopePaths(county="course__county", placement=("course", "person"))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "person", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"],
                name="cadres_enrolment_once",
                violation_error_message=_("This person is already enrolled in the course."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:enrolment_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        course = self.course if self.course_id is not None else None
        person = self.person if self.person_id is not None else None
        if course is not None and person is not None and person.county_id != course.county_id:
            errors["person"] = _("The person is not on the files of the course's county.")
        if course is not None and self.hours_attended is not None and self.hours_attended > course.hours:
            errors["hours_attended"] = _("More hours attended than the course has.")
        if course is not None and self.completed_on is not None and self.completed_on < course.start:
            errors["completed_on"] = _("A course is completed after it starts.")
        if errors:
            raise ValidationError(errors)


class Recommendation(ScopedModel):
    """A person recommended to a socialist college: when, to which, by whom, and the outcome."""

    person = models.ForeignKey(
        "cadres.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="recommendations"
    )
    college = models.CharField(
        _("college"), max_length=20, choices=[(c.value, c.label) for c in COLLEGES], default=CourseKind.COUNTY_COLLEGE
    )
    date = models.DateField(_("date"))
    recommended_by = models.CharField(_("recommended by"), max_length=100)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=RecommendationOutcome.choices, default=RecommendationOutcome.PENDING
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope: ClassVar[ScopePaths] = ScopePaths(county="person__county", placement=("person",))
    permissions: ClassVar[RolePermissions] = POST_PERMISSIONS

    class Meta:
        verbose_name = _("recommendation to a college")
        verbose_name_plural = _("recommendations to a college")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_college_display()}"

    def get_absolute_url(self) -> str:
        return reverse("cadres:recommendation_detail", args=[self.pk])

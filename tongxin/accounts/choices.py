from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DOMAIN.md; each is bound to one node of the tree or one organisation."""

    COUNTY_ADMIN = "county_admin", _("County administrator")
    COUNTY_STAFF = "county_staff", _("County staff")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    LIAISON = "liaison", _("Liaison officer")
    ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")
    VILLAGE_CONTACT = "village_contact", _("Village contact")
    REVIEWER = "reviewer", _("Reviewer")


COUNTY_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_STAFF})

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DOMAIN.md. A person holds any number of them through assignments.

    How each role is bound (to which level of the tree or kind of organisation) is declared
    in :data:`tongxin.accounts.roles.ROLES`.
    """

    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    PROVINCE_STAFF = "province_staff", _("Province staff")
    PREFECTURE_ADMIN = "prefecture_admin", _("Prefecture administrator")
    PREFECTURE_STAFF = "prefecture_staff", _("Prefecture staff")
    COUNTY_ADMIN = "county_admin", _("County administrator")
    COUNTY_STAFF = "county_staff", _("County staff")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    LIAISON = "liaison", _("Liaison officer")
    ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")
    VILLAGE_CONTACT = "village_contact", _("Village contact")
    REVIEWER = "reviewer", _("Reviewer")
    CADRE_OFFICER = "cadre_officer", _("Cadre officer")
    CHAMBER_STAFF = "chamber_staff", _("Chamber staff")
    EDITOR = "editor", _("Portal editor")
    PUBLISHER = "publisher", _("Portal publisher")
    ASSOCIATION_STAFF = "association_staff", _("Association staff")


class Level(models.TextChoices):
    """What an assignment is bound to, from the top of the tree down to one organisation."""

    PROVINCE = "province", _("province")
    PREFECTURE = "prefecture", _("prefecture")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")
    ENTERPRISE = "enterprise", _("enterprise")
    CHAMBER = "chamber", _("chamber of commerce")
    ASSOCIATION = "association", _("association")


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out")


COUNTY_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_STAFF})
SUPERVISOR_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_STAFF, Role.PREFECTURE_ADMIN, Role.PREFECTURE_STAFF})
ADMIN_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PREFECTURE_ADMIN, Role.COUNTY_ADMIN})

from django.db import models
from django.utils.translation import gettext_lazy as _


class TownshipKind(models.TextChoices):
    """By the township segment of the 12-digit code (GB/T 10114)."""

    STREET = "street", _("Sub-district (街道)")
    TOWN = "town", _("Town (镇)")
    TOWNSHIP = "township", _("Township (乡)")
    SIMILAR = "similar", _("Township-like unit")


class VillageKind(models.TextChoices):
    """By the village segment of the 12-digit code."""

    COMMUNITY = "community", _("Residents' committee (社区)")
    VILLAGE = "village", _("Villagers' committee (行政村)")
    SIMILAR_COMMUNITY = "similar_community", _("Community-like unit")
    SIMILAR_VILLAGE = "similar_village", _("Village-like unit")


class UrbanRural(models.TextChoices):
    """Urban–rural classification code (国函〔2008〕60号)."""

    CITY_CORE = "111", _("111 City core")
    CITY_FRINGE = "112", _("112 Urban–rural fringe")
    TOWN_CENTRE = "121", _("121 Town centre")
    TOWN_FRINGE = "122", _("122 Town–countryside fringe")
    SPECIAL = "123", _("123 Special area")
    TOWNSHIP_CENTRE = "210", _("210 Township centre")
    VILLAGE = "220", _("220 Village")


class DivisionLevel(models.TextChoices):
    """The five levels of the official division table."""

    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")

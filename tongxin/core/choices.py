from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class ChangeSource(models.TextChoices):
    UI = "ui", _("Web page")
    API = "api", _("API")
    ADMIN = "admin", _("Admin site")
    IMPORT = "import", _("Excel import")
    COMMAND = "command", _("Command")
    SYSTEM = "system", _("System")


class CapabilityKind(models.TextChoices):
    NEED = "need", _("Need / offer")
    ADVANTAGE = "advantage", _("Development advantage")


class Need(models.TextChoices):
    """Weak links a village needs help with; enterprises offer from the same list."""

    INDUSTRY = "industry", _("Industry development")
    AGRI_PROCESSING = "agri_processing", _("Farm produce processing")
    MARKETING = "marketing", _("Market access and sales")
    ECOMMERCE = "ecommerce", _("E-commerce")
    TOURISM = "tourism", _("Rural tourism")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    EMPLOYMENT = "employment", _("Jobs for villagers")
    SKILLS_TRAINING = "skills_training", _("Skills training")
    CAPITAL = "capital", _("Funding")
    TECHNOLOGY = "technology", _("Technology")
    EDUCATION = "education", _("Education support")
    HEALTH = "health", _("Health care")
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    CULTURE = "culture", _("Culture")
    ENVIRONMENT = "environment", _("Living environment")
    PARTY_BUILDING = "party_building", _("Party building")
    LOGISTICS = "logistics", _("Logistics")
    COLLECTIVE_ECONOMY = "collective_economy", _("Collective economy")


class Advantage(models.TextChoices):
    """Development advantages of a village."""

    FARMLAND = "farmland", _("Farmland")
    FOREST = "forest", _("Forest")
    WATER = "water", _("Water resources")
    SPECIALTY_CROPS = "specialty_crops", _("Specialty crops")
    LIVESTOCK = "livestock", _("Livestock")
    SCENERY = "scenery", _("Scenery")
    HERITAGE = "heritage", _("Cultural heritage")
    TRANSPORT = "transport", _("Transport links")
    LABOUR = "labour", _("Labour force")
    LOCATION = "location", _("Location near towns")
    ECOLOGY = "ecology", _("Ecology")
    HANDICRAFT = "handicraft", _("Handicrafts")

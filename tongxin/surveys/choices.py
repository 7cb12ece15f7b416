from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    """The three survey methods the article names."""

    DISCUSSION = "discussion", _("Centralised discussion")
    VISIT = "visit", _("Individual visit")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")

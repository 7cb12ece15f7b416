from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "tongxin.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from tongxin.surveys import ledgers  # noqa: F401  (registers the ledgers)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "tongxin.regions"
    label = "regions"
    verbose_name = _("Administrative tree and village ledger")

    def ready(self) -> None:
        from tongxin.regions import ledgers  # noqa: F401  (registers the ledgers)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "tongxin.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprise ledger")

    def ready(self) -> None:
        from tongxin.enterprises import ledgers  # noqa: F401  (registers the ledgers)

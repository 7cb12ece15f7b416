from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChambersConfig(AppConfig):
    name = "tongxin.chambers"
    label = "chambers"
    verbose_name = _("Chambers of commerce")

    def ready(self) -> None:
        from tongxin.chambers import inbox, ledgers  # noqa: F401  (registers the ledgers)

        inbox.register()

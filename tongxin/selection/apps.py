from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "tongxin.selection"
    label = "selection"
    verbose_name = _("Selections")

    def ready(self) -> None:
        from tongxin.selection import ledgers  # noqa: F401  (registers the ledgers)

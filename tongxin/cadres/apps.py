from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "tongxin.cadres"
    label = "cadres"
    verbose_name = _("Non-party cadres")

    def ready(self) -> None:
        from tongxin.cadres import ledgers  # noqa: F401  (registers the ledgers)
        from tongxin.cadres.navigation import pages
        from tongxin.core.context_processors import NAV_PAGES

        if pages not in NAV_PAGES:
            NAV_PAGES.append(pages)

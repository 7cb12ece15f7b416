from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "tongxin.platforms"
    label = "platforms"
    verbose_name = _("Platforms")

    def ready(self) -> None:
        from tongxin.core.context_processors import NAV_PAGES
        from tongxin.platforms import ledgers  # noqa: F401  (registers the ledgers)
        from tongxin.platforms.navigation import pages

        if pages not in NAV_PAGES:
            NAV_PAGES.append(pages)

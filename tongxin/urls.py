"""Root URL configuration.

Uploaded files are never served from MEDIA_URL, not even in development: they leave
through scoped views (``tongxin.core.files``). Errors use the templates 400/403/404/500.html
(Django's default handlers); the 500 page needs neither the database nor a request.
"""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path

from tongxin.portal.cache import cached_page
from tongxin.portal.sitemaps import SITEMAPS

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("tongxin.api_urls")),
    path("accounts/", include("tongxin.accounts.urls")),
    path("regions/", include("tongxin.regions.urls")),
    path("enterprises/", include("tongxin.enterprises.urls")),
    path("surveys/", include("tongxin.surveys.urls")),
    path("pairing/", include("tongxin.pairing.urls")),
    path("notifications/", include("tongxin.inbox.urls")),
    path("cadres/", include("tongxin.cadres.urls")),
    path("chambers/", include("tongxin.chambers.urls")),
    path("portal/", include("tongxin.portal.urls")),
    path("editorial/", include("tongxin.portal.urls_editorial")),
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("selection/", include("tongxin.selection.urls")),
    path("platforms/", include("tongxin.platforms.urls")),
    path("", include("tongxin.core.urls")),
]
